#!/usr/bin/env bash
# Where a chapter-4 training run spends its time: perf record (software cpu-clock, so it also works
# where hardware counters are not exposed) with DWARF call graphs, then two reports: inclusive time
# per function of ours (the loop's pieces) and self time per symbol (the kernels).
#   bench/profile.sh [BINARY [CONFIG [--set KEY=VALUE ...]]]
#   bench/profile.sh build/release/mnist-train configs/chapter4.json --set training.iterations=2000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/build/release/mnist-train}"
config="${2:-$root/configs/chapter4.json}"
shift $(( $# < 2 ? $# : 2 ))

command -v perf >/dev/null || { echo "profile: error: perf is missing; run scripts/bench-setup" >&2; exit 1; }
[ -x "$binary" ] || { echo "profile: error: $binary is not an executable; build it first" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mm-profile.XXXXXX")"
trap 'rm -rf "$work"' EXIT

OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" perf record -q -e cpu-clock -F 499 \
  --call-graph dwarf,16384 -o "$work/perf.data" -- \
  "$binary" train "$config" --set "output.dir=$work/run" --quiet --no-plots --overwrite "$@" \
  >/dev/null

echo "## Inclusive time of ours (children included)"
perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
  grep -E '^ +[0-9.]+%.*\[\.\] mm::' | head -25 | cut -c1-150
echo
echo "## Self time per shared object and symbol"
perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
  grep -E '^ +[0-9.]+%' | head -25 | cut -c1-150
