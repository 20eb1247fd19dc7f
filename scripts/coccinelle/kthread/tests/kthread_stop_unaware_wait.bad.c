// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_stop_unaware_wait.cocci: thread loops that sleep on
 * something kthread_stop() cannot end (errors), or sleep on to the end of a
 * long timeout (warnings: the post's time.Sleep). Every line marked
 * "expect:" must be reported, and nothing else.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/wait.h>

struct demo_chan {
	wait_queue_head_t wq;
	struct completion kick;
	struct task_struct *rx;
	struct task_struct *tx;
	struct task_struct *fw;
	struct task_struct *poll;
	unsigned int period_ms;
	bool pending;
	bool fw_ready;
};

void demo_handle(struct demo_chan *c);

/* The seed's bug: the wait cannot see the stop, the loop never ends. */
static int demo_rx_thread(void *arg)
{
	struct demo_chan *c = arg;

	while (!kthread_should_stop()) {
		wait_event_idle(c->wq, READ_ONCE(c->pending)); /* expect: kthread_stop_unaware_wait */
		WRITE_ONCE(c->pending, false);
		demo_handle(c);
	}
	return 0;
}

static int demo_tx_thread(void *arg)
{
	struct demo_chan *c = arg;

	for (;;) {
		wait_for_completion(&c->kick); /* expect: kthread_stop_unaware_wait */
		if (kthread_should_stop())
			break;
		demo_handle(c);
	}
	return 0;
}

static int demo_fw_thread(void *arg)
{
	struct demo_chan *c = arg;

	while (!kthread_should_stop())
		wait_event(c->wq, READ_ONCE(c->fw_ready)); /* expect: kthread_stop_unaware_wait */
	return 0;
}

/* A poller that sleeps its period out, the post's time.Sleep. */
static void demo_pause(struct demo_chan *c)
{
	msleep(c->period_ms); /* expect: kthread_stop_unaware_wait */
}

static int demo_poll_thread(void *arg)
{
	struct demo_chan *c = arg;

	do {
		demo_handle(c);
		ssleep(2); /* expect: kthread_stop_unaware_wait */
		wait_event_timeout(c->wq, READ_ONCE(c->fw_ready), HZ); /* expect: kthread_stop_unaware_wait */
		demo_pause(c);
	} while (!kthread_should_stop());
	return 0;
}

int demo_chan_start(struct demo_chan *c)
{
	struct task_struct *t;

	c->rx = kthread_run(demo_rx_thread, c, "demo-rx");
	if (IS_ERR(c->rx))
		return PTR_ERR(c->rx);
	t = kthread_create(demo_tx_thread, c, "demo-tx");
	if (IS_ERR(t))
		return PTR_ERR(t);
	c->tx = get_task_struct(t);
	wake_up_process(t);
	c->fw = kthread_run(demo_fw_thread, c, "demo-fw");
	if (IS_ERR(c->fw))
		return PTR_ERR(c->fw);
	c->poll = kthread_run(demo_poll_thread, c, "demo-poll");
	if (IS_ERR(c->poll))
		return PTR_ERR(c->poll);
	return 0;
}

void demo_chan_stop(struct demo_chan *c)
{
	kthread_stop(c->rx);
	kthread_stop_put(c->tx);
	kthread_stop(c->fw);
	kthread_stop(c->poll);
}
