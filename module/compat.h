/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where ktlife adapts to the kernel it is built against.
 *
 * ktlife builds against Debian's 6.1 and 6.12 kernels. Kbuild tests the
 * kernel's headers for each feature (a distribution may backport one, so a
 * version number would lie) and defines a KTLIFE_HAVE_* macro; each block
 * below names the upstream change it tracks, so that it can be deleted
 * once the oldest kernel in the matrix has that change.
 */
#ifndef KTLIFE_COMPAT_H
#define KTLIFE_COMPAT_H

#include <linux/kthread.h>
#include <linux/sched/task.h>

#ifndef KTLIFE_HAVE_KTHREAD_STOP_PUT
/*
 * kthread_stop_put() arrived in 6.6 (commit 6309727ef271 "kthread: add
 * kthread_stop_put"). Before it, a thread whose task reference was taken with
 * get_task_struct() is reaped with kthread_stop() and put_task_struct().
 */
static inline int kthread_stop_put(struct task_struct *k)
{
	int ret = kthread_stop(k);

	put_task_struct(k);
	return ret;
}
#endif

#endif /* KTLIFE_COMPAT_H */
