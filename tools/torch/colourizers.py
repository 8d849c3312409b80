"""The CSC321 colourizers in PyTorch, written from the assignment's description, for side-by-side
comparisons with vkcolor (same architecture, same state_dict names).

Blocks: Conv -> BN -> ReLU -> MaxPool2 going down, Conv -> BN -> ReLU -> Upsample x2 going up,
a bare final conv. NF filters, kernel k, padding k // 2.
"""
import torch
import torch.nn as nn


def down(cin, cout, k, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=dilation * (k // 2), dilation=dilation),
                         nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))


def mid(cin, cout, k, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=dilation * (k // 2), dilation=dilation),
                         nn.BatchNorm2d(cout), nn.ReLU())


def up(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2),
                         nn.BatchNorm2d(cout), nn.ReLU(), nn.Upsample(scale_factor=2))


class RegressionCNN(nn.Module):
    def __init__(self, k=3, nf=32, colours=3, cin=1):
        super().__init__()
        self.downconv1 = down(cin, nf, k)
        self.downconv2 = down(nf, 2 * nf, k)
        self.rfconv = mid(2 * nf, 2 * nf, k)
        self.upconv1 = up(2 * nf, nf, k)
        self.upconv2 = up(nf, colours, k)
        self.finalconv = nn.Conv2d(colours, colours, k, padding=k // 2)

    def forward(self, x):
        h = self.rfconv(self.downconv2(self.downconv1(x)))
        return self.finalconv(self.upconv2(self.upconv1(h)))


class CNN(RegressionCNN):
    def __init__(self, k=3, nf=32, colours=24, cin=1):
        super().__init__(k, nf, colours, cin)


class UNet(nn.Module):
    def __init__(self, k=3, nf=32, colours=24, cin=1, dilation=1):
        super().__init__()
        self.downconv1 = down(cin, nf, k)
        self.downconv2 = down(nf, 2 * nf, k)
        self.rfconv = mid(2 * nf, 2 * nf, k, dilation)
        self.upconv1 = up(4 * nf, nf, k)
        self.upconv2 = up(2 * nf, colours, k)
        self.finalconv = nn.Conv2d(colours + cin, colours, k, padding=k // 2)

    def forward(self, x):
        out1 = self.downconv1(x)
        out2 = self.downconv2(out1)
        out3 = self.rfconv(out2)
        out4 = self.upconv1(torch.cat((out3, out2), dim=1))
        out5 = self.upconv2(torch.cat((out4, out1), dim=1))
        return self.finalconv(torch.cat((out5, x), dim=1))


def build(name, k=3, nf=32, colours=24, dilation=2):
    if name == "regression":
        return RegressionCNN(k, nf, 3)
    if name == "cnn":
        return CNN(k, nf, colours)
    if name == "unet":
        return UNet(k, nf, colours)
    if name == "dunet":
        return UNet(k, nf, colours, dilation=dilation)
    raise ValueError(name)


if __name__ == "__main__":
    for name in ["regression", "cnn", "unet"]:
        m = build(name)
        sd = m.state_dict()
        print(name, sum(p.numel() for p in m.parameters()), len(sd))
        for k, v in sd.items():
            print("  ", k, list(v.shape))
