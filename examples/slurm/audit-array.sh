#!/bin/bash
# One shard of a sharded rankaudit run, as one task of a Slurm job array:
# SLURM_ARRAY_TASK_ID -> `rankaudit audit STUDY --shard i/N`.
# Submit with submit.sh (which also queues the merge), or by hand:
#   sbatch --array=1-N --export=ALL,STUDY=study.toml,SHARD_COUNT=N audit-array.sh
# To re-run one failed shard k: sbatch --array=k --export=ALL,STUDY=...,SHARD_COUNT=N ...
#SBATCH --job-name=rankaudit-shard
#SBATCH --output=rankaudit-shard-%A_%a.log
set -euo pipefail
: "${STUDY:?set STUDY to the study file}"
: "${SLURM_ARRAY_TASK_ID:?submit this as a job array: sbatch --array=1-N}"
# N is passed, not read from the array: a re-submitted subset (--array=3) is still
# shard 3 of the original N.
N="${SHARD_COUNT:-${SLURM_ARRAY_TASK_MAX:?set SHARD_COUNT}}"
SHARDS="${SHARDS:-shards}"
RANKAUDIT="${RANKAUDIT:-rankaudit}"
THREADS="${SLURM_CPUS_PER_TASK:-1}"
exec "$RANKAUDIT" --threads "$THREADS" audit "$STUDY" \
  --shard "${SLURM_ARRAY_TASK_ID}/${N}" --out "$SHARDS" -q
