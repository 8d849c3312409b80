"""Golden vectors for y = a + b and y = a * b with b broadcast against a (N, C, H, W): b of the
same shape ("same"), (N, 1, H, W) ("channels": shared by every channel) or (1, C, 1, 1)
("per_channel"). Tensors KIND_a, KIND_b, KIND_y, KIND_dy, KIND_da, KIND_db for each kind."""
import torch

SHAPES = {"same": (2, 3, 4, 5), "channels": (2, 1, 4, 5), "per_channel": (1, 3, 1, 1)}


def _run(op):
    tensors = {}
    for kind, b_shape in SHAPES.items():
        a = torch.randn(2, 3, 4, 5, requires_grad=True)
        b = torch.randn(*b_shape, requires_grad=True)
        y = op(a, b)
        dy = torch.randn_like(y)
        y.backward(dy)
        tensors.update({f"{kind}_a": a, f"{kind}_b": b, f"{kind}_y": y, f"{kind}_dy": dy,
                        f"{kind}_da": a.grad, f"{kind}_db": b.grad})
    return {"kinds": list(SHAPES)}, tensors


GENERATORS = {
    "add_broadcast": lambda: _run(torch.add),
    "mul_broadcast": lambda: _run(torch.mul),
}
