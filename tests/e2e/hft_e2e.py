"""Shared helpers of the end-to-end tests: find the hft binary, run it, check the outcome.

Each test script is run by CTest from the repository root with HFT_BIN set to the binary.
"""
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HFT = os.environ.get("HFT_BIN", os.path.join(REPO, "build", "hft"))
PYTHON = sys.executable
# Tokenized splits are cached per test process, not in the user's home.
os.environ.setdefault("HFT_CACHE", tempfile.mkdtemp(prefix="hft-test-cache-"))


def run_hft(*args, timeout=120, **kwargs):
    """Runs hft from the repository root; returns the CompletedProcess (text output)."""
    return subprocess.run([HFT, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, **kwargs)


def run_oracle(script, *args):
    """Runs a tests/oracle script with the reference-stack Python; returns its stdout."""
    path = os.path.join(REPO, "tests", "oracle", script)
    done = subprocess.run([PYTHON, path, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        fail(f"oracle {script} failed:\n{done.stderr}")
    return done.stdout


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def describe(done):
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
