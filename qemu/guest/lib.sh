# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034
#
# lib.sh - sourced by the scripts that run inside the VM (busybox sh):
# paths and the few helpers both the demo and the shell need.

KT=/sys/kernel/debug/ktlife
# Tools staged with the payload (trace-cmd).
PATH="$PATH:/payload/bin"
export PATH
KO=/payload/ktlife/ktlife.ko

# ktlife threads, as ps shows them: "pid state comm".
kt_threads()
{
	for d in /proc/[0-9]*; do
		read -r comm <"$d/comm" 2>/dev/null || continue
		case "$comm" in
		ktlife/*)
			state=$(sed -n 's/^State:[[:space:]]*//p' "$d/status")
			echo "  pid ${d#/proc/} $comm $state"
			;;
		esac
	done
}

kt_thread_count()
{
	kt_threads | grep -c . || true
}

# The same once it is 0, or after 2 s: what to count after a stop. A
# stopped thread stays in /proc until its exit_notify(), a moment after
# kthread_stop() returned.
kt_thread_count_after_stop()
{
	i=0
	while [ "$(kt_thread_count)" -gt 0 ] && [ "$i" -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kt_thread_count
}

# Milliseconds since boot, for timing a command in the guest.
kt_ms()
{
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}
