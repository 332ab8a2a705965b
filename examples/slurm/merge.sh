#!/bin/bash
# The merge of a sharded rankaudit run: queued by submit.sh with
# --dependency=afterok:<array job>, so it starts once every shard succeeded.
#SBATCH --job-name=rankaudit-merge
#SBATCH --output=rankaudit-merge-%j.log
set -euo pipefail
: "${STUDY:?set STUDY to the study file}"
SHARDS="${SHARDS:-shards}"
RANKAUDIT="${RANKAUDIT:-rankaudit}"
THREADS="${SLURM_CPUS_PER_TASK:-1}"
OUT_ARGS=()
if [ -n "${OUT:-}" ]; then OUT_ARGS=(--out "$OUT"); fi
exec "$RANKAUDIT" --threads "$THREADS" merge "$STUDY" "$SHARDS" "${OUT_ARGS[@]}" -q
