// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: an allocation not freed at unload, made by the thread itself.
 * Shape: a register sampler, while (!kthread_should_stop()), that
 * kmalloc()s a 2 KiB snapshot of the device's registers every period,
 * publishes it in a global under a lock (for a debugfs reader) and frees
 * the one it replaces, with a stop-aware timed wait between snapshots;
 * kthread_run(), global task, stop in module exit.
 *
 * The bug: exit stops the thread and forgets the last snapshot. It was
 * allocated by the thread, and once the module's memory is gone nothing
 * points at it: kmemleak reports it (debug kernel), on the thread's pid;
 * the stock kernel cannot see it. (The snapshot is taken in a helper, as
 * drivers do. With the pointer held in the thread function across its
 * sleeps, kmemleak missed the leak in one run of three: most likely a
 * stale copy on the dead thread's stack, which the kernel caches for the
 * next thread and kmemleak scans as a reference. kmemleak can miss; a
 * leak it reports is real.)
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#define NR_REGS		512
#define SAMPLE_MS	100

struct reg_snapshot {
	unsigned long taken;		/* jiffies */
	u32 regs[NR_REGS];
};

static DEFINE_SPINLOCK(snap_lock);	/* guards last_snap */
static struct reg_snapshot *last_snap;
static DECLARE_WAIT_QUEUE_HEAD(sampler_wq);
static struct task_struct *sampler;
static unsigned int samples;

static void read_regs(struct reg_snapshot *s)
{
	unsigned int i;

	s->taken = jiffies;
	for (i = 0; i < NR_REGS; i++)
		s->regs[i] = i ^ samples;
}

/* Take a snapshot and publish it in place of the last one. */
static noinline void sample_once(void)
{
	struct reg_snapshot *s, *old;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return;
	read_regs(s);
	spin_lock(&snap_lock);
	old = last_snap;
	last_snap = s;
	spin_unlock(&snap_lock);
	kfree(old);
	samples++;
}

static int sampler_fn(void *unused)
{
	while (!kthread_should_stop()) {
		sample_once();
		wait_event_idle_timeout(sampler_wq, kthread_should_stop(),
					msecs_to_jiffies(SAMPLE_MS));
	}
	return 0;
}

static int __init sampler_init(void)
{
	sampler = kthread_run(sampler_fn, NULL, "cp-nf-snap");
	return PTR_ERR_OR_ZERO(sampler);
}

static void __exit sampler_exit(void)
{
	kthread_stop(sampler);
	pr_info("%u snapshots\n", samples);
}

module_init(sampler_init);
module_exit(sampler_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a sampler whose last snapshot is never freed (bad)");
