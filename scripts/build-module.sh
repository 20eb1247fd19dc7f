#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR OUTDIR - build ktlife.ko (and the level-0 lesson,
# module/first/ktlife_first.ko beside it) against the kernel build tree
# KDIR, out of the source tree (a copy in OUTDIR, so that builds for
# several kernels never share objects), with W=1 and sparse (C=2, with
# sid's sparse: see scripts/sparse.sh). Prints the path of ktlife.ko.
#
# Any compiler or sparse warning fails the build: that is the W=1/sparse
# half of "make lint", done on the very build the tests then load.
#
# A module must be built by the compiler its kernel was configured with:
# against a tree built with clang (CONFIG_CC_IS_CLANG in its .config, e.g.
# the "clang" kernel of kernels.sh) the build uses LLVM=1, else gcc.
# Against an arm64 tree (CONFIG_ARM64 in its .config, the "arm64" kernel)
# it cross-builds: ARCH=arm64 with Debian's aarch64-linux-gnu-gcc.
#
# A build whose inputs (the sources, the kernel's Module.symvers and
# .config, the compiler choice) equal those of the last clean build in
# OUTDIR is not redone: its result was clean and still is.
#
# MUTANT=NAME in the environment builds a mutant (KTLIFE_MUTANT_NAME, one
# pitfall switched on; selftests/mutants.list): W=1 still, no sparse (the
# correct build has had it), in its own OUTDIR.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
kdir=${1:?usage: build-module.sh KDIR OUTDIR}
out=$(realpath -m "${2:?usage: build-module.sh KDIR OUTDIR}")
cc_args=()
if [ -n "${LLVM:-}" ]; then
	cc_args+=("LLVM=$LLVM")
elif grep -qx 'CONFIG_CC_IS_CLANG=y' "$kdir/.config" 2>/dev/null; then
	cc_args+=(LLVM=1)
fi
if grep -qx 'CONFIG_ARM64=y' "$kdir/.config" 2>/dev/null; then
	cc_args+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
fi

mutant=${MUTANT:-}
# sparse from sid (scripts/sparse.sh): Debian 12's cannot read 7.x's
# headers; if sid's cannot be had, Debian 12's, which make then refuses
# for 7.x with a warning, and that warning fails the build.
sparse=$("$top/scripts/sidpkg.sh" sparse usr/bin/sparse sparse libc6) ||
	sparse=sparse
checks=(W=1 C=2 "CHECK=$sparse")
[ -z "$mutant" ] || checks=(W=1 "MUTANT=$mutant")
inputs=$(content_hash "$top/Kbuild" "$top"/module/*.[ch] "${checks[*]}" \
	"$top"/module/first/Kbuild "$top"/module/first/ktlife_first.c \
	"$kdir/Module.symvers" "$kdir/.config" "${cc_args[*]:-gcc}")
if [ -f "$out/ktlife.ko" ] && [ "$(cat "$out/.inputs" 2>/dev/null)" = "$inputs" ]; then
	echo "$out/ktlife.ko"
	exit 0
fi
rm -f "$out/.inputs"
mkdir -p "$out/module/first"
cp "$top/Kbuild" "$out/"
rm -f "$out"/module/*.[ch] "$out"/module/first/ktlife_first.c
cp "$top"/module/*.[ch] "$out/module/"
cp "$top"/module/first/Kbuild "$top"/module/first/ktlife_first.c "$out/module/first/"

log="$out/build.log"
if ! make -C "$kdir" M="$out" "${checks[@]}" "${cc_args[@]}" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: build against $kdir failed" >&2
	exit 1
fi
# Kbuild chatter is indented ("  CC [M] ..."); anything else is a finding.
findings=$(grep -vE '^(  |make(\[[0-9]+\])?: (Entering|Leaving))|^Skipping BTF|^$' "$log" || true)
if [ -n "$findings" ]; then
	echo "$findings" >&2
	echo "build-module: warnings (W=1 or sparse) against $kdir" >&2
	exit 1
fi
echo "$inputs" >"$out/.inputs"
echo "$out/ktlife.ko"
