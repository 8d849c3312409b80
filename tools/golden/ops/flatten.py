"""Golden vectors for torch.flatten(x, 1) (nn.Flatten): the values in their order under the new
shape, and the gradient reshaped back. y and dy are (N, C*H*W), written as (N, C*H*W, 1, 1)."""
import torch


def flatten():
    x = torch.randn(2, 3, 4, 5, requires_grad=True)
    y = torch.flatten(x, 1)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {}, {"x": x, "y": y.reshape(2, -1, 1, 1), "dy": dy.reshape(2, -1, 1, 1), "dx": x.grad}


GENERATORS = {"flatten": flatten}
