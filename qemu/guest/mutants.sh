#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" of scripts/mutants.sh: the
# mutants of mutants/plan, one after the other in one boot, from the index
# ktlife.mutants_from= names (0 if none). mutants/plan has a line per
# mutant, "NAME REBOOT BINARY CASE...": its ktlife.ko and ktlife_first.ko are in
# mutants/NAME/, and its test is BINARY with those cases (-r), run the way
# qemu/guest/cases.sh runs them, with KTLIFE_KO and KTLIFE_FIRST_KO
# naming the mutant's modules.
#
# The kernel log gets "mutant: begin I NAME" and "mutant: end I NAME"
# around each, the console "mutant-begin I NAME", the test's output, and
# "mutant-result I NAME STATUS". A mutant whose test failed without
# harming the kernel shares the boot with the next one. The run ends
# ("mutant-stop") after a mutant that left the kernel unfit for the next:
# a kernel report in its part of the log (a lockdep report turns lockdep
# off for good, a KASAN report means freed memory was written), a module
# of it that cannot be unloaded, a thread of it still running, or REBOOT
# "yes" (mutants.list: a task left asleep in freed code); and a
# panic (KASAN and WARN with panic_on_warn, a hung task with
# ktlife.hung_panic=1) ends it anyway. The host boots again from the
# next mutant.
cd /payload || exit 1
export PATH="$PATH:/payload/bin"
# This VM is thrown away afterwards: a leak of the leaky tests is fine.
export KTLIFE_ALLOW_LEAK=1

from=$(sed -n 's/.*ktlife\.mutants_from=\([0-9]*\).*/\1/p' /proc/cmdline)
from=${from:-0}
case "$(cat /proc/cmdline)" in
*ktlife.hung_panic=1*)
	echo 10 >/proc/sys/kernel/hung_task_timeout_secs
	echo 1 >/proc/sys/kernel/hung_task_panic
	;;
esac

# Kernel reports since the marker of mutant $1: what makes a kernel unfit.
reports_since()
{
	dmesg | sed -n "/mutant: begin $1 /,\$p" |
		grep -E 'BUG:|WARNING:|Oops|KASAN|ODEBUG|refcount_t:|possible (circular|recursive) locking|inconsistent lock state|blocked for more than|refusing to freeze'
}

# Unload what the mutant left loaded; false if it cannot be. (A function
# shares its caller's variables, and POSIX sh has no "local": its own are
# prefixed, since a loop counter named i here once renumbered every
# mutant after the first.)
unload_all()
{
	for ua_mod in ktlife ktlife_first; do
		[ -d "/sys/module/$ua_mod" ] || continue
		rmmod "$ua_mod" 2>/dev/null || return 1
	done
	# Its threads, once the unloads' stops are through.
	ua_tries=0
	while grep -qs '^ktlife' /proc/[0-9]*/comm && [ "$ua_tries" -lt 20 ]; do
		sleep 0.1
		ua_tries=$((ua_tries + 1))
	done
	! grep -qs '^ktlife' /proc/[0-9]*/comm
}

i=0
while read -r name reboot bin cases; do
	if [ "$i" -lt "$from" ]; then
		i=$((i + 1))
		continue
	fi
	echo "<7>mutant: begin $i $name" >/dev/kmsg
	echo "mutant-begin $i $name"
	args=
	for c in $cases; do
		args="$args -r $c"
	done
	# The test's output goes to the console line by line, as it comes:
	# a mutant may take the kernel down (reload_no_stop's orphan runs
	# unloaded code) after its test saw the bug and before it ended,
	# and the line that says so must be in the log by then.
	rm -f /tmp/mutant.rc
	# shellcheck disable=SC2086 # one -r per case
	(
		export KTLIFE_KO=/payload/mutants/$name/ktlife.ko
		export KTLIFE_FIRST_KO=/payload/mutants/$name/ktlife_first.ko
		cd ktlife && "./$bin" $args
		echo "$?" >/tmp/mutant.rc
	) 2>&1 | while IFS= read -r line; do
		echo "# $line"
	done
	rc=$(cat /tmp/mutant.rc 2>/dev/null || echo 255)
	echo "mutant-result $i $name $rc"
	# The same in the kernel log, whose records no other line can cut.
	echo "<7>mutant: result $i $name $rc" >/dev/kmsg
	echo "<7>mutant: end $i $name" >/dev/kmsg
	why=
	if [ "$reboot" = yes ]; then
		why="mutants.list says it leaves the kernel unfit"
	elif reports_since "$i" >/tmp/mutant.reports; then
		why="a kernel report: $(head -n 1 /tmp/mutant.reports)"
	elif ! unload_all; then
		why="its modules or threads are still there"
	fi
	if [ -n "$why" ]; then
		echo "mutant-stop: after $name, $why"
		exit 0
	fi
	i=$((i + 1))
done <mutants/plan
echo "mutant-done $i"
exit 0
