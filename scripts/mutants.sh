#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh [--docs] [NAME...] - "make mutants": every pitfall as a bug
# switched on, and the test that must catch it (selftests/mutants.list).
# The mutants (default: all of the list) go by kernel, stock or debug as
# the list says. For each kernel: every mutant's ktlife.ko is built (W=1,
# two at a time), all of them are staged in one payload, and one boot runs
# them one after the other (qemu/guest/mutants.sh), each its test cases
# with its own modules; a mutant whose test merely fails shares the boot
# with the next, and the boot ends after one that leaves the kernel unfit
# (a panic, a hung task, a report, something it left loaded), the next
# boot going on from the next mutant. Each boot has a timeout (TIMEOUT);
# the guest's hung-task detector panics after 10 s, so a mutant that hangs
# a stop hangs nothing else for long.
#
# A mutant is caught only if its test failed (or its boot died in it, or
# the kernel reported in its part of the log what fails any VM run here: a
# lockdep report is no test's failure, it is the verdict's) AND
# its own part of the logs (console and kernel log, cut at the markers the
# guest writes) matches the mutant's "caught" regexp: the test failed for
# the reason the pitfall gives, not for any reason. A mutant that passes,
# or fails for another reason, is a failure of this script.
#
# Output: one TAP line per mutant ("ok N mutant NAME: caught by CASE"),
# then the table "mutant | test | caught | how" (how: the first line of
# its logs that matched) in build/mutants/table.md; --docs also writes it
# into docs/testing.md between its "mutants" markers. Exit status: the
# number of mutants not caught.
#
# make check shares the kernels between its two lanes: each lane runs
# "mutants.sh --claim DIR" when it has nothing else to do, which runs the
# kernels not claimed yet (mkdir DIR/KERNEL is the claim), and at the end
# "mutants.sh --report" prints the TAP lines and the table.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

list=$top/selftests/mutants.list
out=$KTLIFE_BUILD/mutants
timeout=${KTLIFE_MUTANT_TIMEOUT:-1800}
docs=false
claim=''
report_only=false
while [ $# -gt 0 ]; do
	case "$1" in
	--docs) docs=true; shift ;;
	--claim) claim=${2:?--claim DIR}; shift 2 ;;
	--report) report_only=true; shift ;;
	-*) die "usage: mutants.sh [--docs] [--claim DIR|--report] [NAME...]" ;;
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

# build NAME KDIR: the mutant's modules, into out/NAME (quietly).
build()
{
	local dir

	dir=$(MUTANT=$1 "$top/scripts/build-module.sh" "$2" \
		"$(module_dir "$2")-mutant-$1") || return 1
	mkdir -p "$out/stage-$kernel/mutants/$1"
	cp "$dir" "$(dirname "$dir")/module/first/ktlife_first.ko" \
		"$out/stage-$kernel/mutants/$1/"
}

# batch KERNEL NAME...: every mutant of that kernel, as few boots as they
# allow; then each judged into out/NAME.result: "yes|no<TAB>how".
batch()
{
	local name test from=0 boots=0 last log running=0 rc bad idle=0 cap

	kernel=$1
	nothing=''
	shift
	kernel_resolve "$kernel" >/dev/null ||
		die "cannot prepare the $kernel kernel"
	rm -rf "$out/stage-$kernel" "$out/boot-$kernel"-*
	mkdir -p "$out/stage-$kernel/mutants"
	: >"$out/stage-$kernel/mutants/plan"
	for name in "$@"; do
		rm -f "$out/$name.result"
		test=$(field "$name" test)
		echo "$name $(field "$name" reboot | grep -x yes || echo no) $test" \
			>>"$out/stage-$kernel/mutants/plan"
		build "$name" "$KDIR" >"$out/$name.build" 2>&1 &
		running=$((running + 1))
		if [ "$running" -ge 2 ]; then
			wait -n || true
			running=$((running - 1))
		fi
	done
	wait
	for name in "$@"; do
		[ -f "$out/stage-$kernel/mutants/$name/ktlife.ko" ] || {
			printf 'no\tit does not build: %s\n' \
				"$(tail -n 1 "$out/$name.build")" >"$out/$name.result"
			sed -i "/^$name /d" "$out/stage-$kernel/mutants/plan"
		}
	done
	local total
	total=$(wc -l <"$out/stage-$kernel/mutants/plan")
	cap=$total
	while [ "$from" -lt "$total" ] && [ "$boots" -lt "$cap" ]; do
		boots=$((boots + 1))
		log=$out/boot-$kernel-$boots.log
		"$top/qemu/vm.sh" --kernel "$kernel" \
			--extra "$out/stage-$kernel/mutants" --log "$log" \
			--timeout "$timeout" --quiet \
			--append "loglevel=5 rcupdate.rcu_expedited=1 ktlife.hung_panic=1 ktlife.mutants_from=$from" \
			"$top/qemu/guest/mutants.sh" >"${log%.log}.out" 2>&1 || true
		# The guest numbers the plan's lines from 0; a begin marker
		# naming another line's mutant is the harness's bug, and
		# would judge each mutant by another's logs.
		bad=$(tr -d '\r' <"$log" | awk '
			NR == FNR { name[FNR - 1] = $1; next }
			/^mutant-begin [0-9]+ [a-z0-9_]+$/ && name[$2] != $3 {
				print
				exit
			}
		' "$out/stage-$kernel/mutants/plan" -)
		[ -z "$bad" ] ||
			die "boot $boots of $kernel: \"$bad\" is not that line of the plan"
		tr -d '\r' <"$log" | grep -q '^mutant-done ' && break
		# (Whole lines only: a kernel line printed from another CPU
		# can cut one of the guest's.)
		last=$(tr -d '\r' <"$log" |
			sed -n 's/^mutant-begin \([0-9]*\) [a-z0-9_]*$/\1/p' |
			tail -n 1)
		if [ -z "$last" ]; then
			# A boot that began no mutant failed on its own (it
			# is not a mutant's verdict): once more, then the
			# rest are not run, and say why.
			idle=$((idle + 1))
			if [ "$idle" -ge 2 ]; then
				nothing="boots $((boots - 1)) and $boots of $kernel began no mutant (from $from): $out/boot-$kernel-$boots.out"
				break
			fi
			cap=$((cap + 1))
			continue
		fi
		idle=0
		from=$((last + 1))
	done
	echo "# mutants on $kernel: $total in $boots boot(s)" >&2
	for name in "$@"; do
		[ -f "$out/$name.result" ] || judge "$name"
	done
}

# judge NAME: from the boots of its kernel, its part of the logs (kept
# as out/NAME.log) and its status.
judge()
{
	local name=$1 caught how rc log seg=$out/$1.log

	caught=$(field "$name" caught)
	: >"$seg"
	for log in "$out/boot-$kernel"-*.log; do
		[ -f "$log" ] || continue
		tr -d '\r' <"$log" | awk -v n="$name" '
			/^mutant-begin / { on = ($3 == n) }
			on' >>"$seg"
		tr -d '\r' <"${log%.log}.dmesg" 2>/dev/null | awk -v n="$name" '
			/mutant: begin / { on = ($NF == n) }
			/mutant: end / { if (on) print; on = 0 }
			on' >>"$seg"
	done
	rc=$(sed -n -e "s/^mutant-result [0-9]* $name \([0-9]*\)\$/\1/p" \
		-e "s/.*mutant: result [0-9]* $name \([0-9]*\)\$/\1/p" "$seg" |
		tail -n 1)
	how=$(grep -m 1 -aE -- "$caught" "$seg" |
		sed 's/^[[:space:]#]*//' | cut -c1-160)
	if [ ! -s "$seg" ]; then
		printf 'no\tnot run%s\n' "${nothing:+: $nothing}"
	elif { [ "${rc:-died}" = 0 ] || [ "${rc:-}" = 4 ]; } &&
		! grep -q "^mutant-stop: after $name, a kernel report" "$seg"; then
		printf 'no\tthe run passed: the test did not see the bug\n'
	elif [ -n "$how" ]; then
		printf 'yes\t%s\n' "$how"
	else
		printf 'no\tthe run failed (%s), but not as "%s": %s\n' \
			"${rc:-the boot died in it}" "$caught" \
			"$(grep -m 1 -E 'FAIL|not ok' "$seg" | cut -c1-120)"
	fi >"$out/$name.result"
}

# The kernels of some mutants, each once, the one with the most mutants
# first: the lane that is free first takes the longest batch, and the
# other, free later, the shorter one (the two end closer together).
kernels_of()
{
	local name

	for name in "$@"; do
		field "$name" kernel
	done | sort | uniq -c | sort -k1,1nr -k2 | awk '{ print $2 }'
}

# The mutants of one kernel, among those given.
of_kernel()
{
	local k=$1 name

	shift
	for name in "$@"; do
		[ "$(field "$name" kernel)" != "$k" ] || echo "$name"
	done
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
	for k in $(kernels_of "$@"); do
		mkdir "$claim/$k" 2>/dev/null || continue
		mapfile -t mine < <(of_kernel "$k" "$@")
		batch "$k" "${mine[@]}"
	done
	exit 0
elif ! $report_only; then
	for k in $(kernels_of "$@"); do
		mapfile -t mine < <(of_kernel "$k" "$@")
		batch "$k" "${mine[@]}"
	done
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
		echo "not ok $n mutant $name: NOT caught by ${test#* } ($how; its part of the logs: $out/$name.log)"
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
