#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - "make demo": walk through the seed post in a VM running
# Debian's stock kernel (qemu/guest/demo.sh), installing what is missing.
# Two boots: the first ends with a leaked thread that only a reboot can
# end; the second unloads cleanly.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

start=$(date +%s)
# The guest's own lines only: loglevel=4 keeps kernel chatter off the
# console (the full log is kept).
"$top/qemu/vm.sh" --kernel stock --log "$KTLIFE_BUILD/console-demo.log" \
	--append loglevel=4 --boot ktlife.part=1 --boot ktlife.part=2 demo
# Kept in build/ too, for the harness rows of "make bench".
say "demo done in $(($(date +%s) - start)) s" 2>&1 | tee "$KTLIFE_BUILD/demo.time" >&2
