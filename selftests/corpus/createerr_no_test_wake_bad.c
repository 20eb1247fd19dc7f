// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a creation failure taken for a thread. Shape: a worker made
 * with kthread_create(), bound to CPU 0 and woken with wake_up_process()
 * without any test of the result (the two steps kthread_run() does, done
 * by hand to bind the thread first); global task, stop in module exit.
 *
 * The bug: kthread_create() returns ERR_PTR(-errno) on failure, and
 * kthread_bind() dereferences it at once. A VM run does not make the
 * creation fail (that needs fault injection), and on its path the module
 * is correct.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define WORK_MS	100

static DECLARE_WAIT_QUEUE_HEAD(work_wq);
static struct task_struct *worker;
static unsigned int rounds;

static int work_fn(void *unused)
{
	while (!kthread_should_stop()) {
		rounds++;
		wait_event_idle_timeout(work_wq, kthread_should_stop(),
					msecs_to_jiffies(WORK_MS));
	}
	return 0;
}

static int __init work_init(void)
{
	worker = kthread_create(work_fn, NULL, "cp-ce-wake");
	kthread_bind(worker, 0);
	wake_up_process(worker);
	return 0;
}

static void __exit work_exit(void)
{
	kthread_stop(worker);
	pr_info("%u rounds\n", rounds);
}

module_init(work_init);
module_exit(work_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_create() result used untested (bad)");
