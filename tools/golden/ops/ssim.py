"""Golden values for the image-quality metrics (vkcolor/metrics/image_quality.hpp): SSIM per
channel and overall, and PSNR, of image pairs on [0, 1).

An independent implementation in PyTorch, in float64: the 11 x 11 Gaussian window (sigma 1.5) as
one 2-D kernel (vkcolor filters separably), a depthwise F.conv2d with no padding ('valid'
positions, as Wang's ssim.m and pytorch_msssim with win_size 11), K1 = 0.01, K2 = 0.03, L = 1.
"""
import math

import torch
import torch.nn.functional as F

WINDOW, SIGMA, K1, K2, L = 11, 1.5, 0.01, 0.03, 1.0


def window_2d(channels):
    coords = torch.arange(WINDOW, dtype=torch.float64) - WINDOW // 2
    g = torch.exp(-(coords ** 2) / (2 * SIGMA ** 2))
    g = g / g.sum()
    w = torch.outer(g, g)
    return w.expand(channels, 1, WINDOW, WINDOW).contiguous()


def ssim_per_channel(x, y):
    """(N, C) SSIM of float64 images (N, C, H, W)."""
    c = x.shape[1]
    w = window_2d(c)

    def mean(t):
        return F.conv2d(t, w, groups=c)

    mu_x, mu_y = mean(x), mean(y)
    sigma_xx = mean(x * x) - mu_x ** 2
    sigma_yy = mean(y * y) - mu_y ** 2
    sigma_xy = mean(x * y) - mu_x * mu_y
    c1, c2 = (K1 * L) ** 2, (K2 * L) ** 2
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * sigma_xy + c2)) / ((mu_x ** 2 + mu_y ** 2 + c1) * (sigma_xx + sigma_yy + c2))
    return ssim_map.flatten(2).mean(-1)


def case(x, y):
    """x, y float32 images; returns the golden tensors, the metrics computed in float64 from them."""
    x, y = x.clamp(0, 255 / 256).float(), y.clamp(0, 255 / 256).float()
    per_channel = ssim_per_channel(x.double(), y.double())
    mse = ((x.double() - y.double()) ** 2).mean()
    return {"size": [x.shape[2], x.shape[3]]}, {
        "x": x, "y": y,
        "ssim_per_channel": per_channel.reshape(x.shape[0], x.shape[1], 1, 1),
        "ssim": per_channel.mean(),
        "psnr": torch.tensor(10 * math.log10(L * L / mse.item())),
    }


def smooth_field(n, c, h, w):
    """Random images with structure at several scales (what a photo has and noise lacks)."""
    coarse = F.interpolate(torch.rand(n, c, h // 8 + 1, w // 8 + 1), size=(h, w), mode="bilinear", align_corners=False)
    return 0.7 * coarse + 0.3 * torch.rand(n, c, h, w)


def ssim_noisy_3x32x40():
    # A structured image and a noisy, slightly darker copy: SSIM well inside (0, 1); not square.
    x = smooth_field(1, 3, 32, 40)
    return case(x, 0.95 * x + 0.08 * torch.randn(1, 3, 32, 40))


def ssim_random():
    # Independent uniform noise: SSIM near 0.
    return case(torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16))


def ssim_structured():
    # Edges, stripes, a disc, a ramp; against shifted, blurred, low-contrast and inverted versions.
    h = w = 24
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    ramp = xx / w
    stripes = 0.5 + 0.4 * torch.sin(xx * 0.8 + yy * 0.3)
    disc = ((xx - 11.5) ** 2 + (yy - 9) ** 2 < 36).float() * 0.8 + 0.1
    checker = ((xx.long() // 4 + yy.long() // 4) % 2).float() * 0.6 + 0.2
    a = torch.stack([torch.stack([ramp, stripes, disc]), torch.stack([checker, disc, ramp]),
                     torch.stack([stripes, checker, 1 - ramp]), torch.stack([disc, ramp, checker])])
    shifted = torch.roll(a[0], shifts=1, dims=2)
    blurred = F.avg_pool2d(F.pad(a[1:2], (1, 1, 1, 1), mode="replicate"), 3, stride=1)[0]
    low_contrast = a[2].mean() + 0.3 * (a[2] - a[2].mean())
    inverted = 1 - a[3]
    return case(a, torch.stack([shifted, blurred, low_contrast, inverted]))


def ssim_small_1x11x13():
    # The smallest image SSIM takes (one valid row of windows), one channel.
    x = torch.rand(1, 1, 11, 13)
    return case(x, 0.5 * x + 0.25 + 0.05 * torch.randn(1, 1, 11, 13))


GENERATORS = {
    "ssim_noisy_3x32x40": ssim_noisy_3x32x40,
    "ssim_random": ssim_random,
    "ssim_structured": ssim_structured,
    "ssim_small_1x11x13": ssim_small_1x11x13,
}
