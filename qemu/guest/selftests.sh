#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run": every ktlife selftest, through
# the kernel's own kselftest runner, as KTAP on the console. Exits 1 if any
# test failed, so the host's verdict does not rest on parsing alone.
cd /payload || exit 1
# Tools staged with the payload (trace-cmd).
export PATH="$PATH:/payload/bin"
# The leaky test may pin the module: this VM is thrown away afterwards.
export KTLIFE_ALLOW_LEAK=1
# PID 1 turned comm recording off (qemu/init.c): with it on, a test that
# traces can hang a TCG guest (docs/harness.md, "Tracing under TCG").
rc=/sys/kernel/tracing/options/record-cmd
if [ -e "$rc" ] && [ "$(cat "$rc")" != 0 ]; then
	echo "selftests.sh: $rc is $(cat "$rc"), not 0: init did not turn it off"
	exit 1
fi
./run_kselftest.sh 2>&1 | tee /tmp/ktap
grep -q '^not ok' /tmp/ktap && exit 1
grep -q '^ok' /tmp/ktap || exit 1
exit 0
