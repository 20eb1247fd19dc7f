/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where ktlife adapts to the kernel it is built against.
 *
 * ktlife builds against every kernel of its matrix. Kbuild tests the
 * kernel's headers for each feature (a distribution may backport one, so a
 * version number would lie) and defines a KTLIFE_HAVE_* macro; each block
 * below names the upstream change it tracks, so that it can be deleted
 * once the oldest kernel in the matrix has that change.
 */
#ifndef KTLIFE_COMPAT_H
#define KTLIFE_COMPAT_H

#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#ifndef KTLIFE_HAVE_KTHREAD_STOP_PUT
/*
 * kthread_stop_put() arrived in 6.7 (commit 6309727ef271 "kthread: add
 * kthread_stop_put"), and was backported to 6.6.y. Without it, a thread
 * whose task reference was taken with get_task_struct() is stopped with
 * kthread_stop(), and the reference put with put_task_struct().
 */
static inline int kthread_stop_put(struct task_struct *k)
{
	int ret = kthread_stop(k);

	put_task_struct(k);
	return ret;
}
#endif

#ifndef kzalloc_obj
/*
 * kzalloc_obj() arrived in 7.0 (commit 2932ba8d9c99 "slab: Introduce
 * kmalloc_obj() and family"), and 7.x's checkpatch asks for it instead of
 * kzalloc(sizeof(*p), gfp). It is a macro, so its absence is seen here
 * without a Kbuild test; this is the same allocation, sized by the
 * object rather than by a type the reader must match by eye.
 */
#define kzalloc_obj(p, gfp) kzalloc(sizeof(p), gfp)
#endif

#endif /* KTLIFE_COMPAT_H */
