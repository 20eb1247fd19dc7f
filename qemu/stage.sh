#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stage.sh KO OUTDIR ENTRY [EXTRA...] - lay out what one VM boot runs, as
# qemu/run.sh's payload: the module built for that VM's kernel, the
# selftests installed the kselftest way (the kernel's own lib.mk "install",
# runner.sh and run_kselftest.sh from the extracted Debian source, never
# copies in our tree), qemu/guest/lib.sh for the guest scripts, ENTRY (a
# guest script of ours) as the payload's "run", and each EXTRA file beside
# them. Called by qemu/vm.sh.
#
# An arm64 KO (its ELF machine says so) gets the arm64 payload: the
# selftests cross-built into their own OUTPUT (selftests/Makefile
# ARCH=arm64; qemu/vm.sh builds them) and Debian's arm64 trace-cmd
# (qemu/arm64-userland.sh) instead of the host's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ko=${1:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}
out=$(realpath -m "${2:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}")
entry=${3:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}
shift 3
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"
arch_args=()
arch=$(ko_arch "$ko")
[ "$arch" != arm64 ] ||
	arch_args=(ARCH=arm64 "OUTPUT=$SELFTESTS_ARM64")

rm -rf "$out"
mkdir -p "$out/kselftest"
make -s -C "$top/selftests" KSFT_DIR="$ksft" ${arch_args[@]+"${arch_args[@]}"} \
	install INSTALL_PATH="$out/ktlife" >/dev/null
make -s --no-print-directory -C "$top/selftests" KSFT_DIR="$ksft" \
	${arch_args[@]+"${arch_args[@]}"} \
	COLLECTION=ktlife emit_tests >"$out/kselftest-list.txt"
cp "$ksft/run_kselftest.sh" "$out/"
cp "$ksft"/kselftest/{runner.sh,prefix.pl} "$out/kselftest/"
[ -f "$ksft/kselftest/ktap_helpers.sh" ] &&
	cp "$ksft/kselftest/ktap_helpers.sh" "$out/kselftest/"
cp "$ko" "$out/ktlife/ktlife.ko"
# The level-0 lesson's module, built beside it (scripts/build-module.sh).
first=$(dirname "$ko")/module/first/ktlife_first.ko
[ ! -f "$first" ] || cp "$first" "$out/ktlife/"
cp "$top/qemu/guest/lib.sh" "$out/"
[ $# -eq 0 ] || cp -R "$@" "$out/"

# Debian's trace-cmd, for the trace tests and the demo, if the host has it
# (deps.sh installs it). The initramfs has busybox only, no /lib: the
# binary and its libraries go under trace-cmd/ and bin/trace-cmd runs them
# through the dynamic loader named explicitly. For arm64, the same layout
# from Debian's arm64 packages, or none (the trace test then skips).
loader=
if [ "$arch" = arm64 ]; then
	if tcdir=$("$top/qemu/arm64-userland.sh" trace-cmd); then
		cp -R "$tcdir" "$out/trace-cmd"
		rm -f "$out/trace-cmd/.done"
		loader=$(cd "$tcdir/lib" && echo ld-linux-*)
	fi
elif tc=$(command -v trace-cmd); then
	mkdir -p "$out/trace-cmd/lib"
	cp "$tc" "$out/trace-cmd/"
	ldd "$tc" | grep -oE '/[^ ]+' | while read -r lib; do
		cp -L "$lib" "$out/trace-cmd/lib/"
	done
	loader=$(basename "$(ldd "$tc" | grep -oE '/[^ ]*ld-linux[^ ]*')")
fi
if [ -n "$loader" ]; then
	mkdir -p "$out/bin"
	cat >"$out/bin/trace-cmd" <<EOF
#!/bin/sh
d=/payload/trace-cmd
exec \$d/lib/$loader --library-path \$d/lib \$d/trace-cmd "\$@"
EOF
	chmod 0755 "$out/bin/trace-cmd"
fi
install -m 0755 "$entry" "$out/run"
