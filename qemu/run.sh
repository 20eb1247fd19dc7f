#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot a kernel in QEMU with a payload, and judge the run.
#
#   qemu/run.sh --kernel IMAGE --payload DIR [--log FILE] [--mode batch|shell]
#               [--timeout S] [--mem MB] [--append "ARGS"] [--quiet]
#
# The initramfs holds busybox-static, qemu/init.c as PID 1 and DIR as
# /payload; init runs /payload/run and writes "ktlife-verdict: <status>" to
# the second serial port. A batch run passes only if that verdict is 0 AND
# the console log has no oops, WARN, BUG, lockdep, KASAN, hung-task or
# kmemleak line: a guest that panics makes QEMU exit 0 (panic=-1), so
# QEMU's own exit status proves nothing. The console log is kept.
#
# Accelerator: KVM when it works, else TCG. Nested KVM can hang silently
# after the kernel decompresses, or QEMU can abort setting up the vCPU: a
# KVM boot that prints nothing (in 20 s, or before QEMU exits) is killed,
# remembered in $KTLIFE_CACHE/accel, and rerun under TCG.
# KTLIFE_ACCEL=kvm|tcg forces one.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

kernel= payload= log= mode=batch timeout=1800 mem=1024 append= quiet=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--payload) payload=$2; shift ;;
	--log) log=$2; shift ;;
	--mode) mode=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--mem) mem=$2; shift ;;
	--append) append=$2; shift ;;
	--quiet) quiet=1 ;;
	*) die "run.sh: unknown option $1" ;;
	esac
	shift
done
[ -f "$kernel" ] || die "run.sh: --kernel: no such image '$kernel'"
[ -d "$payload" ] || die "run.sh: --payload: no such directory '$payload'"
log=${log:-$KTLIFE_CACHE/logs/$(date +%Y%m%d-%H%M%S).log}
mkdir -p "$(dirname "$log")"

# Lines that fail a run. kmemleak's boot banner is not among them.
splats='Kernel panic|Oops|BUG:|WARNING:|cut here|INFO: possible|INFO: task .* blocked for more than|possible circular locking|possible recursive locking|inconsistent lock state|KASAN:|UBSAN:|unreferenced object|kmemleak: [0-9]+ new suspected memory leaks|general protection fault|Call Trace:|ODEBUG:|soft lockup|hung_task'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# PID 1, built once per content of init.c.
build_init()
{
	local h bin

	h=$(sha256sum "$top/qemu/init.c" | cut -c1-12)
	bin=$KTLIFE_CACHE/init-$h
	if [ ! -x "$bin" ]; then
		mkdir -p "$KTLIFE_CACHE"
		gcc -static -Os -Wall -o "$bin.tmp" "$top/qemu/init.c"
		mv "$bin.tmp" "$bin"
	fi
	echo "$bin"
}

build_initramfs()
{
	local root=$work/root applet

	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,payload}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	cp "$(build_init)" "$root/init"
	cp -a "$payload/." "$root/payload/"
	(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$work/initramfs.gz"
}

# Boot once with accelerator $1; the console goes to $log.
boot()
{
	local accel=$1 cpu=max qemu_pid elapsed=0 status

	[ "$accel" = kvm ] && cpu=host
	local args=(-nodefaults -display none -no-reboot -smp 2 -m "$mem"
		-accel "$accel" -cpu "$cpu"
		-kernel "$kernel" -initrd "$work/initramfs.gz"
		-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic softlockup_panic=1 ktlife.mode=$mode $append")

	: >"$log"
	: >"$work/verdict"
	if [ "$mode" = shell ]; then
		qemu-system-x86_64 "${args[@]}" -serial mon:stdio \
			-serial "file:$work/verdict" | tee "$log"
		return 0
	fi

	qemu-system-x86_64 "${args[@]}" -serial "file:$log" \
		-serial "file:$work/verdict" </dev/null &
	qemu_pid=$!
	[ -n "$quiet" ] || tail -n +1 -f --pid="$qemu_pid" "$log" &
	while kill -0 "$qemu_pid" 2>/dev/null; do
		sleep 1
		elapsed=$((elapsed + 1))
		if [ "$accel" = kvm ] && [ "$elapsed" -eq 20 ] && [ ! -s "$log" ]; then
			kill "$qemu_pid"
			wait "$qemu_pid" || true
			return 2
		fi
		if [ "$elapsed" -ge "$timeout" ]; then
			kill "$qemu_pid"
			echo "ktlife: VM killed after $timeout s" >>"$log"
			break
		fi
	done
	wait "$qemu_pid" && status=0 || status=$?
	wait || true
	# KVM that died or hung before the kernel said a word: try TCG.
	[ "$accel" = kvm ] && [ ! -s "$log" ] && return 2
	return "$status"
}

pick_accel()
{
	if [ -n "${KTLIFE_ACCEL:-}" ]; then
		echo "$KTLIFE_ACCEL"
	elif [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	     ! grep -qs '^kvm hangs' "$KTLIFE_CACHE/accel"; then
		echo kvm
	else
		echo tcg
	fi
}

build_initramfs
start=$(date +%s)
accel=$(pick_accel)
rc=0
boot "$accel" || rc=$?
if [ "$rc" -eq 2 ] && [ "$accel" = kvm ]; then
	say "KVM boot printed nothing: falling back to TCG (remembered in $KTLIFE_CACHE/accel)"
	mkdir -p "$KTLIFE_CACHE"
	echo "kvm hangs: a KVM guest printed nothing" >"$KTLIFE_CACHE/accel"
	accel=tcg
	boot "$accel" || true
fi
[ "$mode" = shell ] && exit 0

elapsed=$(($(date +%s) - start))
verdict=$(tr -d '\r' <"$work/verdict" | sed -n 's/^ktlife-verdict: //p')
bad=$(tr -d '\r' <"$log" | grep -nE "$splats" || true)
if [ -n "$bad" ]; then
	say "FAIL: the console log has splats ($log):"
	echo "$bad" | head -n 40 >&2
	exit 1
fi
if [ "$verdict" != 0 ]; then
	say "FAIL: verdict '${verdict:-none}' from the VM (${accel}, ${elapsed} s; log: $log)"
	exit 1
fi
say "PASS: verdict 0, console clean (${accel}, ${elapsed} s; log: $log)"
