#!/usr/bin/python3
"""PyTorch's side of tools/bench/compare.sh: the same CSC321 model, batch and shapes as
`vkcolor bench models`, on the CPU, timed the same way (images per second over timed steps after
warm-up steps). Prints one JSON object.

    /usr/bin/python3 tools/bench/torch_bench.py --model unet --threads 2 --steps 5

Measures: one training step at batch 100 of 32x32 (forward, 24-class cross-entropy, backward,
Adam step), and inference (no_grad, eval mode) at 100x32x32, 1x256x256 and 1x512x512.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch"))
import colourizers  # noqa: E402


def per_second(fn, images, steps, warmup=2):
    for _ in range(warmup):
        fn()
    start = time.perf_counter()
    for _ in range(steps):
        fn()
    return images * steps / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="unet", choices=["regression", "cnn", "unet"])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = colourizers.build(a.model)
    out = {"framework": "pytorch", "version": torch.__version__, "threads": a.threads, "model": a.model}

    x = torch.rand(a.batch, 1, 32, 32)
    if a.model == "regression":
        target, loss_fn = torch.rand(a.batch, 3, 32, 32), nn.MSELoss()
    else:
        target, loss_fn = torch.randint(0, 24, (a.batch, 32, 32)), nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    model.train()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    out["train_100x32"] = per_second(step, a.batch, a.steps)
    model.eval()
    with torch.no_grad():
        for name, n, size in [("infer_100x32", a.batch, 32), ("infer_1x256", 1, 256), ("infer_1x512", 1, 512)]:
            xi = torch.rand(n, 1, size, size)
            out[name] = per_second(lambda: model(xi), n, a.steps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
