"""Golden vectors for Conv2d (nn.Conv2d, groups=1): forward and every gradient."""
import torch
import torch.nn.functional as F


def _conv(n, cin, cout, h, w, kernel, stride, padding, dilation, bias):
    x = torch.randn(n, cin, h, w, requires_grad=True)
    weight = (torch.randn(cout, cin, kernel, kernel) * 0.3).requires_grad_(True)
    b = torch.randn(cout, requires_grad=True) if bias else None
    y = F.conv2d(x, weight, b, stride=stride, padding=padding, dilation=dilation)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"in_channels": cin, "out_channels": cout, "kernel": kernel, "stride": stride,
              "padding": padding, "dilation": dilation, "bias": bias}
    tensors = {"x": x, "w": weight, "y": y, "dy": dy, "dx": x.grad, "dw": weight.grad}
    if bias:
        tensors.update({"b": b, "db": b.grad})
    return params, tensors


GENERATORS = {
    "conv2d_k3_s1_p1": lambda: _conv(2, 3, 5, 7, 6, 3, 1, 1, 1, True),
    "conv2d_k3_s2_p1_nobias": lambda: _conv(2, 4, 3, 9, 8, 3, 2, 1, 1, False),
    "conv2d_k5_p2_d2": lambda: _conv(1, 2, 4, 11, 10, 5, 1, 2, 2, True),
}
