#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" of "make bench": the bench
# driver (bench/ktbench.c) with ktlife.ko and the peers' ktpeer.ko. Its
# "KTB ..." lines on the console are what scripts/bench.sh collects.
# Options come as kernel parameters: ktbench.reps=N, ktbench.families=DIGITS,
# ktbench.tput_ms=MS.
# shellcheck source=qemu/guest/lib.sh
. /payload/lib.sh

read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	ktbench.reps=*) KTBENCH_REPS=${arg#*=}; export KTBENCH_REPS ;;
	ktbench.families=*) KTBENCH_FAMILIES=${arg#*=}; export KTBENCH_FAMILIES ;;
	ktbench.tput_ms=*) KTBENCH_TPUT_MS=${arg#*=}; export KTBENCH_TPUT_MS ;;
	esac
done

echo "KTBINFO guest_kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) idle=$(sed -n 's/.*idle=\([a-z]*\).*/\1/p' /proc/cmdline)"
KTLIFE_KO=$KO KTPEER_KO=/payload/ktpeer.ko /payload/ktbench
rc=$?
left=$(kt_thread_count)
echo "# ktlife threads left: $left"
[ "$left" -eq 0 ] || rc=1
exit "$rc"
