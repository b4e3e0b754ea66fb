"""scripts/slurm/hft.sbatch on this machine, with stand-ins for SLURM's srun and scontrol (written
to a temporary folder and put first on PATH): srun starts SLURM_NTASKS copies of the command with
SLURM_STEP_ID / SLURM_PROCID / SLURM_LOCALID set as srun sets them and passes SIGTERM on; scontrol expands the node
list and records `requeue`. Two CPU tasks over Gloo:
  - the tasks find each other from the SLURM variables alone (a global batch of 2 x 4);
  - SIGTERM to the batch script (SLURM's preemption signal): both ranks stop after the same step,
    one complete checkpoint of it exists, the script requeues the job and exits 0;
  - the requeued job (SLURM_RESTART_COUNT=1) resumes from that checkpoint and goes on."""
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

from hft_e2e import HFT, REPO, check
from test_dist_train import free_port, make_model

LONG_RUN = ["max_train_samples=512", "max_seq_length=32", "pad_to_max_length=true", "per_device_train_batch_size=4",
            "max_steps=2000", "learning_rate=1e-3", "logging_steps=1", "eval_strategy=no", "save_strategy=no"]

FAKE_SRUN = r'''#!PYTHON
"""srun inside an allocation: SLURM_NTASKS tasks of the command on this node; SIGTERM passed on."""
import os, signal, subprocess, sys
args = sys.argv[1:]
while args and args[0].startswith("--"):
    args = args[1:]
tasks = int(os.environ["SLURM_NTASKS"])
children = []
for rank in range(tasks):
    env = dict(os.environ, SLURM_STEP_ID="0", SLURM_PROCID=str(rank), SLURM_LOCALID=str(rank),
               SLURM_NTASKS_PER_NODE=str(tasks))
    children.append(subprocess.Popen(args, env=env))
signal.signal(signal.SIGTERM, lambda *_: [c.send_signal(signal.SIGTERM) for c in children])
codes = [c.wait() for c in children]
sys.exit(max(abs(code) for code in codes))
'''

FAKE_SCONTROL = r'''#!PYTHON
"""scontrol show hostnames LIST (one host: this one) and scontrol requeue JOB (recorded)."""
import os, sys
if sys.argv[1:3] == ["show", "hostnames"]:
    print(sys.argv[3])
elif sys.argv[1] == "requeue":
    with open(os.environ["FAKE_SLURM_REQUEUED"], "a") as f:
        f.write(sys.argv[2] + "\n")
'''


def write_tool(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text.replace("#!PYTHON", "#!" + sys.executable))
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)


class BatchJob:
    """`bash scripts/slurm/hft.sbatch` as sbatch would start it, its output collected."""

    def __init__(self, tmp, args, restart_count=0):
        bin_dir = os.path.join(tmp, "fake-slurm")
        os.makedirs(bin_dir, exist_ok=True)
        write_tool(bin_dir, "srun", FAKE_SRUN)
        write_tool(bin_dir, "scontrol", FAKE_SCONTROL)
        self.requeued = os.path.join(tmp, "requeued")
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], HFT=HFT, SLURM_JOB_ID="4242",
                   SLURM_JOB_NODELIST="localhost", SLURM_NTASKS="2", SLURM_CPUS_PER_TASK="1",
                   SLURM_SUBMIT_DIR=REPO, SLURM_RESTART_COUNT=str(restart_count), MASTER_PORT=str(free_port()),
                   FAKE_SLURM_REQUEUED=self.requeued)
        for launcher_variable in ["RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR"]:
            env.pop(launcher_variable, None)
        self.process = subprocess.Popen(["bash", "scripts/slurm/hft.sbatch", "configs/quickstart.yaml", *args], cwd=REPO,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    def output(self):
        return "".join(self.lines)

    def wait_for(self, pattern, seconds=300):
        deadline = time.time() + seconds
        while time.time() < deadline and self.process.poll() is None:
            if re.search(pattern, self.output()):
                return
            time.sleep(0.2)
        self.process.kill()
        check(False, f"no line matching {pattern!r}:\n{self.output()[-3000:]}")

    def finish(self, seconds):
        code = self.process.wait(timeout=seconds)
        self.reader.join(5)
        return code


def main():
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        make_model(model)
        out = os.path.join(tmp, "out")
        recipe = [f"model_name_or_path={model}", f"output_dir={out}"]

        job = BatchJob(tmp, recipe + LONG_RUN)
        job.wait_for(r"\"step\":([3-9]|\d\d)")
        job.process.send_signal(signal.SIGTERM)
        code = job.finish(120)
        text = job.output()
        check("batch 8" in text, f"the two tasks should train as one job with a global batch of 8:\n{text[-3000:]}")
        stops = [int(s) for s in re.findall(r"stopped at step (\d+)", text)]
        check(len(stops) == 2 and stops[0] == stops[1], f"each rank should stop at the same step: {stops}\n{text[-3000:]}")
        step = stops[0]
        check(code == 0, f"the batch script should exit 0 after requeueing, not {code}:\n{text[-3000:]}")
        check(os.path.exists(job.requeued) and open(job.requeued).read().split() == ["4242"],
              "the batch script should run `scontrol requeue 4242` once")
        checkpoints = sorted(d for d in os.listdir(out) if d.startswith("checkpoint-"))
        check(checkpoints == [f"checkpoint-{step}"], f"checkpoints {checkpoints}, expected checkpoint-{step}")
        print(f"preempted: both ranks stopped at step {step}, checkpoint-{step} written, job requeued")

        requeued = BatchJob(tmp, recipe + [a for a in LONG_RUN if not a.startswith("max_steps=")] +
                            [f"max_steps={step + 2}"], restart_count=1)
        code = requeued.finish(600)
        text = requeued.output()
        check(code == 0, f"the requeued job exited {code}:\n{text[-3000:]}")
        check(f"resuming from {os.path.join(out, f'checkpoint-{step}')} at step {step}" in text,
              f"the requeued job should resume from checkpoint-{step}:\n{text[-3000:]}")
        state = json.load(open(os.path.join(out, "trainer_state.json")))
        logged = [e["step"] for e in state["log_history"] if "loss" in e]
        check(state["global_step"] == step + 2 and logged[-2:] == [step + 1, step + 2],
              f"requeued run: global_step {state['global_step']}, logged steps {logged}")
        print(f"requeued: resumed from checkpoint-{step} and trained to step {step + 2}")


if __name__ == "__main__":
    main()
