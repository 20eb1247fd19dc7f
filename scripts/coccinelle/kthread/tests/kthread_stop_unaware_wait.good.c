// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_stop_unaware_wait.cocci: kthread_stop_unaware_wait.bad.c
 * fixed, and waits the rule leaves alone. Nothing here may be reported.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/wait.h>

struct demo_chan {
	wait_queue_head_t wq;
	struct completion kick;
	struct completion started;
	struct task_struct *rx;
	struct task_struct *tx;
	struct task_struct *fw;
	struct task_struct *daemon;
	bool pending;
	bool fw_ready;
};

void demo_handle(struct demo_chan *c);

static int demo_rx_thread(void *arg)
{
	struct demo_chan *c = arg;

	while (!kthread_should_stop()) {
		wait_event_idle(c->wq, READ_ONCE(c->pending) ||
				       kthread_should_stop());
		if (kthread_should_stop())
			break;
		WRITE_ONCE(c->pending, false);
		demo_handle(c);
	}
	return 0;
}

static bool demo_tx_ready(struct demo_chan *c)
{
	return READ_ONCE(c->pending) || kthread_should_stop();
}

/* A helper of the file tests the stop. */
static int demo_tx_thread(void *arg)
{
	struct demo_chan *c = arg;

	for (;;) {
		wait_event_idle(c->wq, demo_tx_ready(c));
		if (kthread_should_stop())
			break;
		demo_handle(c);
	}
	return 0;
}

/*
 * Timed waits that see the stop, interruptible ones (the stop ends them
 * since 6.1), and short sleeps: the stop is late by 100 ms at worst.
 */
static int demo_fw_thread(void *arg)
{
	struct demo_chan *c = arg;

	complete(&c->started);
	while (!kthread_should_stop()) {
		wait_event_timeout(c->wq, READ_ONCE(c->fw_ready) ||
					  kthread_should_stop(), HZ);
		wait_event_interruptible(c->wq, READ_ONCE(c->fw_ready));
		wait_for_completion_timeout(&c->kick, HZ / 10);
		msleep_interruptible(5000);
		msleep(20);
	}
	return 0;
}

/* Never stopped: a daemon for the module's lifetime may wait for ever. */
static int demo_daemon_thread(void *arg)
{
	struct demo_chan *c = arg;

	for (;;) {
		wait_event_idle(c->wq, READ_ONCE(c->pending));
		demo_handle(c);
	}
	return 0;
}

/*
 * A completion another thread of the file completes, whatever the stop
 * (ring_buffer_benchmark's producer and consumer).
 */
static int demo_consumer_thread(void *arg)
{
	struct demo_chan *c = arg;

	while (!kthread_should_stop()) {
		complete(&c->kick);
		schedule_timeout_interruptible(HZ);
	}
	return 0;
}

static int demo_producer_thread(void *arg)
{
	struct demo_chan *c = arg;

	while (!kthread_should_stop()) {
		wait_for_completion(&c->kick);
		demo_handle(c);
	}
	return 0;
}

int demo_pair_start(struct demo_chan *c)
{
	c->rx = kthread_run(demo_consumer_thread, c, "demo-cons");
	if (IS_ERR(c->rx))
		return PTR_ERR(c->rx);
	c->tx = kthread_run(demo_producer_thread, c, "demo-prod");
	return PTR_ERR_OR_ZERO(c->tx);
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
	/* A wait outside any loop, in the creator: not a thread loop. */
	wait_for_completion(&c->started);
	c->daemon = kthread_run(demo_daemon_thread, c, "demo-daemon");
	return PTR_ERR_OR_ZERO(c->daemon);
}

void demo_chan_stop(struct demo_chan *c)
{
	kthread_stop(c->rx);
	kthread_stop_put(c->tx);
	kthread_stop(c->fw);
}
