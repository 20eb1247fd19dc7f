// SPDX-License-Identifier: GPL-2.0
/*
 * ktleak's own tests: it must stay quiet on a clean run and fire on each
 * kind of leak it claims to catch. The leaks come from ktlife's bugs/
 * files (an unreaped thread, a forgotten allocation) and from a module
 * nobody here wrote, the kernel's locktorture, left running; the leaky
 * writer's case is in ktlife_leaky_test, which must run last.
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

/* The ktleak command beside this binary, with args; its output in out. */
static int run_ktleak_out(const char *args, char *out, size_t size)
{
	char exe[512], cmd[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t len = 0;
	int status;
	FILE *p;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "%s/ktleak %s 2>&1", exe, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (len + 1 < size && (n = fread(out + len, 1, size - 1 - len, p)) > 0)
		len += n;
	out[len] = '\0';
	/* Shown as it came, so that a failing run says why. */
	fputs(out, stdout);
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_ktleak(const char *args)
{
	static char out[65536];

	return run_ktleak_out(args, out, sizeof(out));
}

/*
 * The kernel's own locktorture, staged by qemu/vm.sh where the kernel has
 * it (the debug kernel builds it as a module): its kthreads are started at
 * insmod and stopped at rmmod with torture_stop_kthread(), a correct
 * lifecycle that ktleak must pass, and that it must catch when rmmod is
 * left out.
 */
#define KMOD "/payload/kmod"
#define LOCKTORTURE "insmod " KMOD "/torture.ko && insmod " KMOD \
	"/locktorture.ko nwriters_stress=2 && sleep 3"
#define LOCKTORTURE_UNLOAD "rmmod locktorture && rmmod torture"
#define LOCKTORTURE_KTLEAK "--module locktorture --prefix lock_torture"

static bool has_locktorture(void)
{
	return !access(KMOD "/locktorture.ko", R_OK) &&
	       !access(KMOD "/torture.ko", R_OK);
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
	ASSERT_EQ(0, kt_load("bugs=1"));
}

FIXTURE_TEARDOWN(leak)
{
	if (kt_loaded())
		EXPECT_EQ(0, kt_unload());
}

/* Timeouts of 60 s: a kmemleak check waits out its 5 s minimum object
 * age and scans twice, slowly under KASAN.
 */

/* A full, correct lifecycle: ktleak stays quiet. */
TEST_F_TIMEOUT(leak, quiet_on_a_clean_lifecycle, 60)
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

/*
 * ktleak around one write of text to a bugs/ file: it must fire, and for
 * the right reason: its report has the finding why.
 */
static void expect_fire(struct __test_metadata *_metadata,
			const struct ktleak_opts *opts, const char *bug,
			const char *text, const char *why)
{
	struct ktleak_opts o = *opts;
	struct ktleak_snap *before;
	char *report = NULL;
	size_t size = 0;
	int ret;

	o.out = open_memstream(&report, &size);
	ASSERT_NE(NULL, o.out);
	before = ktleak_snapshot(&o);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, kt_write(bug, text));
	ret = ktleak_check(&o, before);
	fclose(o.out);
	fputs(report, stdout);
	EXPECT_EQ(1, ret);
	EXPECT_NE(NULL, strstr(report, why)) {
		TH_LOG("no \"%s\" in the report", why);
	}
	free(report);
}

/* One thread that exited while a task reference on it is never put keeps
 * its task_struct: ktleak's default options fire on that one object.
 */
TEST_F(leak, fires_on_unreaped_threads)
{
	/* The task_struct count must fire: no kmemleak wait for it. */
	struct ktleak_opts o = {
		.prefix = KT_THREAD_PREFIX, .slack = 0, .timeout_ms = 5000,
		.no_kmemleak = true,
	};

	if (!has_task_struct_slab())
		SKIP(return, "no task_struct in /proc/slabinfo");
	expect_fire(_metadata, &o, "bugs/unreaped", "1",
		    "task references never put?");
}

/* A forgotten kmalloc(): only kmemleak can see it, and ktleak reports it. */
TEST_F_TIMEOUT(leak, fires_on_leaked_allocation, 60)
{
	struct ktleak_opts o = { .prefix = KT_THREAD_PREFIX };

	if (!kt_kmemleak_available())
		SKIP(return, "no kmemleak in this kernel (the debug kernel has it)");
	expect_fire(_metadata, &o, "bugs/leak", "4096", "kmemleak reports:");
	/*
	 * What was leaked on purpose must not fail a later scan (the run's
	 * last one, say): the module hid the objects from kmemleak and hands
	 * them back now that kmemleak has reported them, so no report of
	 * them can come later, however long a stale pointer lingers.
	 */
	EXPECT_EQ(0, kt_write("bugs/leak", "0"));
}

/* The data-race detector must fire too: two threads racing on a plain
 * counter (bugs/race) are reported by KCSAN, by name. The harness lets
 * exactly this report through (qemu/run.sh); any other fails the run.
 */
TEST_F_TIMEOUT(leak, kcsan_fires_on_a_deliberate_race, 60)
{
	static const char want[] =
		"BUG: KCSAN: data-race in deliberate_race_thread [ktlife] / deliberate_race_thread [ktlife]";
	static const char pow[] = "/proc/sys/kernel/panic_on_warn";
	static char log[1 << 18];
	char was[8] = "0";
	int fd;

	if (access("/sys/kernel/debug/kcsan", F_OK))
		SKIP(return, "no KCSAN in this kernel (the kcsan kernel has it)");
	/* KCSAN panics on a report with panic_on_warn: not on this one. */
	ASSERT_LT(0, kt_read(pow, was, sizeof(was)));
	ASSERT_EQ(0, kt_write(pow, "0"));
	fd = kt_kmsg_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kt_write("bugs/race", "2000"));
	kt_sleep_ms(200);
	kt_kmsg_read(fd, log, sizeof(log));
	close(fd);
	ASSERT_EQ(0, kt_write(pow, was));
	EXPECT_NE(NULL, strstr(log, want)) {
		TH_LOG("no \"%s\" in the kernel log", want);
	}
}

/* The command-line tool: 0 when clean, 1 on a leak, else the command's
 * own status.
 */
TEST_F_TIMEOUT(leak, command_line_exit_status, 60)
{
	EXPECT_EQ(0, run_ktleak("--no-kmemleak -- true"));
	EXPECT_EQ(3, run_ktleak("--no-kmemleak -- sh -c 'exit 3'"));
	if (!has_task_struct_slab())
		SKIP(return, "no task_struct in /proc/slabinfo");
	EXPECT_EQ(1, run_ktleak("--no-kmemleak -- sh -c 'echo 1 > "
				KT_DEBUGFS "/bugs/unreaped'"));
}

/* A correct lifecycle of a module nobody here wrote: ktleak stays quiet. */
TEST_F_TIMEOUT(leak, quiet_on_locktorture, 60)
{
	if (!has_locktorture())
		SKIP(return, "no locktorture.ko staged (the debug kernel has it)");
	EXPECT_EQ(0, run_ktleak(LOCKTORTURE_KTLEAK " -- sh -c '" LOCKTORTURE
				" && " LOCKTORTURE_UNLOAD "'"));
	EXPECT_FALSE(access("/sys/module/locktorture", F_OK) == 0);
}

/* The same left running: ktleak fires and names every lock_torture
 * thread, with its state and stack; the live threads explain the extra
 * task_structs (no "never put" finding). Then unloaded: nothing stays.
 */
TEST_F_TIMEOUT(leak, fires_on_locktorture_left_running, 60)
{
	static char out[65536];
	int ret;

	if (!has_locktorture())
		SKIP(return, "no locktorture.ko staged (the debug kernel has it)");
	ret = run_ktleak_out("--no-kmemleak --timeout 1000 " LOCKTORTURE_KTLEAK
			     " -- sh -c '" LOCKTORTURE "'", out, sizeof(out));
	system(LOCKTORTURE_UNLOAD);
	EXPECT_EQ(1, ret);
	EXPECT_NE(NULL, strstr(out, "leaked kernel thread pid "));
	EXPECT_NE(NULL, strstr(out, " comm lock_torture_wr"));
	EXPECT_NE(NULL, strstr(out, " comm lock_torture_st"));
	EXPECT_NE(NULL, strstr(out, "State:"));
	EXPECT_NE(NULL, strstr(out, "stack:"));
	EXPECT_NE(NULL, strstr(out, "module locktorture: loaded"));
	EXPECT_EQ(NULL, strstr(out, "never put"));
	EXPECT_NE(NULL, strstr(out, "new tasks still alive hold"));
	EXPECT_FALSE(access("/sys/module/locktorture", F_OK) == 0);
}

TEST_HARNESS_MAIN
