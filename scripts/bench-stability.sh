#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-stability.sh [RUNS] - do make bench's family-2 verdicts flip on
# noise, and do they still fail on a real cost? Boots the benchmark
# RUNS times (default 5) with family 2 only (unload and stop costs in N,
# create+stop with 4,095 writers alive), then once more with ktlife built
# from a copy of the tree with bench/inject-walk.patch applied (a 1 us
# walk of the registered writers in every reap: a per-writer cost that
# grows with N). Writes bench/stability.json (bench/render.py
# --stability), which the next "make bench" shows in docs/bench.md.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

runs=${1:-5}
KTLIFE_BUILD=${KTLIFE_BUILD:-$top/build}
dir=$KTLIFE_BUILD/bench/stability
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)

# In a build directory of their own: the last full run's console log and
# ktb.txt in build/ stay, so that it can still be re-rendered.
for i in $(seq "$runs"); do
	say "run $i of $runs"
	KTBENCH_FAMILIES=2 KTBENCH_RENDER=0 KTLIFE_BUILD=$dir/build \
		"$top/scripts/bench.sh"
	cp "$dir/build/bench/ktb.txt" "$dir/run-$i.ktb"
done

# The injected cost: the tracked tree, patched, in a copy of its own.
copy=$KTLIFE_BUILD/bench/inject-tree
rm -rf "$copy"
mkdir -p "$copy"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$copy")
patch -s -d "$copy" -p1 <"$top/bench/inject-walk.patch"
say "the injected walk (bench/inject-walk.patch)"
KTBENCH_FAMILIES=2 KTBENCH_RENDER=0 KTLIFE_BUILD=$copy/build \
	"$copy/scripts/bench.sh"
cp "$copy/build/bench/ktb.txt" "$dir/inject.ktb"

python3 "$top/bench/render.py" --stability "$dir" --out "$top/bench"
say "bench-stability took $(($(date +%s) - start)) s (bench/stability.json)"
