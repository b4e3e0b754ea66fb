"""scripts/gpu_check_summary.py on made-up work folders of scripts/gpu_check.sh, against figures
computed by hand here: steady-state samples/s from two runs' differences, the hft/Trainer ratio,
MFU against the measured peak, the resume verdict, non-finite losses, and stages that never ran
(a run cut short) or timed out."""
import json
import math
import os
import subprocess
import sys
import tempfile

from hft_e2e import REPO, check

SUMMARY = os.path.join(REPO, "scripts", "gpu_check_summary.py")


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))


def output_dir(path, steps, runtime, flos, losses, accuracy=None, batch=32):
    """The files hft and the Trainer write that the summary reads."""
    log = [{"step": s, "loss": v} for s, v in losses.items()]
    write(f"{path}/trainer_state.json", {"global_step": steps, "train_batch_size": batch, "log_history": log})
    write(f"{path}/train_results.json", {"train_runtime": runtime, "total_flos": flos})
    if accuracy is not None:
        write(f"{path}/eval_results.json", {"eval_accuracy": accuracy})


def stage(work, name, rc=0, seconds=1, note="", **extra):
    write(f"{work}/stages/{name}.json", dict(rc=rc, seconds=seconds, note=note, **extra))


def summarise(work):
    done = subprocess.run([sys.executable, SUMMARY, work, "--json", f"{work}/s.json", "--text", f"{work}/s.txt"],
                          capture_output=True, text=True, timeout=60)
    check(done.returncode == 0, f"gpu_check_summary.py failed: {done.stderr}")
    with open(f"{work}/s.json") as f, open(f"{work}/s.txt") as g:
        return json.load(f), g.read()


def close(a, b):
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


def check_full_run(work):
    """Every stage but the last ran; hand-computed figures."""
    write(f"{work}/facts.json", {"device": "NVIDIA H200", "torch": "2.11.0+cu130"})
    write(f"{work}/peak.json", {"bf16_gflops": 800000.0})  # 800 TFLOP/s
    for name in ("facts", "build", "env", "nccl", "peak", "models"):
        stage(work, name)
    ql = {10: 0.69, 20: 0.61, 30: 0.55}
    # hft quickstart: 200 more steps of 32 in 4 s more = 1600 samples/s, 20 ms/step;
    # 4e14 more FLOPs in 4 s = 1e14 FLOP/s = 12.5% of 8e14.
    stage(work, "hft-quickstart-bf16")
    output_dir(f"{work}/runs/hft-quickstart-bf16/short", 60, 2.0, 1.0e14, ql)
    output_dir(f"{work}/runs/hft-quickstart-bf16/long", 260, 6.0, 5.0e14, ql, accuracy=0.8532)
    # fp16: a NaN among the logged losses.
    stage(work, "hft-quickstart-fp16")
    output_dir(f"{work}/runs/hft-quickstart-fp16/short", 60, 2.0, 1.0e14, ql)
    output_dir(f"{work}/runs/hft-quickstart-fp16/long", 260, 6.0, 5.0e14, {10: 0.69, 20: float("nan"), 30: 0.5})
    # resume at 40: losses after it differ by at most 4e-4 (step 60).
    stage(work, "resume", resume_step=40)
    full = {10: 0.7, 20: 0.6, 30: 0.5, 40: 0.45, 50: 0.40, 60: 0.35, 70: 0.30, 80: 0.25}
    resumed = {10: 0.7, 20: 0.6, 30: 0.5, 40: 0.45, 50: 0.40, 60: 0.3504, 70: 0.30, 80: 0.25}
    output_dir(f"{work}/runs/resume/full", 80, 1.0, 1.0, full)
    output_dir(f"{work}/runs/resume/resumed", 80, 1.0, 1.0, resumed)
    # Trainer quickstart: 6400 samples in 8 s = 800 samples/s; 4e14 / 8 s = 5e13 = 6.25%. Ratio 2.
    stage(work, "trainer-quickstart-bf16")
    output_dir(f"{work}/runs/trainer-quickstart-bf16/short", 60, 5.0, 1.0e14, ql)
    output_dir(f"{work}/runs/trainer-quickstart-bf16/long", 260, 13.0, 5.0e14, ql, accuracy=0.8521)
    # hft bert-base: 100 steps x 32 in 2 s = 1600 samples/s; 1e15 FLOPs / 2 s = 5e14 = 62.5%.
    stage(work, "hft-bert-base-bf16")
    output_dir(f"{work}/runs/hft-bert-base-bf16/short", 20, 1.5, 2.0e14, {20: 7.0})
    output_dir(f"{work}/runs/hft-bert-base-bf16/long", 120, 3.5, 1.2e15, {20: 7.0, 120: 6.9})
    # trainer-bert-base-bf16: never ran (the run was cut short).

    data, text = summarise(work)
    q, t, b = (data["cases"][n] for n in ("hft-quickstart-bf16", "trainer-quickstart-bf16", "hft-bert-base-bf16"))
    check(close(q["samples_per_s"], 1600.0) and close(q["ms_per_step"], 20.0) and close(q["mfu"], 0.125),
          f"hft quickstart: expected 1600 samples/s, 20 ms/step, MFU 0.125; got {q}")
    check(close(t["samples_per_s"], 800.0) and close(t["mfu"], 0.0625),
          f"Trainer quickstart: expected 800 samples/s, MFU 0.0625; got {t}")
    check(close(data["ratios"].get("quickstart bf16"), 2.0), f"expected the ratio 2.0; got {data['ratios']}")
    check(close(b["samples_per_s"], 1600.0) and close(b["mfu"], 0.625), f"hft bert-base: expected 1600, 0.625; got {b}")
    f16 = data["cases"]["hft-quickstart-fp16"]
    check(q["losses_finite"] is True and f16["losses_finite"] is False and f16["mfu"] is None,
          f"expected bf16 losses finite, the fp16 NaN detected and no fp16 MFU (the peak is bf16's); got {f16}")
    check(close(q["eval_accuracy"], 0.8532), f"expected eval_accuracy 0.8532; got {q['eval_accuracy']}")
    r = data["resume"]
    check(r["verdict"] == "EQUAL within 0.001" and r["compared"] == 4 and abs(r["max_abs_diff"] - 4e-4) < 1e-12,
          f"resume: expected EQUAL within 0.001 over steps 50-80, max diff 4e-4; got {r}")
    check(data["missing"] == ["trainer-bert-base-bf16"], f"expected only the last stage missing; got {data['missing']}")
    check("bert-base bf16: hft/Trainer" not in text, "a ratio was printed for bert-base without a Trainer run")
    for line in ("quickstart bf16: hft/Trainer training samples/s 2.00x",
                 "quickstart bf16, hft: losses finite (3 logged, last 0.5500); steady 1600.0 samples/s "
                 "(20.00 ms/step, steps 60 to 260); MFU 12.5%; eval_accuracy 0.8532",
                 "quickstart fp16, hft: losses NON-FINITE",
                 "bert-base bf16, hft: losses finite (2 logged, last 6.9000); steady 1600.0 samples/s "
                 "(20.00 ms/step, steps 20 to 120); MFU 62.5%",
                 "resume: EQUAL within 0.001 (4 logged losses after step 40, max |difference| 0.0004)",
                 "trainer-bert-base-bf16: MISSING (the run ended before it)",
                 "bf16 matmul peak measured in this run: 800 TFLOP/s"):
        check(line in text, f"summary lacks {line!r}:\n{text}")
    print("full run: samples/s, ratio, MFU, resume within tolerance, NaN and a missing stage as computed by hand")


def check_failures(work):
    """A build that timed out, a skipped stage, a resume that diverged, one that is identical."""
    stage(work, "facts")
    stage(work, "build", rc=124, seconds=360, note="cut at its 360 s cap")
    stage(work, "nccl", rc="skipped", seconds=0, note="dry run: no GPU, NCCL not tried")
    stage(work, "resume", resume_step=2)
    output_dir(f"{work}/runs/resume/full", 4, 1.0, 1.0, {2: 0.7, 4: 0.6})
    output_dir(f"{work}/runs/resume/resumed", 4, 1.0, 1.0, {2: 0.7, 4: 0.61})
    data, text = summarise(work)
    check("build: TIMED OUT in 360 s" in text and "nccl: skipped in 0 s" in text and "dry run: no GPU" in text,
          f"expected the timed-out build and the skipped NCCL stage named:\n{text}")
    check(data["resume"]["verdict"] == "DIFFERENT" and abs(data["resume"]["max_abs_diff"] - 0.01) < 1e-12,
          f"expected DIFFERENT with max diff 0.01; got {data['resume']}")
    check("env" in data["missing"] and "hft-quickstart-bf16" in data["missing"], f"missing: {data['missing']}")
    output_dir(f"{work}/runs/resume/resumed", 4, 1.0, 1.0, {2: 0.7, 4: 0.6})
    data, _ = summarise(work)
    check(data["resume"]["verdict"] == "IDENTICAL", f"expected IDENTICAL; got {data['resume']}")
    print("failures: a timed-out build, a skipped stage, missing stages, a diverged and an identical resume")


def check_bad_input(work):
    done = subprocess.run([sys.executable, SUMMARY, f"{work}/nowhere"], capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    check(done.returncode == 2 and len(lines) == 1 and "nowhere: not a folder" in lines[0],
          f"expected one line and exit 2 for a missing folder; got {done.returncode}: {done.stderr}")
    print("bad input: one line, exit 2")


def main():
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        check_full_run(a)
        check_failures(b)
        check_bad_input(b)


if __name__ == "__main__":
    main()
