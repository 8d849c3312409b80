#!/usr/bin/python3
"""Converts CSC321 PyTorch checkpoints to vkcolor checkpoints and back.

    /usr/bin/python3 tools/convert_checkpoint.py to-vkcolor model.pt checkpoint.safetensors [--model dunet --dilation 2] [--palette FILE]
    /usr/bin/python3 tools/convert_checkpoint.py to-torch checkpoint.safetensors model.pt

A PyTorch checkpoint is a state_dict (or a whole pickled model, whose state_dict is taken) of the
assignment's RegressionCNN, CNN or UNet: names like downconv1.0.weight, downconv1.1.running_mean.
vkcolor checkpoints are safetensors files with the same names, plus the model configuration and
palette in the metadata. The safetensors format is written and read here directly (8-byte
little-endian header length, JSON header, raw little-endian data), so no extra package is needed.
"""
import argparse
import collections
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"F32": (np.float32, torch.float32), "I64": (np.int64, torch.int64)}


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy()
        dtype = "I64" if a.dtype == np.int64 else "F32"
        data = a.astype(DTYPES[dtype][0]).astype("<" + DTYPES[dtype][0]().dtype.str[1:]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, path)


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = collections.OrderedDict()
    for name, h in header.items():
        np_type, torch_type = DTYPES[h["dtype"]]
        b, e = h["data_offsets"]
        a = np.frombuffer(data[b:e], dtype=np.dtype(np_type).newbyteorder("<")).reshape(h["shape"])
        out[name] = torch.from_numpy(a.astype(np_type)).to(torch_type)
    return out, meta


def load_palette(path):
    return [[float(v) for v in l.split()] for l in open(path) if l.strip() and not l.startswith("#")]


def to_vkcolor(a):
    sd = torch.load(a.src, map_location="cpu")
    if not isinstance(sd, dict):
        sd = sd.state_dict()
    sd = collections.OrderedDict((k.replace("module.", "", 1), v) for k, v in sd.items())
    w1, wf = sd["downconv1.0.weight"], sd["finalconv.weight"]
    nf, cin, k, colours = w1.shape[0], w1.shape[1], w1.shape[2], wf.shape[0]
    if a.model:
        model = a.model
    elif wf.shape[1] == colours + cin:
        model = "unet"   # the final conv sees cat(out5, x)
    else:
        model = "regression" if colours == 3 else "cnn"
    palette = load_palette(a.palette) if model != "regression" else load_palette(a.palette)
    for t in [n for n in sd if n.endswith("num_batches_tracked")]:
        sd[t] = sd[t].to(torch.int64).reshape(())
    meta = {"format": "vkcolor-checkpoint-1", "model": model, "num_filters": str(nf), "kernel": str(k),
            "colours": str(colours if model != "regression" else 24), "in_channels": str(cin),
            "dilation": str(a.dilation), "epochs_trained": "0", "palette": json.dumps(palette),
            "converted_from": os.path.basename(a.src)}
    write_safetensors(a.dst, sd, meta)
    print(f"{a.dst}: {model}, {nf} filters, kernel {k}, {len(sd)} tensors")


def to_torch(a):
    sd, meta = read_safetensors(a.src)
    torch.save(sd, a.dst)
    print(f"{a.dst}: state_dict of a {meta.get('model', '?')} ({len(sd)} tensors); "
          f"load with model.load_state_dict(torch.load('{a.dst}'))")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("to-vkcolor")
    v.add_argument("src")
    v.add_argument("dst")
    v.add_argument("--model", choices=["regression", "cnn", "unet", "dunet"])
    v.add_argument("--dilation", type=int, default=2)
    v.add_argument("--palette", default=os.path.join(HERE, "..", "..", "shared", "data", "colour_kmeans24_cat7.txt"))
    t = sub.add_parser("to-torch")
    t.add_argument("src")
    t.add_argument("dst")
    a = ap.parse_args()
    to_vkcolor(a) if a.cmd == "to-vkcolor" else to_torch(a)


if __name__ == "__main__":
    main()
