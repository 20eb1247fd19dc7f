// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection with fail-nth (debug kernel): every fault site
 * that insmod and "create" reach is made to fail once, in turn, until a run
 * reaches none. Each failing run must end in a clean errno with nothing
 * half-made left visible; the teardown's ktleak check (with kmemleak) then
 * proves nothing leaked across all of them.
 *
 * One place is kept out of the insmod sweep: the module notifier chain,
 * through which the kernel's own subsystems (trace events, dynamic debug,
 * jump labels, ...) set up a module before its init runs. Some of them WARN
 * when an allocation fails there (event_define_fields() in
 * kernel/trace/trace_events.c, ddebug_module_notify() in
 * lib/dynamic_debug.c). Those WARNs are the kernel's choice, not ktlife
 * bugs, and with panic_on_warn they would end the run, so faults under
 * blocking_notifier_call_chain_robust() are rejected with the fault
 * attributes' stack filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER). A
 * kernel whose fail-nth ignores that filter (6.1 does; 6.12 does not) skips
 * the insmod sweep rather than panic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

#define MAX_POINTS 5000

static int fail_nth_fd(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
		 (long)syscall(SYS_gettid));
	return open(path, O_RDWR | O_CLOEXEC);
}

static void set_attr(const char *attr, const char *file, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static const char * const fault_attrs[] = { "failslab", "fail_page_alloc" };

/* Reject faults whose stack has a frame in [start, end), for both. */
static void reject_range(unsigned long start, unsigned long end)
{
	char buf[32];
	int i;

	for (i = 0; i < 2; i++) {
		/* A stack that is deep enough to reach the notifier. */
		set_attr(fault_attrs[i], "stacktrace-depth", "64");
		snprintf(buf, sizeof(buf), "%#lx", start);
		set_attr(fault_attrs[i], "reject-start", buf);
		snprintf(buf, sizeof(buf), "%#lx", end);
		set_attr(fault_attrs[i], "reject-end", buf);
	}
}

/*
 * The text of symbol sym from /proc/kallsyms: its address to the next
 * symbol's. false if it is not there (or addresses are hidden).
 */
static bool symbol_range(const char *sym, unsigned long *start,
			 unsigned long *end)
{
	unsigned long addr, next = 0;
	char line[512], name[256], type;
	FILE *f = fopen("/proc/kallsyms", "r");

	*start = 0;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %255s", &addr, &type, name) == 3 &&
		    !strcmp(name, sym))
			*start = addr;
	rewind(f);
	while (*start && fgets(line, sizeof(line), f)) {
		addr = strtoul(line, NULL, 16);
		if (addr > *start && (!next || addr < next))
			next = addr;
	}
	fclose(f);
	*end = next;
	return *start && next;
}

/* Arm fail-nth for the n-th fault site of this task's next calls. */
static void arm(int fd, int n)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", n);
	pwrite(fd, num, strlen(num), 0);
}

/* Was a fault injected? Then fail-nth reads 0. Disarms it either way. */
static bool injected(int fd)
{
	char buf[16] = "";

	pread(fd, buf, sizeof(buf) - 1, 0);
	pwrite(fd, "0", 1, 0);
	return atoi(buf) == 0;
}

/*
 * Does fail-nth honour the stack filter? Reject the whole kernel text, arm
 * the first fault site and allocate (an open() needs a struct file): if
 * the filter counts, no site qualifies and fail-nth is still armed.
 */
static bool fail_nth_honours_stack_filter(int nth)
{
	unsigned long stext, etext, unused;
	bool honoured;
	int fd;

	if (access("/sys/kernel/debug/failslab/reject-start", F_OK) ||
	    !symbol_range("_stext", &stext, &unused) ||
	    !symbol_range("_etext", &etext, &unused))
		return false;
	reject_range(stext, etext);
	arm(nth, 1);
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	honoured = !injected(nth);
	if (fd >= 0)
		close(fd);
	reject_range(0, 0);
	return honoured;
}

FIXTURE(fault) {
	struct ktleak_snap *leak;
	int nth;
	bool kmemleak;
};

FIXTURE_SETUP(fault)
{
	self->leak = NULL;
	self->kmemleak = false;
	self->nth = fail_nth_fd();
	if (self->nth < 0 || access("/sys/kernel/debug/failslab", F_OK))
		SKIP(return, "no fail-nth/failslab in this kernel (the debug kernel has them)");
	/* Sleeping allocations too, and no stack dump per injected fault. */
	set_attr("failslab", "ignore-gfp-wait", "N");
	set_attr("failslab", "verbose", "0");
	set_attr("fail_page_alloc", "ignore-gfp-wait", "N");
	set_attr("fail_page_alloc", "verbose", "0");
	KT_SETUP(&self->leak, NULL);
}

FIXTURE_TEARDOWN(fault)
{
	reject_range(0, 0);
	if (self->leak)
		EXPECT_EQ(0, kt_finish(self->leak, self->kmemleak));
	if (self->nth >= 0)
		close(self->nth);
}

/* insmod with its n-th fault site failing, for every n. */
/* Long by nature: every fault site insmod reaches (about 500), each a module load. */
TEST_F_TIMEOUT(fault, insmod_every_fault_point, 300)
{
	unsigned long start, end;
	int n, points = 0, ko, ret;

	if (!fail_nth_honours_stack_filter(self->nth))
		SKIP(return, "fail-nth here ignores the stack filter that keeps faults out of the module notifiers");
	ASSERT_TRUE(symbol_range("blocking_notifier_call_chain_robust", &start,
				 &end));
	reject_range(start, end);
	ko = kt_module_fd();
	ASSERT_LE(0, ko);
	for (n = 1; n < MAX_POINTS; n++) {
		arm(self->nth, n);
		ret = syscall(SYS_finit_module, ko, "", 0) ? -errno : 0;
		if (!injected(self->nth)) {
			ASSERT_EQ(0, ret);
			break;
		}
		points++;
		if (ret) {
			/* A clean failure: nothing loaded, no thread. */
			EXPECT_TRUE(ret == -ENOMEM || ret == -EINTR) {
				TH_LOG("fault point %d: errno %d", n, -ret);
			}
			EXPECT_FALSE(kt_loaded());
			EXPECT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
		} else {
			/* Only a failure init may ignore (a debugfs file). */
			ASSERT_EQ(0, kt_unload());
		}
	}
	close(ko);
	TH_LOG("insmod: %d fault points exercised, then a clean load", points);
	EXPECT_LT(n, MAX_POINTS);
	EXPECT_LT(10, points);
	EXPECT_EQ(0, kt_unload());
}

/* "create" with its n-th fault site failing, for every n. */
TEST_F_TIMEOUT(fault, create_every_fault_point, 60)
{
	int n, points = 0, fd;
	ssize_t ret;

	/*
	 * The binary's last test: its kmemleak check sees the leaks of both
	 * sweeps (nothing scanned in between, so nothing was cleared).
	 */
	self->kmemleak = true;
	ASSERT_EQ(0, kt_load(NULL));
	fd = kt_open("create", O_WRONLY);
	ASSERT_LE(0, fd);
	for (n = 1; n < MAX_POINTS; n++) {
		arm(self->nth, n);
		ret = write(fd, "5", 1);
		ret = ret < 0 ? -errno : ret;
		if (!injected(self->nth)) {
			ASSERT_EQ(1, ret);
			break;
		}
		points++;
		if (ret == 1) {
			/* A fault the create got past: the writer is whole. */
			EXPECT_EQ(0, access(KT_DEBUGFS "/writers/5/queue", F_OK));
			EXPECT_EQ(0, access(KT_DEBUGFS "/writers/5/log", F_OK));
			EXPECT_EQ(0, access(KT_DEBUGFS "/writers/5/stats", F_OK));
			EXPECT_NE(0, kt_find_thread("ktlife/w5"));
			ASSERT_EQ(0, kt_write("stop", "5"));
			continue;
		}
		/* A clean failure: no writer, no directory, no thread. */
		EXPECT_TRUE(ret == -ENOMEM || ret == -EINTR) {
			TH_LOG("fault point %d: errno %zd", n, -ret);
		}
		EXPECT_EQ(0, kt_field("status", "total", NULL, "writers"));
		EXPECT_NE(0, access(KT_DEBUGFS "/writers/5", F_OK));
		EXPECT_EQ(0, kt_count_threads_after_stop("ktlife/w"));
	}
	close(fd);
	TH_LOG("create: %d fault points exercised, then a clean create", points);
	EXPECT_LT(n, MAX_POINTS);
	EXPECT_LT(2, points);
	EXPECT_EQ(1, kt_field("status", "total", NULL, "writers"));
}

TEST_HARNESS_MAIN
