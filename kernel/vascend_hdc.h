/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HDC: the message channel between host processes and the services on a
 * card (include/uapi/vascend_hdc_hw.h). One channel per card: an h2d and a
 * d2h ring of slots and a status block in coherent DMA memory, set up with
 * VASCEND_ADMIN_HDC_SETUP once the admin queue runs, and again after every
 * recovery. The channel owns the session table: sessions to services, with
 * their credits, reassembly and received messages. /dev/hisi_hdc
 * (vascend_hdc_dev.c) gives one session to each open file.
 */

#ifndef __VASCEND_HDC_H__
#define __VASCEND_HDC_H__

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "vascend_hdc_frame.h"

struct vascend_device;
struct vascend_hdc;

/*
 * Messages the host lets the device have in flight or queued for the
 * reader, per session: the credits CONNECT grants.
 */
#define VASCEND_HDC_RX_WINDOW	4

/**
 * enum vascend_hdc_state - where a session is
 * @VASCEND_HDC_S_CONNECTING: CONNECT sent (or about to be), no answer yet
 * @VASCEND_HDC_S_OPEN: the card accepted it
 * @VASCEND_HDC_S_CLOSED: over: closed by either side, refused, or the card
 *	was reset; received messages may still be read
 */
enum vascend_hdc_state {
	VASCEND_HDC_S_CONNECTING,
	VASCEND_HDC_S_OPEN,
	VASCEND_HDC_S_CLOSED,
};

/**
 * struct vascend_hdc_msg - a whole message received from the card
 * @node: in the session's @rxq
 * @len: bytes in @data
 * @data: the message
 */
struct vascend_hdc_msg {
	struct list_head node;
	u32 len;
	u8 data[];
};

/**
 * struct vascend_hdc_session - one session to a service of a card
 * @ref: the opener's reference, the table's while the card knows the
 *	session, the control list's while a control message is owed
 * @hdc: the card's channel (a reference)
 * @id: the session id on the wire, unique in the channel
 * @service: VASCEND_HDC_SVC_*
 * @tx_lock: serialises the messages of this session on the h2d ring (the
 *	card reassembles per session, so two may not interleave)
 * @rx_lock: serialises readers, so the head of @rxq stays theirs
 * @wq: readers, writers, pollers and CONNECT wait here
 * @lock: protects @state, @close_reason, @rxq, @rx_count and @cr
 * @state: enum vascend_hdc_state
 * @close_reason: the CLOSE's reason once @state is CLOSED
 * @rxq: whole messages not read yet, oldest first
 * @rx_count: entries of @rxq
 * @cr: credits
 * @rx: reassembly of the message coming in; the d2h side's (d2h_lock)
 * @rx_msg: its buffer; the d2h side's (d2h_lock)
 * @ctrl_node: in the channel's list of sessions owing control messages;
 *	this and the fields below are protected by the channel's h2d_lock
 * @ctrl_queued: on that list
 * @connect_owed: CONNECT not in the ring yet
 * @close_owed: a CLOSE is to be sent, with @close_arg
 * @close_arg: its reason
 */
struct vascend_hdc_session {
	struct kref ref;
	struct vascend_hdc *hdc;
	u32 id;
	u32 service;
	struct mutex tx_lock; /* Protects the session's place on the h2d ring */
	struct mutex rx_lock; /* Protects the head of rxq against other readers */
	wait_queue_head_t wq;

	spinlock_t lock; /* Protects state, close_reason, rxq, rx_count, cr */
	enum vascend_hdc_state state;
	u32 close_reason;
	struct list_head rxq;
	u32 rx_count;
	struct vascend_hdc_credits cr;

	struct vascend_hdc_rx rx;
	struct vascend_hdc_msg *rx_msg;

	struct list_head ctrl_node;
	bool ctrl_queued;
	bool connect_owed;
	bool close_owed;
	u32 close_arg;
};

struct vascend_hdc_session *vascend_hdc_connect(u32 dev_id, u32 service,
						unsigned int timeout_ms,
						u32 *reason);
void vascend_hdc_close(struct vascend_hdc_session *s);
void vascend_hdc_session_put(struct vascend_hdc_session *s);

int vascend_hdc_send(struct vascend_hdc_session *s, const void *buf, u32 len);
void vascend_hdc_consumed(struct vascend_hdc_session *s,
			  struct vascend_hdc_msg *msg);

int vascend_hdc_init(struct vascend_device *vdev);
void vascend_hdc_fini(struct vascend_device *vdev);

#endif /* __VASCEND_HDC_H__ */
