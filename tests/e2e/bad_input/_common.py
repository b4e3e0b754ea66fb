"""Helpers of the bad-input suites (tests/e2e/bad_input/*.py): run hft on a hostile or mistaken
input and require what hft promises: exit 1 or 2 with one error line (no stack trace, no library
exception, no signal), nothing of the user's lost, and bounded memory: each run's peak resident
memory is at most 2 GB, under an address-space cap (ulimit -v) that stops a runaway allocation
(LibTorch's libraries alone map about 2.3 GB of address space, so the cap is higher)."""
import os
import resource
import shutil
import subprocess
import sys
import threading

from hft_e2e import HFT, REPO, check, describe
from training_runs import scratch_dir, tiny_model, write_recipe

ADDRESS_SPACE_LIMIT = 5 * 2**30
PEAK_RSS_LIMIT = 2 * 2**30


def run_limited(*args, timeout=300, env=None, cwd=REPO):
    """hft ARGS under the address-space cap; returns a CompletedProcess with `.peak_rss` (bytes,
    from the kernel's accounting of this one child)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    process = subprocess.Popen([HFT, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True, errors="replace", preexec_fn=cap)
    output = {}
    readers = [threading.Thread(target=lambda name, stream: output.__setitem__(name, stream.read()), args=(name, stream))
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)  # reaps the child itself, keeping its own rusage
    timer.cancel()
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    done = subprocess.CompletedProcess(process.args, process.returncode, output["out"], output["err"])
    done.peak_rss = usage.ru_maxrss * 1024
    return done


def check_bounded_memory(name, done):
    check(done.peak_rss <= PEAK_RSS_LIMIT, f"{name}: peak resident memory {done.peak_rss / 2**20:.0f} MiB")


def error_lines(done):
    """stderr without warnings and blank lines."""
    return [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("warning:")]


def check_one_line_error(name, done, codes=(2,), words=()):
    """Exit code in `codes` (never a signal); exactly one error line, holding each of `words`; no
    stack trace or library exception text. Returns the line."""
    lines = error_lines(done)
    check(done.returncode in codes, f"{name}: expected exit {codes}\n{describe(done)}")
    check(len(lines) == 1, f"{name}: expected one error line, got {len(lines)}\n{describe(done)}")
    for bad in ("frame #", "Exception raised from", "terminate called", "what():", "Traceback", "[enforce fail"):
        check(bad not in done.stderr, f"{name}: `{bad}` in stderr\n{describe(done)}")
    for word in words:
        check(word in lines[0], f"{name}: the error should name {word!r}: {lines[0]!r}")
    if hasattr(done, "peak_rss"):
        check_bounded_memory(name, done)
    print(f"{name}: {lines[0]}")
    return lines[0]


def train(recipe, *overrides, env=None):
    return run_limited("train", recipe, *overrides, env=env)


def first_run(tmp, model, name, **keys):
    """A finished run (checkpoint-2 and checkpoint-4 unless `keys` say otherwise) in output_dir
    tmp/name, copied from one run per set of keys; returns (recipe, output_dir)."""
    keys = {"max_steps": 4, **keys}
    base = os.path.join(tmp, "first-run-" + "-".join(f"{k}{v}" for k, v in sorted(keys.items())))
    if not os.path.isdir(base):
        done = train(write_recipe(base + ".yaml", model, base, **keys))
        check(done.returncode == 0, "first run: " + describe(done))
    out = os.path.join(tmp, name)
    shutil.copytree(base, out)
    return write_recipe(os.path.join(tmp, f"{name}.yaml"), model, out, **keys), out


def run_cases(cases, *fixtures):
    """Runs each case (or those named on the command line) with the fixtures as its arguments."""
    wanted = set(sys.argv[1:])
    for case in cases:
        if not wanted or case.__name__ in wanted:
            case(*fixtures)
            print(f"{case.__name__}: ok")


def run_cases_on_tiny_model(cases):
    """run_cases with a scratch folder and a tiny model in it, for the suites that train."""
    with scratch_dir() as tmp:
        run_cases(cases, tmp, tiny_model(os.path.join(tmp, "model")))
