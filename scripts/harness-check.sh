#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# harness-check.sh - the VM verdict's rules, tested on known lines: every
# line of qemu/testdata/must-fail.log but its context lines (those that
# start with "~", the rest of a report) must fail a run: a KCSAN report
# that names ktlife or the kfifo library (in its header or its stacks)
# other than the one deliberate race, KASAN, a WARN, a refcount underflow, a hung task,
# lockdep, sleeping in atomic context, a freezer failure, kmemleak, an
# oops, a panic, a soft lockup, UBSAN) must fail a run, and no line of
# must-pass.log (the command line, kmemleak's own chatter, the deliberate
# race, a KCSAN report of a race inside the kernel's own code, ktlife's
# info lines, reports a test nests under "# ") may.
# Exit status: 0 if both hold.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/qemu/testdata
status=0

flagged=$("$top/qemu/run.sh" --splats "$data/must-fail.log")
while IFS= read -r line; do
	[ "${line#\~}" = "$line" ] || continue
	grep -qxF -- "$line" <<<"$flagged" || {
		echo "not flagged, but must fail a run: $line"
		status=1
	}
done <"$data/must-fail.log"
if ! passed=$("$top/qemu/run.sh" --splats "$data/must-pass.log"); then
	echo "flagged, but must not fail a run:"
	echo "$passed"
	status=1
fi
# A guest on fewer CPUs than QEMU gave it fails a run (its races do not
# race): the count is read from the kernel's own line, 1 and 2 alike.
for want in 1 2; do
	got=$("$top/qemu/run.sh" --cpus "$data/cpus-$want.dmesg")
	[ "$got" = "$want" ] || {
		echo "run.sh --cpus read '$got' CPUs from cpus-$want.dmesg, not $want"
		status=1
	}
done
echo "harness-check: $(grep -vc '^~' "$data/must-fail.log") lines that must fail a run, $(wc -l <"$data/must-pass.log") that must not"
exit "$status"
