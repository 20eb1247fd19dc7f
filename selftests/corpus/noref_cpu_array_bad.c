// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: threads that may return on their own, stopped with a bare
 * kthread_stop(). Shape: bcache's btree check threads
 * (bch_btree_check_thread()): an array of per-queue threads, each of
 * which scrubs its slice in batches, a while (!kthread_should_stop())
 * loop with msleep_interruptible() between batches, and breaks out and
 * returns when its slice is done; kthread_create_on_cpu() (which binds
 * the thread to the queue's CPU) + wake_up_process(), the tasks in a
 * field of an array of queue structs, stopped in a loop in module exit
 * (and on init's error path).
 *
 * The bug: each queue's slice is done after 4 batches, about 100 ms after
 * load, and its thread returns; its task_struct is freed a grace period
 * later, and exit's kthread_stop() loop touches freed memory (KASAN on
 * the debug kernel). Nothing holds a reference.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/numa.h>

#define NR_SCRUB_QUEUES	2
#define SCRUB_BATCHES	4
#define SCRUB_BATCH_MS	25

struct scrub_queue {
	struct task_struct *thread;
	unsigned int cpu;
	unsigned int next_batch;
	unsigned long scrubbed;
};

static struct scrub_queue queues[NR_SCRUB_QUEUES];
static unsigned int nr_queues;

/* Scrub the next batch of the queue's slice; false once it is done. */
static bool scrub_batch(struct scrub_queue *q)
{
	if (q->next_batch == SCRUB_BATCHES)
		return false;
	q->next_batch++;
	q->scrubbed += 64;
	return true;
}

static int scrub_thread(void *arg)
{
	struct scrub_queue *q = arg;

	while (!kthread_should_stop()) {
		if (!scrub_batch(q))
			break;
		msleep_interruptible(SCRUB_BATCH_MS);
	}
	return 0;
}

static int __init scrub_init(void)
{
	struct scrub_queue *q;
	unsigned int i;
	int err;

	nr_queues = min_t(unsigned int, num_online_cpus(), NR_SCRUB_QUEUES);
	for (i = 0; i < nr_queues; i++) {
		q = &queues[i];
		q->cpu = cpumask_local_spread(i, NUMA_NO_NODE);
		q->thread = kthread_create_on_cpu(scrub_thread, q, q->cpu,
						  "cp-nr-scrub/%u");
		if (IS_ERR(q->thread)) {
			err = PTR_ERR(q->thread);
			while (i--)
				kthread_stop(queues[i].thread);
			return err;
		}
		wake_up_process(q->thread);
	}
	return 0;
}

static void __exit scrub_exit(void)
{
	unsigned int i;

	for (i = 0; i < nr_queues; i++)
		kthread_stop(queues[i].thread);
}

module_init(scrub_init);
module_exit(scrub_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: per-queue scrub threads that return when done, stopped without a reference (bad)");
