#!/usr/bin/env bash
# One report of vkcolor on whatever machine this is, meant for one with a GPU: the devices,
# selftest (every shader against the CPU reference, every kernel variant), whole models and the
# UNet's convolution passes timed by `vkcolor bench`, and, where a PyTorch with CUDA or ROCm is
# installed, the same models in PyTorch eager and as CUDA graphs. Everything lands in one folder:
# report.md (the summary to paste into a note) beside the raw JSON and logs.
#
#   tools/bench/gpu-report.sh [--out DIR] [--build DIR] [--no-build] [--python PY] [--device N]
#
# --device picks the Vulkan device (default: vkcolor's default, a discrete GPU first). Builds
# Release into --build (default build-report) unless --no-build. Exits non-zero if selftest fails.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="gpu-report"
build="$root/build-report"
do_build=1
python="python3"
device=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --python) python="$2"; shift 2 ;;
    --device) device=(--device "$2"); shift 2 ;;
    *) echo "gpu-report: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
md="$out/report.md"
say() { echo "$*" | tee -a "$md"; }
: >"$md"

if [ "$do_build" -eq 1 ]; then
  echo "gpu-report: building into $build (log: $out/build.log)"
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release && cmake --build "$build" -j"$(nproc)"; } >"$out/build.log" 2>&1 ||
    { echo "gpu-report: the build failed, see $out/build.log" >&2; exit 1; }
fi
vk="$build/vkcolor"
[ -x "$vk" ] || { echo "gpu-report: no vkcolor in $build (build it, or drop --no-build)" >&2; exit 1; }

say "# vkcolor GPU report, $(date -u '+%Y-%m-%d %H:%M UTC')"
say ""
say "- commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "- host: $(uname -srm), $(nproc) cores"
command -v nvidia-smi >/dev/null && say "- nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
command -v rocm-smi >/dev/null && say "- rocm-smi: $(rocm-smi --showproductname 2>/dev/null | grep -m1 'Card series' | sed 's/.*: //')"
say ""
say '```'
"$vk" devices 2>&1 | tee -a "$md"
say '```'

echo "gpu-report: selftest"
"$vk" "${device[@]}" selftest --json >"$out/selftest.json" 2>"$out/selftest.log"
selftest_rc=$?
say ""
say "## selftest: $([ $selftest_rc -eq 0 ] && echo passed || echo FAILED, see selftest.json)"

echo "gpu-report: bench models"
"$vk" "${device[@]}" bench models --model regression --model cnn --model unet --json >"$out/models_100x32.json" 2>>"$out/bench.log"
"$vk" "${device[@]}" bench models --model unet --batch 1 --size 256 --infer-only --json >"$out/models_1x256.json" 2>>"$out/bench.log"
"$vk" "${device[@]}" bench models --model unet --batch 1 --size 512 --infer-only --json >"$out/models_1x512.json" 2>>"$out/bench.log"
echo "gpu-report: bench ops"
"$vk" "${device[@]}" bench ops --json >"$out/ops.json" 2>>"$out/bench.log"
say ""
say "## vkcolor bench (images per second; the per-layer and per-shader times are in the JSON)"
say ""
say '```'
"$vk" "${device[@]}" bench models --model unet --steps 5 --layers 10 2>&1 | tee -a "$md" >/dev/null
say '```'

torch_runs=()
if "$python" -c "import torch" 2>/dev/null; then
  torch_runs+=("cpu:--device cpu")
  if "$python" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    torch_runs+=("cuda:--device cuda" "cuda_graphs:--device cuda --cuda-graphs")
  else
    say ""
    say "PyTorch has no CUDA or ROCm device here: only its CPU numbers are shown."
  fi
else
  say ""
  say "No PyTorch for $python: the comparison is left out (Debian: python3-torch; pip: torch)."
fi
for run in "${torch_runs[@]}"; do
  name="${run%%:*}"
  echo "gpu-report: PyTorch $name"
  for m in regression cnn unet; do
    # shellcheck disable=SC2086
    "$python" "$root/tools/bench/torch_bench.py" --model "$m" ${run#*:} >>"$out/torch_$name.jsonl" 2>>"$out/torch.log"
  done
done

# The summary table: vkcolor's default device beside each PyTorch run.
"$python" - "$out" <<'PY' | tee -a "$md"
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) else None
vk = {m["model"]: m for m in (load("models_100x32.json") or {}).get("models", [])}
big = {k: (load(f"models_1x{k}.json") or {}).get("models", [{}])[0].get("infer_images_per_s") for k in (256, 512)}
torch = {}
for run in ("cpu", "cuda", "cuda_graphs"):
    p = os.path.join(out, f"torch_{run}.jsonl")
    if os.path.exists(p):
        torch[run] = {r["model"]: r for r in map(json.loads, filter(str.strip, open(p)))}
cols = ["vkcolor"] + [f"PyTorch {r}" for r in torch]
print("\n## Side by side (images per second)\n")
print("| model, measure | " + " | ".join(cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for m in ("regression", "cnn", "unet"):
    for key, vkkey in (("train_100x32", "train_images_per_s"), ("infer_100x32", "infer_images_per_s")):
        row = [vk.get(m, {}).get(vkkey)] + [torch[r].get(m, {}).get(key) for r in torch]
        print(f"| {m} {key} | " + " | ".join("-" if v is None else f"{v:.1f}" for v in row) + " |")
for k in (256, 512):
    row = [big[k]] + [torch[r].get("unet", {}).get(f"infer_1x{k}") for r in torch]
    print(f"| unet infer_1x{k} | " + " | ".join("-" if v is None else f"{v:.2f}" for v in row) + " |")
PY
echo "gpu-report: wrote $md"
exit $selftest_rc
