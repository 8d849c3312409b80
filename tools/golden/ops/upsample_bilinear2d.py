"""Golden vectors for nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)."""
import torch
import torch.nn.functional as F


def upsample_bilinear2d():
    x = torch.randn(2, 3, 5, 7, requires_grad=True)
    y = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"scale_factor": 2, "align_corners": False}, {"x": x, "y": y, "dy": dy, "dx": x.grad}


def upsample_bilinear2d_thin():
    # One row and one column: both taps of that axis clamp to the same input.
    x = torch.randn(1, 2, 1, 4, requires_grad=True)
    y = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"scale_factor": 2, "align_corners": False}, {"x": x, "y": y, "dy": dy, "dx": x.grad}


GENERATORS = {"upsample_bilinear2d": upsample_bilinear2d, "upsample_bilinear2d_thin": upsample_bilinear2d_thin}
