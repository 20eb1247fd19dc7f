#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh [--docs] [-j N] [NAME...] - "make mutants": every pitfall as a
# bug switched on, and the test that must catch it (selftests/mutants.list).
# For each mutant (default: all of the list): build ktlife.ko with it
# (qemu/vm.sh --mutant, W=1), boot its own VM on the kernel the list names
# (a mutant that hangs a stop must hang nothing else: the guest's hung-task
# detector panics after 10 s, and the host kills the VM after TIMEOUT),
# run its test cases (qemu/guest/cases.sh), and judge: caught only if
# the run failed AND its console or kernel log matches the mutant's
# "caught" regexp. A mutant that passes, or fails for another reason, is a
# failure of this script.
#
# Output: one TAP line per mutant ("ok N mutant NAME: caught by CASE"),
# then the table "mutant | test | caught | how" (how: the first line of
# the log that matched) in build/mutants/table.md; --docs also writes it
# into docs/testing.md between its "mutants" markers. -j N runs N VMs at
# a time (default 1). Exit status: the number of mutants not caught.
#
# make check shares the mutants between its two lanes: each lane runs
# "mutants.sh --claim DIR" when it has nothing else to do, which judges
# every mutant not claimed yet (mkdir DIR/NAME is the claim), and at the
# end "mutants.sh --report" prints the TAP lines and the table.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

list=$top/selftests/mutants.list
out=$KTLIFE_BUILD/mutants
timeout=${KTLIFE_MUTANT_TIMEOUT:-300}
docs=false
jobs=1
claim=''
report_only=false
while [ $# -gt 0 ]; do
	case "$1" in
	--docs) docs=true; shift ;;
	-j) jobs=${2:?-j N}; shift 2 ;;
	--claim) claim=${2:?--claim DIR}; shift 2 ;;
	--report) report_only=true; shift ;;
	-*) die "usage: mutants.sh [--docs] [-j N] [--claim DIR|--report] [NAME...]" ;;
	*) break ;;
	esac
done

# field NAME KEY: KEY's value in NAME's record of the list.
field()
{
	awk -v m="$1" -v k="$2" '
		/^mutant / { in_rec = ($2 == m); next }
		in_rec && $1 == k { sub(/^[ \t]*[a-z]+[ \t]+/, ""); print; exit }
	' "$list"
}

names()
{
	sed -n 's/^mutant \([a-z0-9_]*\)$/\1/p' "$list"
}

# judge NAME: run one mutant; writes out/NAME.result: "yes|no<TAB>how".
judge()
{
	local name=$1 kernel test bin cases caught rc=0 how log

	kernel=$(field "$name" kernel)
	test=$(field "$name" test)
	caught=$(field "$name" caught)
	bin=${test%% *}
	cases=${test#* }
	log=$out/$name.log
	"$top/qemu/vm.sh" --kernel "$kernel" --mutant "$name" --log "$log" \
		--timeout "$timeout" --quiet \
		--append "loglevel=5 rcupdate.rcu_expedited=1 ktlife.hung_panic=1 ktlife.cases=$bin:${cases// /,}" \
		cases >"$out/$name.out" 2>&1 || rc=$?
	how=$(cat "$log" "${log%.log}.dmesg" 2>/dev/null | tr -d '\r' |
		grep -m 1 -aE -- "$caught" | sed 's/^[[:space:]#]*//' | cut -c1-160)
	if [ "$rc" -eq 0 ]; then
		printf 'no\tthe run passed: the test did not see the bug\n'
	elif [ -n "$how" ]; then
		printf 'yes\t%s\n' "$how"
	else
		printf 'no\tthe run failed, but not as "%s": %s\n' "$caught" \
			"$(grep -m 1 -E 'FAIL|not ok' "$out/$name.out" | cut -c1-120)"
	fi >"$out/$name.result"
}

mkdir -p "$out"
mapfile -t all < <(names)
[ $# -gt 0 ] || set -- "${all[@]}"
for name in "$@"; do
	[ -n "$(field "$name" test)" ] || die "no mutant '$name' in $list"
done

start=$(date +%s)
if [ -n "$claim" ]; then
	mkdir -p "$claim"
	for name in "$@"; do
		mkdir "$claim/$name" 2>/dev/null || continue
		rm -f "$out/$name.result"
		judge "$name"
	done
	exit 0
elif ! $report_only; then
	# Build each mutant's kernel once, before any VM runs in parallel.
	for kernel in $(for name in "$@"; do field "$name" kernel; done | sort -u); do
		kernel_resolve "$kernel" >/dev/null ||
			die "cannot prepare the $kernel kernel"
	done
	running=0
	for name in "$@"; do
		rm -f "$out/$name.result"
		judge "$name" &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait
fi

n=0
missed=0
{
	echo "| mutant | test | caught | how |"
	echo "|---|---|---|---|"
} >"$out/table.md"
for name in "$@"; do
	n=$((n + 1))
	yes=no
	how="not run"
	[ ! -f "$out/$name.result" ] ||
		IFS=$'\t' read -r yes how <"$out/$name.result"
	test=$(field "$name" test)
	if [ "$yes" = yes ]; then
		echo "ok $n mutant $name: caught by ${test#* }"
	else
		echo "not ok $n mutant $name: NOT caught by ${test#* } ($how; log: $out/$name.log)"
		missed=$((missed + 1))
	fi
	printf '| `%s` | `%s` | %s | %s |\n' "$name" "${test#* }" "$yes" \
		"${how//|/\\|}" >>"$out/table.md"
done
$report_only || echo "# mutants: $n run, $((n - missed)) caught, in $(($(date +%s) - start)) s"

if $docs; then
	testing=$top/docs/testing.md
	begin='<!-- BEGIN mutants (scripts/mutants.sh --docs) -->'
	end='<!-- END mutants -->'
	grep -qxF "$begin" "$testing" || die "no mutants markers in $testing"
	{
		sed -n "1,\\|^$begin\$|p" "$testing"
		echo "Last run: $(date -u +%F), $n mutants, $((n - missed)) caught."
		echo
		cat "$out/table.md"
		sed -n "\\|^$end\$|,\$p" "$testing"
	} >"$testing.tmp" && mv "$testing.tmp" "$testing"
fi
exit "$missed"
