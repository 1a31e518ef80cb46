#!/usr/bin/env bash
# Wall time of `sciguard check` against `ruff check --no-cache --select S` on the same
# files, in the same run, plus sciguard's findings per rule.
#
# Usage: bench/compare.sh [CORPUS_DIR...]   (default: bench-data/numpy bench-data/pandas)
# Setup (once): python3 -m venv .venv && .venv/bin/pip install ruff
#               pip download --no-deps --only-binary :all: numpy pandas -d /tmp/wheels
#               and unzip each wheel's .py files into bench-data/<package>/
set -euo pipefail
cd "$(dirname "$0")/.."
RUFF=${RUFF:-.venv/bin/ruff}
RUNS=${RUNS:-5}
[ -x "$RUFF" ] || { echo "ruff not found at $RUFF (python3 -m venv .venv && .venv/bin/pip install ruff)"; exit 2; }
corpora=("$@")
[ ${#corpora[@]} -gt 0 ] || corpora=(bench-data/numpy bench-data/pandas)
cargo build --release -q -p sciguard-cli
SCIGUARD=target/release/sciguard

# Median wall time in milliseconds of a command over $RUNS runs (after one warm-up).
median_ms() {
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "sciguard $($SCIGUARD --version | cut -d' ' -f2) vs $($RUFF --version); $RUNS runs each, median wall time; $(nproc) cores"
printf '%-22s %8s %10s %10s %10s %8s\n' corpus files lines "sciguard" "ruff -S" ratio
for corpus in "${corpora[@]}"; do
  files=$(find "$corpus" -name '*.py' | wc -l)
  lines=$(find "$corpus" -name '*.py' -print0 | xargs -0 cat | wc -l)
  ours=$(median_ms "$SCIGUARD" check --exit-zero --output-format json "$corpus")
  theirs=$(median_ms "$RUFF" check --no-cache --select S --exit-zero --quiet "$corpus")
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
  printf '%-22s %8s %10s %8sms %8sms %8s\n' "$corpus" "$files" "$lines" "$ours" "$theirs" "$ratio"
done
echo
for corpus in "${corpora[@]}"; do
  echo "findings per rule in $corpus:"
  "$SCIGUARD" check --exit-zero --output-format json "$corpus" \
    | python3 -c 'import json,sys,collections; c=collections.Counter(f["code"] for f in json.load(sys.stdin)); [print(f"  {k} {v}") for k,v in sorted(c.items())]'
done
