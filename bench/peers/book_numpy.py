#!/usr/bin/python3
"""The book's chapter-4 training (ch04/two_layer_net.py driven by ch04/train_neuralnet.py, with
common/functions.py), condensed into one file and seeded with np.random.seed(0).

float64 parameters, x = float32(p)/255 kept float32, 784-50-10 sigmoid/softmax, cross-entropy,
SGD lr 0.1, batch 100 from np.random.choice(60000, 100), loss recomputed after the update,
train+test accuracy over all 70000 images when i % 600 == 0, 10000 iterations.

--dtype float32 runs the same code with float32 parameters and one-hot labels.
--check REF.json compares every loss and accuracy with a shared/reference training file (only
meaningful for float64, OPENBLAS_NUM_THREADS=1 and the same seed).
"""
import argparse
import json
import sys
import time

import numpy as np

import mnist_idx


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, dtype, weight_init_std=0.01):
        self.params = {
            "W1": (weight_init_std * np.random.randn(input_size, hidden_size)).astype(dtype),
            "b1": np.zeros(hidden_size, dtype=dtype),
            "W2": (weight_init_std * np.random.randn(hidden_size, output_size)).astype(dtype),
            "b2": np.zeros(output_size, dtype=dtype),
        }

    def predict(self, x):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        return softmax(a2)

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        grads = {}
        batch_num = x.shape[0]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)
        dy = (y - t) / batch_num
        grads["W2"] = np.dot(z1.T, dy)
        grads["b2"] = np.sum(dy, axis=0)
        da1 = np.dot(dy, W2.T)
        dz1 = sigmoid_grad(a1) * da1
        grads["W1"] = np.dot(x.T, dz1)
        grads["b1"] = np.sum(dz1, axis=0)
        return grads


def check_against(reference_path, losses, train_acc, test_acc):
    with open(reference_path) as f:
        ref = json.load(f)
    ref_losses = np.array(ref["loss"], dtype=np.float64)
    got = np.array(losses, dtype=np.float64)
    if got.shape != ref_losses.shape:
        sys.exit(f"book_numpy: check failed: {got.size} losses, reference has {ref_losses.size}")
    rel = np.max(np.abs(got - ref_losses) / np.abs(ref_losses))
    identical = int(np.sum(got == ref_losses))
    acc_ok = train_acc == ref["train_acc"] and test_acc == ref["test_acc"]
    print(f"CHECK losses bit-identical {identical}/{ref_losses.size}, max relative difference "
          f"{rel:.3g}, accuracies {'identical' if acc_ok else 'DIFFER'}", flush=True)
    if rel > 1e-12 or not acc_ok:
        sys.exit("book_numpy: check failed against " + reference_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--iterations", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", metavar="REF.json")
    args = ap.parse_args()
    dtype = np.dtype(args.dtype)

    train_img, train_label, test_img, test_label = mnist_idx.load_uint8()
    x_train, x_test = mnist_idx.normalized(train_img), mnist_idx.normalized(test_img)
    t_train, t_test = mnist_idx.one_hot(train_label, dtype), mnist_idx.one_hot(test_label, dtype)

    start = time.perf_counter()
    np.random.seed(args.seed)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=dtype)
    train_size = x_train.shape[0]
    batch_size = 100
    learning_rate = 0.1
    train_loss_list, train_acc_list, test_acc_list = [], [], []
    iter_per_epoch = max(train_size / batch_size, 1)

    for i in range(args.iterations):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]
        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)
        if i % iter_per_epoch == 0:
            train_acc_list.append(network.accuracy(x_train, t_train))
            test_acc_list.append(network.accuracy(x_test, t_test))
    seconds = time.perf_counter() - start

    mnist_idx.report("book_numpy_" + args.dtype, train_acc_list[-1], test_acc_list[-1], seconds,
                     train_loss_list[-1])
    if args.check:
        check_against(args.check, train_loss_list, train_acc_list, test_acc_list)


if __name__ == "__main__":
    main()
