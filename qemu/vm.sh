#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh [options] GUEST - the one way ktlife boots a VM: install what is
# missing, resolve the kernel (building the debug kernel once), build
# ktlife.ko for it (W=1 + sparse, skipped when nothing changed) and the
# selftests, stage them with the guest script GUEST as the payload's "run"
# (qemu/stage.sh), and boot with qemu/run.sh, which judges the run. "make
# check", "make demo", "make vm" and "make bench" differ only in GUEST, one
# of qemu/guest/ (selftests, demo, shell, bench) or a path, and in the
# options they pass.
#
#   --kernel NAME  stock (default), debug, debug-VERSION, kcsan, arm64
#                  (qemu/kernels.sh)
#   --mutant NAME  ktlife.ko built with one pitfall switched on
#                  (KTLIFE_MUTANT_NAME, see selftests/mutants.list)
#   --extra FILE   stage FILE in /payload too (repeatable)
#   --boot ARGS    one boot with these kernel parameters added
#                  (repeatable, a boot each; without it, one boot)
#   --log FILE     console log; with several boots FILE's name gets -1,
#                  -2, ... before ".log"
#   --append ARGS  kernel parameters for every boot
#   --mode, --timeout, --mem, --quiet: passed to qemu/run.sh
# Exit status: 0 if every boot passed, else 1; 2 on a usage error.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

kernel=stock
mutant=''
log=''
append=''
extras=()
boots=()
run_args=()

while [ $# -gt 1 ]; do
	case "$1" in
	--quiet) run_args+=("$1"); shift; continue ;;
	--kernel|--mutant|--extra|--boot|--log|--mode|--timeout|--mem|--append)
		[ $# -ge 3 ] || die "$1 needs a value, then GUEST" ;;
	*) die "unknown option '$1' (see the top of qemu/vm.sh)" ;;
	esac
	case "$1" in
	--kernel) kernel=$2 ;;
	--mutant) mutant=$2 ;;
	--extra) extras+=("$2") ;;
	--boot) boots+=("$2") ;;
	--log) log=$2 ;;
	--append) append=$2 ;;
	*) run_args+=("$1" "$2") ;;
	esac
	shift 2
done
[ $# -eq 1 ] || die "usage: qemu/vm.sh [options] GUEST"
guest=$1
[ -f "$guest" ] || guest=$top/qemu/guest/$1.sh
[ -f "$guest" ] || die "no guest script '$1'"
name=$(basename "$guest" .sh)
[ ${#boots[@]} -gt 0 ] || boots=("")

"$top/scripts/deps.sh"
kernel_resolve "$kernel" || die "cannot prepare the $kernel kernel"
[ -n "$IMAGE" ] || die "the $kernel kernel is build only, it cannot boot"
ko=$(MUTANT=$mutant "$top/scripts/build-module.sh" "$KDIR" \
	"$(module_dir "$KDIR")${mutant:+-mutant-$mutant}")
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
# An arm64 kernel's selftests are cross-built, into their own OUTPUT
# (stage.sh installs from there).
sel_args=()
[ "$(ko_arch "$ko")" != arm64 ] ||
	sel_args=(ARCH=arm64 "OUTPUT=$SELFTESTS_ARM64")
make -s -C "$top/selftests" KSFT_DIR="$ksft" ${sel_args[@]+"${sel_args[@]}"} \
	>/dev/null
payload=$KTLIFE_BUILD/payload-$name-$kernel${mutant:+-$mutant}
"$top/qemu/stage.sh" "$ko" "$payload" "$guest" ${extras[@]+"${extras[@]}"}
# The kernel's own test modules, where it built them (the debug kernel):
# locktorture, for ktleak's tests and for anyone's make vm-run.
mkdir -p "$payload/kmod"
for m in kernel/torture.ko kernel/locking/locktorture.ko; do
	[ ! -f "$KDIR/$m" ] || cp "$KDIR/$m" "$payload/kmod/"
done

rc=0
n=0
for args in "${boots[@]}"; do
	n=$((n + 1))
	boot_log=$log
	if [ -n "$log" ] && [ ${#boots[@]} -gt 1 ]; then
		boot_log=${log%.log}-$n.log
	fi
	args="$append${append:+${args:+ }}$args"
	"$top/qemu/run.sh" --kernel "$IMAGE" --payload "$payload" \
		${boot_log:+--log "$boot_log"} ${args:+--append "$args"} \
		${run_args[@]+"${run_args[@]}"} || rc=1
done
exit "$rc"
