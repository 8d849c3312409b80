#!/usr/bin/python3
"""Writes PyTorch golden vectors for every op to tests/golden/NAME.json.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/golden/make_golden.py [NAME...]
The tests read the JSON files and never need PyTorch. Each file holds small inputs, parameters,
outputs and gradients; every tensor is written 4-D (N, C, H, W): a per-channel vector of length C
as (1, C, 1, 1), a scalar as (1, 1, 1, 1), integer targets as exact floats.
"""
import json
import os
import sys

import torch

import golden_ops

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden")


def as4d(t):
    t = t.detach().to(torch.float32)
    if t.dim() == 0:
        t = t.reshape(1, 1, 1, 1)
    elif t.dim() == 1:
        t = t.reshape(1, -1, 1, 1)
    elif t.dim() == 3:
        t = t.unsqueeze(1)
    assert t.dim() == 4, t.shape
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def main(names):
    os.makedirs(OUT, exist_ok=True)
    generators = golden_ops.GENERATORS
    for name in names or sorted(generators):
        torch.manual_seed(0)
        params, tensors = generators[name]()
        doc = {"op": name, "torch": torch.__version__, "params": params,
               "tensors": {k: as4d(v) for k, v in tensors.items()}}
        path = os.path.join(OUT, name + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        os.replace(path + ".tmp", path)
        print(f"wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main(sys.argv[1:])
