"""Golden vectors for torch.optim.AdamW (1.13 semantics): a conv weight and a bias, five steps from
given parameters with given gradients per step, with PyTorch's default weight decay (0.01), a
large one (0.5) and none. Tensors: PREFIX_p0, PREFIX_b0 (start), PREFIX_gK / PREFIX_gbK
(gradients of step K) and PREFIX_pK / PREFIX_bK (parameters after step K)."""
import torch

STEPS = 5
LR = 0.01
DECAYS = {"default": None, "wd": 0.5, "nowd": 0.0}


def run(prefix, weight_decay, weight0, bias0, grads):
    weight = weight0.clone().requires_grad_(True)
    bias = bias0.clone().requires_grad_(True)
    kwargs = {} if weight_decay is None else {"weight_decay": weight_decay}
    opt = torch.optim.AdamW([weight, bias], lr=LR, **kwargs)
    out = {f"{prefix}_p0": weight0, f"{prefix}_b0": bias0}
    for k, (gw, gb) in enumerate(grads, start=1):
        weight.grad = gw.clone()
        bias.grad = gb.clone()
        opt.step()
        out.update({f"{prefix}_g{k}": gw, f"{prefix}_gb{k}": gb,
                    f"{prefix}_p{k}": weight.detach().clone(), f"{prefix}_b{k}": bias.detach().clone()})
    return out, opt.param_groups[0]["weight_decay"]


def adamw():
    weight0 = torch.randn(4, 3, 3, 3)
    bias0 = torch.randn(4)
    grads = [(torch.randn(4, 3, 3, 3) * 10 ** (k % 3 - 1), torch.randn(4)) for k in range(STEPS)]
    tensors, decays = {}, {}
    for prefix, wd in DECAYS.items():
        out, decays[prefix] = run(prefix, wd, weight0, bias0, grads)
        tensors.update(out)
    params = {"lr": LR, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": decays, "steps": STEPS}
    return params, tensors


GENERATORS = {"adamw": adamw}
