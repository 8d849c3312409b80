"""Golden vectors for nn.Upsample(scale_factor=2, mode='nearest')."""
import torch
import torch.nn as nn


def upsample_nearest2d():
    x = torch.randn(2, 3, 5, 7, requires_grad=True)
    y = nn.Upsample(scale_factor=2, mode="nearest")(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"scale_factor": 2}, {"x": x, "y": y, "dy": dy, "dx": x.grad}


GENERATORS = {"upsample_nearest2d": upsample_nearest2d}
