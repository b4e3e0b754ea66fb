"""Oracle: torch.amp.GradScaler on the CPU over a sequence of gradients, some inf or NaN.

Usage: grad_scaler_steps.py '{"init_scale": 8.0, "growth_interval": 3, "steps": [["1", "inf", "2"], ...]}'
For a parameter [1, 2, 3] trained on loss = sum(parameter * g), prints for each step the scale
after update(), the learning rate the step was given and the parameter after the (possibly
skipped) step.

The optimizer is SGD (lr 0.1), or with "optimizer": "adamw_fused" torch.optim.AdamW(fused=True)
(lr 0.1, weight_decay 0.01) under a linear decay to 0 over len(steps) steps, stepped as the
Trainer (through accelerate) steps it: only after an update that was not skipped.
"""
import json
import sys

import torch


def main():
    spec = json.loads(sys.argv[1])
    parameter = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
    fused = spec.get("optimizer") == "adamw_fused"
    if fused:
        optimizer = torch.optim.AdamW([parameter], lr=0.1, weight_decay=0.01, fused=True)
        total = len(spec["steps"])
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: max(0.0, (total - k) / total))
    else:
        optimizer = torch.optim.SGD([parameter], lr=0.1)
        scheduler = None
    scaler = torch.amp.GradScaler("cpu", init_scale=spec["init_scale"], growth_interval=spec["growth_interval"])
    out = []
    for gradient in spec["steps"]:
        optimizer.zero_grad()
        loss = (parameter * torch.tensor([float(g) for g in gradient])).sum()
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        lr = optimizer.param_groups[0]["lr"]
        scale_before = scaler.get_scale()
        scaler.step(optimizer)
        scaler.update()
        if scheduler is not None and not scaler.get_scale() < scale_before:  # accelerate's step_was_skipped
            scheduler.step()
        out.append({"scale": scaler.get_scale(), "lr": lr, "parameter": parameter.tolist()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
