// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's bug, shown for real: a writer with no
 * stop path stays forever and pins the module.
 *
 * This must be the last test of a boot: after it, ktlife cannot be unloaded
 * until the machine reboots. It is skipped unless KTLIFE_ALLOW_LEAK=1 (the
 * VM harness sets it), so that a run on a real host leaks nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ktleak.h"
#include "ktlife_util.h"

/* A leaky writer persists, is counted and listed, keeps its id, cannot be
 * stopped, blocks rmmod; a second one is over max_leaky and refused.
 */
TEST(leaky_writer_persists_and_pins_module)
{
	struct ktleak_opts o = {
		.module = "ktlife", .prefix = KT_THREAD_PREFIX,
		.timeout_ms = 1000, .no_kmemleak = true, .out = stdout,
	};
	const char *allow = getenv("KTLIFE_ALLOW_LEAK");
	struct ktleak_snap *before;
	char refcnt[32], trace[65536], match[64];
	bool traced;
	pid_t pid;
	int ret;

	if (getuid())
		SKIP(return, "needs root");
	if (!allow || strcmp(allow, "1"))
		SKIP(return, "leaks a thread until reboot: set KTLIFE_ALLOW_LEAK=1");
	if (kt_loaded())
		ASSERT_EQ(0, kt_unload());
	ASSERT_EQ(0, kt_load(NULL));

	/* ktleak, watching ktlife, must see this leak. */
	before = ktleak_snapshot(&o);
	ASSERT_NE(NULL, before);
	/* Where there is tracefs, the trace must start: no silent skip. */
	traced = kt_tracefs() != NULL;
	if (!traced)
		TH_LOG("no tracefs: the trace events are not checked");
	ASSERT_EQ(0, traced ? kt_trace_begin() : 0);
	ASSERT_EQ(0, kt_write("create", "7 leaky"));
	EXPECT_EQ(1, ktleak_check(&o, before));
	pid = kt_find_thread("ktlife/w7");
	ASSERT_NE(0, pid);
	/* The trace events say so too: created leaky, and it started. */
	if (traced) {
		ASSERT_LT(0, kt_trace_end(trace, sizeof(trace)));
		snprintf(match, sizeof(match),
			 "ktlife_writer_create: id=7 pid=%d leaky=1", pid);
		EXPECT_NE(NULL, strstr(trace, match));
		EXPECT_NE(NULL, strstr(trace, "ktlife_leaky_start: id=7"));
	}
	EXPECT_EQ(1, kt_field("status", "total", NULL, "leaked"));
	EXPECT_EQ(0, kt_field("status", "total", NULL, "writers"));
	/* status lists it, with the thread ps shows. */
	EXPECT_EQ(pid, kt_field("status", "leaked", " id=7 ", "pid"));
	ASSERT_LT(0, kt_read("status", trace, sizeof(trace)));
	EXPECT_NE(NULL, strstr(trace, "leaked id=7 pid=")) TH_LOG("%s", trace);
	EXPECT_NE(NULL, strstr(trace, " comm=ktlife/w7\n"));
	/* Its reference is gone: nothing can stop it. */
	EXPECT_EQ(-ENOENT, kt_write("stop", "7"));
	EXPECT_EQ(-ENOENT, kt_write("stop", "7 now"));
	/* Its id stays taken; max_leaky (1) leaky writers at most. */
	EXPECT_EQ(-EEXIST, kt_write("create", "7"));
	EXPECT_EQ(-EEXIST, kt_write("create", "7 leaky"));
	EXPECT_EQ(-ENOSPC, kt_write("create", "8 leaky"));
	EXPECT_EQ(0, kt_find_thread("ktlife/w8"));
	EXPECT_EQ(1, kt_count_threads("ktlife/w"));

	ret = kt_unload();
	TH_LOG("rmmod with a leaky writer alive: %s", strerror(-ret));
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY);
	EXPECT_TRUE(kt_loaded());
	ASSERT_LT(0, kt_read("/sys/module/ktlife/refcnt", refcnt,
			     sizeof(refcnt)));
	EXPECT_LE(1, atoi(refcnt));

	/* Still there a second later, same pid: it really leaked. */
	kt_sleep_ms(1000);
	EXPECT_EQ(pid, kt_find_thread("ktlife/w7"));
	EXPECT_EQ(-EAGAIN, kt_unload());
}

TEST_HARNESS_MAIN
