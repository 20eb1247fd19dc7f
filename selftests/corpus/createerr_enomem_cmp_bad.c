// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a creation failure taken for a thread. Shape: the fan monitor
 * of drivers/macintosh/therm_adt746x.c (and max3421-hcd's SPI thread):
 * kthread_run()'s result, stored in the device's kzalloc()ed struct, is
 * compared with ERR_PTR(-ENOMEM) only; exit stops the thread if the field
 * is not NULL.
 *
 * The bug: kthread_run() fails with other errors too: -EINTR when insmod
 * is killed while kthreadd forks, -EAGAIN below kernel.threads-max. Those
 * error pointers pass the comparison, init succeeds, and module exit's
 * kthread_stop() dereferences one. A VM run does not make the creation
 * fail (that needs fault injection), and on its path the module is
 * correct.
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
	if (m->thread == ERR_PTR(-ENOMEM)) {
		pr_info("kthread creation failed\n");
		kfree(m);
		return -ENOMEM;
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
MODULE_DESCRIPTION("corpus: a kthread_run() result compared with one error (bad)");
