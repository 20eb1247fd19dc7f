#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" when only some selftest cases
# are wanted: one mutant's test (scripts/mutants.sh), or the concurrency
# tests of the KCSAN kernel (scripts/check.sh). The kernel command line
# names them: ktlife.cases=BINARY:CASE,CASE;BINARY:CASE (cases as
# kselftest_harness.h's -r takes them). The output has the shape of the
# kernel's kselftest runner, so that the host reads it the same way: a
# TAP plan, each binary's own KTAP nested under "# ", then "ok N
# selftests: ktlife: BINARY". Exits 1 if any binary failed.
#
# A mutant may hang a stop in D state for good: the hung-task detector is
# set to report after 10 s and to panic, which ends the VM (panic=-1 and
# QEMU's -no-reboot) with the report in the log, well before the host's
# timeout would. (ktlife.hung_panic=1 on the command line.)
cd /payload || exit 1
export PATH="$PATH:/payload/bin"
# This VM is thrown away afterwards: a leak of the leaky tests is fine.
export KTLIFE_ALLOW_LEAK=1

spec=$(sed -n 's/.*ktlife\.cases=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$spec" ] || { echo "cases.sh: no ktlife.cases= on the command line"; exit 2; }
case "$(cat /proc/cmdline)" in
*ktlife.hung_panic=1*)
	echo 10 >/proc/sys/kernel/hung_task_timeout_secs
	echo 1 >/proc/sys/kernel/hung_task_panic
	;;
esac

# The data-race kernel boots with KCSAN off (kcsan.early_enable=0): the
# boot's own races are the kernel's, not ours (x86's APIC calibration has
# one). It watches from here on, for the whole run.
if [ -w /sys/kernel/debug/kcsan ]; then
	echo on >/sys/kernel/debug/kcsan
	echo "cases.sh: KCSAN on, skip_watch $(cat /sys/module/kcsan/parameters/skip_watch)"
fi

n=$(echo "$spec" | tr ';' '\n' | grep -c .)
echo "TAP version 13"
echo "1..$n"
i=0
failed=0
for item in $(echo "$spec" | tr ';' ' '); do
	i=$((i + 1))
	bin=${item%%:*}
	args=
	want=0
	for c in $(echo "${item#*:}" | tr ',' ' '); do
		args="$args -r $c"
		want=$((want + 1))
	done
	echo "# selftests: ktlife: $bin"
	# The binary's own status, not the pipe's: busybox sh has no pipefail.
	# shellcheck disable=SC2086 # one -r per case
	{
		(cd ktlife && "./$bin" $args) 2>&1
		echo "$?" >/tmp/cases.rc
	} | tee /tmp/cases.out | sed 's/^/# /'
	rc=$(cat /tmp/cases.rc)
	# A misspelt case matches nothing, and a run of nothing passes: the
	# harness must have selected as many cases as were named (FIXTURE.CASE,
	# FIXTURE.VARIANT.CASE, or global.CASE for a TEST(); each name once).
	# Selected is not passed: a case that skips still counts here.
	ran=$(sed -n '/^# Starting /{s/^# Starting \([0-9]*\) tests.*/\1/p;q;}' /tmp/cases.out)
	if [ "$rc" = 0 ] && [ "${ran:-0}" != "$want" ]; then
		echo "# cases.sh: $bin ran ${ran:-0} of the $want cases named"
		rc=1
	fi
	case "$rc" in
	0) echo "ok $i selftests: ktlife: $bin" ;;
	4) echo "ok $i selftests: ktlife: $bin # SKIP" ;;
	*)
		echo "not ok $i selftests: ktlife: $bin # exit=$rc"
		failed=1
		;;
	esac
done
# What KCSAN did, for the record: watchpoints set, races seen. (Not
# "KCSAN:", which is a splat to qemu/run.sh.)
if [ -r /sys/kernel/debug/kcsan ]; then
	echo "cases.sh: kcsan counters: $(grep -E '^(setup_watchpoints|data_races|races_unknown_origin):' \
		/sys/kernel/debug/kcsan | sed 's/: /=/' | tr '\n' ' ')"
fi
exit "$failed"
