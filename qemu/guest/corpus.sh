#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" of scripts/corpus.sh: every
# module of corpus/order (the kthread bug corpus, built for this kernel),
# one after the other, from the index ktlife.corpus_from= names (0 if
# none), each the way make vm-run users run theirs:
#
#   ktleak --no-kmemleak --module NAME -- sh -c 'insmod; sleep 0.5; rmmod'
#
# PID 1 times each unload (ktlife.stop_ms= on the command line). The kernel
# log gets "corpus: begin I NAME" and "corpus: end I NAME" around each, so
# that the host gives every splat to the module it came during; the
# console gets "corpus-pids NAME PID..." (insmod's and the module's new
# threads', to give kmemleak's records to their module: PID 1's last scan
# names the allocating task), ktleak's report as "corpus-out NAME: ...",
# and "corpus-result I NAME STATUS"; the pids and the result also go to
# the kernel log ("corpus: pids NAME PID...", "corpus: result I NAME
# STATUS"), whose records are never cut by another line as the console's
# can be (a report printed from another CPU, or by 7.x's printk thread,
# lands in the middle of ours). STATUS: ktleak's (0 clean, 1 leak),
# 97 if insmod failed, 98 if the unload was still going after 10 s, or
# that of the rmmod an oops killed. A stuck unload ends the run there
# ("corpus-stop"), and so does a panic: the host boots again from the
# next module.
cd /payload || exit 1
PATH="$PATH:/payload/ktlife"
export PATH

from=$(sed -n 's/.*ktlife\.corpus_from=\([0-9]*\).*/\1/p' /proc/cmdline)
from=${from:-0}
# A bad module's oops (a use-after-free on a kernel without KASAN, say)
# kills the rmmod that ran into it, not the boot: the next module runs
# on. (The host boots with panic_on_warn=0 for the same reason: each
# report is judged, the run goes on.)
echo 0 >/proc/sys/kernel/panic_on_oops
# An oops turns the console verbose for the rest of the boot
# (console_verbose()): every later kernel line would then reach the
# console and cut the runner's lines. Each module starts at the boot's
# console level again.
console_level=$(cut -f1 /proc/sys/kernel/printk)

# The pids under /proc, one per line.
pids()
{
	ls /proc | grep -E '^[0-9]+$'
}

i=0
while read -r m; do
	if [ "$i" -lt "$from" ]; then
		i=$((i + 1))
		continue
	fi
	echo "$console_level" >/proc/sys/kernel/printk
	echo "<7>corpus: begin $i $m" >/dev/kmsg
	echo "corpus-begin $i $m"
	pids >/tmp/corpus.before
	# shellcheck disable=SC2016 # expanded by the inner sh
	ktleak --no-kmemleak --module "$m" -- sh -c '
		insmod "corpus/$1.ko" & p=$!
		wait "$p" || exit 97
		pids="$p $(ls /proc | grep -E "^[0-9]+$" |
			awk "NR == FNR { a[\$0]; next } !(\$0 in a)" \
				/tmp/corpus.before - | tr "\n" " ")"
		echo "corpus-pids $1 $pids"
		sleep 0.5
		rmmod "$1" & r=$!
		n=0
		while kill -0 "$r" 2>/dev/null; do
			[ "$n" -ge 100 ] && exit 98
			sleep 0.1
			n=$((n + 1))
		done
		wait "$r"' corpus "$m" >/tmp/corpus.out 2>&1
	rc=$?
	grep '^corpus-pids ' /tmp/corpus.out
	sed -n 's/^corpus-pids \(.*\)/<7>corpus: pids \1/p' /tmp/corpus.out \
		>/dev/kmsg
	grep -v '^corpus-pids ' /tmp/corpus.out | sed "s|^|corpus-out $m: |"
	echo "corpus-result $i $m $rc"
	echo "<7>corpus: result $i $m $rc" >/dev/kmsg
	echo "<7>corpus: end $i $m" >/dev/kmsg
	if [ "$rc" = 98 ]; then
		echo "corpus-stop: $m still unloading after 10 s"
		exit 0
	fi
	i=$((i + 1))
done <corpus/order
echo "corpus-done $i"
exit 0
