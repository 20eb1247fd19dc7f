// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a creation failure taken for a thread. Shape: a poller started
 * in module init with kthread_run(), its result tested with
 * "if (!poller)"; global task, stop in module exit.
 *
 * The bug: kthread_run() returns ERR_PTR(-errno) on failure, never NULL
 * (-ENOMEM, -EINTR when insmod is killed while kthreadd forks, -EAGAIN
 * below kernel.threads-max). The NULL test passes the error pointer, init
 * succeeds, and module exit's kthread_stop() dereferences it. A VM run
 * does not make the creation fail (that needs fault injection), and on
 * its path the module is correct.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define POLL_MS	100

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);
static struct task_struct *poller;
static unsigned int polls;

static int poll_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		wait_event_idle_timeout(poll_wq, kthread_should_stop(),
					msecs_to_jiffies(POLL_MS));
	}
	return 0;
}

static int __init poll_init(void)
{
	poller = kthread_run(poll_fn, NULL, "cp-ce-null");
	if (!poller)
		return -ENOMEM;
	return 0;
}

static void __exit poll_exit(void)
{
	kthread_stop(poller);
	pr_info("%u polls\n", polls);
}

module_init(poll_init);
module_exit(poll_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_run() result tested for NULL (bad)");
