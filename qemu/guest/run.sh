#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" of "make vm-run": the user's
# command (vm-run.cmd), as root, in /payload, with ktleak on the PATH and
# the kernel's own test modules, if any, in /payload/kmod/. Its exit status
# is the run's verdict (qemu/run.sh also scans the kernel log).
# shellcheck source=qemu/guest/lib.sh
. /payload/lib.sh
cd /payload || exit 1
PATH="$PATH:/payload/ktlife"
export PATH
echo "vm-run: $(cat vm-run.cmd)"
sh ./vm-run.cmd
rc=$?
echo "vm-run: exit status $rc"
exit "$rc"
