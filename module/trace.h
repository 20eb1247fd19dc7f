/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the kthread lifecycle, under events/ktlife/ in tracefs.
 *
 * One event per step a newcomer wants to see in order: a writer is
 * created, its thread starts, messages go in and come out, a stop is
 * requested, the thread exits and is reaped; the compactor runs; a leaky
 * writer starts. Record them with
 *	trace-cmd record -e ktlife
 * or by hand with "echo 1 > /sys/kernel/tracing/events/ktlife/enable".
 * The arguments are plain values; only the stop mode names come from
 * ktlife.h.
 *
 * Like every trace header, this file is read several times by
 * <trace/define_trace.h> (see samples/trace_events), hence the special
 * include guard. module/trace.c defines CREATE_TRACE_POINTS.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ktlife

#if !defined(KTLIFE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KTLIFE_TRACE_H

#include <linux/tracepoint.h>

#include "ktlife.h"

/*
 * Stop modes by name in the output. TRACE_DEFINE_ENUM exports the values,
 * so that trace-cmd, which reads only the format files, prints names too.
 */
TRACE_DEFINE_ENUM(KTLIFE_STOP_GRACEFUL);
TRACE_DEFINE_ENUM(KTLIFE_STOP_NOW);
TRACE_DEFINE_ENUM(KTLIFE_STOP_CLOSE);

TRACE_EVENT(ktlife_writer_create,
	    TP_PROTO(unsigned int id, pid_t pid, bool leaky),
	    TP_ARGS(id, pid, leaky),
	    TP_STRUCT__entry(__field(unsigned int, id)
			     __field(pid_t, pid)
			     __field(bool, leaky)),
	    TP_fast_assign(__entry->id = id;
			   __entry->pid = pid;
			   __entry->leaky = leaky;),
	    TP_printk("id=%u pid=%d leaky=%d", __entry->id, __entry->pid,
		      __entry->leaky));

DECLARE_EVENT_CLASS(ktlife_writer_id,
		    TP_PROTO(unsigned int id),
		    TP_ARGS(id),
		    TP_STRUCT__entry(__field(unsigned int, id)),
		    TP_fast_assign(__entry->id = id;),
		    TP_printk("id=%u", __entry->id));

/* Emitted by the thread itself, the first time it runs. */
DEFINE_EVENT(ktlife_writer_id, ktlife_writer_start,
	     TP_PROTO(unsigned int id),
	     TP_ARGS(id));

/* Emitted by the thread itself as it returns on its own, after a close. */
DEFINE_EVENT(ktlife_writer_id, ktlife_writer_return,
	     TP_PROTO(unsigned int id),
	     TP_ARGS(id));

/* The seed's bug starting: a writer nobody can stop. */
DEFINE_EVENT(ktlife_writer_id, ktlife_leaky_start,
	     TP_PROTO(unsigned int id),
	     TP_ARGS(id));

TRACE_EVENT(ktlife_writer_stop,
	    TP_PROTO(unsigned int id, int mode),
	    TP_ARGS(id, mode),
	    TP_STRUCT__entry(__field(unsigned int, id)
			     __field(int, mode)),
	    TP_fast_assign(__entry->id = id;
			   __entry->mode = mode;),
	    TP_printk("id=%u mode=%s", __entry->id,
		      __print_symbolic(__entry->mode,
				       { KTLIFE_STOP_GRACEFUL, "graceful" },
				       { KTLIFE_STOP_NOW, "now" },
				       { KTLIFE_STOP_CLOSE, "close" })));

/* Emitted by the reaper: only kthread_stop() knows the return value. */
TRACE_EVENT(ktlife_writer_exit,
	    TP_PROTO(unsigned int id, int ret, u64 enqueued, u64 processed,
		     u64 discarded),
	    TP_ARGS(id, ret, enqueued, processed, discarded),
	    TP_STRUCT__entry(__field(unsigned int, id)
			     __field(int, ret)
			     __field(u64, enqueued)
			     __field(u64, processed)
			     __field(u64, discarded)),
	    TP_fast_assign(__entry->id = id;
			   __entry->ret = ret;
			   __entry->enqueued = enqueued;
			   __entry->processed = processed;
			   __entry->discarded = discarded;),
	    TP_printk("id=%u ret=%d enqueued=%llu processed=%llu discarded=%llu",
		      __entry->id, __entry->ret, __entry->enqueued,
		      __entry->processed, __entry->discarded));

/*
 * @seq counts messages per writer from 1: the n-th enqueued is the n-th
 * processed, which is what a reader checks the order with.
 */
DECLARE_EVENT_CLASS(ktlife_msg,
		    TP_PROTO(unsigned int id, u64 seq, unsigned int len),
		    TP_ARGS(id, seq, len),
		    TP_STRUCT__entry(__field(unsigned int, id)
				     __field(u64, seq)
				     __field(unsigned int, len)),
		    TP_fast_assign(__entry->id = id;
				   __entry->seq = seq;
				   __entry->len = len;),
		    TP_printk("id=%u seq=%llu len=%u", __entry->id,
			      __entry->seq, __entry->len));

DEFINE_EVENT(ktlife_msg, ktlife_msg_enqueue,
	     TP_PROTO(unsigned int id, u64 seq, unsigned int len),
	     TP_ARGS(id, seq, len));

DEFINE_EVENT(ktlife_msg, ktlife_msg_process,
	     TP_PROTO(unsigned int id, u64 seq, unsigned int len),
	     TP_ARGS(id, seq, len));

TRACE_EVENT(ktlife_compact,
	    TP_PROTO(u64 run, u64 reclaimed, u64 duration_us),
	    TP_ARGS(run, reclaimed, duration_us),
	    TP_STRUCT__entry(__field(u64, run)
			     __field(u64, reclaimed)
			     __field(u64, duration_us)),
	    TP_fast_assign(__entry->run = run;
			   __entry->reclaimed = reclaimed;
			   __entry->duration_us = duration_us;),
	    TP_printk("run=%llu reclaimed=%llu duration_us=%llu", __entry->run,
		      __entry->reclaimed, __entry->duration_us));

TRACE_EVENT(ktlife_compactor_reload,
	    TP_PROTO(u64 generation, pid_t pid, bool leaky),
	    TP_ARGS(generation, pid, leaky),
	    TP_STRUCT__entry(__field(u64, generation)
			     __field(pid_t, pid)
			     __field(bool, leaky)),
	    TP_fast_assign(__entry->generation = generation;
			   __entry->pid = pid;
			   __entry->leaky = leaky;),
	    TP_printk("generation=%llu pid=%d leaky=%d", __entry->generation,
		      __entry->pid, __entry->leaky));

TRACE_EVENT(ktlife_compactor_retire,
	    TP_PROTO(u64 generation, pid_t pid, u64 stop_us),
	    TP_ARGS(generation, pid, stop_us),
	    TP_STRUCT__entry(__field(u64, generation)
			     __field(pid_t, pid)
			     __field(u64, stop_us)),
	    TP_fast_assign(__entry->generation = generation;
			   __entry->pid = pid;
			   __entry->stop_us = stop_us;),
	    TP_printk("generation=%llu pid=%d stop_us=%llu",
		      __entry->generation, __entry->pid, __entry->stop_us));

#endif /* KTLIFE_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I in Kbuild. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
