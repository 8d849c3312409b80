"""Golden vectors for dropout.

PyTorch's masks come from its own RNG and cannot be matched, so the mask here is vkcolor's own:
dropout_hash of include/vkcolor/layers/dropout.hpp, re-implemented below in Python integers.
The golden file therefore checks (1) the hash, bit for bit, against an independent
implementation, and (2) the formula y = x * mask / (1 - p) and its gradient, computed by torch
autograd the way F.dropout computes them (mask.div(1 - p), then x times that).
"""
import torch

M32 = 0xFFFFFFFF


def _mix(h):
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return h


def _hash(seed, step, index):
    key = _mix(_mix(seed ^ 0x9E3779B9) ^ step)
    return _mix((_mix(index ^ key) + key) & M32)


def dropout():
    p, seed, step = 0.25, 5, 123456   # p exact in binary: 1 / (1 - p) and the threshold too
    x = torch.randn(2, 3, 5, 7, requires_grad=True)
    threshold = round(p * 2**32)
    keep = [1.0 if _hash(seed, step, i) >= threshold else 0.0 for i in range(x.numel())]
    mask = torch.tensor(keep).reshape(x.shape)
    y = x * mask.div(1 - p)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"p": p, "seed": seed, "step": step}, {"x": x, "mask": mask, "y": y, "dy": dy, "dx": x.grad}


GENERATORS = {"dropout": dropout}
