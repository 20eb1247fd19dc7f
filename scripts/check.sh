#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - "make check": every test, on a fresh Debian 12 machine too.
#
# Installs what is missing, builds ktlife.ko for each kernel with W=1 and
# sparse, boots each kernel in QEMU with the selftests and the kernel's
# kselftest runner (qemu/vm.sh; the kcsan and arm64 kernels in the
# background, while the rest of the lint checks, the DKMS check, the stock
# and debug kernels and make vm-run's own tests run in turn), and reports.
# The output is one TAP stream: a line per lint check, a line per selftest
# case per kernel (with its time), a line per kernel for Perl's prove over
# the runner's own TAP, a line per VM boot (clean kernel log and verdict),
# each phase's time as a "# phase: N s" comment, then "N passed, N failed".
# Exit status 0 only if nothing failed.
#
# KERNELS="stock debug kcsan arm64" (default) chooses the kernels, in that
# order (names in qemu/kernels.sh), also from make: make check KERNELS=...
#   stock      Debian's 6.1 linux-image-amd64; built against its headers
#   debug      the newest 7.x of Debian's archive (linux-source-7.*,
#              fetched by scripts/ksrc.sh 7), debug kernel (KASAN,
#              kmemleak, lockdep, ...), built and cached by
#              qemu/debug-kernel.sh; its version is in the TAP output
#   kcsan      6.12 with KCSAN (strict) and lockdep: the concurrency tests
#              only (KCSAN_CASES below), denser than KCSAN's default
#   arm64      6.12 debug kernel for arm64 (cross-built, qemu-system-aarch64
#              -M virt under TCG): W=1 + sparse cross build, the core
#              selftests (ARM64_CASES below): that ktlife builds and runs on
#              arm64; under TCG on x86 the guest gets x86's memory order,
#              so ordering is the litmus tests' to prove (docs/harness.md)
#
# The kthread bug corpus (selftests/corpus/, scripts/corpus.sh): the
# kthread rules' recall and false alarms with the lint, and make vm-run's
# verdict on every corpus module on the stock and the debug kernel (when
# they are in KERNELS). CORPUS=static runs only the rules; CORPUS=0 none.
#
# Then the mutants (selftests/mutants.list, scripts/mutants.sh): each
# pitfall switched on, which its test must catch, as many to a boot as
# leave the kernel sound. The two lanes share them, a kernel each:
# whichever is free takes the next. MUTANTS=0 skips them.
#
# "make quick" is the tier to run while working: KERNELS=stock MUTANTS=0
# CORPUS=static (lint, the corpus's rules, DKMS, the stock VM). CI runs
# "make check", all of it.
#   clang      optional: 6.12 built with LLVM=1, build only (W=1 + sparse
#              with clang), never booted
#   debug-6.1  optional: the debug kernel from linux-source-6.1 (installed
#              on first use), e.g. make check KERNELS="stock debug debug-6.1"
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

start=$(date +%s)
kernels=${KERNELS:-stock debug kcsan arm64}
mutants=${MUTANTS:-1}
corpus=${CORPUS:-1}
n=0
passed=0
failed=0
skipped=0

result()	# ok|not ok, name [, directive]
{
	n=$((n + 1))
	echo "$1 $n $2${3:+ # $3}"
	case "$1:${3:-}" in
	ok:SKIP*) skipped=$((skipped + 1)) ;;
	ok:*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

# phase NAME SINCE: the time a phase took, as a TAP comment.
phase()
{
	echo "# $1: $(($(date +%s) - $2)) s"
}

# relay CMD...: CMD's TAP stream (lint.sh's), renumbered into this one.
# Read from "< <(...)", not a pipe: a pipe would run this loop, and its
# counts, in a subshell. A CMD that fails without a "not ok" of its own
# (it died before its checks, or in the middle) is a "not ok" here.
relay()
{
	local line rc failures=0

	while IFS= read -r line; do
		case "$line" in
		"ok "*) result ok "${line#ok [0-9]* }" ;;
		"not ok "*)
			result "not ok" "${line#not ok [0-9]* }"
			failures=$((failures + 1))
			;;
		*) echo "$line" ;;
		esac
	done < <("$@")
	wait "$!"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$failures" -eq 0 ]; then
		result "not ok" "${1##*/} $2 $3: exit status $rc, no check failed"
	fi
}

# vm_results KERNEL LOG TAP RC: one result per selftest case of a VM run,
# then prove over the runner's TAP, then the run's own verdict.
vm_results()
{
	local k=$1 log=$2 tap=$3 vm_rc=$4 line status rest name directive
	local cases=0 ms=''

	tr -d '\r' <"$log" | sed -n '/^TAP version/,/^ktlife-verdict/p' |
		grep -v '^ktlife-verdict' >"$tap"
	# Each selftest case is one result: the harness's own KTAP lines,
	# nested one level ("# ok 3 ktlife.name") under the runner's. The
	# teardown before each prints "# # kt: N ms" (ktlife_util.c).
	while IFS= read -r line; do
		case "$line" in
		"# # kt: "*" ms") ms=${line#\# \# kt: }; continue ;;
		"# ok "[0-9]*|"# not ok "[0-9]*) ;;
		"# #"*|"# "*) echo "$line"; continue ;;
		*) continue ;;
		esac
		line=${line#\# }
		status=ok
		case "$line" in "not ok "*) status="not ok" ;; esac
		rest=${line#"$status" [0-9]* }
		name=${rest%% \# *}
		directive=
		case "$rest" in *" # "*) directive=${rest#* \# } ;; esac
		result "$status" "$k: $name${ms:+ ($ms)}" "$directive"
		ms=''
		cases=$((cases + 1))
	done <"$tap"

	# The kernel's runner wrote KTAP: Perl's TAP harness must agree.
	if prove -e cat "$tap" >"$tap.prove" 2>&1; then
		result ok "prove $k: the runner's TAP parses and passes"
	else
		sed 's/^/# /' "$tap.prove"
		result "not ok" "prove $k: the runner's TAP"
	fi
	if [ "$vm_rc" -eq 0 ] && [ "$cases" -gt 0 ]; then
		result ok "vm $k: verdict 0, console log clean ($cases cases)"
	else
		sed 's/^/# /' "$KTLIFE_BUILD/vm-${k//:/-}.out"
		result "not ok" "vm $k: verdict and console log (see $log)"
	fi
}

"$top/scripts/deps.sh" || die "missing packages"
echo "TAP version 13"

# Resolve every kernel first: debug and clang ones may need building
# (cached).
t=$(date +%s)
declare -A kdir image
for k in $kernels; do
	kernel_resolve "$k" || die "cannot prepare the $k kernel"
	kdir[$k]=$KDIR
	image[$k]=$IMAGE
done
phase kernels "$t"

# The W=1 + sparse builds first: the VMs load what they build.
t=$(date +%s)
relay "$top/scripts/lint.sh" --only builds "${kdir[@]}"
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
make -s -C "$top/selftests" KSFT_DIR="$ksft" >/dev/null ||
	result "not ok" "selftests: build"
phase builds "$t"

# Two lanes, so that the two cores are shared between two things at a
# time, not six: the kcsan and arm64 VMs in the background, one after the
# other; everything else one after the other in the foreground (the
# static lint, packaging, the stock and debug VMs, make vm-run's own
# tests). loglevel=1 keeps the kernel's chatter off the console, so that
# the TAP stays whole; run.sh scans the full kernel log for splats.
# rcu_expedited: module loads and unloads wait for RCU grace periods,
# which take many ticks under TCG; the expedited ones keep RCU's semantics
# and save minutes (make bench keeps the default: it times those very
# waits).
VM_APPEND="loglevel=1 rcupdate.rcu_expedited=1"

# The kcsan kernel runs the tests where threads meet: feeders, drains,
# stops, parks, reloads and rmmod at once, stalls, the freezer, and the
# must-fire case of the deliberate race. kcsan.skip_watch: a watchpoint
# every 500 accesses instead of every 4000 (docs/harness.md says what
# that buys and what a clean run proves; KCSAN_SKIP_WATCH sets it).
KCSAN_CASES="ktlife_test:ktlife.feed_counts_and_crc,drain.graceful.stop_processes_everything,drain.close.stop_processes_everything"
KCSAN_CASES+=";ktlife_robust_test:kt.held_files_across_stop,kt.churn_1000_cycles,kt.concurrent_stress_then_rmmod_race"
KCSAN_CASES+=";ktlife_stall_test:stall.feeder_stalled_in_page_fault,stall.log_reader_stalled_while_stopped,stall.sigkill_ends_stuck_callers"
KCSAN_CASES+=";ktlife_freeze_test:freeze.writers_and_feeders_survive_a_freeze_cycle"
KCSAN_CASES+=";ktlife_reload_test:rl.reload_loop_with_feeders,rl.reload_races_rmmod"
KCSAN_CASES+=";ktleak_test:leak.kcsan_fires_on_a_deliberate_race"

# The arm64 kernel runs what shows that ktlife builds and runs there: the
# level-0 module, a lifecycle with feeding, every stop mode, unload, the
# compactor and a reload, and ktleak firing. The rest of the suite is the
# x86 kernels' (arm64 under TCG is slow, and shows no ordering x86 hides).
ARM64_CASES="ktlife_first_test:first.feed_then_unload,first.everything_fed_before_unload_is_processed,first.ticker_returns_on_its_own,first.stop_does_not_wait_out_a_period"
ARM64_CASES+=";ktlife_test:own.load_unload_cycles,ktlife.feed_counts_and_crc,ktlife.stop_now_discards,drain.graceful.stop_processes_everything,drain.close.stop_processes_everything,ktlife.compactor_trims_log"
ARM64_CASES+=";ktlife_reload_test:rl.reload_replaces_the_thread,rl.reload_keeps_a_pending_kick"
ARM64_CASES+=";ktleak_test:leak.quiet_on_a_clean_lifecycle,leak.fires_on_unreaped_threads"

# The debug kernel's run, in two boots, one a lane: its longest tests (the
# fault sweeps, the robustness tests, ktleak's own) in lane A, the rest in
# lane B. "debug:1" and "debug:2" below.
DEBUG_TESTS_1="ktlife_fault_test,ktlife_robust_test,ktleak_test"
DEBUG_TESTS_2="ktlife_first_test,ktlife_test,ktlife_stall_test,ktlife_trace_test,ktlife_freeze_test,ktlife_reload_test,ktlife_leaky_test"

# vm_boot NAME: qemu/vm.sh with the selftests (the kcsan and arm64
# kernels: their cases; debug:N: part N of the tests); its time in
# vm-NAME.time (":" as "-" in file names).
vm_boot()
{
	local t rc=0 guest=selftests append=$VM_APPEND kernel=${1%%:*}
	local f=${1//:/-}

	if [ "$1" = debug:1 ]; then
		append+=" ktlife.tests=$DEBUG_TESTS_1"
	elif [ "$1" = debug:2 ]; then
		append+=" ktlife.tests=$DEBUG_TESTS_2"
	elif [ "$1" = arm64 ]; then
		guest=cases
		append+=" ktlife.cases=$ARM64_CASES"
	elif [[ "$1" == kcsan* ]]; then
		guest=cases
		# panic_on_warn=0: KCSAN would panic on its first report, and a
		# race inside the kernel's own code is noted, not judged (run.sh);
		# every other line of a report still fails the run from the log.
		append+=" kcsan.early_enable=0 kcsan.skip_watch=${KCSAN_SKIP_WATCH:-500} panic_on_warn=0"
		append+=" ktlife.cases=$KCSAN_CASES"
	fi
	t=$(date +%s)
	"$top/qemu/vm.sh" --kernel "$kernel" --log "$KTLIFE_BUILD/console-$f.log" \
		--append "$append" --quiet "$guest" \
		>"$KTLIFE_BUILD/vm-$f.out" 2>&1 || rc=$?
	echo "$(($(date +%s) - t))" >"$KTLIFE_BUILD/vm-$f.time"
	return "$rc"
}

# claim_mutants: judge every mutant no other lane has claimed yet.
claim_mutants()
{
	[ "$mutants" = 0 ] && return 0
	"$top/scripts/mutants.sh" --claim "$KTLIFE_BUILD/mutants/claims" \
		>>"$KTLIFE_BUILD/mutants/lanes.out" 2>&1
}

# vm_report NAME RC: its phase time and results.
vm_report()
{
	local f=${1//:/-}

	echo "# vm $1: $(cat "$KTLIFE_BUILD/vm-$f.time") s"
	vm_results "$1" "$KTLIFE_BUILD/console-$f.log" \
		"$KTLIFE_BUILD/ktap-$f.tap" "$2"
}

# The mutants need the stock and the debug kernel (resolved above when in
# KERNELS; else here).
rm -rf "$KTLIFE_BUILD/mutants/claims"
mkdir -p "$KTLIFE_BUILD/mutants"
: >"$KTLIFE_BUILD/mutants/lanes.out"
if [ "$mutants" != 0 ]; then
	for k in stock debug; do
		[ -n "${kdir[$k]:-}" ] || kernel_resolve "$k" ||
			die "cannot prepare the $k kernel for the mutants"
	done
fi

# Lane A, in the background: the kcsan and arm64 VMs, the first half of
# the debug kernel's tests, the corpus on the debug kernel, then mutants.
# Lane B: the static lint and the corpus's rules, dkms, the stock VM and
# the corpus on it, the second half of the debug kernel's tests, vm-run's
# own tests (on debug), then mutants. The halves are cut so that the two
# lanes finish together (docs/harness.md has the phase times).
lane_a=()
lanes=()
for k in $kernels; do
	if [ -z "${image[$k]}" ]; then
		echo "# $k ($(kernel_tag "${kdir[$k]}")): build only, not booted"
		continue
	fi
	echo "# booting the $k kernel ($(kernel_tag "${kdir[$k]}")); console logs: $KTLIFE_BUILD/console-$k*.log"
	if [ "$k" = stock ]; then
		lanes+=("$k")
	elif [ "$k" = debug ]; then
		lane_a+=(debug:1)
		lanes+=(debug:2)
	else
		lane_a+=("$k")
	fi
done
# corpus_vm KERNEL: the corpus's VM part on it, TAP into corpus-K.tap.
corpus_vm()
{
	[ "$corpus" = 1 ] && [[ " $kernels " == *" $1 "* ]] || return 0
	"$top/scripts/corpus.sh" --vm "$1" >"$KTLIFE_BUILD/corpus-$1.tap" 2>&1
}

(
	for k in ${lane_a[@]+"${lane_a[@]}"}; do
		rc=0
		vm_boot "$k" || rc=$?
		echo "$rc" >"$KTLIFE_BUILD/vm-${k//:/-}.rc"
	done
	corpus_vm debug
	claim_mutants
) &
lane_a_pid=$!

# Lane B: the static checks, packaging (dkms add, build against the stock
# headers, remove; root only), then the other kernels' VMs.
t=$(date +%s)
relay "$top/scripts/lint.sh" --only static
phase lint "$t"
if [ "$corpus" != 0 ]; then
	t=$(date +%s)
	relay "$top/scripts/corpus.sh" --static
	phase "corpus, kthread-lint" "$t"
fi
t=$(date +%s)
if [ "$(id -u)" -ne 0 ]; then
	result ok "dkms: build and remove" "SKIP needs root"
elif dkms_out=$("$top/scripts/dkms.sh" 2>&1); then
	result ok "$(tail -n 1 <<<"$dkms_out")"
else
	result "not ok" "dkms: build and remove"
	sed 's/^/# /' <<<"$dkms_out"
fi
phase dkms "$t"
for k in ${lanes[@]+"${lanes[@]}"}; do
	vm_rc=0
	vm_boot "$k" || vm_rc=$?
	vm_report "$k" "$vm_rc"
	if [ "$k" = stock ] && [ "$corpus" = 1 ]; then
		t=$(date +%s)
		corpus_vm stock
		relay cat "$KTLIFE_BUILD/corpus-stock.tap"
		phase "corpus, vm-run on stock" "$t"
	fi
done

# make vm-run's own tests, on the debug kernel (it builds locktorture): a
# correct lifecycle of a module nobody here wrote must pass; the same
# module left running must fail, naming its threads. --no-kmemleak: the
# run's own verdict includes PID 1's last kmemleak scan.
if [[ " $kernels " == *" debug "* ]]; then
	t=$(date +%s)
	torture="insmod kmod/torture.ko && insmod kmod/locktorture.ko nwriters_stress=2 && sleep 3"
	rc=0
	RUN="ktleak --no-kmemleak --module locktorture --prefix lock_torture -- sh -c '$torture && rmmod locktorture && rmmod torture'" \
		KERNEL=debug LOG="$KTLIFE_BUILD/console-vm-run-pass.log" \
		"$top/scripts/vm-run.sh" >"$KTLIFE_BUILD/vm-run-pass.out" 2>&1 ||
		rc=$?
	if [ "$rc" -eq 0 ]; then
		result ok "vm-run: locktorture's correct lifecycle passes (ktleak quiet, log clean)"
	else
		sed 's/^/# /' "$KTLIFE_BUILD/vm-run-pass.out"
		result "not ok" "vm-run: locktorture's correct lifecycle"
	fi
	rc=0
	log=$KTLIFE_BUILD/console-vm-run-fail.log
	RUN="ktleak --no-kmemleak --timeout 1000 --module locktorture --prefix lock_torture -- sh -c '$torture'" \
		KERNEL=debug LOG="$log" \
		"$top/scripts/vm-run.sh" >"$KTLIFE_BUILD/vm-run-fail.out" 2>&1 ||
		rc=$?
	if [ "$rc" -ne 0 ] && grep -q "ktleak: LEAK" "$log" &&
	   grep -q "comm lock_torture_wr" "$log"; then
		result ok "vm-run: locktorture left running fails, its threads named"
	else
		sed 's/^/# /' "$KTLIFE_BUILD/vm-run-fail.out"
		result "not ok" "vm-run: locktorture left running must fail with ktleak's findings"
	fi
	phase "vm-run, two debug boots" "$t"
fi
t=$(date +%s)
claim_mutants

# Lane A, then the mutants both lanes judged.
wait "$lane_a_pid"
for k in ${lane_a[@]+"${lane_a[@]}"}; do
	vm_report "$k" "$(cat "$KTLIFE_BUILD/vm-${k//:/-}.rc" 2>/dev/null || echo 1)"
done
if [ "$corpus" = 1 ] && [[ " $kernels " == *" debug "* ]]; then
	relay cat "$KTLIFE_BUILD/corpus-debug.tap"
fi
if [ "$mutants" != 0 ]; then
	relay "$top/scripts/mutants.sh" --report
	phase "mutants (both lanes, after their VMs)" "$t"
	sed 's/^/# /' "$KTLIFE_BUILD/mutants/table.md"
fi

echo "1..$n"
# Kept in build/ too, for the harness rows of "make bench".
echo "# make check took $(($(date +%s) - start)) s" | tee "$KTLIFE_BUILD/check.time"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
