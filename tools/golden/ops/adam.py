"""Golden vectors for torch.optim.Adam (1.13 semantics): two parameter tensors (a conv weight and
a bias), five steps from given parameters with given gradients per step, without and with weight
decay. Tensors: PREFIX_p0, PREFIX_b0 (start), PREFIX_gK / PREFIX_gbK (gradients of step K) and
PREFIX_pK / PREFIX_bK (parameters after step K), PREFIX in {plain, wd}."""
import torch

STEPS = 5
LR = 0.01


def run(prefix, weight_decay, weight0, bias0, grads):
    weight = weight0.clone().requires_grad_(True)
    bias = bias0.clone().requires_grad_(True)
    opt = torch.optim.Adam([weight, bias], lr=LR, weight_decay=weight_decay)
    out = {f"{prefix}_p0": weight0, f"{prefix}_b0": bias0}
    for k, (gw, gb) in enumerate(grads, start=1):
        weight.grad = gw.clone()
        bias.grad = gb.clone()
        opt.step()
        out.update({f"{prefix}_g{k}": gw, f"{prefix}_gb{k}": gb,
                    f"{prefix}_p{k}": weight.detach().clone(), f"{prefix}_b{k}": bias.detach().clone()})
    return out


def adam():
    weight0 = torch.randn(4, 3, 3, 3)
    bias0 = torch.randn(4)
    # Gradients of very different sizes, so the moments and bias corrections matter.
    grads = [(torch.randn(4, 3, 3, 3) * 10 ** (k % 3 - 1), torch.randn(4)) for k in range(STEPS)]
    tensors = run("plain", 0.0, weight0, bias0, grads)
    tensors.update(run("wd", 0.1, weight0, bias0, grads))
    params = {"lr": LR, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": {"plain": 0.0, "wd": 0.1},
              "steps": STEPS}
    return params, tensors


GENERATORS = {"adam": adam}
