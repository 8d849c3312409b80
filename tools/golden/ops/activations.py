"""Golden vectors for LeakyReLU, Sigmoid and Tanh."""
import torch
import torch.nn.functional as F


def _run(f, x):
    x.requires_grad_(True)
    y = f(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"x": x, "y": y, "dy": dy, "dx": x.grad}


def leaky_relu():
    slope = 0.2
    x = torch.randn(2, 3, 5, 7)
    x[0, 0, 0, :3] = 0.0           # exact zeros: PyTorch's gradient there is the slope
    return {"negative_slope": slope}, _run(lambda t: F.leaky_relu(t, slope), x)


def _wide_input():
    x = torch.randn(2, 3, 5, 7) * 3
    x[0, 0, 0, :3] = 0.0
    x[1, 2, 4, :6] = torch.tensor([-100.0, -30.0, -12.0, 12.0, 30.0, 100.0])   # saturation
    x[1, 2, 3, :4] = torch.tensor([1e-3, -1e-3, 0.05, -0.07])                   # near 0
    return x


def sigmoid():
    return {}, _run(torch.sigmoid, _wide_input())


def tanh():
    return {}, _run(torch.tanh, _wide_input())


GENERATORS = {"leaky_relu": leaky_relu, "sigmoid": sigmoid, "tanh": tanh}
