"""Golden vectors for ConvTranspose2d (nn.ConvTranspose2d, groups=1): forward and every gradient."""
import torch
import torch.nn.functional as F


def _conv_transpose(n, cin, cout, h, w, kernel, stride, padding, output_padding, bias):
    x = torch.randn(n, cin, h, w, requires_grad=True)
    weight = (torch.randn(cin, cout, kernel, kernel) * 0.3).requires_grad_(True)
    b = torch.randn(cout, requires_grad=True) if bias else None
    y = F.conv_transpose2d(x, weight, b, stride=stride, padding=padding, output_padding=output_padding)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"in_channels": cin, "out_channels": cout, "kernel": kernel, "stride": stride,
              "padding": padding, "output_padding": output_padding, "bias": bias}
    tensors = {"x": x, "w": weight, "y": y, "dy": dy, "dx": x.grad, "dw": weight.grad}
    if bias:
        tensors.update({"b": b, "db": b.grad})
    return params, tensors


GENERATORS = {
    "conv_transpose2d_k2_s2": lambda: _conv_transpose(2, 3, 4, 5, 7, 2, 2, 0, 0, True),
    "conv_transpose2d_k3_s2_p1_op1": lambda: _conv_transpose(2, 4, 3, 5, 6, 3, 2, 1, 1, True),
    "conv_transpose2d_k3_s2_nobias": lambda: _conv_transpose(1, 2, 5, 4, 5, 3, 2, 0, 0, False),
}
