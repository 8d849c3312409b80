#!/usr/bin/python3
"""PyTorch's side of tools/bench/compare.sh: the same CSC321 model, batch and shapes as
`vkcolor bench models`, on the CPU, timed the same way (images per second over timed steps after
warm-up steps). Prints one JSON object.

    /usr/bin/python3 tools/bench/torch_bench.py --model unet --threads 2 --steps 5

Measures: one training step at batch 100 of 32x32 (forward, 24-class cross-entropy, backward,
Adam step), and inference (no_grad, eval mode) at 100x32x32, 1x256x256 and 1x512x512.
With --device cuda (PyTorch built for CUDA or ROCm) the same on the GPU, synchronised before
each clock reading; --cuda-graphs replays each step as one captured CUDA graph (the training step
with a capturable Adam), PyTorch's way of taking the launch overhead out.
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


def sync(device):
    if device == "cuda":
        torch.cuda.synchronize()


def per_second(fn, images, steps, device, warmup=2):
    for _ in range(warmup):
        fn()
    sync(device)
    start = time.perf_counter()
    for _ in range(steps):
        fn()
    sync(device)
    return images * steps / (time.perf_counter() - start)


def as_graph(fn, device):
    """fn captured as one CUDA graph after warm-up on a side stream (PyTorch's recipe); returns
    a function that replays it. Inputs and outputs stay in the tensors fn captured."""
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    sync(device)
    return graph.replay


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="unet", choices=["regression", "cnn", "unet"])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="cuda: also ROCm builds of PyTorch")
    ap.add_argument("--cuda-graphs", action="store_true", help="replay each step as a captured CUDA graph")
    a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_bench: this PyTorch has no CUDA or ROCm device")
    if a.cuda_graphs and a.device != "cuda":
        sys.exit("torch_bench: --cuda-graphs needs --device cuda")
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    model = colourizers.build(a.model).to(dev)
    out = {"framework": "pytorch", "version": torch.__version__, "threads": a.threads, "model": a.model,
           "device": torch.cuda.get_device_name(0) if a.device == "cuda" else "cpu", "cuda_graphs": a.cuda_graphs}

    x = torch.rand(a.batch, 1, 32, 32, device=dev)
    if a.model == "regression":
        target, loss_fn = torch.rand(a.batch, 3, 32, 32, device=dev), nn.MSELoss()
    else:
        target, loss_fn = torch.randint(0, 24, (a.batch, 32, 32), device=dev), nn.CrossEntropyLoss()
    # A captured step must not allocate or sync: Adam's step count then lives on the device.
    opt = torch.optim.Adam(model.parameters(), lr=0.001, capturable=a.cuda_graphs)
    model.train()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    out["train_100x32"] = per_second(as_graph(step, a.device) if a.cuda_graphs else step, a.batch, a.steps, a.device)
    model.eval()
    with torch.no_grad():
        for name, n, size in [("infer_100x32", a.batch, 32), ("infer_1x256", 1, 256), ("infer_1x512", 1, 512)]:
            xi = torch.rand(n, 1, size, size, device=dev)
            fn = lambda: model(xi)  # noqa: E731
            out[name] = per_second(as_graph(fn, a.device) if a.cuda_graphs else fn, n, a.steps, a.device)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
