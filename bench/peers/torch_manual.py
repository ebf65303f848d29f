#!/usr/bin/python3
"""The chapter-4 workload in PyTorch float32 with the book's hand-written forward and backward
(ch04/two_layer_net.py's gradient), no autograd: sigmoid/softmax, dy = (y - t)/N, SGD lr 0.1,
the loss log(y[t] + 1e-7) recomputed after each update. Same init, batches and evaluation
schedule as bench/peers/book_numpy.py."""
import torch

import torch_workload


def make_model(w1, w2):
    W1, b1 = w1.contiguous(), torch.zeros(50)
    W2, b2 = w2.contiguous(), torch.zeros(10)

    def predict(x):
        z1 = torch.sigmoid(torch.addmm(b1, x, W1))
        return torch.softmax(torch.addmm(b2, z1, W2), dim=1)

    @torch.no_grad()
    def step(x, t):
        n = x.shape[0]
        z1 = torch.sigmoid(torch.addmm(b1, x, W1))
        y = torch.softmax(torch.addmm(b2, z1, W2), dim=1)
        dy = y
        dy[torch.arange(n), t] -= 1
        dy /= n
        gW2 = z1.T @ dy
        gb2 = dy.sum(dim=0)
        da1 = (dy @ W2.T).mul_((1 - z1) * z1)
        gW1 = x.T @ da1
        gb1 = da1.sum(dim=0)
        for p, g in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
            p.sub_(0.1 * g)
        y_after = predict(x)
        return -torch.log(y_after[torch.arange(n), t] + 1e-7).mean()

    return step, predict


if __name__ == "__main__":
    args = torch_workload.parse_args(__doc__.split("\n")[0])
    torch_workload.run("torch_manual", args, make_model)
