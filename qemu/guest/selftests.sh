#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run": every ktlife selftest (or
# those ktlife.tests= names), through the kernel's own kselftest runner,
# as KTAP on the console. Exits 1 if any
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
# ktlife.tests=A,B on the command line: those test binaries only (make
# check splits the debug kernel's run in two boots, one a lane).
only=$(sed -n 's/.*ktlife\.tests=\([^ ]*\).*/\1/p' /proc/cmdline)
args=
for t in $(echo "$only" | tr ',' ' '); do
	args="$args -t ktlife:$t"
done
# shellcheck disable=SC2086 # one -t per test
./run_kselftest.sh $args 2>&1 | tee /tmp/ktap
grep -q '^not ok' /tmp/ktap && exit 1
grep -q '^ok' /tmp/ktap || exit 1
exit 0
