#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh - "make vm-run": any module and any command in ktlife's VM,
# judged the way make check judges its own runs.
#
#   RUN='CMD'     shell command run in the guest as root, in /payload
#                 (required); its exit status is the verdict's first half
#   KO=FILE       a module to stage as /payload/<its name> (optional)
#   EXTRA='F...'  more files to stage in /payload
#   KERNEL=NAME   stock (default; Debian's 6.1) or debug (6.12 with KASAN,
#                 kmemleak, lockdep, ...; built once, cached)
#   STOP_MS=N     the longest an rmmod may take (default 1000; 0: no bound)
#   LOG=FILE      the console log (default build/console-vm-run.log)
#
# In the guest: busybox, ktleak on the PATH, and, on the debug kernel, the
# kernel's own test modules in /payload/kmod/ (torture.ko, locktorture.ko).
# The run passes only if CMD exits 0, the kernel log has no oops, WARN,
# BUG, lockdep, KASAN, UBSAN, hung-task, soft-lockup or kmemleak line (both
# kernels boot with panic_on_warn=1; on the debug kernel PID 1 scans
# kmemleak once more at the end), and no rmmod took longer than STOP_MS
# (the guest's rmmod is timed). On the stock kernel a pass says what it
# could not see (no KASAN, kmemleak or lockdep there). Exit status: 0 if
# it passed, 1 if not.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

[ -n "${RUN:-}" ] || die "usage: make vm-run RUN='command' [KO=file.ko] [EXTRA='files'] [KERNEL=stock|debug]"
stop_ms=${STOP_MS:-1000}
[[ "$stop_ms" =~ ^[0-9]+$ ]] || die "STOP_MS=$stop_ms: a number of ms"
args=(--kernel "${KERNEL:-stock}"
	--log "${LOG:-$KTLIFE_BUILD/console-vm-run.log}"
	--append "ktlife.stop_ms=$stop_ms")
for f in ${KO:-} ${EXTRA:-}; do
	[ -f "$f" ] || die "no file '$f' to stage"
	args+=(--extra "$f")
done
mkdir -p "$KTLIFE_BUILD"
printf '%s\n' "$RUN" >"$KTLIFE_BUILD/vm-run.cmd"
args+=(--extra "$KTLIFE_BUILD/vm-run.cmd")
exec "$top/qemu/vm.sh" "${args[@]}" run
