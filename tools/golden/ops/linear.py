"""Golden vectors for nn.Linear: forward and every gradient. 2-D tensors are written as
(N, F, 1, 1), vkcolor's layout for features: x (N, in), y (N, out), w (out, in)."""
import torch
import torch.nn.functional as F


def _as_features(t):
    return t.reshape(t.shape[0], t.shape[1], 1, 1)


def _linear(n, fin, fout, bias):
    x = torch.randn(n, fin, requires_grad=True)
    weight = (torch.randn(fout, fin) * 0.3).requires_grad_(True)
    b = torch.randn(fout, requires_grad=True) if bias else None
    y = F.linear(x, weight, b)
    dy = torch.randn_like(y)
    y.backward(dy)
    params = {"in_features": fin, "out_features": fout, "bias": bias}
    tensors = {"x": _as_features(x), "w": _as_features(weight), "y": _as_features(y), "dy": _as_features(dy),
               "dx": _as_features(x.grad), "dw": _as_features(weight.grad)}
    if bias:
        tensors.update({"b": b, "db": b.grad})
    return params, tensors


GENERATORS = {
    "linear": lambda: _linear(5, 7, 4, True),
    "linear_nobias_n1": lambda: _linear(1, 24, 3, False),
}
