"""Golden vectors for the L1 loss (nn.L1Loss(), mean over all elements)."""
import torch
import torch.nn.functional as F


def l1_loss():
    pred = torch.randn(2, 3, 5, 7)
    target = torch.randn(2, 3, 5, 7)
    target[0, 0, 0, :4] = pred[0, 0, 0, :4]   # ties: PyTorch's sign(0) = 0, so no gradient there
    pred.requires_grad_(True)
    loss = F.l1_loss(pred, target)
    loss.backward()
    return {}, {"pred": pred, "target": target, "loss": loss, "dpred": pred.grad}


GENERATORS = {"l1_loss": l1_loss}
