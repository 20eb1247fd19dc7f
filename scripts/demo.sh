#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - "make demo": install what is missing, build ktlife.ko for
# Debian's stock kernel, and walk through the seed post in a VM
# (scripts/vm-demo.sh). Two boots: the first ends with a leaked thread
# that only a reboot can end; the second unloads cleanly.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=scripts/kernels.sh
. "$top/scripts/kernels.sh"

start=$(date +%s)
"$top/scripts/deps.sh"
kernel_resolve stock
say "building ktlife.ko for $(kernel_tag "$KDIR")"
ko=$("$top/scripts/build-module.sh" "$KDIR" "$(module_dir "$KDIR")")
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
make -s -C "$top/selftests" KSFT_DIR="$ksft" >/dev/null
payload=$KTLIFE_BUILD/payload-demo
"$top/scripts/stage.sh" "$ko" "$payload" "$top/scripts/vm-demo.sh"

# The guest's own lines only: loglevel=4 keeps kernel chatter off the
# console (the full log is kept).
for part in 1 2; do
	say "booting Debian's stock kernel, part $part of 2"
	"$top/qemu/run.sh" --kernel "$IMAGE" --payload "$payload" \
		--log "$KTLIFE_BUILD/console-demo-$part.log" \
		--append "loglevel=4 ktlife.part=$part"
done
say "demo done in $(($(date +%s) - start)) s"
