"""Every recipe shipped in configs/ starts with the command that runs it and validates."""
import glob
import os

from hft_e2e import REPO, check, describe, run_hft


def main():
    recipes = sorted(glob.glob(os.path.join(REPO, "configs", "*.yaml")))
    check(len(recipes) >= 2, f"expected the shipped recipes in configs/, found {recipes}")
    for path in recipes:
        relative = os.path.relpath(path, REPO)
        with open(path) as f:
            first = f.readline()
        check(first.startswith("#") and ("hft " in first or "scripts/" in first),
              f"{relative}: the first line must be a comment with the command that runs it, got {first!r}")
        done = run_hft("validate", relative)
        check(done.returncode == 0, f"{relative} does not validate:\n{describe(done)}")
        print(f"{relative}: valid")


if __name__ == "__main__":
    main()
