#!/usr/bin/env python3
"""Benchmark: one training step (forward, backward, clipping to norm 1, fused AdamW) on one batch
through a BERT sequence classifier, hft against transformers on the same torch (LibTorch) and the
same thread count, in one run, as ratios; with
the 2048^3 matrix-multiply peak of this machine measured in the same run and the achieved FLOP/s
of each side against it.

The model is a random BertForSequenceClassification (bert-base size by default; 2 labels, the
config's default dropouts, train mode) that this script creates and saves, so both sides run the
same weights on the same padded batch (rows of full, 7/8, 3/4 and 5/8 length). hft side:
bench_model_step (a subprocess); Python side: the model in this process. FLOPs per token are
6 x matrix parameters + 12 x layers x the row's length x hidden (forward + backward), counted over
the real tokens only: model FLOPs are the work the batch needs, and the work spent on padding
(which hft skips in training, and transformers computes) is not counted. Prints a table, and one JSON object as the last line of stdout.
Asserts nothing.

Usage: scripts/bench/model_step.py [--hidden 768] [--layers 12] [--batch 32] [--length 128]
       [--dtypes fp32,bf16] [--repeats 3] [--warmup 1] [--rounds 1] [--threads CORES]
       [--bench build/scripts/bench/bench_model_step]
Quick run: --hidden 384 --layers 6 --batch 16 --length 24
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def matmul_peak(torch, size, dtype, repeats):
    """Best achieved FLOP/s of a size^3 matrix product (2 size^3 FLOPs) over `repeats` runs."""
    a = torch.randn(size, size).to(dtype)
    b = torch.randn(size, size).to(dtype)
    torch.mm(a, b)  # warm-up: first call allocates and picks kernels
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    return 2 * size**3 / min(times)


def make_model(torch, args, folder):
    """A random BertForSequenceClassification saved to `folder`, and the batch file for hft."""
    from safetensors.torch import save_file
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(hidden_size=args.hidden, num_hidden_layers=args.layers, num_attention_heads=args.hidden // 64,
                        intermediate_size=4 * args.hidden, num_labels=2)
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder)
    generator = torch.Generator().manual_seed(1)
    input_ids = torch.randint(1000, config.vocab_size, (args.batch, args.length), generator=generator)
    attention_mask = torch.ones(args.batch, args.length, dtype=torch.long)
    for row in range(args.batch):  # padded rows, as dynamic padding leaves them
        length = args.length - (row % 4) * args.length // 8
        attention_mask[row, length:] = 0
        input_ids[row, length:] = config.pad_token_id
    batch = dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids),
                 labels=torch.randint(0, 2, (args.batch,), generator=generator))
    save_file(batch, os.path.join(folder, "batch.safetensors"))
    return model, batch, config


def matrix_parameters(config):
    """Weights of the matrix products: per layer Q, K, V, output (4 H^2) and the feed-forward
    (2 H I), the pooler (H^2) and the classifier (H x labels). Embeddings are lookups."""
    h, i = config.hidden_size, config.intermediate_size
    return config.num_hidden_layers * (4 * h * h + 2 * h * i) + h * h + h * config.num_labels


def python_steps(torch, model, batch, dtype, warmup, repeats):
    """The Trainer's step with its defaults: clip_grad_norm_(1.0) (foreach) and AdamW (fused)."""
    model.train()
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=5e-5, weight_decay=0.0, fused=True)
    forward, backward, update = [], [], []
    for step in range(warmup + repeats):
        optimizer.zero_grad(set_to_none=True)
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bf16"):
            loss = model(**batch).loss
        middle = time.perf_counter()
        loss.backward()
        backward_end = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        end = time.perf_counter()
        if step >= warmup:
            forward.append(middle - start)
            backward.append(backward_end - middle)
            update.append(end - backward_end)
    return forward, backward, update


def hft_steps(bench, folder, dtype, warmup, repeats, threads):
    done = subprocess.run([bench, folder, os.path.join(folder, "batch.safetensors"), dtype, str(warmup),
                           str(repeats), str(threads)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{bench} failed: {done.stderr.strip()}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return out["forward_s"], out["backward_s"], out["optimizer_s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hidden", type=int, default=768)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=128)
    parser.add_argument("--dtypes", default="fp32,bf16")
    parser.add_argument("--repeats", type=int, default=3, help="timed steps per side, dtype and round")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1, help="alternate hft and Python this many times")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--matmul-size", type=int, default=2048)
    parser.add_argument("--bench", default=os.path.join(REPO, os.environ.get("BUILD_DIR", "build"), "scripts", "bench",
                                                        "bench_model_step"))
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    peak = {"fp32": matmul_peak(torch, args.matmul_size, torch.float32, 5),
            "bf16": matmul_peak(torch, args.matmul_size, torch.bfloat16, 5)}
    with tempfile.TemporaryDirectory() as folder:
        model, batch, config = make_model(torch, args, folder)
        lengths = batch["attention_mask"].sum(1).tolist()  # real tokens per row
        flops_per_step = sum(n * (6 * matrix_parameters(config) + 12 * args.layers * n * args.hidden) for n in lengths)
        results = {}
        for dtype in args.dtypes.split(","):
            times = {"hft": ([], [], []), "python": ([], [], [])}
            for _ in range(args.rounds):  # alternating spreads the other engineers' load over both sides
                for side, parts in (
                        ("hft", hft_steps(args.bench, folder, dtype, args.warmup, args.repeats, args.threads)),
                        ("python", python_steps(torch, model, batch, dtype, args.warmup, args.repeats))):
                    for kept, new_times in zip(times[side], parts):
                        kept.extend(new_times)
            results[dtype] = {}
            for side, (forward, backward, update) in times.items():
                steps = [f + b + u for f, b, u in zip(forward, backward, update)]
                median = statistics.median(steps)
                results[dtype][side] = {"step_ms": summary([1000 * s for s in steps]),
                                        "forward_ms": summary([1000 * s for s in forward]),
                                        "backward_ms": summary([1000 * s for s in backward]),
                                        "optimizer_ms": summary([1000 * s for s in update]),
                                        "gflops": flops_per_step / median / 1e9,
                                        "fraction_of_peak": flops_per_step / median / peak[dtype]}
            results[dtype]["ratio_hft_over_python"] = (results[dtype]["hft"]["step_ms"]["median"] /
                                                       results[dtype]["python"]["step_ms"]["median"])
    load_after = os.getloadavg()

    print(f"model: BERT H{args.hidden} L{args.layers}, batch {args.batch} x length {args.length} "
          f"({config.num_attention_heads} heads, padded rows); {args.threads} threads, "
          f"torch {torch.__version__}; load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    print(f"FLOPs per step (real tokens) {flops_per_step / 1e9:.1f} G; matmul {args.matmul_size}^3 peak: "
          f"fp32 {peak['fp32'] / 1e9:.0f} GFLOP/s, bf16 {peak['bf16'] / 1e9:.0f} GFLOP/s")
    print(f"{'dtype':6} {'side':7} {'step ms median [min, max]':30} {'fwd ms':>8} {'bwd ms':>8} {'opt ms':>8} "
          f"{'GFLOP/s':>8} {'of peak':>8}")
    for dtype, by_side in results.items():
        for side in ("hft", "python"):
            r = by_side[side]
            s = r["step_ms"]
            span = f"{s['median']:.0f} [{s['min']:.0f}, {s['max']:.0f}] (n={s['n']})"
            print(f"{dtype:6} {side:7} {span:30} {r['forward_ms']['median']:8.0f} {r['backward_ms']['median']:8.0f} "
                  f"{r['optimizer_ms']['median']:8.0f} {r['gflops']:8.1f} {100 * r['fraction_of_peak']:7.1f}%")
        print(f"{dtype:6} hft / python step time (medians): {by_side['ratio_hft_over_python']:.3f}")
    # Flat headline figures (model FLOPs utilisation against the matmul peak, step-time ratios)
    # beside the full results, for scripts/bench/report.py.
    headline = {}
    for dtype, by_side in results.items():
        headline[f"mfu_{dtype}_hft"] = by_side["hft"]["fraction_of_peak"]
        headline[f"mfu_{dtype}_python"] = by_side["python"]["fraction_of_peak"]
        headline[f"ratio_{dtype}_hft_over_python"] = by_side["ratio_hft_over_python"]
    print(json.dumps({"benchmark": "model_step", **headline, "hidden": args.hidden, "layers": args.layers,
                      "batch": args.batch, "length": args.length, "threads": args.threads, "torch": torch.__version__,
                      "load_average": [load_before[0], load_after[0]], "flops_per_step": flops_per_step,
                      "matmul_peak_flops": peak, "results": results}))


if __name__ == "__main__":
    main()
