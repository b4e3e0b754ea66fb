#!/usr/bin/env python3
"""The matrix-multiply peak of this machine, fp32 and bf16: the denominator of model FLOPs utilisation.

Times torch.mm on square matrices (the same torch, hence the same oneDNN/MKL kernels, that hft
links) at the given thread count, for a few sizes, and keeps the best rate of each dtype: a peak,
not an average, so that utilisation is measured against what the kernels can reach here.

Usage: matmul_peak.py [--threads N] [--sizes 1024,2048] [--seconds 1.0]
The last stdout line is a JSON object: {"fp32_gflops": ..., "bf16_gflops": ..., "threads": N, ...}.
Importable: peak_gflops(dtype, sizes, seconds) returns the best GFLOP/s.
"""
import argparse
import json
import time

import torch


def rate_gflops(n, dtype, seconds):
    """GFLOP/s of [n, n] x [n, n] products repeated for about `seconds` (one untimed warm-up)."""
    a = torch.randn(n, n).to(dtype)
    b = torch.randn(n, n).to(dtype)
    out = torch.empty(n, n, dtype=dtype)
    torch.mm(a, b, out=out)
    count, start = 0, time.perf_counter()
    while True:
        torch.mm(a, b, out=out)
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return 2.0 * n ** 3 * count / elapsed / 1e9


def peak_gflops(dtype, sizes, seconds):
    return max(rate_gflops(n, dtype, seconds) for n in sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--sizes", default="1024,2048")
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [int(s) for s in args.sizes.split(",")]
    result = {"fp32_gflops": peak_gflops(torch.float32, sizes, args.seconds),
              "bf16_gflops": peak_gflops(torch.bfloat16, sizes, args.seconds),
              "threads": args.threads, "sizes": sizes, "torch": torch.__version__}
    print(f"matmul peak at {args.threads} threads: fp32 {result['fp32_gflops']:.1f} GFLOP/s, "
          f"bf16 {result['bf16_gflops']:.1f} GFLOP/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
