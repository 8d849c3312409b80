"""Golden vectors for BatchNorm2d: training mode (with the running-stat update and the saved
batch statistics) and eval mode, forward and backward."""
import torch
import torch.nn as nn


def batchnorm2d():
    eps, momentum = 1e-5, 0.1
    C = 3
    x = (torch.randn(4, C, 5, 7) * 2.0 + 0.5).requires_grad_(True)
    bn = nn.BatchNorm2d(C, eps=eps, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(C) + 0.5)
        bn.bias.copy_(torch.randn(C))
        bn.running_mean.copy_(torch.randn(C))
        bn.running_var.copy_(torch.rand(C) + 0.5)
    gamma, beta = bn.weight.detach().clone(), bn.bias.detach().clone()
    running_mean0, running_var0 = bn.running_mean.clone(), bn.running_var.clone()
    dy = torch.randn_like(x)

    # The batch statistics the backward uses, as PyTorch saves them.
    _, saved_mean, saved_invstd = torch.native_batch_norm(
        x.detach(), gamma, beta, running_mean0.clone(), running_var0.clone(), True, momentum, eps)

    bn.train()
    y = bn(x)
    y.backward(dy)
    tensors = {"x": x, "dy": dy, "gamma": gamma, "beta": beta,
               "running_mean_before": running_mean0, "running_var_before": running_var0,
               "y_train": y, "running_mean_after": bn.running_mean, "running_var_after": bn.running_var,
               "saved_mean": saved_mean, "saved_invstd": saved_invstd,
               "dx_train": x.grad.clone(), "dgamma_train": bn.weight.grad.clone(), "dbeta_train": bn.bias.grad.clone()}

    # Eval mode uses the running stats just updated.
    x.grad, bn.weight.grad, bn.bias.grad = None, None, None
    bn.eval()
    y = bn(x)
    y.backward(dy)
    tensors.update({"y_eval": y, "dx_eval": x.grad, "dgamma_eval": bn.weight.grad, "dbeta_eval": bn.bias.grad})
    return {"eps": eps, "momentum": momentum}, tensors


GENERATORS = {"batchnorm2d": batchnorm2d}
