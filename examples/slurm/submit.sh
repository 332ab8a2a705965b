#!/bin/bash
# Queue a sharded rankaudit run on Slurm: an array of N shard jobs, then the merge,
# which runs only if every shard succeeded (afterok). Prints the two job ids.
#
#   examples/slurm/submit.sh STUDY.toml N [OUT]
#
# Environment: RANKAUDIT (the binary, default `rankaudit` on PATH), SHARDS (the folder
# the shard files go to, default ./shards; shared by every node), CPUS (cores per task,
# default 4), THROTTLE (at most this many shards at once: --array=1-N%THROTTLE),
# SBATCH_EXTRA (more sbatch options, e.g. "--partition=long --mem=8G").
#
# Slurm limits: an array's largest index must be below MaxArraySize (default 1001, so
# N <= 1000); every array task counts as a job against MaxJobCount (default 10000);
# see `scontrol show config | grep -E 'MaxArraySize|MaxJobCount'`.
set -euo pipefail
STUDY="${1:?usage: submit.sh STUDY.toml N [OUT]}"
N="${2:?usage: submit.sh STUDY.toml N [OUT]}"
OUT="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
SHARDS="${SHARDS:-shards}"
CPUS="${CPUS:-4}"
max="$(scontrol show config 2>/dev/null | awk '/^MaxArraySize/ {print $3}')"
if [ -n "$max" ] && [ "$N" -ge "$max" ]; then
  echo "submit.sh: N = $N, but this cluster's MaxArraySize is $max (largest index $((max - 1))): use fewer shards" >&2
  exit 2
fi
array="1-$N"
if [ -n "${THROTTLE:-}" ]; then array="$array%$THROTTLE"; fi
mkdir -p "$SHARDS"
export STUDY SHARDS OUT SHARD_COUNT="$N" RANKAUDIT="${RANKAUDIT:-rankaudit}"
# shellcheck disable=SC2086
shards_job="$(sbatch --parsable --array="$array" --cpus-per-task="$CPUS" --export=ALL ${SBATCH_EXTRA:-} "$here/audit-array.sh")"
shards_job="${shards_job%%;*}"
# shellcheck disable=SC2086
merge_job="$(sbatch --parsable --dependency=afterok:"$shards_job" --cpus-per-task="$CPUS" --export=ALL ${SBATCH_EXTRA:-} "$here/merge.sh")"
echo "shards: job $shards_job (array $array); merge: job ${merge_job%%;*}"
