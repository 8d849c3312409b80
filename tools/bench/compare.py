#!/usr/bin/python3
"""vkcolor beside PyTorch on this machine: the same model, batch and shapes, alternating the two
for several rounds, medians and the ratio vkcolor / PyTorch (above 1: vkcolor is faster).

    tools/bench/compare.sh [--model unet] [--rounds 3] [--steps 5] [--build build] [--baseline DIR] [--json FILE]

Measures images per second for a training step at batch 100 of 32x32, and inference at
100x32x32, 1x256x256 and 1x512x512. vkcolor runs `vkcolor bench models` on its default device
(pass --vkcolor-args '--conv tiled' and the like through); PyTorch runs tools/bench/torch_bench.py
with as many threads as the machine has cores. With --baseline, a second vkcolor build (e.g. of
the commit before a change) joins the rotation, and the table adds its column and the speed-up.

Timing rule: run it on a quiet machine. PyTorch's OpenMP threads collapse when another process
shares the cores, which flatters vkcolor 3-5x; the script warns when the load average says the
cores are busy with another process, before and after.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
METRICS = [("train_100x32", "training step, batch 100, 32x32"),
           ("infer_100x32", "inference, batch 100, 32x32"),
           ("infer_1x256", "inference, one 256x256 image"),
           ("infer_1x512", "inference, one 512x512 image")]


def busy_share(seconds=2.0):
    """The share of all cores' time spent busy over the next `seconds` (/proc/stat), or None."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]   # total, idle + iowait
    try:
        t0, i0 = sample()
        time.sleep(seconds)
        t1, i1 = sample()
    except OSError:
        return None
    return 1.0 - (i1 - i0) / max(t1 - t0, 1)


def warn_if_busy(when):
    busy = busy_share()
    if busy is not None and busy > 0.2:
        print(f"warning: the cores were {100 * busy:.0f}% busy {when} (another process is running): PyTorch's "
              f"threads slow down most when cores are shared, so the ratios flatter vkcolor", file=sys.stderr)
    return busy


def run_json(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"compare: {' '.join(map(shlex.quote, cmd))} failed:\n{r.stderr.strip() or r.stdout.strip()}")
    return json.loads(r.stdout)


def vkcolor_round(binary, extra, model, steps):
    base = [binary] + extra + ["bench", "models", "--model", model, "--json", "--steps", str(steps)]
    out = {}
    d = run_json(base + ["--batch", "100"])
    m = d["models"][0]
    out["train_100x32"], out["infer_100x32"] = m["train_images_per_s"], m["infer_images_per_s"]
    # An older build (a --baseline) may not have --size: its large-image numbers are then missing.
    help_text = subprocess.run([binary, "bench", "models", "--help"], capture_output=True, text=True).stdout
    for size in (256, 512):
        if "--size" not in help_text:
            out[f"infer_1x{size}"] = None
            continue
        d1 = run_json(base + ["--batch", "1", "--size", str(size), "--infer-only"])
        out[f"infer_1x{size}"] = d1["models"][0]["infer_images_per_s"]
    out["device"], out["driver"], out["conv_kernels"] = d["device"], d["driver"], d.get("conv_kernels", "")
    return out


def torch_available(python):
    return subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="unet", choices=["regression", "cnn", "unet"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build folder holding vkcolor")
    ap.add_argument("--baseline", default="", help="another build folder holding vkcolor, timed in the same rounds")
    ap.add_argument("--vkcolor-args", default="", help="global options for vkcolor, e.g. '--conv tiled'")
    ap.add_argument("--python", default="/usr/bin/python3", help="a Python with PyTorch (Debian: python3-torch)")
    ap.add_argument("--json", default="", help="also write the results here")
    a = ap.parse_args()

    binary = os.path.join(a.build, "vkcolor")
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"compare: {binary} not found; build first (cmake -S . -B build && cmake --build build)")
    baseline = os.path.join(a.baseline, "vkcolor") if a.baseline else ""
    if baseline and not os.access(baseline, os.X_OK):
        raise SystemExit(f"compare: {baseline} not found")
    have_torch = torch_available(a.python)
    if not have_torch:
        print(f"compare: PyTorch is missing ({a.python} cannot import torch; Debian: apt install python3-torch); "
              "timing vkcolor alone", file=sys.stderr)
    threads = os.cpu_count()
    busy_before = warn_if_busy("before the runs")
    samples = {who: {k: [] for k, _ in METRICS} for who in ("vkcolor", "baseline", "pytorch")}
    info = {}
    for r in range(a.rounds):
        order = ["vkcolor", "baseline", "pytorch"] if baseline else ["vkcolor", "pytorch"]
        if r % 2:
            order.reverse()
        for who in order:
            if who in ("vkcolor", "baseline"):
                res = vkcolor_round(binary if who == "vkcolor" else baseline, shlex.split(a.vkcolor_args), a.model, a.steps)
                info[who] = {k: res[k] for k in ("device", "driver", "conv_kernels")}
            elif have_torch:
                res = run_json([a.python, os.path.join(HERE, "torch_bench.py"), "--model", a.model,
                                "--threads", str(threads), "--steps", str(a.steps)])
                info["pytorch"] = {"version": res["version"], "threads": res["threads"]}
            else:
                continue
            for k, _ in METRICS:
                if res[k] is not None:
                    samples[who][k].append(res[k])
        print(f"round {r + 1}/{a.rounds} done", file=sys.stderr)
    busy_after = warn_if_busy("after the runs")

    rows = []
    for k, label in METRICS:
        v = statistics.median(samples["vkcolor"][k])
        t = statistics.median(samples["pytorch"][k]) if have_torch else None
        base = statistics.median(samples["baseline"][k]) if samples["baseline"][k] else None
        rows.append({"metric": k, "what": label, "vkcolor_images_per_s": v, "pytorch_images_per_s": t,
                     "ratio": v / t if t else None, "vkcolor_samples": samples["vkcolor"][k],
                     "pytorch_samples": samples["pytorch"][k], "baseline_images_per_s": base,
                     "speedup_over_baseline": v / base if base else None, "baseline_samples": samples["baseline"][k]})
    vk = info.get("vkcolor", {})
    print(f"{a.model} on {vk.get('device', '?')} ({vk.get('driver', '?')}), convolution kernels "
          f"{vk.get('conv_kernels', '?')}; PyTorch {info.get('pytorch', {}).get('version', 'missing')} on {threads} "
          f"threads; medians of {a.rounds} alternating rounds, images/s")
    extra = f" {'baseline':>10} {'speed-up':>9}" if baseline else ""
    print(f"{'':34} {'vkcolor':>10} {'PyTorch':>10} {'ratio':>7}{extra}")
    for row in rows:
        t = f"{row['pytorch_images_per_s']:10.1f}" if row["pytorch_images_per_s"] else f"{'-':>10}"
        ratio = f"{row['ratio']:6.3f}x" if row["ratio"] else f"{'-':>7}"
        more = ""
        if baseline:
            more = (f" {row['baseline_images_per_s']:10.1f} {row['speedup_over_baseline']:8.2f}x"
                    if row["baseline_images_per_s"] else f" {'-':>10} {'-':>9}")
        print(f"{row['what']:34} {row['vkcolor_images_per_s']:10.1f} {t} {ratio}{more}")
    doc = {"model": a.model, "rounds": a.rounds, "steps": a.steps, "threads": threads, "info": info, "results": rows,
           "busy_before": busy_before, "busy_after": busy_after}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
