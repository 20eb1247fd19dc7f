/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded message queue between any number of feeders in write() and one
 * consumer thread: a record kfifo, whole messages only.
 *
 * Two rules make it safe against userspace and cheap per message:
 *   - A message is copied in from userspace before any lock is taken (a
 *     bounce buffer, as memdup_user() does), so a feeder whose buffer sits
 *     in a page fault that userspace controls (userfaultfd, a stalled FUSE
 *     server) holds nothing that anybody else waits for.
 *   - The consumer takes messages out in batches, one round of the lock
 *     per batch, and wakes sleeping feeders only once half of the fifo is
 *     free or it is empty (it is about to sleep), not once per message.
 *     Waking the consumer is the caller's business: it knows how its
 *     consumer sleeps.
 *
 * Every access to the kfifo, in and out, is under @lock. The kfifo's
 * lock-free mode for one reader and one writer would spare the consumer
 * its lock, but it is not correct by the kernel memory model:
 * kfifo_out() reads the producer's index with no acquire and then the
 * record behind a mere control dependency, and kfifo_copy_out() ends in
 * an smp_wmb(), which orders no load before the store that frees the
 * bytes (Documentation/core-api/circular-buffers.rst asks for an acquire
 * and a release there; module/litmus/kfifo-spsc-as-written.litmus has
 * herd7 show it). x86 forgives that; arm64 need not. The lock's own
 * release and acquire order the records instead, between a feeder's
 * spin_unlock() and the consumer's next spin_lock(), and back.
 *
 * No dependency on the rest of ktlife: the bench's peers (bench/peer)
 * build this very file, so that ktlife and its peers share one queue.
 */
#ifndef KTLIFE_QUEUE_H
#define KTLIFE_QUEUE_H

#include <linux/kfifo.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

/*
 * Messages up to this size are bounced through the feeder's stack; larger
 * ones through one allocation each, held by the feeder while it waits for
 * room: as much as a blocked pipe write() holds, and charged to the
 * feeder's memory cgroup as a pipe's buffers are (GFP_KERNEL_ACCOUNT).
 */
#define KTLIFE_QUEUE_STACK_MSG 256

/**
 * struct ktlife_queue - a bounded queue of messages.
 * @fifo: record kfifo of messages; guarded by @lock, both sides.
 * @lock: guards @fifo, @open and @enqueued. Taken by each feeder for one
 *	kfifo_in(),
 *	by the consumer for one batch. Never held across user memory access
 *	or a sleep.
 * @open: the queue takes messages. Cleared once, by ktlife_queue_close().
 * @enqueued: messages accepted.
 * @space_wq: feeders sleep here until the fifo has room or is closed.
 */
struct ktlife_queue {
	struct kfifo_rec_ptr_2 fifo;
	spinlock_t lock; /* fifo (both sides), open, enqueued */
	bool open;
	u64 enqueued;
	wait_queue_head_t space_wq;
};

int ktlife_queue_init(struct ktlife_queue *q, unsigned int size);
void ktlife_queue_free(struct ktlife_queue *q);
ssize_t ktlife_queue_feed(struct ktlife_queue *q, const char __user *ubuf,
			  size_t len, bool nonblock, u64 *seq);
void ktlife_queue_close(struct ktlife_queue *q);
u64 ktlife_queue_enqueued(struct ktlife_queue *q);

/* The consumer's side: one caller at a time. */
void ktlife_queue_begin_out(struct ktlife_queue *q);
unsigned int ktlife_queue_out(struct ktlife_queue *q, void *buf,
			      unsigned int size);
bool ktlife_queue_end_out(struct ktlife_queue *q);
void ktlife_queue_wake_feeders(struct ktlife_queue *q);
u64 ktlife_queue_discard(struct ktlife_queue *q);
bool ktlife_queue_is_empty(struct ktlife_queue *q);

/**
 * ktlife_queue_mem() - bytes of memory the queue holds.
 * @q: the queue.
 *
 * Context: any.
 * Return: the fifo's size: all the queue ever allocates, but for a
 * feeder's bounce buffer while that feeder waits (KTLIFE_QUEUE_STACK_MSG).
 */
static inline size_t ktlife_queue_mem(struct ktlife_queue *q)
{
	return kfifo_size(&q->fifo);
}

#endif /* KTLIFE_QUEUE_H */
