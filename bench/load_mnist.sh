#!/usr/bin/env bash
# Loading and verifying the gzipped MNIST files (`mnist-train dataset verify`: inflate, parse,
# check, SHA-256 of the content, all four files) vs. `gzip -dc` of the same four files, run side
# by side and alternating (so both see the same machine load), medians of N runs each, plus the
# peak RSS of verify against the size of the raw data.
# Usage: bench/load_mnist.sh [MNIST_DIR] [RUNS]   (needs a built build/release/mnist-train or $MNIST_TRAIN)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-${MNIST_DATA_DIR:-../shared/datasets/mnist}}"
runs="${2:-7}"
bin="${MNIST_TRAIN:-build/release/mnist-train}"
files=("$dir"/train-images-idx3-ubyte.gz "$dir"/train-labels-idx1-ubyte.gz
       "$dir"/t10k-images-idx3-ubyte.gz "$dir"/t10k-labels-idx1-ubyte.gz)
for f in "${files[@]}"; do [ -f "$f" ] || { echo "bench: no $f" >&2; exit 1; }; done
[ -x "$bin" ] || { echo "bench: no $bin (build first, or set MNIST_TRAIN)" >&2; exit 1; }

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

g=(); v=()
for _ in $(seq "$runs"); do
  g+=("$(seconds gzip -dc "${files[@]}")")
  v+=("$(seconds "$bin" dataset verify "$dir")")
done
gm=$(printf '%s\n' "${g[@]}" | median)
vm=$(printf '%s\n' "${v[@]}" | median)
raw=$(gzip -dc "${files[@]}" | wc -c)
rss_kb=$(/usr/bin/time -v "$bin" dataset verify "$dir" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
printf 'gzip -dc, all 4 files (median of %s): %.3f s\n' "$runs" "$gm"
printf 'mnist-train dataset verify, all 4 files (median of %s): %.3f s\n' "$runs" "$vm"
printf 'ratio verify / gzip -dc: %.2f (target <= 1.5)\n' "$(echo "$vm / $gm" | bc -l)"
printf 'peak RSS of verify: %.1f MB; raw data of the 4 files: %.1f MB; ratio %.2f (target < 2)\n' \
  "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$raw / 1048576" | bc -l)" "$(echo "$rss_kb * 1024 / $raw" | bc -l)"
