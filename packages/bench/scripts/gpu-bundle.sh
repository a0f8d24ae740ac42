#!/usr/bin/env bash
# Prepares .gpu/ for a run on a machine with a GPU that has no Node, no packages and no network
# (the lent machine of ../shared/GPU.md): self-contained bundles of the keepdist-bench CLI and of
# the autograd gpu-vs-cpu benchmark (gpu.js inside), dawn.node beside them, this machine's node
# binary, and Debian's Vulkan loader. Run from the repository root; .gpu/ is git-ignored.
# Then, on the GPU machine (carry .gpu):
#   for f in .gpu/*.deb; do dpkg -x $f /; done; ldconfig; mkdir -p /tmp/n && tar xJf .gpu/node.tar.xz -C /tmp/n
#   export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
#   /tmp/n/node .gpu/keepdist-bench.mjs speed --sizes 4096x64,20000x64 --methods mmd-gaussian-euclidean --backend cpu,gpu:webgpu
#   /tmp/n/node .gpu/gpu-vs-cpu.mjs --backends webgpu --dawn .gpu/dawn.node --matmul 1024,2048,4096 --pairwise 4096x64
# Here (no GPU), the same bundles run on SwiftShader's Vulkan driver from Debian's chromium package:
#   VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json node .gpu/keepdist-bench.mjs speed --sizes 1024x64 --backend gpu:webgpu
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p .gpu
esbuild=node_modules/.bin/esbuild
# gpu.js is CommonJS: give the ESM bundle a require; `gl` (headless-gl) stays out
banner="import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);"
$esbuild packages/bench/scripts/gpu-entry.ts --bundle --platform=node --format=esm --target=node20 \
  --tsconfig=tsconfig.json --external:gl --external:./dawn.node --banner:js="$banner" --log-level=warning \
  --outfile=.gpu/keepdist-bench.mjs
$esbuild packages/autograd/bench/gpuVsCpu.ts --bundle --platform=node --format=esm --target=node20 \
  --tsconfig=tsconfig.json --external:gl --banner:js="$banner" --log-level=warning --outfile=.gpu/gpu-vs-cpu.mjs
cp "$(dirname "$(node -e "process.stdout.write(require.resolve('webgpu/package.json', { paths: [require.resolve('gpu.js', { paths: ['packages/autograd'] })] }))")")/dist/linux-x64/dawn.node" .gpu/
[ -f .gpu/node.tar.xz ] || tar cJf .gpu/node.tar.xz -C "$(dirname "$(command -v node)")" node
if ! ls .gpu/libvulkan1_*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial && apt-get $o update >/dev/null && (cd .gpu && apt-get $o download libvulkan1 >/dev/null)
fi
du -sh .gpu/*
