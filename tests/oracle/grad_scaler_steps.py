"""Oracle: torch.amp.GradScaler on the CPU over a sequence of gradients, some inf or NaN.

Usage: grad_scaler_steps.py '{"init_scale": 8.0, "growth_interval": 3, "steps": [["1", "inf", "2"], ...]}'
For a parameter [1, 2, 3] trained by SGD (lr 0.1) on loss = sum(parameter * g), prints for each
step the scale after update() and the parameter after the (possibly skipped) step.
"""
import json
import sys

import torch


def main():
    spec = json.loads(sys.argv[1])
    parameter = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
    optimizer = torch.optim.SGD([parameter], lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=spec["init_scale"], growth_interval=spec["growth_interval"])
    out = []
    for gradient in spec["steps"]:
        optimizer.zero_grad()
        loss = (parameter * torch.tensor([float(g) for g in gradient])).sum()
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        scaler.step(optimizer)
        scaler.update()
        out.append({"scale": scaler.get_scale(), "parameter": parameter.tolist()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
