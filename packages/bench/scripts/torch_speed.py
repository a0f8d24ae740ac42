#!/usr/bin/env python3
"""The PyTorch stack of `keepdist-bench speed --suite workloads`: the same workloads, on the same data.

The bench writes each workload's float32 inputs (row-major, concatenated in the order of the job's
"arrays") to a raw file and a job description to a JSON file, then runs

    python3 torch_speed.py --job job.json     # times the workload, prints one JSON object
    python3 torch_speed.py --probe --threads 2  # prints the versions, threads and BLAS, no job

Job fields: kind (matmul | mmd | lloyd | sliced), data (path of the raw float32 file), arrays
([{name, shape}]), threads, warmup, repeats, clamp_eps (lloyd), form (lloyd: "literal" takes
acos of every cosine, "rowmax" only of each sample's largest cosine: min_i acos(c) = acos(max_i c)),
values_out (optional: path where the last run's gradient, or C for matmul, is written as raw float32).
Output: {"times_ms": [...], "loss": float or null, "info": {...}}. The formulas are the loss
functions below, the same as packages/bench/src/speed/workloads.ts states.
"""
import argparse
import ctypes
import json
import math
import re
import sys
import time

import torch


def mmd_loss(X):
    """L = 2/(n(n-1)) * (sum_ij exp(C_ij) - sum_i exp(|x_i|^2)), C = X X^T."""
    n = X.shape[0]
    C = X @ X.T
    return 2.0 / (n * (n - 1)) * (torch.exp(C).sum() - torch.exp((X * X).sum(1)).sum())


def lloyd_loss(X, S, eps, form):
    """L = mean_s min_i acos(clamp(S X^T, -1+eps, 1-eps))^2, literally or through the row maxima."""
    C = torch.clamp(S @ X.T, -1.0 + eps, 1.0 - eps)
    if form == "rowmax":
        return (torch.acos(C.max(dim=1).values) ** 2).mean()
    return (torch.acos(C) ** 2).min(dim=1).values.mean()


def sliced_loss(X, p, q, phi):
    """theta = atan2(X q, X p); target_i = mean(theta) + phi[rank_i]; L = 1/2 sum (theta - target)^2."""
    n = X.shape[0]
    theta = torch.atan2(X @ q, X @ p)
    order = torch.sort(theta.detach(), stable=True).indices
    rank = torch.empty_like(order)
    rank[order] = torch.arange(n)
    target = theta.mean() + phi[rank]
    return 0.5 * ((theta - target) ** 2).sum()


def equal_spacing(n):
    """phi_r = -pi + (2r - 1) pi / n for r = 1..n, computed in float64, rounded to float32."""
    r = torch.arange(1, n + 1, dtype=torch.float64)
    return (-math.pi + (2 * r - 1) * math.pi / n).to(torch.float32)


def load_arrays(job):
    with open(job["data"], "rb") as f:
        flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    arrays, offset = {}, 0
    for a in job["arrays"]:
        size = math.prod(a["shape"])
        arrays[a["name"]] = flat[offset:offset + size].reshape(a["shape"]).clone()
        offset += size
    if offset != flat.numel():
        raise ValueError(f"torch_speed: expected {offset} float32 values in {job['data']}, got {flat.numel()}.")
    return arrays


def workload(job, a):
    """The job's computation as a function of no arguments returning (loss or None, gradient or C)."""
    kind = job["kind"]
    if kind == "matmul":
        def run():
            with torch.no_grad():
                return None, a["A"] @ a["B"]
        return run
    if kind == "mmd":
        loss = mmd_loss
    elif kind == "lloyd":
        loss = lambda X: lloyd_loss(X, a["S"], job["clamp_eps"], job.get("form", "literal"))
    elif kind == "sliced":
        phi = equal_spacing(a["X"].shape[0])
        loss = lambda X: sliced_loss(X, a["p"], a["q"], phi)
    else:
        raise ValueError(f"torch_speed: expected kind matmul, mmd, lloyd or sliced, got {kind!r}.")

    def run():
        X = a["X"].detach().requires_grad_(True)
        L = loss(X)
        (g,) = torch.autograd.grad(L, X)
        return L.item(), g
    return run


def blas_info():
    """The OpenBLAS library this process loaded, its kernel (core name), build config and threads."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted(set(re.findall(r"(/\S*openblas\S*\.so[.\d]*)", f.read())))
    except OSError:
        libs = []
    for lib in libs:
        try:
            L = ctypes.CDLL(lib)
            L.openblas_get_corename.restype = ctypes.c_char_p
            L.openblas_get_config.restype = ctypes.c_char_p
            return {
                "library": lib,
                "corename": L.openblas_get_corename().decode(),
                "config": L.openblas_get_config().decode(),
                "threads": L.openblas_get_num_threads(),
            }
        except (OSError, AttributeError):
            continue
    return {"library": None, "corename": None, "config": None, "threads": None}


def info():
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS
    show = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", show)
    return {
        "python": sys.executable,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas_info": blas.group(1) if blas else None,
        "blas": blas_info(),
        "config": show,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--job", help="JSON job file")
    ap.add_argument("--probe", action="store_true", help="print versions, threads and BLAS only")
    ap.add_argument("--threads", type=int, help="torch threads (default: the job's)")
    args = ap.parse_args()
    job = {}
    if args.job:
        with open(args.job) as f:
            job = json.load(f)
    threads = args.threads or job.get("threads")
    if threads:
        torch.set_num_threads(int(threads))
    if args.probe or not args.job:
        print(json.dumps({"info": info()}))
        return
    run = workload(job, load_arrays(job))
    for _ in range(int(job["warmup"])):
        run()
    times, loss, out = [], None, None
    for _ in range(int(job["repeats"])):
        t0 = time.perf_counter()
        loss, out = run()
        times.append((time.perf_counter() - t0) * 1000.0)
    if job.get("values_out"):
        with open(job["values_out"], "wb") as f:
            f.write(out.detach().contiguous().numpy().astype("float32").tobytes())
    print(json.dumps({"times_ms": times, "loss": loss, "info": info()}))


if __name__ == "__main__":
    main()
