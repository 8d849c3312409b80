#!/usr/bin/python3
"""Writes PyTorch golden vectors for every op to tests/golden/NAME.json.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/golden/make_golden.py [NAME...]
Generators live in tools/golden/ops/*.py, each module exporting GENERATORS = {name: function};
a function returns (params, {tensor name: torch tensor}). The tests read the JSON files and
never need PyTorch. Every tensor is written 4-D (N, C, H, W): a per-channel vector of length C
as (1, C, 1, 1), a scalar as (1, 1, 1, 1), a 3-D (N, H, W) tensor as (N, 1, H, W), integer
targets as exact floats.
"""
import importlib
import json
import os
import pkgutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "golden")
sys.path.insert(0, HERE)


def generators():
    found = {}
    for mod in pkgutil.iter_modules([os.path.join(HERE, "ops")]):
        found.update(importlib.import_module("ops." + mod.name).GENERATORS)
    return found


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
    gens = generators()
    for name in names or sorted(gens):
        torch.manual_seed(0)
        params, tensors = gens[name]()
        doc = {"op": name, "torch": torch.__version__, "params": params,
               "tensors": {k: as4d(v) for k, v in tensors.items()}}
        path = os.path.join(OUT, name + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        os.replace(path + ".tmp", path)
        print(f"wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main(sys.argv[1:])
