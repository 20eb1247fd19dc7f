# SPDX-License-Identifier: GPL-2.0
#
# The ktlife selftest binaries, in one place: selftests/Makefile builds,
# runs and installs them (the kernel's lib.mk), the top Makefile's clean
# removes them.

# The leaky test pins the module until reboot: it runs last.
TEST_GEN_PROGS := ktlife_first_test ktlife_test ktlife_robust_test ktlife_stall_test \
	ktlife_fault_test ktleak_test ktlife_trace_test ktlife_freeze_test \
	ktlife_reload_test ktlife_leaky_test
TEST_GEN_PROGS_EXTENDED := ktlife_feed ktleak
