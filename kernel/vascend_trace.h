/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints: tasks submitted to and completed by an IO queue, WAIT's
 * polling, and task failures and card faults. In
 * /sys/kernel/tracing/events/vascend/.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM vascend

#if !defined(__VASCEND_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __VASCEND_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_EVENT(vascend_submit,
	    TP_PROTO(u32 card, u32 qid, u64 first_seq, u32 count),
	    TP_ARGS(card, qid, first_seq, count),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, qid)
			     __field(u64, first_seq)
			     __field(u32, count)),
	    TP_fast_assign(__entry->card = card;
			   __entry->qid = qid;
			   __entry->first_seq = first_seq;
			   __entry->count = count;),
	    TP_printk("card=%u qid=%u seq=%llu count=%u", __entry->card,
		      __entry->qid, __entry->first_seq, __entry->count)
);

TRACE_EVENT(vascend_complete,
	    TP_PROTO(u32 card, u32 qid, u64 seq, u16 status, u64 start_ts,
		     u64 end_ts),
	    TP_ARGS(card, qid, seq, status, start_ts, end_ts),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, qid)
			     __field(u64, seq)
			     __field(u16, status)
			     __field(u64, start_ts)
			     __field(u64, end_ts)),
	    TP_fast_assign(__entry->card = card;
			   __entry->qid = qid;
			   __entry->seq = seq;
			   __entry->status = status;
			   __entry->start_ts = start_ts;
			   __entry->end_ts = end_ts;),
	    TP_printk("card=%u qid=%u seq=%llu status=0x%02x device_ns=%llu",
		      __entry->card, __entry->qid, __entry->seq,
		      __entry->status, __entry->end_ts - __entry->start_ts)
);

/*
 * A blocking WAIT's poll of the CQ (vascend_stream_wait()): the stream's
 * recent submit-to-completion time, how long it polled (0: it slept at
 * once), and whether the task was done by then.
 */
TRACE_EVENT(vascend_wait_poll,
	    TP_PROTO(u32 card, u32 qid, u32 stream, u64 seq, u64 lat_ns,
		     u64 polled_ns, bool done),
	    TP_ARGS(card, qid, stream, seq, lat_ns, polled_ns, done),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, qid)
			     __field(u32, stream)
			     __field(u64, seq)
			     __field(u64, lat_ns)
			     __field(u64, polled_ns)
			     __field(bool, done)),
	    TP_fast_assign(__entry->card = card;
			   __entry->qid = qid;
			   __entry->stream = stream;
			   __entry->seq = seq;
			   __entry->lat_ns = lat_ns;
			   __entry->polled_ns = polled_ns;
			   __entry->done = done;),
	    TP_printk("card=%u qid=%u stream=%u seq=%llu lat_ns=%llu polled_ns=%llu done=%d",
		      __entry->card, __entry->qid, __entry->stream,
		      __entry->seq, __entry->lat_ns, __entry->polled_ns,
		      __entry->done)
);

/* A task failed (qid != 0), or the card reported a fault (qid 0, seq 0). */
TRACE_EVENT(vascend_fault,
	    TP_PROTO(u32 card, u32 qid, u64 seq, u32 status, u32 info,
		     u64 result),
	    TP_ARGS(card, qid, seq, status, info, result),
	    TP_STRUCT__entry(__field(u32, card)
			     __field(u32, qid)
			     __field(u64, seq)
			     __field(u32, status)
			     __field(u32, info)
			     __field(u64, result)),
	    TP_fast_assign(__entry->card = card;
			   __entry->qid = qid;
			   __entry->seq = seq;
			   __entry->status = status;
			   __entry->info = info;
			   __entry->result = result;),
	    TP_printk("card=%u qid=%u seq=%llu status=0x%x info=0x%x result=0x%llx",
		      __entry->card, __entry->qid, __entry->seq,
		      __entry->status, __entry->info, __entry->result)
);

#endif /* __VASCEND_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vascend_trace
#include <trace/define_trace.h>
