"""Golden vectors for the per-pixel softmax cross-entropy (nn.CrossEntropyLoss() on N x C x H x W
logits and N x H x W class targets, mean over pixels), torch.argmax over classes and the number of
pixels whose argmax is the target."""
import torch
import torch.nn.functional as F


def cross_entropy():
    n, c, h, w = 2, 24, 3, 5                 # the assignment's 24 colour classes
    logits = torch.randn(n, c, h, w) * 3
    # Ties: torch.argmax returns the first (lowest) index among equal maxima.
    logits[0, :, 0, 0] = 0.0                 # all classes tie: argmax 0
    logits[0, 7, 0, 1] = 20.0                # classes 7 and 12 tie for the maximum: argmax 7
    logits[0, 12, 0, 1] = 20.0
    logits[1, 3, 2, 4] = 25.0                # a very confident pixel (stability)
    logits[1, 23, 2, 4] = 25.0
    target = torch.randint(0, c, (n, h, w))
    target[0, 0, 1] = 7                      # tie pixel whose target is the first maximum: correct
    target[1, 2, 4] = 23                     # tie pixel whose target is the second maximum: wrong
    argmax = logits.argmax(dim=1)
    target[0, 1, :] = argmax[0, 1, :]        # some more correct pixels
    logits.requires_grad_(True)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    correct = (argmax == target).sum()
    return {}, {"logits": logits, "target": target, "loss": loss, "dlogits": logits.grad,
                "argmax": argmax, "correct": correct}


GENERATORS = {"cross_entropy": cross_entropy}
