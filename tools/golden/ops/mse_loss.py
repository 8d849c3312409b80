"""Golden vectors for the MSE loss (nn.MSELoss(), mean over all elements)."""
import torch
import torch.nn.functional as F


def mse_loss():
    pred = torch.randn(2, 3, 5, 7, requires_grad=True)
    target = torch.randn(2, 3, 5, 7)
    loss = F.mse_loss(pred, target)
    loss.backward()
    return {}, {"pred": pred, "target": target, "loss": loss, "dpred": pred.grad}


GENERATORS = {"mse_loss": mse_loss}
