"""One bad recipe of the catalogue: hft must refuse it with exit code 2 and a one-line message
that names the key and the line of the mistake.

A catalogue file says what it expects in its first comment lines:
    # expect: KEY at line N          (the message names KEY and `recipe:N:`)
    # verb: train                    (optional; default validate)
    # args: key=value ...            (optional command-line overrides)
"""
import os
import re
import shlex
import sys

from hft_e2e import REPO, check, describe, run_hft


def read_header(path):
    header = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"#\s*(expect|verb|args):\s*(.*)$", line.strip())
            if m:
                header[m.group(1)] = m.group(2).strip()
    return header


def main():
    path = os.path.relpath(sys.argv[1], REPO)
    header = read_header(path)
    key, line = re.match(r"(\S+) at line (\d+)", header["expect"]).groups()
    verb = header.get("verb", "validate")
    done = run_hft(verb, path, *shlex.split(header.get("args", "")))
    check(done.returncode == 2, f"{path}: expected exit code 2\n{describe(done)}")
    error_lines = [l for l in done.stderr.splitlines() if not l.startswith("warning:")]
    wanted = f"{path}:{line}:"
    matching = [l for l in error_lines if l.startswith(wanted) and key in l]
    check(matching, f"{path}: no error line starting with `{wanted}` naming `{key}`\n{describe(done)}")
    check(not done.stdout.strip() or verb == "validate", f"{path}: printed output despite the error")
    print(matching[0])


if __name__ == "__main__":
    main()
