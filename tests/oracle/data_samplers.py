#!/usr/bin/env python3
"""Reference orders: torch's DistributedSampler and transformers' length grouping.

Usage: data_samplers.py JOB.json OUT.json
JOB.json: {"distributed": [{"n", "world_size", "shuffle", "drop_last", "seed", "epoch"}, ...],
           "length_grouped": [{"lengths": [...], "batch_size", "seed", "epoch"}, ...]}
OUT.json: {"distributed": [[rank 0 indices, rank 1 indices, ...], ...],
           "length_grouped": [[indices], ...]}
Length grouping draws its permutation from a generator seeded with seed + epoch, as
DistributedLengthGroupedSampler does.
"""
import json
import sys

import torch
from torch.utils.data import DistributedSampler
from transformers.trainer_pt_utils import get_length_grouped_indices


def distributed(case):
    ranks = []
    for rank in range(case["world_size"]):
        sampler = DistributedSampler(range(case["n"]), num_replicas=case["world_size"], rank=rank,
                                     shuffle=case["shuffle"], seed=case["seed"], drop_last=case["drop_last"])
        sampler.set_epoch(case["epoch"])
        ranks.append(list(sampler))
    return ranks


def length_grouped(case):
    generator = torch.Generator()
    generator.manual_seed(case["seed"] + case["epoch"])
    return get_length_grouped_indices(case["lengths"], case["batch_size"], generator=generator)


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    out = {"distributed": [distributed(c) for c in job.get("distributed", [])],
           "length_grouped": [length_grouped(c) for c in job.get("length_grouped", [])]}
    json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))


if __name__ == "__main__":
    main()
