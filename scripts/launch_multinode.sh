#!/usr/bin/env bash
# Multi-node data-parallel training on hosts without SLURM: run this once on every node, with the
# same recipe, the node's index and the address of node 0 (where rank 0 listens).
#
#   node 0:  bash scripts/launch_multinode.sh --nnodes 2 --node-rank 0 --master-addr node0 configs/r.yaml
#   node 1:  bash scripts/launch_multinode.sh --nnodes 2 --node-rank 1 --master-addr node0 configs/r.yaml
#
# Options: --nproc-per-node N (default: the GPUs nvidia-smi lists, else 1), --master-port P
# (default 29500). Anything after the recipe goes to hft as recipe overrides. The launcher prefixes
# each worker's output with its rank, passes Ctrl-C / SIGTERM on to the workers, and exits
# non-zero naming the rank when one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
HFT=${HFT:-${BUILD_DIR:-build}/hft}

NNODES=1 NODE_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 NPROC=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nnodes) NNODES=$2; shift 2 ;;
    --node-rank) NODE_RANK=$2; shift 2 ;;
    --master-addr) MASTER_ADDR=$2; shift 2 ;;
    --master-port) MASTER_PORT=$2; shift 2 ;;
    --nproc-per-node) NPROC=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
RECIPE=${1:?usage: launch_multinode.sh [--nnodes M --node-rank R --master-addr A --master-port P --nproc-per-node N] RECIPE.yaml [key=value ...]}
shift
if [[ -z "$NPROC" ]]; then
  NPROC=$(nvidia-smi --list-gpus 2>/dev/null | grep -c '^GPU' || true)
  [[ "$NPROC" -gt 0 ]] || NPROC=1
fi
exec "$HFT" train "$RECIPE" --nproc-per-node "$NPROC" --nnodes "$NNODES" --node-rank "$NODE_RANK" \
  --master-addr "$MASTER_ADDR" --master-port "$MASTER_PORT" "$@"
