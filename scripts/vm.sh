#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh - "make vm": an interactive shell in a VM running Debian's stock
# kernel (KERNEL=debug for the debug one), with ktlife loaded and debugfs
# mounted. The selftests and ktlife_feed are in /payload/ktlife. Leave
# with "exit" (the VM reboots, which ends it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=scripts/kernels.sh
. "$top/scripts/kernels.sh"

"$top/scripts/deps.sh"
kernel_resolve "${KERNEL:-stock}"
ko=$("$top/scripts/build-module.sh" "$KDIR" "$(module_dir "$KDIR")")
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
make -s -C "$top/selftests" KSFT_DIR="$ksft" >/dev/null
payload=$KTLIFE_BUILD/payload-vm
"$top/scripts/stage.sh" "$ko" "$payload" "$top/scripts/vm-shell.sh"
"$top/qemu/run.sh" --kernel "$IMAGE" --payload "$payload" --mode shell \
	--log "$KTLIFE_BUILD/console-vm.log"
