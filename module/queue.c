// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded message queue of queue.h: feeders copy in, then enqueue
 * under the queue's spinlock; one consumer takes messages out in batches
 * under the same lock, one round of it per batch.
 *
 * Like fs/pipe.c, the copy from userspace happens where nothing is held,
 * and feeders are woken once per batch of room, not once per message.
 * Why the consumer takes the lock at all, when kfifo offers a lock-free
 * mode for one reader: see queue.h.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "mutant.h"
#include "queue.h"

/**
 * ktlife_queue_init() - set up an empty, open queue.
 * @q: the queue.
 * @size: fifo bytes, a power of two; a message needs its length + 2.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int ktlife_queue_init(struct ktlife_queue *q, unsigned int size)
{
	int ret = kfifo_alloc(&q->fifo, size, GFP_KERNEL);

	if (ret)
		return ret;
	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->space_wq);
	q->open = true;
	q->enqueued = 0;
	return 0;
}

/**
 * ktlife_queue_free() - free the fifo of a queue nobody uses any more.
 * @q: the queue.
 *
 * Context: process context.
 */
void ktlife_queue_free(struct ktlife_queue *q)
{
	/* make MUTANT=no_kfifo_free: the fifo outlives its writer */
	if (!KTLIFE_MUTANT(NO_KFIFO_FREE))
		kfifo_free(&q->fifo);
}

/* A feeder's wait condition: room for @len, or closed. */
static bool queue_can_take(struct ktlife_queue *q, size_t len)
{
	bool ret;

	spin_lock(&q->lock);
	ret = !q->open || kfifo_avail(&q->fifo) >= len;
	spin_unlock(&q->lock);
	return ret;
}

/*
 * Put the message in buf into the fifo if it fits. 0 if it does not (the
 * caller may wait), else len or -EPIPE.
 */
static ssize_t queue_in(struct ktlife_queue *q, const u8 *buf, size_t len,
			u64 *seq)
{
	ssize_t ret = 0;

	spin_lock(&q->lock);
	if (!q->open) {
		ret = -EPIPE;
	} else if (kfifo_avail(&q->fifo) >= len) {
		kfifo_in(&q->fifo, buf, len);
		*seq = ++q->enqueued;
		ret = len;
	}
	spin_unlock(&q->lock);
	return ret;
}

/*
 * The pitfall of MUTANT=copy_under_lock: the copy from userspace done under
 * the queue's lock, which every feeder and the consumer need. A page fault
 * that sleeps there sleeps in atomic context; one that userspace stalls
 * (userfaultfd) would stall all of them.
 */
static int mutant_copy_under_lock(struct ktlife_queue *q, u8 *buf,
				  const char __user *ubuf, size_t len)
{
	int ret;

	spin_lock(&q->lock);
	ret = copy_from_user(buf, ubuf, len) ? -EFAULT : 0;
	spin_unlock(&q->lock);
	return ret;
}

/**
 * ktlife_queue_feed() - queue one message from userspace, whole or not at all.
 * @q: the queue.
 * @ubuf: the message, in userspace.
 * @len: its length, 1..(fifo size - 2); the caller checks its own limit.
 * @nonblock: fail with -EAGAIN rather than wait for room.
 * @seq: set to the message's number in the queue (1 for the first).
 *
 * The message is copied in first, with no lock held: however long that
 * copy takes, it delays nobody but this caller. A full fifo makes the
 * caller wait, interruptibly, for the consumer to make room.
 *
 * Context: process context, may sleep; takes @q->lock.
 * Return: @len; -EPIPE once the queue is closed; -EAGAIN; -ERESTARTSYS on a
 * signal; -EFAULT; -ENOMEM (a message larger than KTLIFE_QUEUE_STACK_MSG).
 */
ssize_t ktlife_queue_feed(struct ktlife_queue *q, const char __user *ubuf,
			  size_t len, bool nonblock, u64 *seq)
{
	u8 stack_buf[KTLIFE_QUEUE_STACK_MSG];
	u8 *buf = stack_buf;
	ssize_t ret;

	if (len > sizeof(stack_buf)) {
		/* Up to 64 KiB: vmalloc()'s pages if no contiguous ones. */
		buf = kvmalloc(len, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
		if (copy_from_user(buf, ubuf, len)) {
			kvfree(buf);
			return -EFAULT;
		}
	} else if (KTLIFE_MUTANT(COPY_UNDER_LOCK)) {
		/* make MUTANT=copy_under_lock: see mutant_copy_under_lock() */
		if (mutant_copy_under_lock(q, buf, ubuf, len))
			return -EFAULT;
	} else if (copy_from_user(buf, ubuf, len)) {
		return -EFAULT;
	}

	for (;;) {
		ret = queue_in(q, buf, len, seq);
		if (ret)
			break;
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		/* make MUTANT=uninterruptible_feed: a wait kill -9 cannot end */
		if (KTLIFE_MUTANT(UNINTERRUPTIBLE_FEED)) {
			wait_event(q->space_wq, queue_can_take(q, len));
			continue;
		}
		ret = wait_event_interruptible(q->space_wq,
					       queue_can_take(q, len));
		/* make MUTANT=eintr_not_restart: no restart after a signal */
		if (KTLIFE_MUTANT(EINTR_NOT_RESTART) && ret)
			ret = -EINTR;
		if (ret)
			break;
	}

	if (buf != stack_buf)
		kvfree(buf);
	return ret;
}

/**
 * ktlife_queue_close() - take no more messages; wake every waiting feeder.
 * @q: the queue.
 *
 * Feeders waiting for room leave with -EPIPE, and so does every later one.
 * What is queued stays for the consumer.
 *
 * Context: process context; takes @q->lock.
 */
void ktlife_queue_close(struct ktlife_queue *q)
{
	spin_lock(&q->lock);
	q->open = false;
	spin_unlock(&q->lock);
	wake_up_all(&q->space_wq);
}

/**
 * ktlife_queue_enqueued() - how many messages the queue has accepted.
 * @q: the queue.
 *
 * Context: any; takes @q->lock.
 * Return: the count.
 */
u64 ktlife_queue_enqueued(struct ktlife_queue *q)
{
	u64 n;

	spin_lock(&q->lock);
	n = q->enqueued;
	spin_unlock(&q->lock);
	return n;
}

/**
 * ktlife_queue_begin_out() - begin a batch of ktlife_queue_out() calls.
 * @q: the queue.
 *
 * Takes @q->lock, so feeders wait until ktlife_queue_end_out(): keep the
 * batch short (ktlife: at most KTLIFE_BATCH_MSGS messages or 16 KiB).
 *
 * Context: the queue's one consumer; any lock it takes around the batch
 * comes before @q->lock.
 */
void ktlife_queue_begin_out(struct ktlife_queue *q) __acquires(&q->lock)
{
	spin_lock(&q->lock);
}

/**
 * ktlife_queue_out() - take the oldest message off the queue.
 * @q: the queue, between ktlife_queue_begin_out() and _end_out().
 * @buf: where to copy it.
 * @size: room in @buf, at least the largest message the feeders may send.
 *
 * Context: the queue's one consumer; @q->lock held.
 * Return: the message's length, or 0 if the queue is empty.
 */
unsigned int ktlife_queue_out(struct ktlife_queue *q, void *buf,
			      unsigned int size)
{
	lockdep_assert_held(&q->lock);
	return kfifo_out(&q->fifo, buf, size);
}

/**
 * ktlife_queue_end_out() - end a batch of ktlife_queue_out() calls.
 * @q: the queue.
 *
 * Context: the queue's one consumer; releases @q->lock.
 * Return: true if the batch left half of the fifo free or more: then call
 * ktlife_queue_wake_feeders() (once any lock of the caller's is dropped).
 */
bool ktlife_queue_end_out(struct ktlife_queue *q) __releases(&q->lock)
{
	/* Bytes in use, not kfifo_avail(): that stops at one record's 64 KiB. */
	bool roomy = kfifo_len(&q->fifo) <= kfifo_size(&q->fifo) / 2;

	spin_unlock(&q->lock);
	return roomy;
}

/**
 * ktlife_queue_wake_feeders() - wake the feeders waiting for room, if any.
 * @q: the queue.
 *
 * The consumer calls this after a batch that took messages and left the
 * fifo half free or empty, not after every batch: a feeder that waits for
 * room then finds enough for many messages, instead of being woken, and
 * woken again, for each one. The empty case also guarantees progress to a
 * feeder whose message needs more than half of the fifo.
 *
 * Context: any.
 */
void ktlife_queue_wake_feeders(struct ktlife_queue *q)
{
	/*
	 * Its barrier pairs with the one in the feeder's wait
	 * (module/litmus/wq-has-sleeper.litmus; the queue's lock orders it
	 * too: module/litmus/queue-space-wake.litmus).
	 */
	if (wq_has_sleeper(&q->space_wq))
		wake_up(&q->space_wq);
}

/**
 * ktlife_queue_discard() - drop every queued message.
 * @q: the queue, closed, whose consumer has stopped.
 *
 * Context: the queue's one consumer; takes @q->lock.
 * Return: the number of messages dropped.
 */
u64 ktlife_queue_discard(struct ktlife_queue *q)
{
	u64 n = 0;

	spin_lock(&q->lock);
	while (!kfifo_is_empty(&q->fifo)) {
		kfifo_skip(&q->fifo);
		n++;
	}
	spin_unlock(&q->lock);
	return n;
}

/**
 * ktlife_queue_is_empty() - is nothing queued?
 * @q: the queue.
 *
 * For wait conditions (the consumer's) and snapshots: the answer may be
 * stale as soon as the lock is dropped, except for the consumer, which
 * alone takes messages out.
 *
 * Context: any; takes @q->lock.
 * Return: true if the fifo holds no message.
 */
bool ktlife_queue_is_empty(struct ktlife_queue *q)
{
	bool empty;

	spin_lock(&q->lock);
	empty = kfifo_is_empty(&q->fifo);
	spin_unlock(&q->lock);
	return empty;
}
