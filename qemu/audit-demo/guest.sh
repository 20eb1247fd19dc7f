#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh - the payload of scripts/audit-demo.sh (qemu/run.sh runs it as
# /payload/run in the demo kernel's VM, 4 vCPUs): the bcache bug of
# docs/audit.md ("One bug shown happening") made to happen.
#
#  1. A bcache cache set on a loop device (a tmpfs file; make-bcache from
#     Debian's bcache-tools, 4 KiB buckets, so 4 KiB btree nodes), and a
#     flash-only volume on it, /dev/bcache0.
#  2. 2,048 direct writes to every other 4 KiB of the volume (bcache-fill):
#     as many extent keys, which split the btree's root (tree_depth >= 1).
#  3. failslab armed for this one path: only the task that asks for it
#     (task-filter, make-it-fail), only allocations whose stack passes
#     through bch_sectors_dirty_init() (require-start/require-end from
#     /proc/kallsyms), and there the 5th: creating thread 0 allocates its
#     kthread_create_info and its name (2 kmallocs, each with kmemleak's
#     own object: 4 allocations), so the 5th is thread 1's
#     kthread_create_info.
#  4. A second flash volume created by that task: flash_dev_run() ->
#     bch_sectors_dirty_init() starts bch_dirtcnt[0], then creating
#     bch_dirtcnt[1] fails, and the error path stops bch_dirtcnt[0].
#     With the demo's test aid (patch 0001) the creation of thread 1 takes
#     3 s, in which thread 0 walks the whole tree and returns: its
#     task_struct is freed, and kthread_stop() uses it (KASAN).
#
# Exit status 0 only if the failure hit bch_dirtcnt[1]'s creation and the
# kernel survived it; the run's verdict (qemu/run.sh) also reads the log.
set -eu

PATH="$PATH:/payload/bin"
export PATH

say()
{
	echo "audit-demo: $*"
}

fail()
{
	echo "audit-demo: FAIL: $*"
	exit 1
}

# wait_for PATH: up to 10 s for PATH to appear.
wait_for()
{
	i=0
	while [ ! -e "$1" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ] || fail "$1 did not appear"
}

# A stop that hangs (a thread stopped before it ever ran leaves the count
# of started threads above 0 for ever) ends the VM when the hung-task
# detector sees it (30 s), rather than at run.sh's timeout.
echo 1 >/proc/sys/kernel/hung_task_panic

ncpu=$(grep -c '^processor' /proc/cpuinfo)
say "$ncpu CPUs online: bcache starts $((ncpu / 2)) dirty-count threads"
[ "$ncpu" -ge 4 ] ||
	fail "needs 4 vCPUs (bcache starts num_online_cpus()/2 threads, and the bug needs two)"

# 1. The cache set and its first flash volume.
truncate -s 64M /tmp/cache.img
losetup /dev/loop0 /tmp/cache.img
make-bcache -C -b 4k -w 512 /dev/loop0 >/tmp/make-bcache.out ||
	{ cat /tmp/make-bcache.out; fail "make-bcache failed"; }
grep -E 'Set UUID|bucket_size|block_size' /tmp/make-bcache.out | sed 's/^/  /'
echo /dev/loop0 >/sys/fs/bcache/register
cset=
for d in /sys/fs/bcache/*-*-*-*-*; do
	[ -d "$d" ] && cset=$d
done
[ -n "$cset" ] || fail "no cache set in /sys/fs/bcache"
say "cache set ${cset##*/} registered"
echo 32M >"$cset/flash_vol_create"
wait_for /dev/bcache0

# 2. Keys enough for a root above the leaves.
bcache-fill /dev/bcache0 2048
depth=$(cat "$cset/tree_depth")
say "btree depth $depth, $(cat "$cset/internal/btree_nodes") nodes"
[ "$depth" -ge 1 ] || fail "the btree's root is still a leaf: no threads to start"

# 3. failslab, for bch_sectors_dirty_init()'s allocations in this task only.
range=$(sort /proc/kallsyms | awk '
	$3 == "bch_sectors_dirty_init" { s = $1; next }
	s && $1 != s { print s, $1; exit }')
[ -n "$range" ] || fail "no bch_sectors_dirty_init in /proc/kallsyms"
# shellcheck disable=SC2086 # two words: start and end
set -- $range
F=/sys/kernel/debug/failslab
echo N >$F/ignore-gfp-wait
echo 1 >$F/task-filter
echo "0x$1" >$F/require-start
echo "0x$2" >$F/require-end
echo 5 >$F/interval
echo 1 >$F/times
echo 2 >$F/verbose
echo 100 >$F/probability
say "failslab: the 5th allocation under bch_sectors_dirty_init() (0x$1-0x$2) fails, once"

# 4. The second volume, created by a task that may fail.
say "creating a second flash volume"
rc=0
sh -c 'echo 1 >/proc/self/make-it-fail && echo 16M >"$1/flash_vol_create"' \
	sh "$cset" || rc=$?
echo 0 >$F/probability
say "flash_vol_create returned status $rc"
if ! dmesg | grep -q 'fails to run thread bch_dirty_init\[1\]'; then
	dmesg | grep -E 'FAULT_INJECTION|bch_dirty' | sed 's/^/  /' || true
	fail "the injected failure did not hit the creation of bch_dirtcnt[1]"
fi
say "the creation of bch_dirtcnt[1] failed; the error path is done"

# The cache set and both volumes still work.
wait_for /dev/bcache1
bcache-fill /dev/bcache1 16
dd if=/dev/bcache0 of=/dev/null bs=4096 count=256 2>/dev/null ||
	fail "reading /dev/bcache0 failed"
say "both volumes written and read back: done"
