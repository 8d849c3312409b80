"""Golden vectors for torch.cat((a, b), dim=1) with unequal channel counts."""
import torch


def concat():
    a = torch.randn(2, 3, 5, 7, requires_grad=True)
    b = torch.randn(2, 5, 5, 7, requires_grad=True)
    y = torch.cat((a, b), dim=1)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"dim": 1}, {"a": a, "b": b, "y": y, "dy": dy, "da": a.grad, "db": b.grad}


GENERATORS = {"concat": concat}
