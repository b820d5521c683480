// SPDX-License-Identifier: GPL-2.0-only
/*
 * HDC framing and flow control: pure functions over headers, indices and
 * small state structs. No PCI, no locking, no allocation: the channel
 * (vascend_hdc.c) owns the memory and the locks, KUnit owns the corner
 * cases (kernel/tests/vascend_hdc_frame_kunit.c).
 *
 * Every header the device writes is untrusted: vascend_hdc_d2h_check() and
 * vascend_hdc_rx_frag() decide whether it may be acted on.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include <uapi/vascend_hdc_hw.h>

#include "vascend_hdc_frame.h"

static_assert(sizeof(struct vascend_hdc_msg_hdr) == 32);
static_assert(sizeof(struct vascend_hdc_msg_hdr) < VASCEND_HDC_MIN_SLOT);

/**
 * vascend_hdc_index_in() - whether a free-running index lies in a range
 * @from: start of the range
 * @idx: the index to check
 * @to: end of the range, inclusive
 *
 * Modulo 2^32: the range may wrap past 0xffffffff.
 *
 * Return: true when @idx is one of @from, @from + 1, ..., @to.
 */
bool vascend_hdc_index_in(u32 from, u32 idx, u32 to)
{
	return idx - from <= to - from;
}

/**
 * vascend_hdc_hdr_connect() - a CONNECT slot header
 * @hdr: filled in
 * @session: the id the host picked (non-zero)
 * @service: VASCEND_HDC_SVC_*
 * @credits: messages the device may send before the first CREDIT
 */
void vascend_hdc_hdr_connect(struct vascend_hdc_msg_hdr *hdr, u32 session,
			     u32 service, u32 credits)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->session = session;
	hdr->type = VASCEND_HDC_MSG_CONNECT;
	hdr->arg = service;
	hdr->credits = credits;
}

/**
 * vascend_hdc_hdr_credit() - a CREDIT slot header
 * @hdr: filled in
 * @session: the session
 * @credits: more messages the device may send (non-zero)
 */
void vascend_hdc_hdr_credit(struct vascend_hdc_msg_hdr *hdr, u32 session,
			    u32 credits)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->session = session;
	hdr->type = VASCEND_HDC_MSG_CREDIT;
	hdr->credits = credits;
}

/**
 * vascend_hdc_hdr_close() - a CLOSE slot header
 * @hdr: filled in
 * @session: the session
 * @reason: VASCEND_HDC_CLOSE_NORMAL or a VASCEND_HDC_ERR_*
 */
void vascend_hdc_hdr_close(struct vascend_hdc_msg_hdr *hdr, u32 session,
			   u32 reason)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->session = session;
	hdr->type = VASCEND_HDC_MSG_CLOSE;
	hdr->arg = reason;
}

/**
 * vascend_hdc_d2h_check() - check the fields of a device -> host header
 * @hdr: as copied out of the d2h slot
 * @payload_max: slot size minus the header
 * @why: set to a short description of the first rule broken
 *
 * The rules of vascend_hdc_hw.h for what a device sends: a non-zero
 * session, type ACCEPT, DATA, CREDIT or CLOSE, rsvd zero, flags only on
 * DATA (FIRST and LAST only), a payload only on DATA (1..@payload_max
 * bytes), total_len only on DATA, arg only on CLOSE, credits only on ACCEPT
 * and CREDIT (and a CREDIT of none is malformed). Fragment order and
 * total_len are vascend_hdc_rx_frag()'s to judge.
 *
 * Return: 0, or VASCEND_HDC_ERR_PROTOCOL.
 */
int vascend_hdc_d2h_check(const struct vascend_hdc_msg_hdr *hdr,
			  u32 payload_max, const char **why)
{
	const u32 type = hdr->type;

	if (!hdr->session) {
		*why = "session 0";
	} else if (type != VASCEND_HDC_MSG_ACCEPT && type != VASCEND_HDC_MSG_DATA &&
		   type != VASCEND_HDC_MSG_CREDIT && type != VASCEND_HDC_MSG_CLOSE) {
		*why = "a type the device may not send";
	} else if (hdr->rsvd) {
		*why = "rsvd not zero";
	} else if (type == VASCEND_HDC_MSG_DATA) {
		if (hdr->flags & ~(VASCEND_HDC_F_FIRST | VASCEND_HDC_F_LAST))
			*why = "unknown DATA flags";
		else if (!hdr->len || hdr->len > payload_max)
			*why = "DATA fragment length out of range";
		else if (hdr->arg || hdr->credits)
			*why = "arg or credits on DATA";
		else
			return 0;
	} else if (hdr->flags || hdr->len || hdr->total_len) {
		*why = "flags, payload or total_len on a control message";
	} else if (type != VASCEND_HDC_MSG_CLOSE && hdr->arg) {
		*why = "arg on a message other than CLOSE";
	} else if (type == VASCEND_HDC_MSG_CLOSE && hdr->credits) {
		*why = "credits on CLOSE";
	} else if (type == VASCEND_HDC_MSG_CREDIT && !hdr->credits) {
		*why = "CREDIT of no credits";
	} else {
		return 0;
	}
	return VASCEND_HDC_ERR_PROTOCOL;
}

/**
 * vascend_hdc_frag_count() - slots a message takes
 * @len: message bytes (1..VASCEND_HDC_MAX_MSG)
 * @payload_max: payload bytes per slot
 *
 * Return: the number of fragments vascend_hdc_tx_next() makes of it.
 */
u32 vascend_hdc_frag_count(u32 len, u32 payload_max)
{
	return DIV_ROUND_UP(len, payload_max);
}

/**
 * vascend_hdc_tx_start() - begin fragmenting a message
 * @tx: the state, initialised here
 * @session: the session it goes to
 * @len: its bytes (1..VASCEND_HDC_MAX_MSG)
 */
void vascend_hdc_tx_start(struct vascend_hdc_tx *tx, u32 session, u32 len)
{
	tx->session = session;
	tx->len = len;
	tx->pos = 0;
}

/**
 * vascend_hdc_tx_next() - the header of the next fragment
 * @tx: the message, not done (vascend_hdc_tx_done() false)
 * @payload_max: payload bytes per slot
 * @hdr: filled in: DATA, FIRST with total_len on the first fragment, LAST
 *	on the last, len as much as fits
 *
 * Return: offset in the message of the fragment's first byte; hdr->len
 * bytes from there go into the slot after the header.
 */
u32 vascend_hdc_tx_next(struct vascend_hdc_tx *tx, u32 payload_max,
			struct vascend_hdc_msg_hdr *hdr)
{
	u32 off = tx->pos;

	memset(hdr, 0, sizeof(*hdr));
	hdr->session = tx->session;
	hdr->type = VASCEND_HDC_MSG_DATA;
	hdr->len = min(tx->len - off, payload_max);
	if (!off) {
		hdr->flags |= VASCEND_HDC_F_FIRST;
		hdr->total_len = tx->len;
	}
	tx->pos += hdr->len;
	if (tx->pos == tx->len)
		hdr->flags |= VASCEND_HDC_F_LAST;
	return off;
}

/**
 * vascend_hdc_rx_frag() - account for one DATA fragment of a session
 * @rx: the session's reassembly state
 * @hdr: the fragment's header, passed by vascend_hdc_d2h_check()
 * @offset: where its hdr->len payload bytes go in the message
 *
 * A FIRST opens a message of total_len bytes (the caller allocates it when
 * the result is not an error and the header has VASCEND_HDC_F_FIRST).
 *
 * Return: VASCEND_HDC_RX_MORE or _DONE, or the rule broken (the message is
 * then dropped and @offset not set).
 */
enum vascend_hdc_rx_result
vascend_hdc_rx_frag(struct vascend_hdc_rx *rx,
		    const struct vascend_hdc_msg_hdr *hdr, u32 *offset)
{
	enum vascend_hdc_rx_result err;

	if (hdr->flags & VASCEND_HDC_F_FIRST) {
		if (rx->open) {
			err = VASCEND_HDC_RX_ERR_FIRST_OPEN;
			goto drop;
		}
		if (!hdr->total_len) {
			err = VASCEND_HDC_RX_ERR_TOTAL_LEN;
			goto drop;
		}
		if (hdr->total_len > VASCEND_HDC_MAX_MSG) {
			err = VASCEND_HDC_RX_ERR_TOO_BIG;
			goto drop;
		}
		rx->open = true;
		rx->len = hdr->total_len;
		rx->pos = 0;
	} else if (hdr->total_len) {
		err = VASCEND_HDC_RX_ERR_TOTAL_LEN;
		goto drop;
	} else if (!rx->open) {
		err = VASCEND_HDC_RX_ERR_NO_FIRST;
		goto drop;
	}

	if (hdr->len > rx->len - rx->pos) {
		err = VASCEND_HDC_RX_ERR_OVERRUN;
		goto drop;
	}
	if (hdr->flags & VASCEND_HDC_F_LAST) {
		if (rx->pos + hdr->len != rx->len) {
			err = VASCEND_HDC_RX_ERR_EARLY_LAST;
			goto drop;
		}
		*offset = rx->pos;
		rx->pos = rx->len;
		rx->open = false;
		return VASCEND_HDC_RX_DONE;
	}
	if (rx->pos + hdr->len == rx->len) {
		err = VASCEND_HDC_RX_ERR_NO_LAST;
		goto drop;
	}
	*offset = rx->pos;
	rx->pos += hdr->len;
	return VASCEND_HDC_RX_MORE;

drop:
	rx->open = false;
	return err;
}

/**
 * vascend_hdc_rx_err_reason() - the CLOSE reason for a reassembly error
 * @res: an error of vascend_hdc_rx_frag()
 *
 * Return: VASCEND_HDC_ERR_TOO_BIG or VASCEND_HDC_ERR_PROTOCOL.
 */
u32 vascend_hdc_rx_err_reason(enum vascend_hdc_rx_result res)
{
	return res == VASCEND_HDC_RX_ERR_TOO_BIG ? VASCEND_HDC_ERR_TOO_BIG :
						   VASCEND_HDC_ERR_PROTOCOL;
}

/**
 * vascend_hdc_rx_err_name() - a reassembly result, for messages
 * @res: a result of vascend_hdc_rx_frag()
 *
 * Return: a short constant string.
 */
const char *vascend_hdc_rx_err_name(enum vascend_hdc_rx_result res)
{
	switch (res) {
	case VASCEND_HDC_RX_MORE:
		return "more";
	case VASCEND_HDC_RX_DONE:
		return "done";
	case VASCEND_HDC_RX_ERR_FIRST_OPEN:
		return "FIRST while a message is open";
	case VASCEND_HDC_RX_ERR_NO_FIRST:
		return "fragment without a FIRST";
	case VASCEND_HDC_RX_ERR_TOTAL_LEN:
		return "bad total_len";
	case VASCEND_HDC_RX_ERR_TOO_BIG:
		return "message above 16 MiB";
	case VASCEND_HDC_RX_ERR_OVERRUN:
		return "fragment past total_len";
	case VASCEND_HDC_RX_ERR_EARLY_LAST:
		return "LAST before total_len";
	case VASCEND_HDC_RX_ERR_NO_LAST:
		return "total_len reached without LAST";
	}
	return "unknown";
}

/**
 * vascend_hdc_credits_init() - the accounts of a session about to CONNECT
 * @c: initialised here
 * @rx_window: messages the host lets the device have outstanding: the
 *	credits the CONNECT grants
 */
void vascend_hdc_credits_init(struct vascend_hdc_credits *c, u32 rx_window)
{
	memset(c, 0, sizeof(*c));
	c->rx_window = rx_window;
	c->rx_granted = rx_window;
}

/**
 * vascend_hdc_credits_grant() - the device granted credits (ACCEPT, CREDIT)
 * @c: the session's accounts
 * @n: credits granted
 *
 * Return: 0, or -EPROTO when the host would hold more than
 * VASCEND_HDC_MAX_CREDITS (nothing is added then).
 */
int vascend_hdc_credits_grant(struct vascend_hdc_credits *c, u32 n)
{
	if (n > VASCEND_HDC_MAX_CREDITS - c->tx)
		return -EPROTO;
	c->tx += n;
	return 0;
}

/**
 * vascend_hdc_credits_spend() - take a credit to start a message
 * @c: the session's accounts
 *
 * Return: true when there was one (it is used up now).
 */
bool vascend_hdc_credits_spend(struct vascend_hdc_credits *c)
{
	if (!c->tx)
		return false;
	c->tx--;
	return true;
}

/**
 * vascend_hdc_credits_refund() - give back a credit no fragment used
 * @c: the session's accounts, after vascend_hdc_credits_spend()
 */
void vascend_hdc_credits_refund(struct vascend_hdc_credits *c)
{
	c->tx++;
}

/**
 * vascend_hdc_credits_rx_start() - the device started a message (FIRST)
 * @c: the session's accounts
 *
 * Return: true when the device held a credit for it; false is a protocol
 * violation (VASCEND_HDC_ERR_NO_CREDIT), and nothing changes.
 */
bool vascend_hdc_credits_rx_start(struct vascend_hdc_credits *c)
{
	if (!c->rx_granted)
		return false;
	c->rx_granted--;
	c->rx_held++;
	return true;
}

/**
 * vascend_hdc_credits_rx_consumed() - the reader took a whole message
 * @c: the session's accounts
 *
 * Its credit is owed to the device until vascend_hdc_credits_rx_return().
 */
void vascend_hdc_credits_rx_consumed(struct vascend_hdc_credits *c)
{
	if (WARN_ON_ONCE(!c->rx_held))
		return;
	c->rx_held--;
	c->rx_owed++;
}

/**
 * vascend_hdc_credits_rx_return() - credits to put in a CREDIT now
 * @c: the session's accounts
 *
 * Return: the credits owed (0: no CREDIT to send); they count as granted
 * from here on.
 */
u32 vascend_hdc_credits_rx_return(struct vascend_hdc_credits *c)
{
	u32 n = c->rx_owed;

	c->rx_granted += n;
	c->rx_owed = 0;
	return n;
}
