"""Golden vectors for MaxPool2d(kernel_size=2, stride=2) with return_indices."""
import torch
import torch.nn.functional as F


def maxpool2d():
    x = torch.randn(2, 3, 5, 7)         # odd H and W: the last row and column are dropped
    # Explicit ties: PyTorch keeps the first maximum in row-by-row scan order.
    x[0, 0, 0:2, 0:2] = 0.5             # all four equal: the top-left wins
    x[0, 1, 0:2, 2:4] = torch.tensor([[0.1, 0.7], [0.7, 0.7]])   # top-right wins
    x[1, 2, 2:4, 4:6] = torch.tensor([[-0.3, -0.2], [0.9, 0.9]])  # bottom-left wins
    x.requires_grad_(True)
    y, indices = F.max_pool2d(x, kernel_size=2, stride=2, return_indices=True)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"kernel_size": 2, "stride": 2}, {"x": x, "y": y, "indices": indices, "dy": dy, "dx": x.grad}


GENERATORS = {"maxpool2d": maxpool2d}
