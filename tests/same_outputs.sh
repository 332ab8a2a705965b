#!/usr/bin/env bash
# Refactors keep behaviour: run both bundled audits at a base revision and at the working
# tree, and compare every output file byte for byte (tables CSV + Parquet, figures PNG +
# SVG, report.md + report.html); the manifests are compared with their timings removed.
#   tests/same_outputs.sh [BASE_REV]     (default: HEAD)
# Not part of `cargo test` (it builds the base revision: minutes). The base is built in a
# git worktree under $TMPDIR with a copy of target/, so only this crate is rebuilt.
# Exit status 0 when every output is identical, 1 otherwise (the differing files listed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${1:-HEAD}"
work="$(mktemp -d "${TMPDIR:-/tmp}/rankaudit-same-XXXXXX")"
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach -q "$work/base" "$base"
[ -d "$root/target" ] && cp -a "$root/target" "$work/base/target"

run() { # $1 = checkout, $2 = output root
  (cd "$1" && cargo build --release -q)
  for study in data/us-house-2022/study.toml data/higgs-2012/study.toml; do
    name="$(basename "$(dirname "$study")")"
    (cd "$1" && ./target/release/rankaudit audit "$study" --out "$2/$name" -q --threads 2)
  done
}
run "$work/base" "$work/before"
run "$root" "$work/after"

# Manifests: drop the timing object and the output folder's own path.
strip() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("timings_seconds",None); print(json.dumps(m,sort_keys=True,indent=1))' "$1"; }
status=0
while IFS= read -r f; do
  rel="${f#"$work/before/"}"
  other="$work/after/$rel"
  if [ ! -f "$other" ]; then echo "only before: $rel"; status=1; continue; fi
  if [ "$(basename "$f")" = manifest.json ]; then
    cmp -s <(strip "$f" | sed "s#$work/before#OUT#g") <(strip "$other" | sed "s#$work/after#OUT#g") \
      || { echo "differs: $rel (beyond timings)"; status=1; }
  else
    cmp -s "$f" "$other" || { echo "differs: $rel"; status=1; }
  fi
done < <(find "$work/before" -type f | sort)
while IFS= read -r f; do
  rel="${f#"$work/after/"}"
  [ -f "$work/before/$rel" ] || { echo "only after: $rel"; status=1; }
done < <(find "$work/after" -type f | sort)
[ $status = 0 ] && echo "identical: every output of both bundled audits ($base vs working tree)"
exit $status
