"""MNIST loading shared by the peers: the book's dataset/mnist.py way (gzip + np.frombuffer with
offset 16 for images, 8 for labels), from the gzip IDX files in $MNIST_DATA_DIR."""
import gzip
import os
import sys

import numpy as np

FILES = {
    "train_img": "train-images-idx3-ubyte.gz",
    "train_label": "train-labels-idx1-ubyte.gz",
    "test_img": "t10k-images-idx3-ubyte.gz",
    "test_label": "t10k-labels-idx1-ubyte.gz",
}


def data_dir():
    d = os.environ.get("MNIST_DATA_DIR")
    if not d:
        sys.exit("peer: error: MNIST_DATA_DIR is not set (expected the folder of the MNIST .gz files)")
    return d


def _read(name, offset):
    path = os.path.join(data_dir(), FILES[name])
    try:
        with gzip.open(path, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    except OSError as e:
        sys.exit(f"peer: error: cannot read {path}: {e}")


def load_uint8():
    """(train_images (60000,784) uint8, train_labels, test_images, test_labels)."""
    return (_read("train_img", 16).reshape(-1, 784), _read("train_label", 8),
            _read("test_img", 16).reshape(-1, 784), _read("test_label", 8))


def normalized(images_uint8):
    """The book's normalisation: astype(float32) then /= 255.0, kept float32."""
    x = images_uint8.astype(np.float32)
    x /= 255.0
    return x


def one_hot(labels, dtype=np.float64):
    t = np.zeros((labels.size, 10), dtype=dtype)
    t[np.arange(labels.size), labels] = 1
    return t


def report(name, train_acc, test_acc, train_seconds, last_loss):
    """One machine-readable line that scripts/bench parses."""
    print(f"RESULT peer={name} train_acc={train_acc:.5f} test_acc={test_acc:.5f} "
          f"last_loss={last_loss:.6f} train_seconds={train_seconds:.3f}", flush=True)
