"""Golden vectors for ReLU."""
import torch
import torch.nn.functional as F


def relu():
    x = torch.randn(2, 3, 5, 7)
    x[0, 0, 0, :3] = 0.0           # exact zeros: the gradient there is 0 in PyTorch
    x.requires_grad_(True)
    y = F.relu(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {}, {"x": x, "y": y, "dy": dy, "dx": x.grad}


GENERATORS = {"relu": relu}
