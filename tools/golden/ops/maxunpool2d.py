"""Golden vectors for MaxUnpool2d(kernel_size=2, stride=2) with the indices of a MaxPool2d."""
import torch
import torch.nn.functional as F


def maxunpool2d():
    pool_input = torch.randn(2, 3, 5, 7)   # odd H and W: the last row and column stay zero
    pool_input[0, 0, 0:2, 0:2] = 0.5       # a tie: the pool picks the top-left
    _, indices = F.max_pool2d(pool_input, kernel_size=2, stride=2, return_indices=True)
    x = torch.randn(2, 3, 2, 3, requires_grad=True)
    y = F.max_unpool2d(x, indices, kernel_size=2, stride=2, output_size=(5, 7))
    dy = torch.randn_like(y)
    y.backward(dy)
    return ({"kernel_size": 2, "stride": 2, "output_size": [5, 7]},
            {"indices": indices, "x": x, "y": y, "dy": dy, "dx": x.grad})


GENERATORS = {"maxunpool2d": maxunpool2d}
