#!/usr/bin/env bash
# Line coverage of the loaders reached by fuzz inputs, on stable: replays CORPUS (one
# folder per target; default the campaign's /tmp/rankaudit-fuzz/corpus) through the
# harness (tests/fuzz_smoke.rs, fuzz_corpus_replay) in a test build where only rankaudit
# and the tests are instrumented (-Cinstrument-coverage through RUSTC_WORKSPACE_WRAPPER,
# so polars is not rebuilt), then prints llvm-cov's report for the loaders' files
# (src/dataset but the writer, and src/study).
# SMOKE=1 measures the CI smoke run instead. Needs `rustup component add llvm-tools`.
# The stable build reads follows in 8 MiB blocks (the fuzz build: 64 bytes), so the
# parallel reader's multi-block paths count as uncovered here.
#
#   tests/fuzz/coverage.sh              (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-/tmp/rankaudit-fuzz/corpus}
OUT=${OUT:-/tmp/rankaudit-cov}
export CARGO_TARGET_DIR=${COV_TARGET_DIR:-/tmp/rankaudit-cov-target}
# Start from the release build's dependencies (a copy: the instrumented crate must not
# replace the normal one).
[ -d "$CARGO_TARGET_DIR" ] || cp -a target "$CARGO_TARGET_DIR"
BIN=$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin
mkdir -p "$OUT"
rm -f "$OUT"/*.profraw
WRAP="$OUT/instrument.sh"
printf '#!/bin/sh\nexec "$@" -Cinstrument-coverage\n' > "$WRAP"
chmod +x "$WRAP"
export RUSTC_WORKSPACE_WRAPPER="$WRAP"
TEST_BIN=$(cargo test --release --test tests --no-run 2>&1 | sed -n 's/.*Executable tests\/tests.rs (\(.*\))/\1/p')
if [ "${SMOKE:-0}" = 1 ]; then
  LLVM_PROFILE_FILE="$OUT/cov-%p-%m.profraw" "$TEST_BIN" fuzz_smoke >/dev/null 2>&1
else
  # The campaign's new inputs and the committed seeds (libFuzzer does not copy those).
  rm -rf "$OUT/replay"
  for t in accounts follows interactions seeds study; do
    mkdir -p "$OUT/replay/$t"
    cp tests/fuzz/corpus/$t/* "$OUT/replay/$t/"
    if [ -d "$CORPUS/$t" ]; then find "$CORPUS/$t/" -type f -exec cp -t "$OUT/replay/$t/" {} +; fi
  done
  LLVM_PROFILE_FILE="$OUT/cov-%p-%m.profraw" RANKAUDIT_FUZZ_CORPUS="$OUT/replay" \
    "$TEST_BIN" fuzz_corpus_replay --ignored --nocapture 2>&1 | grep -E '^replayed|test result'
fi
"$BIN/llvm-profdata" merge -sparse "$OUT"/*.profraw -o "$OUT/merged.profdata"
"$BIN/llvm-cov" report --instr-profile "$OUT/merged.profdata" "$TEST_BIN" \
  src/dataset/{clean,fast,ids,load,read,schema,seeds}.rs src/study/mod.rs
