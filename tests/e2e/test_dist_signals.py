"""The launcher under failure and preemption (two CPU workers over Gloo):
  - SIGKILL to one worker mid-run: the launcher exits non-zero within 60 s naming that rank, and
    neither worker process is left;
  - SIGTERM to the launcher: every rank stops after the same step, one complete checkpoint of that
    step exists, and a run with a different number of processes (one) resumes from it."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from hft_e2e import HFT, REPO, check, describe, run_hft
from test_dist_train import free_port, make_model

LONG_RUN = ["max_train_samples=512", "max_seq_length=32", "pad_to_max_length=true", "per_device_train_batch_size=4",
            "max_steps=2000", "learning_rate=1e-3", "logging_steps=1", "eval_strategy=no", "save_strategy=no"]


class Launch:
    """`hft train --nproc-per-node 2` in the background, its output collected line by line."""

    def __init__(self, model, out, extra=()):
        args = [HFT, "train", "configs/quickstart.yaml", "--nproc-per-node", "2", "--master-port", str(free_port()),
                f"model_name_or_path={model}", f"output_dir={out}", *LONG_RUN, *extra]
        self.process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self):
        return "".join(self.lines)

    def wait_for(self, pattern, seconds=300):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if re.search(pattern, self.output()):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.process.kill()
        check(False, f"no line matching {pattern!r}:\n{self.output()[-3000:]}")

    def workers(self):
        """{rank: pid} of the launcher's children."""
        found = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                if parent != self.process.pid:
                    continue
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = dict(kv.split(b"=", 1) for kv in f.read().split(b"\0") if b"=" in kv)
                found[int(env[b"RANK"])] = int(pid)
            except (OSError, KeyError, IndexError, ValueError):
                continue
        return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def sigkill_one_worker(model, tmp):
    launch = Launch(model, os.path.join(tmp, "killed"))
    launch.wait_for(r"\[rank 0\] .*\"loss\"")
    workers = launch.workers()
    check(sorted(workers) == [0, 1], f"workers found: {workers}")
    os.kill(workers[1], signal.SIGKILL)
    killed_at = time.time()
    try:
        code = launch.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        launch.process.kill()
        check(False, f"the launcher still runs 60 s after a worker was killed:\n{launch.output()[-3000:]}")
    elapsed = time.time() - killed_at
    launch.reader.join(5)
    check(code != 0, f"launcher exit code {code} after a worker was killed")
    check(re.search(r"rank 1 was killed by signal 9", launch.output()), f"rank not named:\n{launch.output()[-2000:]}")
    left = [pid for pid in workers.values() if alive(pid)]
    check(not left, f"processes left behind: {left}")
    print(f"SIGKILL to rank 1: launcher exited {code} after {elapsed:.1f} s naming rank 1; no worker left")


def sigterm_launcher(model, tmp):
    out = os.path.join(tmp, "preempted")
    launch = Launch(model, out)
    launch.wait_for(r"\[rank 0\] .*\"step\":([3-9]|\d\d)")
    launch.process.send_signal(signal.SIGTERM)
    code = launch.process.wait(timeout=120)
    launch.reader.join(5)
    text = launch.output()
    stops = {int(r): int(s) for r, s in re.findall(r"\[rank (\d)\] stopped at step (\d+)", text)}
    check(sorted(stops) == [0, 1], f"each rank should say where it stopped:\n{text[-3000:]}")
    check(len(set(stops.values())) == 1, f"ranks stopped at different steps: {stops}")
    step = stops[0]
    check(code == 128 + signal.SIGTERM, f"launcher exit code {code}, expected 143")
    checkpoints = sorted(d for d in os.listdir(out) if d.startswith("checkpoint-"))
    check(checkpoints == [f"checkpoint-{step}"], f"checkpoints {checkpoints}, expected checkpoint-{step}")
    state = json.load(open(os.path.join(out, f"checkpoint-{step}", "trainer_state.json")))
    check(state["global_step"] == step, f"checkpoint global_step {state['global_step']}")
    print(f"SIGTERM to the launcher: both ranks stopped at step {step}; checkpoint-{step} written; exit {code}")

    # Resume with one process instead of two: it continues from the checkpoint's step.
    done = run_hft("train", "configs/quickstart.yaml", f"model_name_or_path={model}", f"output_dir={out}",
                   *[a for a in LONG_RUN if not a.startswith("max_steps=")], f"max_steps={step + 2}",
                   "resume_from_checkpoint=true", timeout=600)
    check(done.returncode == 0, describe(done))
    state = json.load(open(os.path.join(out, "trainer_state.json")))
    logged = [e["step"] for e in state["log_history"] if "loss" in e]
    check(state["global_step"] == step + 2 and logged[-2:] == [step + 1, step + 2],
          f"resumed run: global_step {state['global_step']}, logged steps {logged}")
    print(f"resumed with 1 process from checkpoint-{step} to step {step + 2}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        make_model(model)
        sigkill_one_worker(model, tmp)
        sigterm_launcher(model, tmp)


if __name__ == "__main__":
    main()
