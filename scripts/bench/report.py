#!/usr/bin/env python3
"""Summarises suite.py's raw measurements: OUT/<stamp>.md (a table) and OUT/<stamp>.json.

Every figure is the median over the repetitions with its min and max. Ratios are computed pair by
pair (repetition i of hft against repetition i of the Python Trainer) and then summarised, always
oriented so that above 1 means hft is better: Python / hft for times and memory, hft / Python for
rates. Training throughput counts the training loop only (train_runtime less the evaluations run
inside it). Padded tokens are the Trainer's own estimate (total_flos / (6 x non-embedding
parameters), input_ids.numel() summed over the batches); real tokens are the encoded lengths of
the training rows (the reference's tokenizer, which hft's tests match row for row) times the epochs.

The time per optimizer step is the training loop's time (as above) over trainer_state.json's
global_step. The saved sizes: the weights in output_dir (adapter_model.safetensors with use_peft, else
model.safetensors) and the first checkpoint folder whole (weights, optimizer and scheduler state).
For a LoRA row the model FLOPs stay 6·N·tokens, as for full fine-tuning (an upper bound there: the
frozen weights get no weight gradient).

The correctness check: per pair, |hft accuracy - Python accuracy| <= 0.5 points: PASS or FAIL; for a
recipe without an accuracy (supervised fine-tuning), the final eval_loss, |hft - Python| <= 1e-3 relative;
n/a for a recipe whose raw entry has no_quality_check (a random-initialised model), LoRA rows as the others.

LoRA against full fine-tuning: for each pair of rows present (lora_minilm / seed_minilm, lora_smollm2 /
sft_smollm2, lora_bertbase / full_bertbase), per side, the ratio full / LoRA of the medians of peak
memory, time per optimizer step, saved weights and checkpoint size (above 1: LoRA smaller or faster),
beside hft's advantage on the LoRA row (Trainer + PEFT / hft, pair by pair, as in its own table).
Usage: report.py OUT/<stamp>.raw.json  (prints the Markdown; exits 0 whatever the timings)
"""
import json
import os
import statistics
import sys

ACCURACY_TOLERANCE_POINTS = 0.5
EVAL_LOSS_TOLERANCE_RELATIVE = 1e-3

# name, label, unit, better ("lower" or "higher"), format
FIGURES = [
    ("wall_s", "end-to-end wall time (process start to results written)", "s", "lower", "{:.1f}"),
    ("first_step_s", "time to first optimizer step", "s", "lower", "{:.2f}"),
    ("train_samples_per_s", "training throughput", "samples/s", "higher", "{:.1f}"),
    ("train_real_tokens_per_s", "training throughput, real tokens", "tokens/s", "higher", "{:.0f}"),
    ("train_padded_tokens_per_s", "training throughput, padded tokens", "tokens/s", "higher", "{:.0f}"),
    ("eval_samples_per_s", "evaluation throughput (final evaluation)", "samples/s", "higher", "{:.1f}"),
    ("peak_rss_mib", "peak resident memory", "MiB", "lower", "{:.0f}"),
    ("train_step_s", "time per optimizer step (training loop)", "s", "lower", "{:.3f}"),
    ("weights_mib", "saved weights (adapter_model or model .safetensors)", "MiB", "lower", "{:.2f}"),
    ("checkpoint_mib", "first checkpoint folder (weights, optimizer, scheduler, state)", "MiB", "lower", "{:.2f}"),
    ("train_gflops", "achieved training GFLOP/s (6·N·real tokens: the batches' model FLOPs)", "GFLOP/s", "higher", "{:.1f}"),
    ("train_mfu_fp32", "training MFU vs fp32 matmul peak (real tokens)", "%", "higher", "{:.1f}"),
    ("eval_accuracy", "final dev accuracy", "%", "none", "{:.2f}"),
    ("eval_loss", "final dev loss", "nats/token", "none", "{:.4f}"),
]


def median_range(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt(summary, form):
    if summary is None:
        return "–"
    if summary["n"] == 1:
        return form.format(summary["median"])
    return f"{form.format(summary['median'])} ({form.format(summary['min'])}–{form.format(summary['max'])})"


def reference_facts(runs):
    """Real tokens per epoch and non-embedding parameters, from any successful reference run."""
    for run in runs:
        if "reference" in run:
            return run["reference"]
    return {}


def derive(run, facts, fp32_peak_gflops):
    """The per-run figures of FIGURES from one run's raw measurements."""
    if run["exit_code"] != 0:
        return {}  # a failed run has no figures; its pair has no ratios
    out = {"wall_s": run["wall_s"], "first_step_s": run["first_step_s"], "peak_rss_mib": run["peak_rss_mib"]}
    train_s = run["train_runtime"] - run["in_loop_eval_s"]
    epochs = round(run["epoch"] or 0)
    out["train_samples_per_s"] = run["train_samples"] / train_s
    if run.get("steps"):  # absent from raw files written before it was recorded
        out["train_step_s"] = train_s / run["steps"]
    out["weights_mib"] = run.get("weights_mib")
    out["checkpoint_mib"] = run.get("checkpoint_mib")
    if facts.get("real_tokens_per_epoch"):
        out["train_real_tokens_per_s"] = facts["real_tokens_per_epoch"] * epochs / train_s
    if facts.get("non_embedding_parameters") and run.get("total_flos"):
        out["train_padded_tokens_per_s"] = run["total_flos"] / (6 * facts["non_embedding_parameters"]) / train_s
    # Model FLOPs over the real tokens only: the Trainer's total_flos counts padded positions,
    # which hft skips in training, so it would credit hft with work it does not do.
    if facts.get("non_embedding_parameters") and "train_real_tokens_per_s" in out:
        out["train_gflops"] = 6 * facts["non_embedding_parameters"] * out["train_real_tokens_per_s"] / 1e9
        if fp32_peak_gflops:
            out["train_mfu_fp32"] = 100 * out["train_gflops"] / fp32_peak_gflops
    out["eval_samples_per_s"] = run["eval_samples_per_second"]
    out["eval_accuracy"] = None if run["eval_accuracy"] is None else 100 * run["eval_accuracy"]
    out["eval_loss"] = run.get("eval_loss")
    return out


def pair_ratio(hft, python, better):
    if hft is None or python is None or hft == 0 or python == 0:
        return None
    return python / hft if better == "lower" else hft / python


# Figures of the one-step probes: (cache, figure, label).
PROBE_FIGURES = [("cold", "first_step_s", "one-step run: time to first optimizer step, cold data cache"),
                 ("warm", "first_step_s", "one-step run: time to first optimizer step, warm data cache"),
                 ("warm", "wall_s", "one-step run: wall time, warm data cache")]


def summarise_probes(probes):
    out = {}
    for cache, key, label in PROBE_FIGURES:
        pick = {side: sorted((p for p in probes if p["side"] == side and p["cache"] == cache and p["exit_code"] == 0),
                             key=lambda p: str(p["repetition"])) for side in ("hft", "python")}
        hft = [p[key] for p in pick["hft"]]
        python = [p[key] for p in pick["python"]]
        out[f"{cache}_{key}"] = {"label": label, "unit": "s", "better": "lower", "hft": median_range(hft),
                                 "python": median_range(python),
                                 "ratio": median_range([pair_ratio(h, p, "lower") for h, p in zip(hft, python)])}
    return out


def summarise_recipe(runs, fp32_peak, no_quality_check=None):
    facts = reference_facts(runs)
    by_side = {side: sorted((r for r in runs if r["side"] == side), key=lambda r: r["repetition"])
               for side in ("hft", "python")}
    derived = {side: [derive(r, facts, fp32_peak) for r in rs] for side, rs in by_side.items()}
    summary = {"figures": {}, "accuracy_pairs": []}
    for name, label, unit, better, _ in FIGURES:
        hft = [d.get(name) for d in derived["hft"]]
        python = [d.get(name) for d in derived["python"]]
        ratios = [pair_ratio(h, p, better) for h, p in zip(hft, python)] if better != "none" else []
        summary["figures"][name] = {"label": label, "unit": unit, "better": better, "hft": median_range(hft),
                                    "python": median_range(python), "ratio": median_range(ratios)}
    # The quality compared: dev accuracy where the recipe has one, else (text-generation) the final eval_loss.
    by_loss = not any(d.get("eval_accuracy") is not None for d in derived["hft"] + derived["python"])
    summary["quality"] = "eval_loss" if by_loss else "eval_accuracy"
    for h, p in zip(derived["hft"], derived["python"]):
        if h.get(summary["quality"]) is None or p.get(summary["quality"]) is None:
            summary["accuracy_pairs"].append({"difference_points": None, "pass": False})
            continue
        if by_loss:
            relative = abs(h["eval_loss"] - p["eval_loss"]) / max(abs(p["eval_loss"]), 1e-12)
            summary["accuracy_pairs"].append({"difference_points": h["eval_loss"] - p["eval_loss"],
                                              "relative_difference": relative,
                                              "pass": relative <= EVAL_LOSS_TOLERANCE_RELATIVE})
            continue
        difference = h["eval_accuracy"] - p["eval_accuracy"]
        summary["accuracy_pairs"].append({"difference_points": difference,
                                          "pass": abs(difference) <= ACCURACY_TOLERANCE_POINTS + 1e-9})
    summary["accuracy_check"] = "PASS" if summary["accuracy_pairs"] and all(
        p["pass"] for p in summary["accuracy_pairs"]) else "FAIL"
    if no_quality_check:
        summary["accuracy_check"], summary["no_quality_check"] = "n/a", no_quality_check
    summary["facts"] = facts
    summary["failed_runs"] = [f"{r['side']} run {r['repetition']} (exit {r['exit_code']}, {r['log']})"
                              for r in runs if r["exit_code"] != 0]
    return summary


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def flat_figures(obj, prefix=""):
    """Top-level numbers, and the ratios and scalings nested below (tokenize_throughput's per-tokenizer
    hft/Python ratios and thread scalings)."""
    out = {}
    for k, v in obj.items():
        name = f"{prefix}{k}"
        if is_number(v) and (not prefix or "ratio" in k or "scaling" in k):
            out[name] = v
        elif isinstance(v, dict):
            out.update(flat_figures(v, f"{name} / " if prefix or k != "results" else ""))
    return out


def numeric_summary(objects):
    """Median/min/max of every figure of a sub-benchmark's per-run JSON objects."""
    good = [flat_figures(o) for o in objects if "error" not in o]
    if not good:
        return {"error": objects[0].get("error") if objects else "not run"}
    return {k: median_range([o.get(k) for o in good]) for k in good[0]}


def summarise(raw):
    subs = {name: numeric_summary(objs) for name, objs in raw.get("sub_benchmarks", {}).items()}
    peak = subs.get("matmul_peak", {}).get("fp32_gflops")
    fp32_peak = peak["median"] if isinstance(peak, dict) else None
    recipes = {}
    for name, spec in raw.get("recipes", {}).items():
        runs = [r for r in raw.get("end_to_end", []) if r["recipe"] == name]
        probes = [p for p in raw.get("first_step_probes", []) if p["recipe"] == name]
        if not runs and not probes:
            continue  # a row neither run nor probed (a LoRA pair's row left out of --recipes)
        recipes[name] = (summarise_recipe(runs, fp32_peak, spec.get("no_quality_check")) if runs else
                         {"figures": {}, "accuracy_pairs": [], "accuracy_check": "not run", "failed_runs": []})
        recipes[name]["probes"] = summarise_probes(probes)
    return {"recipes": recipes, "lora_vs_full": lora_vs_full(recipes), "sub_benchmarks": subs}


# (LoRA row, full fine-tuning row of the same model, recipe and training rows).
LORA_PAIRS = [("lora_minilm", "seed_minilm"), ("lora_smollm2", "sft_smollm2"), ("lora_bertbase", "full_bertbase")]
# The figures compared full / LoRA: (figure, label, format of the medians).
LORA_FIGURES = [("peak_rss_mib", "peak resident memory (MiB)", "{:.0f}"),
                ("train_step_s", "time per optimizer step (s)", "{:.3f}"),
                ("weights_mib", "saved weights (MiB)", "{:.2f}"),
                ("checkpoint_mib", "first checkpoint folder (MiB)", "{:.2f}")]


def median_of(recipe, figure, side):
    summary = recipe["figures"].get(figure, {}).get(side)
    return summary["median"] if summary else None


def lora_vs_full(recipes):
    """Per pair of rows both run: per figure and side, the medians and the ratio full / LoRA (above 1:
    LoRA smaller or faster), and the LoRA row's hft advantage (its pair-by-pair ratio)."""
    out = {}
    for lora_name, full_name in LORA_PAIRS:
        lora, full = recipes.get(lora_name), recipes.get(full_name)
        if not (lora and full and lora["figures"] and full["figures"]):
            continue
        figures = {}
        for key, label, _ in LORA_FIGURES:
            entry = {"label": label, "lora_hft_advantage": lora["figures"][key]["ratio"]}
            for side in ("hft", "python"):
                f, l = median_of(full, key, side), median_of(lora, key, side)
                entry[side] = {"full": f, "lora": l, "full_over_lora": f / l if f and l else None}
            figures[key] = entry
        out[lora_name] = {"full": full_name, "figures": figures, "lora_quality_check": lora["accuracy_check"]}
    return out


def recipe_table(name, raw, summary):
    spec = raw["recipes"][name]
    lines = [f"### {name}: `{spec['recipe']}` {' '.join(spec['overrides'])}", "",
             "| figure | hft | Python Trainer | hft advantage (pair by pair) |", "|---|---|---|---|"]
    rows = [(summary["figures"][key], form) for key, _, _, _, form in FIGURES if key in summary["figures"]]
    rows += [(f, "{:.2f}") for f in summary["probes"].values()]
    for f, form in rows:
        ratio = fmt(f["ratio"], "{:.2f}") + "x" if f["ratio"] else "–"
        lines.append(f"| {f['label']} ({f['unit']}) | {fmt(f['hft'], form)} | {fmt(f['python'], form)} | {ratio} |")
    if summary.get("accuracy_check") == "n/a":
        lines += ["", f"Accuracy check: **n/a** ({summary['no_quality_check']}).", ""]
    elif summary.get("quality") == "eval_loss":
        differences = ", ".join("–" if p["difference_points"] is None else
                                f"{p['difference_points']:+.5f} ({p['relative_difference']:.1e} relative)"
                                for p in summary["accuracy_pairs"])
        lines += ["", f"Same-loss check (final eval_loss, |hft − Python| ≤ {EVAL_LOSS_TOLERANCE_RELATIVE:g} relative in "
                      f"every pair; differences {differences}): **{summary['accuracy_check']}**", ""]
    else:
        differences = ", ".join("–" if p["difference_points"] is None else f"{p['difference_points']:+.2f}"
                                for p in summary["accuracy_pairs"])
        lines += ["", f"Accuracy check (|hft − Python| ≤ {ACCURACY_TOLERANCE_POINTS} points in every pair; "
                      f"differences {differences}): **{summary['accuracy_check']}**", ""]
    if summary["failed_runs"]:
        lines += ["Failed runs: " + "; ".join(summary["failed_runs"]), ""]
    return lines


def lora_table(comparison):
    if not comparison:
        return []
    lines = ["### LoRA against full fine-tuning", "",
             "The same model, recipe and training rows; medians per side, full / LoRA above 1 where LoRA is smaller "
             "or faster. Time per optimizer step: (train_runtime − in-loop evaluation) / global_step. The last "
             "column: hft against the Trainer + PEFT on the LoRA row, pair by pair (above 1: hft better).", "",
             "| LoRA row (full row) | figure | hft full | hft LoRA | hft full/LoRA | Python full | Python LoRA | "
             "Python full/LoRA | hft advantage, LoRA row |", "|---|---|---|---|---|---|---|---|---|"]

    def number(value, form):
        return "–" if value is None else form.format(value)

    for lora_name, pair in comparison.items():
        for key, _, form in LORA_FIGURES:
            entry = pair["figures"][key]
            hft, python = entry["hft"], entry["python"]
            advantage = entry["lora_hft_advantage"]
            lines.append(f"| {lora_name} ({pair['full']}) | {entry['label']} | {number(hft['full'], form)} | "
                         f"{number(hft['lora'], form)} | {number(hft['full_over_lora'], '{:.2f}x')} | "
                         f"{number(python['full'], form)} | {number(python['lora'], form)} | "
                         f"{number(python['full_over_lora'], '{:.2f}x')} | "
                         f"{fmt(advantage, '{:.2f}') + 'x' if advantage else '–'} |")
    checks = ", ".join(f"{name} {pair['lora_quality_check']}" for name, pair in comparison.items())
    return lines + ["", f"Quality checks of the LoRA rows (hft against the Trainer + PEFT, as above): {checks}.", ""]


def sub_table(subs):
    lines = ["### Sub-benchmarks", "", "| benchmark | figure | median (min–max) |", "|---|---|---|"]
    for name, figures in subs.items():
        if "error" in figures:
            lines.append(f"| {name} | – | {figures['error']} |")
            continue
        for key, value in figures.items():
            lines.append(f"| {name} | {key} | {fmt(value, '{:.3g}')} |")
    return lines + [""]


def goals(raw, summary):
    lines = ["### Goals of issue 8", ""]
    seed = summary["recipes"].get("seed_minilm")
    quick = summary["recipes"].get("quickstart")
    if seed and seed["figures"]:
        ratio = seed["figures"]["wall_s"]["ratio"]
        met = ratio and ratio["median"] >= 1.5 and seed["accuracy_check"] == "PASS"
        lines.append(f"- Seed hyperparameters, end-to-end wall time Python/hft: {fmt(ratio, '{:.2f}')}x "
                     f"(goal ≥ 1.5x) with accuracy check {seed['accuracy_check']}: {'met' if met else 'not met'}.")
        memory = seed["figures"]["peak_rss_mib"]["ratio"]
        lines.append(f"- Peak memory Python/hft (seed): {fmt(memory, '{:.2f}')}x (goal ≥ 1): "
                     f"{'met' if memory and memory['median'] >= 1 else 'not met'}.")
    if quick:
        warm = quick["probes"]["warm_first_step_s"]["hft"]
        cold = quick["probes"]["cold_first_step_s"]["hft"]
        lines.append(f"- Time to first optimizer step, quickstart, hft: warm cache {fmt(warm, '{:.2f}')} s, cold "
                     f"{fmt(cold, '{:.2f}')} s (goal < 2 s with a warm cache): "
                     f"{'met' if warm and warm['median'] < 2 else 'not met' if warm else 'no warm-cache run'}.")
    for name in ("sft_smollm2", "sft_smollm2_packed"):
        sft = summary["recipes"].get(name)
        if sft and sft["figures"]:
            ratio = sft["figures"]["train_real_tokens_per_s"]["ratio"]
            lines.append(f"- SFT throughput ({name}), real tokens/s hft/Trainer: {fmt(ratio, '{:.2f}')}x, "
                         f"same final eval_loss: {sft['accuracy_check']}.")
    step = summary["sub_benchmarks"].get("model_step", {})
    if "error" in step:
        lines.append(f"- MFU of a bert-base training step (fp32, bf16): not measured ({step['error']}).")
    else:
        mfu = {k: v for k, v in step.items() if "mfu" in k.lower()}
        percent = {k: {f: 100 * x if f != "n" else x for f, x in v.items()} for k, v in mfu.items()}
        lines.append("- Model FLOPs utilisation of a bert-base training step, % of the matmul peak (goal ≥ 50%): " +
                     (", ".join(f"{k} {fmt(v, '{:.1f}')}" for k, v in percent.items()) or "see model_step rows") + ".")
    return lines + [""]


def markdown(raw, summary):
    m = raw["machine"]
    load = f"load average {m['load_average_at_start'][0]:.1f} at start, {m.get('load_average_at_end', [0])[0]:.1f} at end"
    lines = [f"## Benchmark {raw['stamp']}: hft vs the transformers Trainer", "",
             f"Machine: {m['cpu']}, {m['cores']} cores; {raw['threads']} threads for both sides; {load}. "
             f"{raw['runs']} run(s) per figure{' (quick mode)' if raw['quick'] else ''}.",
             "", "**Taken under load** (a shared machine with other engineers compiling): noisy, to be re-run on an "
             "idle machine.", "",
             f"Seed hyperparameters on all-MiniLM-L6-v2 with a fixed subset: the first {raw['seed_subset']['rows']} "
             f"SST-2 training rows, {raw['seed_subset']['epochs']} epoch(s) (the seed runs 3 on all 67,349), "
             "evaluated on the SST-2 dev set.", ""]
    for name in summary["recipes"]:
        lines += recipe_table(name, raw, summary["recipes"][name])
    lines += lora_table(summary["lora_vs_full"])
    lines += sub_table(summary["sub_benchmarks"])
    lines += goals(raw, summary)
    return "\n".join(lines)


def main():
    raw_path = sys.argv[1]
    with open(raw_path) as f:
        raw = json.load(f)
    summary = summarise(raw)
    base = raw_path[: -len(".raw.json")] if raw_path.endswith(".raw.json") else os.path.splitext(raw_path)[0]
    text = markdown(raw, summary)
    with open(base + ".md", "w") as f:
        f.write(text + "\n")
    with open(base + ".json", "w") as f:
        json.dump({"summary": summary, "raw": raw}, f, indent=2)
    print(text)
    for name, recipe in summary["recipes"].items():
        print(f"bench: accuracy check {name}: {recipe['accuracy_check']}")
    print(f"bench: wrote {base}.md and {base}.json")


if __name__ == "__main__":
    main()
