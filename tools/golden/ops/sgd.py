"""Golden vectors for torch.optim.SGD (1.13 semantics): a conv weight and a bias, five steps from
given parameters with given gradients per step, in several configurations (params["configs"]:
momentum, dampening, nesterov, weight decay). Tensors: CFG_p0, CFG_b0 (start), CFG_gK / CFG_gbK
(gradients of step K) and CFG_pK / CFG_bK (parameters after step K)."""
import torch

STEPS = 5
LR = 0.05
CONFIGS = {
    "plain": dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0),
    "wd": dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.1),
    "momentum": dict(momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0),
    "dampening_wd": dict(momentum=0.8, dampening=0.3, nesterov=False, weight_decay=0.05),
    "nesterov": dict(momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0),
    "nesterov_wd": dict(momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.1),
}


def run(prefix, config, weight0, bias0, grads):
    weight = weight0.clone().requires_grad_(True)
    bias = bias0.clone().requires_grad_(True)
    opt = torch.optim.SGD([weight, bias], lr=LR, **config)
    out = {f"{prefix}_p0": weight0, f"{prefix}_b0": bias0}
    for k, (gw, gb) in enumerate(grads, start=1):
        weight.grad = gw.clone()
        bias.grad = gb.clone()
        opt.step()
        out.update({f"{prefix}_g{k}": gw, f"{prefix}_gb{k}": gb,
                    f"{prefix}_p{k}": weight.detach().clone(), f"{prefix}_b{k}": bias.detach().clone()})
    return out


def sgd():
    weight0 = torch.randn(4, 3, 3, 3)
    bias0 = torch.randn(4)
    # Gradients of different sizes and signs, so the momentum's history matters.
    grads = [(torch.randn(4, 3, 3, 3) * 10 ** (k % 3 - 1), torch.randn(4)) for k in range(STEPS)]
    tensors = {}
    for prefix, config in CONFIGS.items():
        tensors.update(run(prefix, config, weight0, bias0, grads))
    return {"lr": LR, "steps": STEPS, "configs": CONFIGS}, tensors


GENERATORS = {"sgd": sgd}
