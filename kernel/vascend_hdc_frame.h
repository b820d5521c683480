/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HDC framing and flow control (include/uapi/vascend_hdc_hw.h), kept free of
 * PCI and of the channel's locking so that KUnit tests it under UML: ring
 * index arithmetic, slot headers, fragmenting a message into slots,
 * reassembling one from slots, and the per-session credit accounts. The
 * channel (vascend_hdc.c) calls these under its own locks.
 */

#ifndef __VASCEND_HDC_FRAME_H__
#define __VASCEND_HDC_FRAME_H__

#include <linux/types.h>

#include <uapi/vascend_hdc_hw.h>

#define VASCEND_HDC_HDR_SIZE	((u32)sizeof(struct vascend_hdc_msg_hdr))
/*
 * Credits one side may hold for a session and not yet have used: the
 * device's limit (docs/device.md), which the driver keeps to both ways.
 */
#define VASCEND_HDC_MAX_CREDITS	65536

/* ---- Rings: free-running 32-bit indices, slot = index % count ---- */

/* Slots between @head and @tail (produced, not yet consumed). */
static inline u32 vascend_hdc_ring_used(u32 head, u32 tail)
{
	return tail - head;
}

/* Slots a producer at @tail may still fill; @count is a power of two. */
static inline u32 vascend_hdc_ring_room(u32 head, u32 tail, u32 count)
{
	return count - (tail - head);
}

/* Byte offset of the slot of @index in a ring of @count @size-byte slots. */
static inline size_t vascend_hdc_slot_offset(u32 index, u32 count, u32 size)
{
	return (size_t)(index & (count - 1)) * size;
}

bool vascend_hdc_index_in(u32 from, u32 idx, u32 to);

/* ---- Slot headers ---- */

void vascend_hdc_hdr_connect(struct vascend_hdc_msg_hdr *hdr, u32 session,
			     u32 service, u32 credits);
void vascend_hdc_hdr_credit(struct vascend_hdc_msg_hdr *hdr, u32 session,
			    u32 credits);
void vascend_hdc_hdr_close(struct vascend_hdc_msg_hdr *hdr, u32 session,
			   u32 reason);
int vascend_hdc_d2h_check(const struct vascend_hdc_msg_hdr *hdr,
			  u32 payload_max, const char **why);

/* ---- Fragmenting: one message into slots ---- */

/**
 * struct vascend_hdc_tx - a message being cut into fragments
 * @session: its session id
 * @len: bytes in the whole message
 * @pos: bytes already handed out in fragments
 */
struct vascend_hdc_tx {
	u32 session;
	u32 len;
	u32 pos;
};

u32 vascend_hdc_frag_count(u32 len, u32 payload_max);
void vascend_hdc_tx_start(struct vascend_hdc_tx *tx, u32 session, u32 len);
u32 vascend_hdc_tx_next(struct vascend_hdc_tx *tx, u32 payload_max,
			struct vascend_hdc_msg_hdr *hdr);

static inline bool vascend_hdc_tx_done(const struct vascend_hdc_tx *tx)
{
	return tx->pos == tx->len;
}

/* ---- Reassembly: slots into one message ---- */

/**
 * struct vascend_hdc_rx - the message a session is receiving
 * @len: its total_len
 * @pos: bytes received so far
 * @open: a FIRST came and its LAST has not
 */
struct vascend_hdc_rx {
	u32 len;
	u32 pos;
	bool open;
};

/**
 * enum vascend_hdc_rx_result - what a DATA fragment did to a message
 * @VASCEND_HDC_RX_MORE: accepted, the message goes on
 * @VASCEND_HDC_RX_DONE: accepted, it was the LAST: the message is whole
 * @VASCEND_HDC_RX_ERR_FIRST_OPEN: FIRST while a message is open
 * @VASCEND_HDC_RX_ERR_NO_FIRST: a fragment with no message open
 * @VASCEND_HDC_RX_ERR_TOTAL_LEN: total_len 0 on a FIRST, or set on another
 * @VASCEND_HDC_RX_ERR_TOO_BIG: total_len above VASCEND_HDC_MAX_MSG
 * @VASCEND_HDC_RX_ERR_OVERRUN: the fragment goes past total_len
 * @VASCEND_HDC_RX_ERR_EARLY_LAST: LAST before total_len bytes
 * @VASCEND_HDC_RX_ERR_NO_LAST: total_len bytes reached without LAST
 *
 * On an error the fragment was not accepted and the message is dropped
 * (@open cleared): the session is over.
 */
enum vascend_hdc_rx_result {
	VASCEND_HDC_RX_MORE,
	VASCEND_HDC_RX_DONE,
	VASCEND_HDC_RX_ERR_FIRST_OPEN,
	VASCEND_HDC_RX_ERR_NO_FIRST,
	VASCEND_HDC_RX_ERR_TOTAL_LEN,
	VASCEND_HDC_RX_ERR_TOO_BIG,
	VASCEND_HDC_RX_ERR_OVERRUN,
	VASCEND_HDC_RX_ERR_EARLY_LAST,
	VASCEND_HDC_RX_ERR_NO_LAST,
};

enum vascend_hdc_rx_result
vascend_hdc_rx_frag(struct vascend_hdc_rx *rx,
		    const struct vascend_hdc_msg_hdr *hdr, u32 *offset);
u32 vascend_hdc_rx_err_reason(enum vascend_hdc_rx_result res);
const char *vascend_hdc_rx_err_name(enum vascend_hdc_rx_result res);

/* ---- Credits: per session, per direction, in messages ---- */

/**
 * struct vascend_hdc_credits - flow control of one session
 * @tx: messages the host may start (the device granted them, unused)
 * @rx_window: messages the host lets the device have in flight or queued
 * @rx_granted: of those, credits the device holds and has not used
 * @rx_held: messages the device started (received or being received) that
 *	the reader has not consumed
 * @rx_owed: consumed messages whose credits go back in the next CREDIT
 *
 * Receiving keeps @rx_granted + @rx_held + @rx_owed == @rx_window, so the
 * device can never make the host buffer more than @rx_window messages.
 */
struct vascend_hdc_credits {
	u32 tx;
	u32 rx_window;
	u32 rx_granted;
	u32 rx_held;
	u32 rx_owed;
};

void vascend_hdc_credits_init(struct vascend_hdc_credits *c, u32 rx_window);
int vascend_hdc_credits_grant(struct vascend_hdc_credits *c, u32 n);
bool vascend_hdc_credits_spend(struct vascend_hdc_credits *c);
void vascend_hdc_credits_refund(struct vascend_hdc_credits *c);
bool vascend_hdc_credits_rx_start(struct vascend_hdc_credits *c);
void vascend_hdc_credits_rx_consumed(struct vascend_hdc_credits *c);
u32 vascend_hdc_credits_rx_return(struct vascend_hdc_credits *c);

#endif /* __VASCEND_HDC_FRAME_H__ */
