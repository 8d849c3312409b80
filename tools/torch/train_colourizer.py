#!/usr/bin/python3
"""Trains a CSC321 colourizer with PyTorch on the same data, preprocessing and order as
`vkcolor train`, for side-by-side comparisons of results and speed.

    /usr/bin/python3 tools/torch/train_colourizer.py --model unet --data ../shared/data/cifar10-horse \
        --epochs 25 --batch 100 --threads 2 [--train-images N --val-images N] [--json out.json]

Same as vkcolor: pixels / 256, grey = mean of R, G, B, colour class = nearest palette colour (ties
to the lowest index), one generator seeded with --seed shuffles the training set then the
validation set (Fisher-Yates over MT19937 with rejection sampling, as src/data/random.cpp), Adam
with PyTorch defaults, validation loss = mean of batch losses, accuracy over all pixels.
Initial weights differ (each framework draws its own), so compare curves, not bits.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import colourizers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def read_cifar(path, category):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % 3073:
        raise SystemExit(f"{path}: size is not a whole number of 3073-byte records")
    rec = raw.reshape(-1, 3073)
    labels, pixels = rec[:, 0], rec[:, 1:].reshape(-1, 3, 32, 32)
    if category is not None:
        pixels = pixels[labels == category]
    return pixels.astype(np.float32) / 256.0


def load(data, category):
    cat = None if category == "all" else (int(category) if category.isdigit() else CLASSES.index(category))
    train = [os.path.join(data, f"data_batch_{i}.bin") for i in range(1, 6)]
    train = np.concatenate([read_cifar(p, cat) for p in train if os.path.exists(p)])
    return train, read_cifar(os.path.join(data, "test_batch.bin"), cat)


class Mt:
    """Raw 32-bit MT19937 outputs seeded as std::mt19937(seed) (numpy's legacy seeding)."""

    def __init__(self, seed):
        self.bg = np.random.RandomState(seed)._bit_generator

    def next(self):
        return int(self.bg.random_raw())


def uniform_index(rng, n):
    limit = (1 << 32) - (1 << 32) % n
    while True:
        x = rng.next()
        if x < limit:
            return x % n


def fisher_yates(n, rng):
    order = list(range(n))
    for i in range(n, 1, -1):
        j = uniform_index(rng, i)
        order[i - 1], order[j] = order[j], order[i - 1]
    return np.array(order)


def load_palette(path):
    rows = [l.split() for l in open(path) if l.strip() and not l.startswith("#")]
    return np.array(rows, dtype=np.float32)


def classes_of(rgb, palette):
    d = ((rgb[:, None, :, :, :] - palette[None, :, :, None, None]) ** 2).sum(axis=2)   # N x K x H x W
    return d.argmin(axis=1)   # first minimum: ties to the lowest index


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="unet", choices=["regression", "cnn", "unet", "dunet"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--category", default="horse")
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-images", type=int, default=0)
    ap.add_argument("--val-images", type=int, default=0)
    ap.add_argument("--json", default="")
    ap.add_argument("--palette", default=os.path.join(HERE, "..", "..", "..", "shared", "data", "colour_kmeans24_cat7.txt"),
                    help="palette file (the assignment's 24 colours by default)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    train_rgb, val_rgb = load(a.data, a.category)
    if a.train_images:
        train_rgb = train_rgb[:a.train_images]
    if a.val_images:
        val_rgb = val_rgb[:a.val_images]
    rng = Mt(a.seed)
    train_rgb = train_rgb[fisher_yates(len(train_rgb), rng)]
    val_rgb = val_rgb[fisher_yates(len(val_rgb), rng)]
    palette = load_palette(a.palette)
    regression = a.model == "regression"

    def tensors(rgb):
        grey = torch.from_numpy(rgb.mean(axis=1, keepdims=True))
        target = torch.from_numpy(rgb) if regression else torch.from_numpy(classes_of(rgb, palette)).long()
        return grey, target

    xtr, ytr = tensors(train_rgb)
    xva, yva = tensors(val_rgb)
    model = colourizers.build(a.model, colours=len(palette))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    crit = nn.MSELoss() if regression else nn.CrossEntropyLoss()
    history = []
    start_all = time.time()
    for epoch in range(1, a.epochs + 1):
        t0 = time.time()
        model.train()
        losses = []
        for i in range(0, len(xtr), a.batch):
            opt.zero_grad()
            loss = crit(model(xtr[i:i + a.batch]), ytr[i:i + a.batch])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        train_s = time.time() - t0
        model.eval()
        vl, correct = [], 0
        with torch.no_grad():
            for i in range(0, len(xva), a.batch):
                out = model(xva[i:i + a.batch])
                vl.append(crit(out, yva[i:i + a.batch]).item())
                if not regression:
                    correct += (out.argmax(1) == yva[i:i + a.batch]).sum().item()
        acc = 100.0 * correct / (len(xva) * 32 * 32)
        m = {"epoch": epoch, "train_loss": float(np.mean(losses)), "val_loss": float(np.mean(vl)),
             "val_accuracy": acc, "time_s": time.time() - t0, "train_images_per_s": len(xtr) / train_s}
        history.append(m)
        print(f"Epoch [{epoch}/{a.epochs}], Loss: {m['train_loss']:.4f}, Val Loss: {m['val_loss']:.4f}, "
              f"Val Acc: {acc:.1f}%, Time (s): {m['time_s']:.1f}", flush=True)
    summary = {"framework": f"pytorch {torch.__version__}", "threads": a.threads, "model": a.model,
               "epochs": history, "wall_s": time.time() - start_all}
    print(f"wall time {summary['wall_s']:.1f} s, train images/s {np.mean([h['train_images_per_s'] for h in history]):.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
