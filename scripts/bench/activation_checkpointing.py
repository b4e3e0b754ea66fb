#!/usr/bin/env python3
"""Benchmark: what activation checkpointing (activation_checkpointing: true) costs and saves in one
training step (forward, backward, clipping, fused AdamW) of a BERT classifier, hft beside
transformers on the same torch and thread count, each with and without it, in one run.

For each side and setting, a fresh subprocess loads the model, runs WARMUP + REPEATS steps on the
same padded batch and reports its step times and its peak resident memory while stepping above
its resident memory before the first step (/proc/self/status VmHWM after a clear_refs reset):
the activations, gradients and optimizer state a step needs. hft: bench_model_step with its
checkpointing switch; transformers: model.activation_checkpointing_enable(), as the Trainer calls
it for activation_checkpointing=True. The model is model_step.py's random bert-base-size
BertForSequenceClassification at length 256 by default. Reported as ratios (with / without, and
hft / transformers); prints a table and one JSON object as the last line. Asserts nothing.

Usage: scripts/bench/activation_checkpointing.py [--hidden 768] [--layers 12] [--batch 8] [--length 256]
       [--dtype fp32] [--repeats 2] [--warmup 1] [--threads CORES] [--bench build/scripts/bench/bench_model_step]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from model_step import make_model  # noqa: E402  (the same random model and padded batch)


def status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return -1


def python_side(folder, dtype, checkpointing, warmup, repeats, threads):
    """Runs in its own process: the Trainer's step (clip to 1.0, fused AdamW) with or without
    activation checkpointing; prints {"step_s": [...], "peak_rss_above_start_bytes": N}."""
    import torch
    from safetensors.torch import load_file
    from transformers import BertForSequenceClassification

    torch.set_num_threads(threads)
    model = BertForSequenceClassification.from_pretrained(folder)
    model.train()
    if checkpointing:
        model.activation_checkpointing_enable()
    batch = load_file(os.path.join(folder, "batch.safetensors"))
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=5e-5, weight_decay=0.0, fused=True)
    start_rss = status_bytes("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    steps = []
    for step in range(warmup + repeats):
        optimizer.zero_grad(set_to_none=True)
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bf16"):
            loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        if step >= warmup:
            steps.append(time.perf_counter() - start)
    print(json.dumps({"step_s": steps, "peak_rss_above_start_bytes": status_bytes("VmHWM") - start_rss}))


def measure(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hidden", type=int, default=768)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--length", type=int, default=256)
    parser.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--bench", default=os.path.join(REPO, os.environ.get("BUILD_DIR", "build"), "scripts", "bench",
                                                        "bench_model_step"))
    parser.add_argument("--python-side", nargs=2, metavar=("FOLDER", "CHECKPOINTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.python_side:
        return python_side(args.python_side[0], args.dtype, args.python_side[1] == "1", args.warmup, args.repeats,
                           args.threads)

    import torch

    load_before = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        make_model(torch, args, folder)
        for checkpointing in ("0", "1"):  # alternating sides spreads other load over both
            hft = measure([args.bench, folder, os.path.join(folder, "batch.safetensors"), args.dtype, str(args.warmup),
                           str(args.repeats), str(args.threads), checkpointing])
            python = measure([sys.executable, os.path.abspath(__file__), "--python-side", folder, checkpointing,
                              "--dtype", args.dtype, "--warmup", str(args.warmup), "--repeats", str(args.repeats),
                              "--threads", str(args.threads)])
            for side, out in (("hft", hft), ("python", python)):
                results.setdefault(side, {})["on" if checkpointing == "1" else "off"] = {
                    "step_ms": 1000 * statistics.median(out["step_s"]),
                    "peak_mib": out["peak_rss_above_start_bytes"] / 2**20}
    load_after = os.getloadavg()

    print(f"model: BERT H{args.hidden} L{args.layers}, batch {args.batch} x length {args.length} (padded rows), "
          f"{args.dtype}, {args.threads} threads, torch {torch.__version__}; "
          f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    print(f"{'side':7} {'checkpointing':14} {'step ms':>9} {'peak MiB above start':>22}")
    headline = {}
    for side, by_setting in results.items():
        for setting in ("off", "on"):
            r = by_setting[setting]
            print(f"{side:7} {setting:14} {r['step_ms']:9.0f} {r['peak_mib']:22.0f}")
        memory = by_setting["on"]["peak_mib"] / by_setting["off"]["peak_mib"]
        time_ratio = by_setting["on"]["step_ms"] / by_setting["off"]["step_ms"]
        print(f"{side:7} with / without: peak memory x{memory:.2f}, step time x{time_ratio:.2f}")
        headline[f"{side}_memory_ratio_on_over_off"] = memory
        headline[f"{side}_time_ratio_on_over_off"] = time_ratio
    for setting in ("off", "on"):
        ratio = results["hft"][setting]["step_ms"] / results["python"][setting]["step_ms"]
        memory = results["hft"][setting]["peak_mib"] / results["python"][setting]["peak_mib"]
        print(f"hft / python, checkpointing {setting}: step time x{ratio:.2f}, peak memory x{memory:.2f}")
        headline[f"ratio_{setting}_hft_over_python"] = ratio
        headline[f"memory_ratio_{setting}_hft_over_python"] = memory
    print(json.dumps({"benchmark": "activation_checkpointing", **headline, "hidden": args.hidden,
                      "layers": args.layers, "batch": args.batch, "length": args.length, "dtype": args.dtype,
                      "threads": args.threads, "torch": torch.__version__,
                      "load_average": [load_before[0], load_after[0]], "results": results}))


if __name__ == "__main__":
    main()
