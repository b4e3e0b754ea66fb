"""The repository stands alone: no tracked file refers to a folder beside it (the development
checkout's shelf of shared files), every data file the shipped recipes name is in the repository,
and tracked data stays under 30 MB (large files are stored gzip-compressed)."""
import os
import re
import subprocess

import yaml

from hft_e2e import REPO, check

# The sibling folder as a relative path, or as os.path.join's parts; spelled in pieces so that
# this file does not match itself.
SIBLING = re.compile(r"\.\./" + "shared" + r"|['\"]\.\.['\"],\s*['\"]" + "shared" + r"['\"]")
DATA_LIMIT = 30 * 2**20


def tracked_files():
    done = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [name for name in done.stdout.decode().split("\0") if name]


def check_no_reference_outside(files):
    offenders = []
    for name in files:
        path = os.path.join(REPO, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        offenders += [f"{name}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                      if SIBLING.search(line)]
    check(not offenders, "tracked files refer to a folder outside the repository:\n" + "\n".join(offenders))
    print(f"{len(files)} tracked files, none refers to a folder beside the repository")


def check_recipe_data_is_tracked(files):
    tracked = set(files)
    for name in (f for f in files if f.startswith("configs/") and f.endswith(".yaml")):
        with open(os.path.join(REPO, name)) as f:
            recipe = yaml.safe_load(f)
        for key in ("train_file", "validation_file", "test_file"):
            if key in recipe:
                check(recipe[key] in tracked, f"{name}: {key} {recipe[key]} is not a file of the repository")
    print("every data file of configs/ is in the repository")


def check_data_size(files):
    data = [f for f in files if f.startswith(("data/", "tests/fixtures/"))]
    total = sum(os.path.getsize(os.path.join(REPO, f)) for f in data)
    check(total < DATA_LIMIT, f"tracked data is {total / 2**20:.1f} MB; keep it under 30 MB (gzip large files)")
    for manifest in ("data/MANIFEST.md", "tests/fixtures/tokenizers/MANIFEST.md"):
        check(manifest in files, f"{manifest}: the provenance of the data is missing")
    print(f"tracked data: {total / 2**20:.1f} MB in {len(data)} files, with their MANIFEST.md")


def main():
    files = tracked_files()
    check_no_reference_outside(files)
    check_recipe_data_is_tracked(files)
    check_data_size(files)


if __name__ == "__main__":
    main()
