// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of createerr_enomem_cmp_bad.c. The result is
 * tested with IS_ERR(), every error fails init with its own code, and
 * exit is never reached with an error pointer.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#define MONITOR_MS	100

struct fan_monitor {
	struct task_struct *thread;
	wait_queue_head_t wq;
	unsigned int checks;
};

static struct fan_monitor *mon;

static int monitor_fn(void *data)
{
	struct fan_monitor *m = data;

	while (!kthread_should_stop()) {
		m->checks++;
		wait_event_idle_timeout(m->wq, kthread_should_stop(),
					msecs_to_jiffies(MONITOR_MS));
	}
	return 0;
}

static int __init monitor_init(void)
{
	struct fan_monitor *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	init_waitqueue_head(&m->wq);
	m->thread = kthread_run(monitor_fn, m, "cp-ce-enomem");
	if (IS_ERR(m->thread)) {
		int err = PTR_ERR(m->thread);

		pr_info("kthread creation failed\n");
		kfree(m);
		return err;
	}
	mon = m;
	return 0;
}

static void __exit monitor_exit(void)
{
	if (mon->thread)
		kthread_stop(mon->thread);
	pr_info("%u fan checks\n", mon->checks);
	kfree(mon);
}

module_init(monitor_init);
module_exit(monitor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_run() result tested with IS_ERR() (good)");
