// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_lost_wakeup.cocci: a thread stopped by a signal
 * (jffs2's garbage collector), which ends its interruptible sleep whatever
 * the order. Nothing here may be reported.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

void demo_collect(void *arg);

static int demo_gc_thread(void *arg)
{
	allow_signal(SIGKILL);
	for (;;) {
		if (kthread_should_stop())
			break;
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		if (signal_pending(current))
			break;
		demo_collect(arg);
	}
	return 0;
}
