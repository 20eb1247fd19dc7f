// SPDX-License-Identifier: GPL-2.0
/*
 * ktleak's own tests: it must stay quiet on a clean run and fire on each
 * kind of leak it claims to catch. The leaks come from ktlife's bugs/
 * files (an unreaped thread, a forgotten allocation); the leaky writer's
 * case is in ktlife_leaky_test, which must run last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktleak.h"
#include "ktlife_util.h"

static bool has_task_struct_slab(void)
{
	static char buf[1 << 20];

	return kt_read("/proc/slabinfo", buf, sizeof(buf)) > 0 &&
	       strstr(buf, "\ntask_struct ");
}

static int run_ktleak(const char *args)
{
	char exe[512], cmd[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int status;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "%s/ktleak %s", exe, args);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FIXTURE(leak) {
	int unused;
};

FIXTURE_SETUP(leak)
{
	if (getuid())
		SKIP(return, "needs root");
	if (kt_loaded())
		ASSERT_EQ(0, kt_unload());
	ASSERT_EQ(0, kt_load(NULL));
}

FIXTURE_TEARDOWN(leak)
{
	if (kt_loaded())
		EXPECT_EQ(0, kt_unload());
	/* What was leaked on purpose must not fail the run's last scan. */
	if (kt_kmemleak_available())
		EXPECT_EQ(0, kt_kmemleak_forget());
}

/* A full, correct lifecycle: ktleak stays quiet. */
TEST_F_TIMEOUT(leak, quiet_on_a_clean_lifecycle, 120)
{
	struct ktleak_snap *before;

	ASSERT_EQ(0, kt_unload());
	before = kt_leak_begin();
	ASSERT_EQ(0, kt_load(NULL));
	ASSERT_EQ(0, kt_write("create", "1"));
	ASSERT_EQ(0, kt_feed(1, "clean", 5, false));
	ASSERT_EQ(0, kt_write("stop", "1 close"));
	ASSERT_EQ(0, kt_unload());
	EXPECT_EQ(0, kt_leak_end(before, true));
}

/* Threads that exited but were never reaped keep their task_structs:
 * ktleak fires on the task_struct count.
 */
TEST_F_TIMEOUT(leak, fires_on_unreaped_threads, 120)
{
	struct ktleak_opts o = {
		.prefix = KT_THREAD_PREFIX, .slack = 2, .timeout_ms = 2000,
		.out = stdout,
	};
	struct ktleak_snap *before;

	if (!has_task_struct_slab())
		SKIP(return, "no task_struct in /proc/slabinfo");
	before = ktleak_snapshot(&o);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, kt_write("bugs/unreaped", "8"));
	EXPECT_EQ(1, ktleak_check(&o, before));
}

/* A forgotten kmalloc(): only kmemleak can see it, and ktleak reports it. */
TEST_F_TIMEOUT(leak, fires_on_leaked_allocation, 120)
{
	struct ktleak_opts o = { .prefix = KT_THREAD_PREFIX, .out = stdout };
	struct ktleak_snap *before;

	if (!kt_kmemleak_available())
		SKIP(return, "no kmemleak in this kernel (the debug kernel has it)");
	before = ktleak_snapshot(&o);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, kt_write("bugs/leak", "4096"));
	EXPECT_EQ(1, ktleak_check(&o, before));
}

/* The command-line tool: 0 when clean, 1 on a leak, else the command's
 * own status.
 */
TEST_F_TIMEOUT(leak, command_line_exit_status, 120)
{
	EXPECT_EQ(0, run_ktleak("--no-kmemleak -- true"));
	EXPECT_EQ(3, run_ktleak("--no-kmemleak -- sh -c 'exit 3'"));
	if (!has_task_struct_slab())
		SKIP(return, "no task_struct in /proc/slabinfo");
	EXPECT_EQ(1, run_ktleak("--slack 2 -- sh -c 'echo 8 > " KT_DEBUGFS
				"/bugs/unreaped'"));
}

TEST_HARNESS_MAIN
