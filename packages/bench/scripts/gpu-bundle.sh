#!/usr/bin/env bash
# The gpu backend's measurements for a machine with a GPU that has no Node, no packages and no
# network (the lent machine of ../shared/GPU.md), in two steps of one script. Run from anywhere;
# it works in the repository root. .gpu/ is git-ignored.
#
#   bash packages/bench/scripts/gpu-bundle.sh            # here: prepare .gpu/ (bundles, dawn.node, node, Vulkan loader)
#   bash packages/bench/scripts/gpu-bundle.sh run        # there (carry .gpu): measure, results under $OUT
#
# `run` installs the carried Vulkan loader and node when the machine lacks them, picks the NVIDIA
# Vulkan driver (else SwiftShader's, from Debian's chromium package), then runs, each step under a
# time limit (partial results are saved when a limit is hit), 9 minutes in all at most:
#   1. matmul N × N on gpu:webgpu, N = 1024, 2048, 4096, 8192 (GFLOP/s incl. upload and read back);
#   2. the pairwise sum with its gradient (gaussian of the angle, the core of mmd gaussian) at
#      n = 4096 and 20000, d = 64, with the gradient always fused and always in k′ tiles (the
#      `pairwiseGradient` option): which one `auto` should pick for wide rows on a GPU;
#   3. keepdist-bench speed --sizes 4096x64 --methods all --backend cpu,gpu:webgpu (speed-ups vs cpu);
#   4. keepdist-bench speed --sizes 20000x64 --methods all --backend gpu:webgpu (the cpu backend
#      takes ~20 s per loss + gradient there, 14 methods × 4 runs: past the budget, so gpu only).
# and prints every table it measured. KEEPDIST_GPU_TINY=1 shrinks every size (a check of the
# whole path on SwiftShader in a few minutes, not a measurement):
#   bash packages/bench/scripts/gpu-bundle.sh && KEEPDIST_GPU_TINY=1 OUT=/tmp/gpu-out bash packages/bench/scripts/gpu-bundle.sh run
set -euo pipefail
cd "$(dirname "$0")/../../.."

prepare() {
  mkdir -p .gpu
  local esbuild=node_modules/.bin/esbuild
  # gpu.js is CommonJS: give the ESM bundle a require; `gl` (headless-gl) stays out
  local banner="import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);"
  $esbuild packages/bench/scripts/gpu-entry.ts --bundle --platform=node --format=esm --target=node20 \
    --tsconfig=tsconfig.json --external:gl --external:./dawn.node --banner:js="$banner" --log-level=warning \
    --outfile=.gpu/keepdist-bench.mjs
  $esbuild packages/autograd/bench/gpuVsCpu.ts --bundle --platform=node --format=esm --target=node20 \
    --tsconfig=tsconfig.json --external:gl --banner:js="$banner" --log-level=warning --outfile=.gpu/gpu-vs-cpu.mjs
  cp "$(dirname "$(node -e "process.stdout.write(require.resolve('webgpu/package.json', { paths: [require.resolve('gpu.js', { paths: ['packages/autograd'] })] }))")")/dist/linux-x64/dawn.node" .gpu/
  [ -f .gpu/node.tar.xz ] || tar cJf .gpu/node.tar.xz -C "$(dirname "$(command -v node)")" node
  if ! ls .gpu/libvulkan1_*.deb >/dev/null 2>&1; then
    local o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    mkdir -p /tmp/amd64/partial && apt-get $o update >/dev/null && (cd .gpu && apt-get $o download libvulkan1 >/dev/null)
  fi
  du -sh .gpu/*
  echo "prepared .gpu/; on the GPU machine: bash packages/bench/scripts/gpu-bundle.sh run (carry .gpu)"
}

# Runs "$@" under a limit of $1 seconds (SIGINT, so the bench saves what it has), tee'd to $OUT/$2.
step() {
  local limit=$1 log=$2
  shift 2
  echo "== $* (limit ${limit} s)"
  local t0=$SECONDS rc=0
  timeout -s INT -k 10 "$limit" "$@" 2>&1 | tee "$OUT/$log" || rc=$?
  echo "== exit ${rc} after $((SECONDS - t0)) s" | tee -a "$OUT/$log"
}

run() {
  [ -f .gpu/keepdist-bench.mjs ] || { echo "gpu-bundle.sh run: expected .gpu/keepdist-bench.mjs, got none. Run gpu-bundle.sh (no argument) first and carry .gpu." >&2; exit 2; }
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
    for f in .gpu/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local node
  node=$(command -v node || true)
  if [ -z "$node" ]; then
    mkdir -p /tmp/n && tar xJf .gpu/node.tar.xz -C /tmp/n
    node=/tmp/n/node
  fi
  local nvidia=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json swiftshader=/usr/lib/chromium/vk_swiftshader_icd.json
  if [ -z "${VK_DRIVER_FILES:-}" ]; then
    if [ -f "$nvidia" ]; then export VK_DRIVER_FILES=$nvidia; elif [ -f "$swiftshader" ]; then export VK_DRIVER_FILES=$swiftshader; fi
  fi
  OUT=${OUT:-.gpu/out}
  mkdir -p "$OUT"
  local matmul='1024,2048,4096,8192' pairsum='4096x64,20000x64' small='4096x64' large='20000x64' reps=3
  if [ "${KEEPDIST_GPU_TINY:-0}" = 1 ]; then
    matmul='64,128'; pairsum='600x12'; small='128x12'; large='600x12'; reps=1  # d = 12: the k′ tiles, past the fused widths
  fi
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "VK_DRIVER_FILES: ${VK_DRIVER_FILES:-unset}"
    echo "node: $("$node" --version)"
    echo "tiny: ${KEEPDIST_GPU_TINY:-0}"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  } | tee "$OUT/machine.txt"
  step 100 matmul.txt "$node" .gpu/gpu-vs-cpu.mjs --backends webgpu --dawn "$PWD/.gpu/dawn.node" --matmul "$matmul" --pairwise '' --reps "$reps"
  step 70 pairsum.txt "$node" .gpu/gpu-vs-cpu.mjs --backends webgpu-fused,webgpu-tiles --dawn "$PWD/.gpu/dawn.node" --matmul '' \
    --pairwise '' --pairsum "$pairsum" --reps "$reps"
  step 150 speed-small.txt "$node" .gpu/keepdist-bench.mjs speed --sizes "$small" --methods all --backend cpu,gpu:webgpu \
    --repeats "$reps" --out "$OUT/speed-small" --force
  step 200 speed-large.txt "$node" .gpu/keepdist-bench.mjs speed --sizes "$large" --methods all --backend gpu:webgpu \
    --repeats "$reps" --out "$OUT/speed-large" --force
  echo "== measured (tables above; JSON under $OUT/speed-small and $OUT/speed-large):"
  grep -h '^| matmul' "$OUT/matmul.txt" || echo "matmul: no table (see $OUT/matmul.txt)"
  grep -h '^| pairwiseSum' "$OUT/pairsum.txt" || echo "pairwiseSum fused/tiles: no table (see $OUT/pairsum.txt)"
  grep -hE '^(matmul|mmd-[a-z-]+|uniformity|mma|mmcs|koleo|lloyd|sliced|slicedAxis|ssw) ' "$OUT/speed-small.txt" "$OUT/speed-large.txt" || true
}

case "${1:-prepare}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "gpu-bundle.sh: expected 'prepare' (default) or 'run', got '$1'." >&2; exit 2 ;;
esac
