#!/usr/bin/env bash
# Installs PyTorch for `keepdist-bench speed --suite workloads` from Debian's own packages:
# python3-torch (CPU build) and the OpenMP build of OpenBLAS, the BLAS the benchmark's torch rows use.
# Run as root (or with sudo available); afterwards /usr/bin/python3 imports torch.
#
#   bash packages/bench/scripts/install-torch.sh
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-torch.sh: expected to run as root or with sudo, got neither. Rerun as root." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-torch.sh: expected a Debian-based system with apt-get, got none. Install PyTorch with your system's package manager or pip." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y python3-torch libopenblas0-openmp

/usr/bin/python3 -c 'import torch; print(f"torch {torch.__version__} installed for /usr/bin/python3; threads: {torch.get_num_threads()}")'
