"""report_to: mlflow: hft logs to a real MLflow tracking server (`python -m mlflow server`, SQLite
store, artifacts served by the server), and MLflow's own client reads back what it logged:

1. a run: the experiment of MLFLOW_EXPERIMENT_NAME, one run named by run_name (default
   output_dir), status FINISHED; every number of log.jsonl as a metric at its step (exactly, and
   nothing else); every key of hft_recipe.yaml as a param (strings as they are, null None,
   booleans True/False, the rest as JSON); output_dir's files as artifacts (not checkpoint-* nor
   runs/), the model's bytes as they are on disk;
2. resume_from_checkpoint continues the same run (output_dir/mlflow_run.json);
3. MLFLOW_RUN_ID: hft logs into that run;
4. a server that is not there: the run trains and saves as usual, one warning;
5. a server that dies in the middle of the run: the same;
6. report_to: mlflow without MLFLOW_TRACKING_URI: exit 2, one line (no local ./mlruns store)."""
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

from hft_e2e import HFT, PYTHON, REPO, check, describe, fail, run_hft
from training_runs import SST2_DEV, scratch_dir, tiny_model, write_recipe

EXPERIMENT = "hft-test"
# The client of this test must not wait minutes on a server it killed, nor report usage.
QUIET = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1",
         "MLFLOW_HTTP_REQUEST_TIMEOUT": "30"}
os.environ.update(QUIET)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=2.0):
    """(status, body) of a GET; (None, error) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return None, str(e)


class Server:
    """`mlflow server` on a free loopback port, in a process group of its own (it starts uvicorn)."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.folder, self.port = folder, free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(folder, "server.log")
        command = [PYTHON, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(self.port),
                   "--backend-store-uri", f"sqlite:///{os.path.join(folder, 'mlflow.db')}",
                   "--artifacts-destination", os.path.join(folder, "artifacts"), "--workers", "1"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
        env.update(QUIET)
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)
        self.began = time.monotonic()

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]

    def wait_ready(self, timeout=150):
        while time.monotonic() - self.began < timeout:
            if self.process.poll() is not None:
                fail(f"mlflow server exited {self.process.returncode} before answering:\n{self.log()}")
            if http_get(self.uri + "/health")[0] == 200:
                return time.monotonic() - self.began
            time.sleep(0.25)
        self.stop()
        fail(f"mlflow server did not answer {self.uri}/health in {timeout} s:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this Popen made: mlflow and its uvicorn
            self.process.wait()


def hft_env(uri=None, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_") and k != "HF_MLFLOW_LOG_ARTIFACTS"}
    if uri:
        env.update(MLFLOW_TRACKING_URI=uri, MLFLOW_EXPERIMENT_NAME=EXPERIMENT)
    env.update(extra)
    return env


def mlflow_lines(done):
    return [l for l in (done.stdout + "\n" + done.stderr).splitlines() if "MLflow" in l]


def check_no_mlflow_warning(done, label):
    warned = [l for l in mlflow_lines(done) if l.startswith("warning:")]
    check(not warned, f"{label}: a warning about MLflow with the server up:\n" + "\n".join(warned))


def check_one_warning(done, uri, label):
    """Exit 0, a first MLflow line `warning: ...` naming the server, at most 2 MLflow lines."""
    check(done.returncode == 0, f"{label}: " + describe(done))
    lines = mlflow_lines(done)
    check(lines and lines[0].startswith("warning:") and uri.split("//")[1] in lines[0],
          f"{label}: no `warning:` line about MLflow naming {uri}:\n" + describe(done))
    check(len(lines) <= 2, f"{label}: {len(lines)} lines about MLflow (at most 2):\n" + "\n".join(lines))
    return lines


def check_saved(out, label):
    for name in ("model.safetensors", "config.json", "trainer_state.json"):
        check(os.path.exists(os.path.join(out, name)), f"{label}: {out}/{name} was not saved")


def read_log(out):
    with open(os.path.join(out, "log.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def logged_numbers(entries):
    """{key: [(step, value), ...]} of every number but "step" in log.jsonl entries."""
    numbers = {}
    for entry in entries:
        for key, value in entry.items():
            if key != "step" and isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers.setdefault(key, []).append((entry["step"], float(value)))
    return numbers


def run_record(out):
    path = os.path.join(out, "mlflow_run.json")
    check(os.path.exists(path), f"{path} was not written")
    record = json.load(open(path))
    check({"run_id", "experiment_id", "tracking_uri"} <= set(record), f"{path}: {record}")
    return record


def check_metrics(client, run, out, exact, label):
    """Every number of out/log.jsonl at its step in the run's metric history; with `exact`, the
    history holds nothing else (an entry logged twice at one step, as "epoch" of a training and an
    evaluation entry, may be kept once or twice)."""
    expected = logged_numbers(read_log(out))
    check(expected, f"{label}: no numbers in {out}/log.jsonl")
    compared = 0
    for key, points in expected.items():
        history = [(m.step, m.value) for m in client.get_metric_history(run.info.run_id, key)]
        missing = [p for p in points if p not in history]
        check(not missing, f"{label}: metric {key}: {missing[:5]} of log.jsonl not in MLflow's history "
                           f"{sorted(history)[:10]}")
        if exact:
            extra = [p for p in history if p not in points]
            check(not extra, f"{label}: metric {key}: {extra[:5]} in MLflow, not in log.jsonl")
            check(len(set(points)) <= len(history) <= len(points),
                  f"{label}: metric {key}: {len(history)} history entries for {len(points)} in log.jsonl")
        compared += len(points)
    if exact:
        unknown = sorted(set(run.data.metrics) - set(expected))
        check(not unknown, f"{label}: metrics not in log.jsonl: {unknown}")
    return compared


def recipe_params(out):
    """hft_recipe.yaml's keys (read by pyyaml) with the text MLflow should hold for each: a string
    as it is, null None, a boolean True/False, anything else (numbers, lists, maps) its compact
    JSON as the file writes it (`key: <JSON>  # where it came from`)."""
    path = os.path.join(out, "hft_recipe.yaml")
    with open(path) as f:
        text = f.read()
    recipe = yaml.safe_load(text)
    check(isinstance(recipe, dict) and recipe, f"{path} is not a YAML mapping")
    raw = {}
    decoder = json.JSONDecoder()
    for line in text.splitlines():
        key, sep, rest = line.partition(": ")
        if sep and not line.startswith("#") and key in recipe:
            value, end = decoder.raw_decode(rest)
            raw[key] = (value, rest[:end])
    params = {}
    for key in recipe:
        check(key in raw, f"{path}: no `{key}: <JSON>` line")
        value, json_text = raw[key]
        if isinstance(value, str):
            params[key] = value
        elif value is None:
            params[key] = "None"
        elif isinstance(value, bool):
            params[key] = "True" if value else "False"
        else:
            check(value == recipe[key] or isinstance(recipe[key], str), f"{path}: {key}: YAML reads {recipe[key]!r}, "
                                                                          f"JSON {json_text}")
            params[key] = json_text
    return params


def check_params(run, out, label):
    expected = recipe_params(out)
    got = run.data.params
    missing = sorted(set(expected) - set(got))
    check(not missing, f"{label}: recipe keys not logged as params: {missing}")
    different = {k: (got[k], expected[k]) for k in expected if got[k] != expected[k]}
    check(not different, f"{label}: params (MLflow, expected): {different}")
    return len(expected)


def check_artifacts(client, uri, run, out, tmp, label):
    listed = {f.path: f for f in client.list_artifacts(run.info.run_id)}
    folders = sorted(p for p, f in listed.items() if f.is_dir)
    check(not folders, f"{label}: folders uploaded as artifacts: {folders}")
    local = {n for n in os.listdir(out) if os.path.isfile(os.path.join(out, n))}
    wanted = {"config.json", "model.safetensors", "trainer_state.json", "all_results.json"}
    wanted |= {n for n in local if n.startswith("tokenizer") or n in ("vocab.txt", "special_tokens_map.json")}
    missing = sorted(wanted - set(listed))
    check(not missing, f"{label}: not among the artifacts: {missing} (listed: {sorted(listed)})")
    stray = sorted(p for p in listed if p.startswith(("checkpoint-", "runs")))
    check(not stray, f"{label}: checkpoint or TensorBoard files uploaded: {stray}")
    for name in sorted(wanted):
        size = os.path.getsize(os.path.join(out, name))
        check(listed[name].file_size == size, f"{label}: artifact {name}: {listed[name].file_size} bytes, file {size}")
    import mlflow
    fetched = os.path.join(tmp, "fetched-" + run.info.run_id)
    os.makedirs(fetched)
    for name in ("config.json", "model.safetensors"):
        path = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path=name, dst_path=fetched,
                                                   tracking_uri=uri)
        with open(path, "rb") as a, open(os.path.join(out, name), "rb") as b:
            check(a.read() == b.read(), f"{label}: downloaded {name} differs from {out}/{name}")
    return len(listed)


def runs_named(client, experiment_id, name):
    return [r for r in client.search_runs([experiment_id], max_results=1000) if r.info.run_name == name]


def scenario_run(client, server, tmp, model):
    """1: a run with evaluations and a checkpoint, read back in full."""
    out = os.path.join(tmp, "run")
    recipe = write_recipe(os.path.join(tmp, "run.yaml"), model, out, num_train_epochs=1, save_steps=6,
                          validation_file=SST2_DEV, max_eval_samples=64, eval_strategy="steps", eval_steps=4,
                          report_to="mlflow")
    done = run_hft("train", recipe, timeout=600, env=hft_env(server.uri))
    check(done.returncode == 0, "run: " + describe(done))
    check_no_mlflow_warning(done, "run")
    check([n for n in os.listdir(out) if n.startswith("checkpoint-")], f"run: no checkpoint in {out}")
    experiment = client.get_experiment_by_name(EXPERIMENT)
    check(experiment is not None, f"run: no experiment {EXPERIMENT}")
    runs = client.search_runs([experiment.experiment_id])
    check(len(runs) == 1, f"run: {len(runs)} runs in {EXPERIMENT}, expected 1")
    run = runs[0]
    check(run.info.status == "FINISHED", f"run: status {run.info.status}")
    check(run.info.run_name == out, f"run: named {run.info.run_name!r}, expected output_dir {out!r}")
    record = run_record(out)
    check(record["run_id"] == run.info.run_id and record["experiment_id"] == experiment.experiment_id,
          f"run: mlflow_run.json {record} is not run {run.info.run_id} of experiment {experiment.experiment_id}")
    metrics = check_metrics(client, run, out, exact=True, label="run")
    for key in ("loss", "learning_rate", "grad_norm", "eval_loss", "eval_accuracy", "train_runtime"):
        check(key in run.data.metrics, f"run: no metric {key}: {sorted(run.data.metrics)}")
    params = check_params(run, out, "run")
    artifacts = check_artifacts(client, server.uri, run, out, tmp, "run")
    return experiment.experiment_id, f"{metrics} metrics, {params} params, {artifacts} artifacts"


def scenario_resume(client, server, tmp, model, experiment_id):
    """2: a finished run at step 4 resumed to step 8 continues the same MLflow run."""
    out = os.path.join(tmp, "resumed")
    recipe = write_recipe(os.path.join(tmp, "resumed.yaml"), model, out, max_steps=4, save_steps=2,
                          run_name="resumed-run", report_to="mlflow")
    first = run_hft("train", recipe, timeout=600, env=hft_env(server.uri))
    check(first.returncode == 0, "resume, first run: " + describe(first))
    record = run_record(out)
    second = run_hft("train", recipe, "resume_from_checkpoint=true", "max_steps=8", timeout=600,
                     env=hft_env(server.uri))
    check(second.returncode == 0, "resume: " + describe(second))
    check_no_mlflow_warning(second, "resume")
    check(run_record(out)["run_id"] == record["run_id"], f"resume: mlflow_run.json names another run")
    runs = runs_named(client, experiment_id, "resumed-run")
    check(len(runs) == 1, f"resume: {len(runs)} runs named resumed-run, expected 1")
    run = runs[0]
    check(run.info.run_id == record["run_id"], f"resume: the run is {run.info.run_id}, not {record['run_id']}")
    check(run.info.status == "FINISHED", f"resume: status {run.info.status}")
    steps = sorted({m.step for m in client.get_metric_history(run.info.run_id, "loss")})
    check(steps == list(range(1, 9)), f"resume: loss logged at steps {steps}, expected 1..8")
    check_metrics(client, run, out, exact=False, label="resume")
    return "steps 1..8 in one run"


def scenario_run_id(client, server, tmp, model, experiment_id):
    """3: MLFLOW_RUN_ID names a run made elsewhere: hft logs into it, makes none."""
    made = client.create_run(experiment_id, run_name="made-by-the-test")
    before = len(client.search_runs([experiment_id], max_results=1000))
    out = os.path.join(tmp, "into-run")
    recipe = write_recipe(os.path.join(tmp, "into-run.yaml"), model, out, max_steps=4, save_strategy="no",
                          report_to="mlflow")
    done = run_hft("train", recipe, timeout=600, env=hft_env(server.uri, MLFLOW_RUN_ID=made.info.run_id))
    check(done.returncode == 0, "MLFLOW_RUN_ID: " + describe(done))
    check_no_mlflow_warning(done, "MLFLOW_RUN_ID")
    after = len(client.search_runs([experiment_id], max_results=1000))
    check(after == before, f"MLFLOW_RUN_ID: {after - before} new runs")
    check(run_record(out)["run_id"] == made.info.run_id, "MLFLOW_RUN_ID: mlflow_run.json names another run")
    run = client.get_run(made.info.run_id)
    check(run.info.status == "FINISHED", f"MLFLOW_RUN_ID: status {run.info.status}")
    check_metrics(client, run, out, exact=True, label="MLFLOW_RUN_ID")
    check_params(run, out, "MLFLOW_RUN_ID")
    return "logged into the given run"


def scenario_no_server(tmp, model):
    """4: nothing listens at MLFLOW_TRACKING_URI: the run trains and saves, one warning."""
    uri = f"http://127.0.0.1:{free_port()}"
    out = os.path.join(tmp, "no-server")
    recipe = write_recipe(os.path.join(tmp, "no-server.yaml"), model, out, max_steps=6, save_steps=3,
                          report_to="mlflow")
    began = time.monotonic()
    done = run_hft("train", recipe, timeout=600, env=hft_env(uri))
    lines = check_one_warning(done, uri, "no server")
    check_saved(out, "no server")
    return f"{time.monotonic() - began:.1f} s, {len(lines)} lines"


def scenario_server_dies(tmp, model, server):
    """5: the server dies while the run trains (hft paused meanwhile, so the run cannot end first)."""
    out = os.path.join(tmp, "server-dies")
    recipe = write_recipe(os.path.join(tmp, "server-dies.yaml"), model, out, max_steps=60, save_steps=30,
                          logging_steps=1, report_to="mlflow")
    process = subprocess.Popen([HFT, "train", recipe], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=hft_env(server.uri))
    output = {"stdout": [], "stderr": []}
    readers = [threading.Thread(target=lambda s=s, n=n: output[n].extend(s), daemon=True)
               for s, n in ((process.stdout, "stdout"), (process.stderr, "stderr"))]
    for r in readers:
        r.start()
    # The run is on the server once hft has written mlflow_run.json, or once runs/search shows it.
    record = os.path.join(out, "mlflow_run.json")
    deadline, next_ask, has_run = time.monotonic() + 120, 0.0, False
    while not has_run and time.monotonic() < deadline and process.poll() is None:
        has_run = os.path.exists(record)
        if not has_run and time.monotonic() >= next_ask:
            has_run = '"run_id"' in runs_on(server)
            next_ask = time.monotonic() + 0.1
        time.sleep(0.005)
    if process.poll() is None:
        process.send_signal(signal.SIGSTOP)
    stepped = sum(1 for l in list(output["stdout"]) if l.startswith("{") and '"loss"' in l)
    server.stop()
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("server dies: hft did not end within 300 s of the server's death")
    for r in readers:
        r.join(timeout=10)
    done = subprocess.CompletedProcess(process.args, process.returncode, "".join(output["stdout"]),
                                       "".join(output["stderr"]))
    check(has_run, "server dies: the server never had the run:\n" + describe(done) + "\nserver:\n" + server.log())
    check(stepped < 60, f"server dies: the run had logged {stepped} of 60 steps before the server died")
    lines = check_one_warning(done, server.uri, "server dies")
    check_saved(out, "server dies")
    return f"killed after {stepped} of 60 steps; {len(lines)} lines"


def runs_on(server):
    """The JSON answer of runs/search over EXPERIMENT ("" when there is none), by plain REST: the
    client of mlflow would retry a server that does not answer."""
    query = urllib.parse.urlencode({"experiment_name": EXPERIMENT})
    status, body = http_get(f"{server.uri}/api/2.0/mlflow/experiments/get-by-name?{query}", timeout=1)
    if status != 200:
        return ""
    experiment_id = json.loads(body)["experiment"]["experiment_id"]
    request = urllib.request.Request(f"{server.uri}/api/2.0/mlflow/runs/search",
                                     data=json.dumps({"experiment_ids": [experiment_id]}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=1) as r:
            return r.read().decode()
    except (urllib.error.URLError, OSError):
        return ""


def scenario_no_uri(tmp, model):
    """6: report_to: mlflow and no MLFLOW_TRACKING_URI: exit 2, one line, nothing written."""
    out = os.path.join(tmp, "no-uri")
    recipe = write_recipe(os.path.join(tmp, "no-uri.yaml"), model, out, max_steps=2, report_to="mlflow")
    had_mlruns = os.path.exists(os.path.join(REPO, "mlruns"))
    done = run_hft("train", recipe, timeout=300, env=hft_env(None))
    check(done.returncode == 2, "no MLFLOW_TRACKING_URI: expected exit code 2\n" + describe(done))
    lines = [l for l in (done.stdout + "\n" + done.stderr).splitlines() if "MLFLOW_TRACKING_URI" in l]
    check(len(lines) == 1 and "report_to" in lines[0],
          "no MLFLOW_TRACKING_URI: expected one line naming report_to and MLFLOW_TRACKING_URI\n" + describe(done))
    check(had_mlruns or not os.path.exists(os.path.join(REPO, "mlruns")), "no MLFLOW_TRACKING_URI: ./mlruns written")
    check(not os.path.exists(os.path.join(out, "model.safetensors")), "no MLFLOW_TRACKING_URI: it trained anyway")
    return lines[0]


def main():
    try:
        from mlflow.tracking import MlflowClient
    except ImportError as e:
        fail(f"the mlflow package is not installed in {PYTHON}: {e}")
    began = time.monotonic()
    with scratch_dir() as tmp:
        server = Server(os.path.join(tmp, "server"))
        dying = Server(os.path.join(tmp, "server-2"))
        try:
            model = tiny_model(os.path.join(tmp, "model"))
            no_uri = scenario_no_uri(tmp, model)
            no_server = scenario_no_server(tmp, model)
            started = server.wait_ready()
            client = MlflowClient(tracking_uri=server.uri)
            experiment_id, run_summary = scenario_run(client, server, tmp, model)
            resumed = scenario_resume(client, server, tmp, model, experiment_id)
            into = scenario_run_id(client, server, tmp, model, experiment_id)
            dying.wait_ready()
            dies = scenario_server_dies(tmp, model, dying)
        finally:
            server.stop()
            dying.stop()
    print(f"MLflow {__import__('mlflow').__version__} (server up in {started:.0f} s): run read back ({run_summary}); "
          f"resume: {resumed}; MLFLOW_RUN_ID: {into}; no server: {no_server}; server killed: {dies}; "
          f"no URI: exit 2; {time.monotonic() - began:.0f} s in all")


if __name__ == "__main__":
    main()
