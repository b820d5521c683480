/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ring index math for the queue pairs (admin and IO). Pure, so KUnit tests
 * it. A ring has a power-of-two depth; the driver keeps at most depth - 1
 * tasks in flight per ring, which keeps both the SQ and the CQ from ever
 * filling (a full CQ would stall the queue inside the device).
 */

#ifndef __VASCEND_RING_H__
#define __VASCEND_RING_H__

#include <linux/log2.h>
#include <linux/types.h>

#include <uapi/vascend_queue_hw.h>

/* Index @n entries after @idx. */
static inline u32 vascend_ring_add(u32 idx, u32 n, u32 depth)
{
	return (idx + n) & (depth - 1);
}

/* Tasks that may still be queued when @submitted and @completed are seqs. */
static inline u32 vascend_ring_space(u64 submitted, u64 completed, u32 depth)
{
	u64 inflight = submitted - completed;

	return inflight >= depth - 1 ? 0 : depth - 1 - (u32)inflight;
}

/*
 * SQ slot holding task @seq, when @tail is the slot the next submission
 * goes to and @submitted the seq of the last task written.
 * @seq must be in (@submitted - depth + 1, @submitted].
 */
static inline u32 vascend_ring_slot_of(u32 tail, u64 submitted, u64 seq,
				       u32 depth)
{
	return (tail - (u32)(submitted - seq) - 1) & (depth - 1);
}

/* Does the CQE with @flags at the head belong to the current pass? */
static inline bool vascend_cqe_is_new(u16 flags, u16 phase)
{
	return (flags & VASCEND_CQE_F_PHASE) == phase;
}

/* Step the CQ head; the expected phase flips each time the ring wraps. */
static inline void vascend_cq_advance(u32 *head, u16 *phase, u32 depth)
{
	*head = vascend_ring_add(*head, 1, depth);
	if (!*head)
		*phase ^= VASCEND_CQE_F_PHASE;
}

/* A depth the device accepts: a power of two in 2..@max. */
static inline bool vascend_ring_depth_ok(u32 depth, u32 max)
{
	return depth >= 2 && depth <= max && is_power_of_2(depth);
}

#endif /* __VASCEND_RING_H__ */
