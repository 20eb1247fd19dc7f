// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_helper_exit_bad.c. wdt_start() takes a
 * reference between kthread_create() and wake_up_process(), before the
 * feeder can run, and wdt_stop() drops it after the stop (kthread_stop()
 * + put_task_struct(), which is kthread_stop_put() from 6.7 on): when
 * the helper ends the thread on the unanswered ping, its task_struct
 * stays until the stop has collected the result.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>

#define WDT_PING_MS	50

struct wdt_dev {
	struct task_struct *feeder;
	wait_queue_head_t wq;
	struct completion started;
	unsigned int nr_pings;
};

static struct wdt_dev *wdt;

/* Ping the watchdog: the third ping gets no answer. */
static int wdt_ping(struct wdt_dev *wd)
{
	if (++wd->nr_pings == 3)
		return -ETIMEDOUT;
	return 0;
}

/*
 * A fatal error, at the first ping or a later one: release whoever waits
 * for the feeder's start, and end the thread.
 */
static void __noreturn wdt_feeder_die(struct wdt_dev *wd, int err)
{
	pr_err("cp-noref: watchdog does not answer (%d), feeder exits\n", err);
	kthread_complete_and_exit(&wd->started, err);
}

static int wdt_feeder(void *data)
{
	struct wdt_dev *wd = data;
	int err;

	err = wdt_ping(wd);
	if (err)
		wdt_feeder_die(wd, err);
	complete(&wd->started);

	for (;;) {
		if (kthread_should_stop())
			break;
		wait_event_interruptible_timeout(wd->wq, kthread_should_stop(),
						 msecs_to_jiffies(WDT_PING_MS));
		err = wdt_ping(wd);
		if (err)
			wdt_feeder_die(wd, err);
	}
	return 0;
}

static int wdt_start(struct wdt_dev *wd)
{
	wd->feeder = kthread_create(wdt_feeder, wd, "cp-nr-wdtfeed");
	if (IS_ERR(wd->feeder))
		return PTR_ERR(wd->feeder);
	get_task_struct(wd->feeder);
	wake_up_process(wd->feeder);
	/* The watchdog counts as armed once the feeder has pinged it. */
	wait_for_completion(&wd->started);
	return 0;
}

static void wdt_stop(struct wdt_dev *wd)
{
	kthread_stop(wd->feeder);
	put_task_struct(wd->feeder);
}

static int __init wdt_init(void)
{
	int err;

	wdt = kzalloc(sizeof(*wdt), GFP_KERNEL);
	if (!wdt)
		return -ENOMEM;
	init_waitqueue_head(&wdt->wq);
	init_completion(&wdt->started);
	err = wdt_start(wdt);
	if (err)
		kfree(wdt);
	return err;
}

static void __exit wdt_exit(void)
{
	wdt_stop(wdt);
	kfree(wdt);
}

module_init(wdt_init);
module_exit(wdt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a watchdog feeder that exits from a helper, stopped through its reference (good)");
