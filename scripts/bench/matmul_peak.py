#!/usr/bin/env python3
"""The matrix-multiply peak of this machine, fp32 and bf16: the denominator of model FLOPs utilisation.

Times torch.mm on square matrices (the same torch, hence the same oneDNN/MKL kernels, that hft
links) at the given thread count, for a few sizes, and keeps the best rate of each dtype: a peak,
not an average, so that utilisation is measured against what the kernels can reach here.

Usage: matmul_peak.py [--threads N] [--sizes 1024,2048] [--seconds 1.0] [--device cuda]
On a GPU (--device cuda, e.g. --sizes 4096,8192) the kernels are cuBLAS's, timed with a synchronize.
The last stdout line is a JSON object: {"fp32_gflops": ..., "bf16_gflops": ..., "threads": N, ...}.
Importable: peak_gflops(dtype, sizes, seconds, device) returns the best GFLOP/s.
"""
import argparse
import json
import time

import torch


def rate_gflops(n, dtype, seconds, device="cpu"):
    """GFLOP/s of [n, n] x [n, n] products repeated for about `seconds` (one untimed warm-up)."""
    a = torch.randn(n, n, device=device).to(dtype)
    b = torch.randn(n, n, device=device).to(dtype)
    out = torch.empty(n, n, dtype=dtype, device=device)
    wait = torch.cuda.synchronize if a.is_cuda else (lambda: None)
    torch.mm(a, b, out=out)
    wait()
    count, start = 0, time.perf_counter()
    while True:
        for _ in range(10 if a.is_cuda else 1):  # a GPU queues products: time a batch, then wait
            torch.mm(a, b, out=out)
            count += 1
        wait()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return 2.0 * n ** 3 * count / elapsed / 1e9


def peak_gflops(dtype, sizes, seconds, device="cpu"):
    return max(rate_gflops(n, dtype, seconds, device) for n in sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--sizes", default="1024,2048")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [int(s) for s in args.sizes.split(",")]
    result = {"fp32_gflops": peak_gflops(torch.float32, sizes, args.seconds, args.device),
              "bf16_gflops": peak_gflops(torch.bfloat16, sizes, args.seconds, args.device),
              "threads": args.threads, "sizes": sizes, "torch": torch.__version__, "device": args.device}
    if args.device.startswith("cuda"):
        result["device_name"] = torch.cuda.get_device_name(torch.device(args.device))
    print(f"matmul peak on {args.device} at {args.threads} threads: fp32 {result['fp32_gflops']:.1f} GFLOP/s, "
          f"bf16 {result['bf16_gflops']:.1f} GFLOP/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
