"""Oracle: the learning rate of every step under transformers.get_scheduler, as JSON.

Prints [{"type", "kwargs", "warmup", "total", "base_lr", "lrs": [lr at step 0, 1, ..., total + 2]}]
for a fixed list of schedules. The lr at step k is what the optimizer uses for its k-th step.
"""
import json

import torch
from transformers import get_scheduler

CASES = [
    ("linear", {}, 10, 100),
    ("linear", {}, 0, 37),
    ("cosine", {}, 5, 50),
    ("cosine", {"num_cycles": 1.5}, 3, 40),
    ("cosine_with_restarts", {}, 4, 60),
    ("cosine_with_restarts", {"num_cycles": 3}, 4, 60),
    ("polynomial", {}, 6, 50),
    ("polynomial", {"power": 2.0, "lr_end": 1e-6}, 6, 50),
    ("constant", {}, 0, 20),
    ("constant_with_warmup", {}, 7, 20),
    ("inverse_sqrt", {}, 8, 50),
    ("inverse_sqrt", {"timescale": 20}, 8, 50),
    ("cosine_with_min_lr", {"min_lr_rate": 0.1}, 5, 45),
    ("cosine_with_min_lr", {"min_lr": 1e-5}, 5, 45),
    ("warmup_stable_decay", {"num_decay_steps": 10}, 5, 40),
    ("warmup_stable_decay", {"num_decay_steps": 12, "decay_type": "linear", "min_lr_ratio": 0.05}, 4, 40),
    ("warmup_stable_decay", {"num_decay_steps": 10, "num_stable_steps": 8, "decay_type": "1-sqrt"}, 5, 40),
]
BASE_LR = 5e-4


def main():
    results = []
    for name, kwargs, warmup, total in CASES:
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE_LR)
        scheduler = get_scheduler(name, optimizer, num_warmup_steps=warmup, num_training_steps=total,
                                  scheduler_specific_kwargs=kwargs)
        lrs = []
        for _ in range(total + 3):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        results.append({"type": name, "kwargs": kwargs, "warmup": warmup, "total": total, "base_lr": BASE_LR,
                        "lrs": lrs})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
