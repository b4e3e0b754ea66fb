"""Oracle: tqdm's own progress line for (done, total, elapsed seconds) cases.

Usage: tqdm_meter.py '[[23, 63, 15.0], ...]'   prints a JSON list of the lines.
"""
import json
import sys

from tqdm import tqdm

print(json.dumps([tqdm.format_meter(done, total, elapsed) for done, total, elapsed in json.loads(sys.argv[1])]))
