#!/usr/bin/env bash
# The fuzz campaign: every loader target for RUNS executions (default 1,000,000), from
# the committed seed corpus, on one core each. A hang (TIMEOUT s per input) or memory
# beyond RSS_MB counts as a failure like a panic; libFuzzer then stops and writes the
# input to tests/fuzz/artifacts/<target>/. New corpus inputs go to $WORK/corpus/<target>
# (not into the committed corpus); the final stats of each run go to $WORK/<target>.log.
#
#   tests/fuzz/campaign.sh [target ...]     (from the repository root; nightly + cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1000000}
TIMEOUT=${TIMEOUT:-10}
RSS_MB=${RSS_MB:-1024}
WORK=${WORK:-/tmp/rankaudit-fuzz}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(accounts follows interactions seeds study)
# The same flags as every build below, so that `cargo fuzz run` never rebuilds.
FLAGS=(--fuzz-dir tests/fuzz -s none --codegen-units 16)
cargo +nightly fuzz build "${FLAGS[@]}"
for t in "${TARGETS[@]}"; do
  mkdir -p "$WORK/corpus/$t"
  # Two worker threads for rayon (the follows reader's parallel pass): the same pieces
  # as on a 2-core machine.
  RAYON_NUM_THREADS=2 cargo +nightly fuzz run "${FLAGS[@]}" "$t" \
    "$WORK/corpus/$t" "tests/fuzz/corpus/$t" -- \
    -runs="$RUNS" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$RSS_MB" \
    -max_len=4096 -dict=tests/fuzz/loaders.dict -print_final_stats=1 \
    2>&1 | tee "$WORK/$t.log" | grep -E 'INITED|DONE|^Done|stat::|ERROR|panicked' || true
  # libFuzzer prints "Done N runs" only when no input failed.
  grep -q '^Done [0-9]* runs' "$WORK/$t.log" || { echo "$t: FAILED (see $WORK/$t.log)"; failed=1; }
done
exit "${failed:-0}"
