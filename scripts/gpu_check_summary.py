#!/usr/bin/env python3
"""The summary of scripts/gpu_check.sh, from its work folder; standard library only.

Usage: gpu_check_summary.py WORK [--text SUMMARY.txt] [--json SUMMARY.json]

gpu_check.sh runs it after every stage, so a run cut short still reports what it reached. It
reads, under WORK:
  stages/NAME.json   what each stage recorded: {"rc": 0, "seconds": 12.5, "note": "...", ...};
                     rc "skipped" with the reason in note
  facts.json         the machine (GPU, torch, transformers, nvcc, cmake, cores)
  peak.json          the matmul peak measured in the same run (scripts/bench/matmul_peak.py)
  runs/NAME/short, runs/NAME/long   a measured case run twice, to two step counts: the output_dir
                     of hft or of the Trainer (trainer_state.json, train_results.json,
                     eval_results.json)
  runs/resume/full, runs/resume/resumed   an uninterrupted run and one resumed from the first's
                     checkpoint at stages/resume.json's "resume_step"

Steady state: the two runs of a case differ only in their step count, so the differences of
their train_runtime, total_flos and steps (x train_batch_size) leave out what both pay once
(start-up, first-step allocation and kernel selection). MFU = that FLOP rate (the Trainer's
count: 6 x tokens x parameters, which hft reports the same way) over the bf16 matmul peak.
"""
import json
import math
import os
import sys

# (stage, what it checks): the order gpu_check.sh runs them in.
STAGES = [
    ("facts", "machine facts"),
    ("build", "configure and build hft, unit_distributed, distributed_worker"),
    ("env", "hft env"),
    ("nccl", "NCCL through hft's process group (unit_distributed [gpu])"),
    ("peak", "bf16 matmul peak"),
    ("models", "model folders"),
    ("hft-quickstart-bf16", "quickstart recipe, hft, bf16"),
    ("hft-quickstart-fp16", "quickstart recipe, hft, fp16"),
    ("resume", "save at step N, resume to 2N"),
    ("trainer-quickstart-bf16", "quickstart recipe, Python Trainer, bf16"),
    ("hft-bert-base-bf16", "bert-base, length 128, batch 32, hft, bf16"),
    ("trainer-bert-base-bf16", "bert-base, length 128, batch 32, Python Trainer, bf16"),
]
# (label, hft stage, Trainer stage): the side-by-side comparisons.
PAIRS = [("quickstart bf16", "hft-quickstart-bf16", "trainer-quickstart-bf16"),
         ("bert-base bf16", "hft-bert-base-bf16", "trainer-bert-base-bf16")]
RESUME_TOLERANCE = 1e-3  # |loss difference| still called equal (GPU kernels are not bitwise reproducible)


def read_json(path):
    """The parsed file, or None when it is missing or unreadable (a stage cut short)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def logged_losses(state):
    """{step: loss} of the training log lines in a trainer_state.json."""
    return {e["step"]: e["loss"] for e in (state or {}).get("log_history", []) if "loss" in e and "step" in e}


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)


def run_facts(folder):
    """What one output_dir says: steps, batch, runtime, FLOPs, losses, accuracy (None where absent)."""
    state = read_json(os.path.join(folder, "trainer_state.json"))
    results = read_json(os.path.join(folder, "train_results.json")) or {}
    evaluation = read_json(os.path.join(folder, "eval_results.json")) or {}
    if state is None:
        return None
    return {"steps": state.get("global_step"), "batch": state.get("train_batch_size"),
            "runtime": results.get("train_runtime"), "flos": results.get("total_flos", state.get("total_flos")),
            "losses": logged_losses(state), "eval_accuracy": evaluation.get("eval_accuracy")}


def measured_case(work, name, peak_flops):
    """The steady-state figures of runs/NAME/{short,long}, or the reason there are none."""
    short = run_facts(os.path.join(work, "runs", name, "short"))
    long = run_facts(os.path.join(work, "runs", name, "long"))
    case = {"losses_finite": None, "samples_per_s": None, "mfu": None, "eval_accuracy": None, "problem": None}
    if long is None:
        case["problem"] = "no trainer_state.json from the long run"
        return case
    losses = [v for _, v in sorted(long["losses"].items())] + ([] if short is None else list(short["losses"].values()))
    case["losses_finite"] = bool(losses) and all(finite(x) for x in losses)
    case["logged_losses"] = len(long["losses"])
    case["last_loss"] = long["losses"][max(long["losses"])] if long["losses"] else None
    case["eval_accuracy"] = long["eval_accuracy"]
    if short is None:
        case["problem"] = "no trainer_state.json from the short run"
        return case
    need = ("steps", "batch", "runtime", "flos")
    if not all(finite(long[k]) and finite(short[k]) for k in need):
        case["problem"] = "train_results.json lacks train_runtime or total_flos"
        return case
    seconds = long["runtime"] - short["runtime"]
    steps = long["steps"] - short["steps"]
    if seconds <= 0 or steps <= 0:
        case["problem"] = f"the long run is not longer ({steps} more steps, {seconds:.3f} s more)"
        return case
    case["steps"] = [short["steps"], long["steps"]]
    case["ms_per_step"] = 1e3 * seconds / steps
    case["samples_per_s"] = steps * long["batch"] / seconds
    case["flops_per_s"] = (long["flos"] - short["flos"]) / seconds
    if peak_flops and name.endswith("bf16"):  # the peak is bf16's: no MFU for an fp16 run
        case["mfu"] = case["flops_per_s"] / peak_flops
    return case


def resume_verdict(work, resume_step):
    """Every loss logged after the checkpoint, resumed against uninterrupted."""
    full = read_json(os.path.join(work, "runs", "resume", "full", "trainer_state.json"))
    resumed = read_json(os.path.join(work, "runs", "resume", "resumed", "trainer_state.json"))
    if full is None or resumed is None or resume_step is None:
        return {"verdict": "NO RESULT", "compared": 0, "max_abs_diff": None}
    a, b = logged_losses(full), logged_losses(resumed)
    steps = sorted(s for s in a if s > resume_step)
    missing = [s for s in steps if s not in b]
    if not steps or missing:
        return {"verdict": "NO RESULT" if not steps else f"DIFFERENT: steps {missing} missing after resuming",
                "compared": 0, "max_abs_diff": None}
    if not all(finite(a[s]) and finite(b[s]) for s in steps):
        return {"verdict": "DIFFERENT: a non-finite loss", "compared": len(steps), "max_abs_diff": None}
    diff = max(abs(a[s] - b[s]) for s in steps)
    if diff == 0:
        verdict = "IDENTICAL"
    elif diff <= RESUME_TOLERANCE:
        verdict = f"EQUAL within {RESUME_TOLERANCE:g}"
    else:
        verdict = "DIFFERENT"
    return {"verdict": verdict, "compared": len(steps), "max_abs_diff": diff, "after_step": resume_step}


def stage_line(name, what, record):
    if record is None:
        return f"{name}: MISSING (the run ended before it) - {what}"
    rc, seconds, note = record.get("rc"), record.get("seconds"), record.get("note", "")
    status = "ok" if rc == 0 else ("skipped" if rc == "skipped" else
                                   "TIMED OUT" if rc in (124, 137) else f"FAILED (exit {rc})")
    timing = f" in {seconds:.0f} s" if finite(seconds) else ""
    return f"{name}: {status}{timing} - {what}" + (f"; {note}" if note else "")


def case_line(label, side, case):
    head = f"{label}, {side}:"
    if case["losses_finite"] is None:
        return f"{head} NO RESULT ({case['problem']})"
    last = case["last_loss"]
    bits = [f"losses {'finite' if case['losses_finite'] else 'NON-FINITE'} ({case['logged_losses']} logged"
            + (f", last {last:.4f})" if isinstance(last, (int, float)) else ")")]
    if case["samples_per_s"] is not None:
        bits.append(f"steady {case['samples_per_s']:.1f} samples/s ({case['ms_per_step']:.2f} ms/step, "
                    f"steps {case['steps'][0]} to {case['steps'][1]})")
    else:
        bits.append(f"no speed: {case['problem']}")
    if case["mfu"] is not None:
        bits.append(f"MFU {100 * case['mfu']:.1f}%")
    if case["eval_accuracy"] is not None:
        bits.append(f"eval_accuracy {case['eval_accuracy']:.4f}")
    return head + " " + "; ".join(bits)


def summarise(work):
    records = {name: read_json(os.path.join(work, "stages", f"{name}.json")) for name, _ in STAGES}
    facts = read_json(os.path.join(work, "facts.json")) or {}
    peak = read_json(os.path.join(work, "peak.json")) or {}
    peak_flops = peak.get("bf16_gflops", 0) * 1e9 or None
    lines = ["hft GPU check (scripts/gpu_check.sh): summary, rewritten after every stage"]
    if facts:
        lines.append("machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()))
    if peak_flops:
        lines.append(f"bf16 matmul peak measured in this run: {peak_flops / 1e12:.4g} TFLOP/s")
    lines += [stage_line(name, what, records[name]) for name, what in STAGES]
    out = {"stages": {name: records[name] for name, _ in STAGES}, "facts": facts,
           "bf16_peak_flops": peak_flops, "cases": {}, "ratios": {}}
    for name, _ in STAGES:
        if name.startswith(("hft-", "trainer-")) and records[name] is not None:
            out["cases"][name] = measured_case(work, name, peak_flops)
    for label, hft, trainer in PAIRS:
        for side, name in (("hft", hft), ("Trainer", trainer)):
            if name in out["cases"]:
                lines.append(case_line(label, side, out["cases"][name]))
        a, b = out["cases"].get(hft, {}), out["cases"].get(trainer, {})
        if a.get("samples_per_s") and b.get("samples_per_s"):
            out["ratios"][label] = a["samples_per_s"] / b["samples_per_s"]
            lines.append(f"{label}: hft/Trainer training samples/s {out['ratios'][label]:.2f}x")
    if "hft-quickstart-fp16" in out["cases"]:
        lines.append(case_line("quickstart fp16", "hft", out["cases"]["hft-quickstart-fp16"]))
    if records["resume"] is not None:
        out["resume"] = resume_verdict(work, records["resume"].get("resume_step"))
        r = out["resume"]
        detail = (f"{r['compared']} logged losses after step {r['after_step']}, max |difference| {r['max_abs_diff']:.3g}"
                  if r["max_abs_diff"] is not None else "")
        lines.append(f"resume: {r['verdict']}" + (f" ({detail})" if detail else ""))
    out["missing"] = [name for name, _ in STAGES if records[name] is None]
    return "\n".join(lines) + "\n", out


def main(argv):
    args = list(argv)
    if not args or args[0].startswith("-"):
        sys.stderr.write("gpu_check_summary: no work folder; expected: gpu_check_summary.py WORK [--text F] [--json F]\n")
        return 2
    work, targets = args.pop(0), {}
    while args:
        flag = args.pop(0)
        if flag not in ("--text", "--json") or not args:
            sys.stderr.write(f"gpu_check_summary: unknown argument {flag!r}; expected --text FILE or --json FILE\n")
            return 2
        targets[flag] = args.pop(0)
    if not os.path.isdir(work):
        sys.stderr.write(f"gpu_check_summary: {work}: not a folder; expected gpu_check.sh's work folder\n")
        return 2
    text, data = summarise(work)
    sys.stdout.write(text)
    for flag, content in (("--text", text), ("--json", json.dumps(data, indent=1) + "\n")):
        if flag in targets:
            tmp = targets[flag] + ".tmp"
            with open(tmp, "w") as f:
                f.write(content)
            os.replace(tmp, targets[flag])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
