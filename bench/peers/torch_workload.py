"""The chapter-4 workload driver shared by the PyTorch peers: arguments, data, the book's
initialisation and batch stream (numpy's legacy RNG, so every peer sees the same batches), the
evaluation schedule and the result line. A peer supplies only its model."""
import argparse
import time

import numpy as np
import torch

import mnist_idx


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1); OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are read at import, so the caller sets them too")
    ap.add_argument("--iterations", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.threads < 1:
        ap.error(f"--threads must be >= 1, got {args.threads}")
    torch.set_num_threads(args.threads)
    return args


def initial_weights():
    """The book's TwoLayerNet init from the already seeded numpy RNG, as float32 tensors
    W1 (784,50), W2 (50,10)."""
    w1 = 0.01 * np.random.randn(784, 50)
    w2 = 0.01 * np.random.randn(50, 10)
    return (torch.from_numpy(w1.astype(np.float32)), torch.from_numpy(w2.astype(np.float32)))


def accuracy(predict, x, t):
    return (predict(x).argmax(dim=1) == t).sum().item() / x.shape[0]


def run(name, args, make_model):
    """make_model(W1, W2) -> (step(x, t) -> loss after the update, predict(x) -> scores)."""
    train_img, train_label, test_img, test_label = mnist_idx.load_uint8()
    x_train = torch.from_numpy(mnist_idx.normalized(train_img))
    x_test = torch.from_numpy(mnist_idx.normalized(test_img))
    t_train = torch.from_numpy(train_label.astype(np.int64))
    t_test = torch.from_numpy(test_label.astype(np.int64))

    start = time.perf_counter()
    np.random.seed(args.seed)
    step, predict = make_model(*initial_weights())
    train_size, batch_size = x_train.shape[0], 100
    iter_per_epoch = max(train_size / batch_size, 1)
    train_acc = test_acc = loss = float("nan")
    for i in range(args.iterations):
        batch_mask = torch.from_numpy(np.random.choice(train_size, batch_size))
        loss = step(x_train[batch_mask], t_train[batch_mask])
        if i % iter_per_epoch == 0:
            with torch.no_grad():
                train_acc = accuracy(predict, x_train, t_train)
                test_acc = accuracy(predict, x_test, t_test)
    seconds = time.perf_counter() - start
    mnist_idx.report(f"{name}_t{args.threads}", train_acc, test_acc, seconds, float(loss))
