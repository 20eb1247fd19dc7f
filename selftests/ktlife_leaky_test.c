// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's bugs, shown for real: a reload that swaps the configuration
 * and forgets the thread the old one owned (the bug the post's author
 * shipped), and a writer with no stop path (the post's illustration).
 * Each thread stays forever and pins the module.
 *
 * These must be the last tests of a boot, in this order: after them,
 * ktlife cannot be unloaded until the machine reboots. They are skipped
 * unless KTLIFE_ALLOW_LEAK=1 (the VM harness sets it), so that a run on a
 * real host leaks nothing. The module is loaded once, with max_leaky=2:
 * one leak of each kind, and the third is refused.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ktleak.h"
#include "ktlife_util.h"

#define PARAMS "bugs=1 max_leaky=2 period_ms=60000"

static bool leaks_allowed(void)
{
	const char *allow = getenv("KTLIFE_ALLOW_LEAK");

	return allow && !strcmp(allow, "1");
}

/* A leaky reload publishes the new configuration and forgets the old one:
 * its thread goes on running, nobody holds it, status names it, ktleak
 * fires on it (around the whole lifecycle: load, reload, rmmod), and rmmod
 * is refused. A correct reload afterwards stops only its own thread.
 */
TEST(leaky_reload_orphans_the_old_thread)
{
	char *report = NULL, pidname[64];
	struct ktleak_opts o = {
		.module = "ktlife", .prefix = KT_THREAD_PREFIX,
		.timeout_ms = 1000, .no_kmemleak = true,
	};
	struct ktleak_snap *before;
	pid_t orphan, current, next;
	size_t size = 0;
	int ret;

	if (getuid())
		SKIP(return, "needs root");
	if (!leaks_allowed())
		SKIP(return, "leaks a thread until reboot: set KTLIFE_ALLOW_LEAK=1");
	if (kt_loaded())
		ASSERT_EQ(0, kt_unload());
	o.out = open_memstream(&report, &size);
	ASSERT_NE(NULL, o.out);
	before = ktleak_snapshot(&o);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, kt_load(PARAMS));

	orphan = kt_field("status", "compactor", NULL, "pid");
	ASSERT_LT(0, orphan);
	ASSERT_EQ(0, kt_write("compactor/reload", "period_ms=500 leaky"));
	current = kt_field("status", "compactor", NULL, "pid");
	EXPECT_NE(orphan, current);
	EXPECT_EQ(500, kt_field("status", "compactor", NULL, "period_ms"));
	/* status lists the orphan; both threads run. */
	EXPECT_EQ(orphan, kt_field("status", "leaked compactor", NULL, "pid"));
	EXPECT_EQ(2, kt_count_threads("ktlife/compact"));
	ret = kt_unload();
	TH_LOG("rmmod with an orphaned compactor: %s", strerror(-ret));
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY);

	/* ktleak, around load, reload and rmmod, names the orphan. */
	EXPECT_EQ(1, ktleak_check(&o, before));
	fclose(o.out);
	fputs(report, stdout);
	snprintf(pidname, sizeof(pidname),
		 "leaked kernel thread pid %d comm ktlife/compact", orphan);
	EXPECT_NE(NULL, strstr(report, pidname));
	EXPECT_NE(NULL, strstr(report, "module ktlife: loaded"));
	free(report);

	/* A correct reload still stops its own thread, and only that. */
	ASSERT_EQ(0, kt_write("compactor/reload", "period_ms=400"));
	next = kt_field("status", "compactor", NULL, "pid");
	EXPECT_NE(current, next);
	kt_sleep_ms(1000);
	EXPECT_NE(0, kill(current, 0));
	EXPECT_EQ(0, kill(orphan, 0));
	EXPECT_EQ(2, kt_count_threads("ktlife/compact"));
}

/* A leaky writer persists, is counted and listed, keeps its id, cannot be
 * stopped, blocks rmmod; with the leaky reload, max_leaky (2) is reached:
 * a third leak of either kind is refused.
 */
TEST(leaky_writer_persists_and_pins_module)
{
	struct ktleak_opts o = {
		.module = "ktlife", .prefix = KT_THREAD_PREFIX,
		.timeout_ms = 1000, .no_kmemleak = true, .out = stdout,
	};
	struct ktleak_snap *before;
	char refcnt[32], trace[65536], match[64];
	bool traced;
	pid_t pid;
	int ret;

	if (getuid())
		SKIP(return, "needs root");
	if (!leaks_allowed())
		SKIP(return, "leaks a thread until reboot: set KTLIFE_ALLOW_LEAK=1");
	/* Still loaded, pinned by the test above; else run alone. */
	if (!kt_loaded())
		ASSERT_EQ(0, kt_load(PARAMS));
	/* One leak of each kind fills max_leaky=2, as after the test above. */
	if (kt_field("status", "leaked compactor", NULL, "pid") < 0)
		ASSERT_EQ(0, kt_write("compactor/reload", "leaky"));

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
	/* Its id stays taken; max_leaky (2) leaks at most, of either kind. */
	EXPECT_EQ(-EEXIST, kt_write("create", "7"));
	EXPECT_EQ(-EEXIST, kt_write("create", "7 leaky"));
	EXPECT_EQ(-ENOSPC, kt_write("create", "8 leaky"));
	EXPECT_EQ(0, kt_find_thread("ktlife/w8"));
	EXPECT_EQ(-ENOSPC, kt_write("compactor/reload", "leaky"));
	/* No thread built for it; any stopped one is given 2 s to go. */
	EXPECT_EQ(2, kt_count_threads_settled("ktlife/compact", 2, 2000));
	EXPECT_EQ(1, kt_count_threads("ktlife/w"));

	ret = kt_unload();
	TH_LOG("rmmod with a leaky writer alive: %s", strerror(-ret));
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY);
	EXPECT_TRUE(kt_loaded());
	ASSERT_LT(0, kt_read("/sys/module/ktlife/refcnt", refcnt,
			     sizeof(refcnt)));
	/* Each leak pins the module once: the reload's and this writer's. */
	EXPECT_EQ(2, atoi(refcnt));

	/* Still there a second later, same pid: it really leaked. */
	kt_sleep_ms(1000);
	EXPECT_EQ(pid, kt_find_thread("ktlife/w7"));
	EXPECT_EQ(-EAGAIN, kt_unload());
}

TEST_HARNESS_MAIN
