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
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ko=${1:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}
out=$(realpath -m "${2:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}")
entry=${3:?usage: stage.sh KO OUTDIR ENTRY [EXTRA...]}
shift 3
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests

rm -rf "$out"
mkdir -p "$out/kselftest"
make -s -C "$top/selftests" KSFT_DIR="$ksft" install \
	INSTALL_PATH="$out/ktlife" >/dev/null
make -s --no-print-directory -C "$top/selftests" KSFT_DIR="$ksft" \
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
[ $# -eq 0 ] || cp "$@" "$out/"

# Debian's trace-cmd, for the trace tests and the demo, if the host has it
# (deps.sh installs it). The initramfs has busybox only, no /lib: the
# binary and its libraries go under trace-cmd/ and bin/trace-cmd runs them
# through the dynamic loader named explicitly.
if tc=$(command -v trace-cmd); then
	mkdir -p "$out/trace-cmd/lib" "$out/bin"
	cp "$tc" "$out/trace-cmd/"
	ldd "$tc" | grep -oE '/[^ ]+' | while read -r lib; do
		cp -L "$lib" "$out/trace-cmd/lib/"
	done
	loader=$(basename "$(ldd "$tc" | grep -oE '/[^ ]*ld-linux[^ ]*')")
	cat >"$out/bin/trace-cmd" <<EOF
#!/bin/sh
d=/payload/trace-cmd
exec \$d/lib/$loader --library-path \$d/lib \$d/trace-cmd "\$@"
EOF
	chmod 0755 "$out/bin/trace-cmd"
fi
install -m 0755 "$entry" "$out/run"
