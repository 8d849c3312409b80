"""Golden vectors for AvgPool2d(kernel_size=2, stride=2) (floor mode)."""
import torch
import torch.nn.functional as F


def avgpool2d():
    x = torch.randn(2, 3, 5, 7, requires_grad=True)   # odd H and W: the last row and column are dropped
    y = F.avg_pool2d(x, kernel_size=2, stride=2)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"kernel_size": 2, "stride": 2}, {"x": x, "y": y, "dy": dy, "dx": x.grad}


GENERATORS = {"avgpool2d": avgpool2d}
