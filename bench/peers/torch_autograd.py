#!/usr/bin/python3
"""The chapter-4 workload the idiomatic PyTorch way: nn.Linear + nn.Sigmoid, F.cross_entropy,
autograd and optim.SGD(lr 0.1), float32, the loss recomputed after each update as the book logs
it. Same init, batches and evaluation schedule as bench/peers/book_numpy.py."""
import torch
import torch.nn.functional as F
from torch import nn

import torch_workload


def make_model(w1, w2):
    model = nn.Sequential(nn.Linear(784, 50), nn.Sigmoid(), nn.Linear(50, 10))
    with torch.no_grad():
        model[0].weight.copy_(w1.T)
        model[0].bias.zero_()
        model[2].weight.copy_(w2.T)
        model[2].bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def step(x, t):
        optimizer.zero_grad()
        F.cross_entropy(model(x), t).backward()
        optimizer.step()
        with torch.no_grad():
            return F.cross_entropy(model(x), t)

    return step, model


if __name__ == "__main__":
    args = torch_workload.parse_args(__doc__.split("\n")[0])
    torch_workload.run("torch_autograd", args, make_model)
