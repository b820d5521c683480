// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HDC channel of a card (include/uapi/vascend_hdc_hw.h, docs/driver.md
 * "HDC"): rings, status block, doorbells, the HDC interrupt, sessions.
 *
 * Host -> device: a writer copies its message into h2d slots itself, at
 * most VASCEND_HDC_TX_BATCH slots per turn so other sessions' fragments
 * interleave, and rings H2D_TAIL. Control messages (CONNECT, CREDIT, CLOSE)
 * are owed by a session and go out first whenever the ring has room, so a
 * full ring never loses one and nobody waits for room in the interrupt
 * thread. Device -> host: the interrupt thread reads the status block,
 * drains the d2h ring into the sessions (reassembly, credits, state) and
 * returns the slots with D2H_HEAD. It never blocks on a reader: the credits
 * the host grants bound what the card may send each session.
 *
 * Everything the card writes is checked before it is used: published
 * indices (an impossible one stops the channel), headers, fragment order,
 * credits (a violation ends that session only).
 *
 * Locking, outer to inner: d2h_lock, h2d_lock, vascend_hdc_session.lock;
 * a session's tx_lock or rx_lock before any of them. Neither channel lock
 * is held across vascend_admin_exec(), so the recovery's prepare callback
 * may take them.
 */

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <uapi/vascend_hdc_hw.h>
#include <uapi/vascend_hw.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_hdc.h"
#include "vascend_hdc_check.h"
#include "vascend_hdc_frame.h"
#include "vascend_hw.h"
#include "vascend_irq.h"
#include "vascend_reset.h"

#define VASCEND_HDC_DEF_SLOTS		128
#define VASCEND_HDC_DEF_SLOT_SIZE	16384
/* h2d slots one writer fills before it lets other sessions at the ring. */
#define VASCEND_HDC_TX_BATCH		32
/* d2h slots read between two D2H_HEAD doorbells. */
#define VASCEND_HDC_RX_BATCH		16

static unsigned int hdc_slots = VASCEND_HDC_DEF_SLOTS;
module_param(hdc_slots, uint, 0444);
MODULE_PARM_DESC(hdc_slots,
		 "HDC ring slots each way: a power of two, 2..4096 (default 128)");

static unsigned int hdc_slot_size = VASCEND_HDC_DEF_SLOT_SIZE;
module_param(hdc_slot_size, uint, 0444);
MODULE_PARM_DESC(hdc_slot_size,
		 "HDC slot size in bytes, header included: a power of two, 256..65536 (default 16384)");

/**
 * struct vascend_hdc - the HDC channel of one card
 * @ref: the card's reference (dropped by vascend_hdc_fini()) and one per
 *	session
 * @vdev: the card; holds a reference on its struct device
 * @slot_count: slots per ring
 * @slot_size: bytes per slot, header included
 * @h2d: host -> device ring
 * @d2h: device -> host ring
 * @status: the status block the card publishes its indices in
 * @h2d_addr: bus address of @h2d
 * @d2h_addr: bus address of @d2h
 * @status_addr: bus address of @status
 * @d2h_lock: protects @d2h_head, which sessions are in @sessions, and the
 *	sessions' @rx and @rx_msg; held by the interrupt thread as it drains
 * @d2h_head: next d2h slot to read
 * @h2d_lock: protects @h2d_head, @h2d_tail, the h2d slots, @ctrl_list and
 *	the sessions' control fields
 * @h2d_head: h2d slots the card consumed, as it last published
 * @h2d_tail: h2d slots the host produced
 * @ctrl_list: sessions owing control messages, in the order they will go
 * @space_wq: writers waiting for h2d slots
 * @sessions: the sessions the card knows (or is about to), by id; each
 *	entry holds a reference
 * @next_id: where the cyclic id allocation goes on
 * @up: the card has the rings; changed with @d2h_lock and @h2d_lock held
 * @dead: the card is gone for good; as @up
 * @reset: recovery client: sessions end at a reset, rings come back after
 */
struct vascend_hdc {
	struct kref ref;
	struct vascend_device *vdev;
	u32 slot_count;
	u32 slot_size;
	void *h2d;
	void *d2h;
	struct vascend_hdc_status *status;
	dma_addr_t h2d_addr;
	dma_addr_t d2h_addr;
	dma_addr_t status_addr;

	struct mutex d2h_lock; /* Protects d2h_head, table membership, session rx */
	u32 d2h_head;

	struct mutex h2d_lock; /* Protects h2d indices and slots, ctrl_list */
	u32 h2d_head;
	u32 h2d_tail;
	struct list_head ctrl_list;
	wait_queue_head_t space_wq;

	struct xarray sessions;
	u32 next_id;
	bool up;
	bool dead;
	struct vascend_reset_client reset;
};

/* The channels by card index, for CONNECT. */
static DEFINE_MUTEX(vascend_hdc_cards_lock); /* Protects vascend_hdc_cards */
static struct vascend_hdc *vascend_hdc_cards[VASCEND_MAX_DEVICES];

static struct device *vascend_hdc_dev(struct vascend_hdc *hdc)
{
	return vascend_to_dev(hdc->vdev);
}

static void vascend_hdc_free(struct kref *ref)
{
	struct vascend_hdc *hdc = container_of(ref, struct vascend_hdc, ref);

	put_device(&hdc->vdev->dev);
	kfree(hdc);
}

static void vascend_hdc_put(struct vascend_hdc *hdc)
{
	kref_put(&hdc->ref, vascend_hdc_free);
}

/* The channel of card @dev_id, with a reference; NULL when there is none. */
static struct vascend_hdc *vascend_hdc_get(u32 dev_id)
{
	struct vascend_hdc *hdc = NULL;

	if (dev_id >= VASCEND_MAX_DEVICES)
		return NULL;
	mutex_lock(&vascend_hdc_cards_lock);
	hdc = vascend_hdc_cards[dev_id];
	if (hdc)
		kref_get(&hdc->ref);
	mutex_unlock(&vascend_hdc_cards_lock);
	return hdc;
}

static u32 vascend_hdc_payload_max(struct vascend_hdc *hdc)
{
	return hdc->slot_size - VASCEND_HDC_HDR_SIZE;
}

static void *vascend_hdc_slot(struct vascend_hdc *hdc, void *ring, u32 index)
{
	return ring + vascend_hdc_slot_offset(index, hdc->slot_count,
					      hdc->slot_size);
}

static void vascend_hdc_doorbell(struct vascend_hdc *hdc, u32 off, u32 val)
{
	vascend_wr32(hdc->vdev, VASCEND_DOORBELL_HDC + off, val);
}

/* ---- sessions ---- */

static void vascend_hdc_free_msgs(struct list_head *list)
{
	struct vascend_hdc_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, list, node) {
		list_del(&msg->node);
		kvfree(msg);
	}
}

static void vascend_hdc_session_free(struct kref *ref)
{
	struct vascend_hdc_session *s =
		container_of(ref, struct vascend_hdc_session, ref);

	vascend_hdc_free_msgs(&s->rxq);
	kvfree(s->rx_msg);
	vascend_hdc_put(s->hdc);
	kfree(s);
}

/**
 * vascend_hdc_session_put() - drop a reference to a session
 * @s: the session
 */
void vascend_hdc_session_put(struct vascend_hdc_session *s)
{
	kref_put(&s->ref, vascend_hdc_session_free);
}

static u32 vascend_hdc_room_locked(struct vascend_hdc *hdc)
{
	lockdep_assert_held(&hdc->h2d_lock);
	return vascend_hdc_ring_room(hdc->h2d_head, hdc->h2d_tail,
				     hdc->slot_count);
}

/* Fill the next h2d slot; the caller checked there is room. */
static void vascend_hdc_put_slot_locked(struct vascend_hdc *hdc,
					const struct vascend_hdc_msg_hdr *hdr,
					const void *payload)
{
	void *slot = vascend_hdc_slot(hdc, hdc->h2d, hdc->h2d_tail);

	lockdep_assert_held(&hdc->h2d_lock);
	if (hdr->len)
		memcpy(slot + VASCEND_HDC_HDR_SIZE, payload, hdr->len);
	memcpy(slot, hdr, sizeof(*hdr));
	hdc->h2d_tail++;
}

/*
 * Hand the slots filled so far to the card. writel() orders the slot
 * writes (plain stores to coherent memory) before the doorbell.
 */
static void vascend_hdc_h2d_kick_locked(struct vascend_hdc *hdc)
{
	lockdep_assert_held(&hdc->h2d_lock);
	vascend_hdc_doorbell(hdc, VASCEND_HDC_DB_H2D_TAIL, hdc->h2d_tail);
}

/*
 * Put what @s owes the card into the ring: its CONNECT, then a CLOSE (which
 * ends it: nothing after) or a CREDIT. False when the ring filled first.
 */
static bool vascend_hdc_ctrl_one_locked(struct vascend_hdc *hdc,
					struct vascend_hdc_session *s)
{
	struct vascend_hdc_msg_hdr hdr;
	u32 n;

	if (s->connect_owed) {
		if (!vascend_hdc_room_locked(hdc))
			return false;
		vascend_hdc_hdr_connect(&hdr, s->id, s->service,
					VASCEND_HDC_RX_WINDOW);
		vascend_hdc_put_slot_locked(hdc, &hdr, NULL);
		s->connect_owed = false;
	}
	if (s->close_owed) {
		if (!vascend_hdc_room_locked(hdc))
			return false;
		vascend_hdc_hdr_close(&hdr, s->id, s->close_arg);
		vascend_hdc_put_slot_locked(hdc, &hdr, NULL);
		s->close_owed = false;
		return true;
	}

	spin_lock(&s->lock);
	if (s->state != VASCEND_HDC_S_OPEN || !s->cr.rx_owed) {
		spin_unlock(&s->lock);
		return true;
	}
	if (!vascend_hdc_room_locked(hdc)) {
		spin_unlock(&s->lock);
		return false;
	}
	n = vascend_hdc_credits_rx_return(&s->cr);
	spin_unlock(&s->lock);
	vascend_hdc_hdr_credit(&hdr, s->id, n);
	vascend_hdc_put_slot_locked(hdc, &hdr, NULL);
	return true;
}

/* Send every owed control message the ring has room for, in order. */
static void vascend_hdc_ctrl_flush_locked(struct vascend_hdc *hdc)
{
	struct vascend_hdc_session *s, *tmp;
	u32 tail = hdc->h2d_tail;

	lockdep_assert_held(&hdc->h2d_lock);
	if (!hdc->up)
		return;
	list_for_each_entry_safe(s, tmp, &hdc->ctrl_list, ctrl_node) {
		if (!vascend_hdc_ctrl_one_locked(hdc, s))
			break;
		list_del(&s->ctrl_node);
		s->ctrl_queued = false;
		/* The caller holds a reference to the channel: this may free @s. */
		vascend_hdc_session_put(s);
	}
	if (hdc->h2d_tail != tail)
		vascend_hdc_h2d_kick_locked(hdc);
}

static void vascend_hdc_ctrl_queue_locked(struct vascend_hdc *hdc,
					  struct vascend_hdc_session *s)
{
	lockdep_assert_held(&hdc->h2d_lock);
	if (s->ctrl_queued)
		return;
	kref_get(&s->ref);
	list_add_tail(&s->ctrl_node, &hdc->ctrl_list);
	s->ctrl_queued = true;
}

/*
 * End @s on the host side: out of the table, CLOSED with @reason, waiters
 * woken. With @tell_card the card gets a CLOSE (or, when its CONNECT never
 * left, nothing). Drops the table's reference: the caller must hold its own
 * or not touch @s afterwards.
 */
static void vascend_hdc_end_locked(struct vascend_hdc *hdc,
				   struct vascend_hdc_session *s, u32 reason,
				   bool tell_card)
{
	lockdep_assert_held(&hdc->d2h_lock);
	if (xa_load(&hdc->sessions, s->id) != s)
		return;
	xa_erase(&hdc->sessions, s->id);
	kvfree(s->rx_msg);
	s->rx_msg = NULL;
	s->rx.open = false;

	spin_lock(&s->lock);
	s->state = VASCEND_HDC_S_CLOSED;
	s->close_reason = reason;
	spin_unlock(&s->lock);

	if (tell_card) {
		mutex_lock(&hdc->h2d_lock);
		if (hdc->up) {
			if (s->connect_owed) {
				s->connect_owed = false;
			} else {
				s->close_owed = true;
				s->close_arg = reason;
				vascend_hdc_ctrl_queue_locked(hdc, s);
			}
			vascend_hdc_ctrl_flush_locked(hdc);
		}
		mutex_unlock(&hdc->h2d_lock);
	}
	wake_up_all(&s->wq);
	wake_up_all(&hdc->space_wq);
	vascend_hdc_session_put(s);
}

/*
 * The rings are gone (reset, removal, or the card broke the protocol):
 * every session ends with @reason, nothing more goes to the card.
 */
static void vascend_hdc_down_locked(struct vascend_hdc *hdc, u32 reason,
				    bool dead)
{
	struct vascend_hdc_session *s, *tmp;
	unsigned long id;

	lockdep_assert_held(&hdc->d2h_lock);
	mutex_lock(&hdc->h2d_lock);
	hdc->up = false;
	if (dead)
		hdc->dead = true;
	list_for_each_entry_safe(s, tmp, &hdc->ctrl_list, ctrl_node) {
		list_del(&s->ctrl_node);
		s->ctrl_queued = false;
		s->connect_owed = false;
		s->close_owed = false;
		vascend_hdc_session_put(s);
	}
	mutex_unlock(&hdc->h2d_lock);

	xa_for_each(&hdc->sessions, id, s)
		vascend_hdc_end_locked(hdc, s, reason, false);
	wake_up_all(&hdc->space_wq);
}

/* A card that publishes an impossible index cannot be trusted with more. */
static void vascend_hdc_broken_locked(struct vascend_hdc *hdc, const char *ring,
				      u32 idx, u32 from, u32 to)
{
	lockdep_assert_held(&hdc->d2h_lock);
	dev_err(vascend_hdc_dev(hdc),
		"HDC: device published %s index %u outside %u..%u; HDC stopped until the card is reset\n",
		ring, idx, from, to);
	vascend_hdc_down_locked(hdc, VASCEND_HDC_ERR_PROTOCOL, false);
}

/* The card broke the protocol in session @s: end it, tell the card. */
static void vascend_hdc_violation_locked(struct vascend_hdc *hdc,
					 struct vascend_hdc_session *s,
					 u32 reason, const char *why)
{
	lockdep_assert_held(&hdc->d2h_lock);
	dev_warn_ratelimited(vascend_hdc_dev(hdc),
			     "HDC session %u: device sent %s; closing it\n",
			     s->id, why);
	vascend_hdc_end_locked(hdc, s, reason, true);
}

/* ---- device -> host ---- */

static void vascend_hdc_rx_data_locked(struct vascend_hdc *hdc,
				       struct vascend_hdc_session *s,
				       const struct vascend_hdc_msg_hdr *hdr,
				       const u8 *payload)
{
	enum vascend_hdc_rx_result res;
	struct vascend_hdc_msg *msg;
	bool credit;
	u32 off;

	lockdep_assert_held(&hdc->d2h_lock);
	res = vascend_hdc_rx_frag(&s->rx, hdr, &off);
	if (res != VASCEND_HDC_RX_MORE && res != VASCEND_HDC_RX_DONE) {
		vascend_hdc_violation_locked(hdc, s, vascend_hdc_rx_err_reason(res),
					     vascend_hdc_rx_err_name(res));
		return;
	}
	if (hdr->flags & VASCEND_HDC_F_FIRST) {
		spin_lock(&s->lock);
		credit = vascend_hdc_credits_rx_start(&s->cr);
		spin_unlock(&s->lock);
		if (!credit) {
			vascend_hdc_violation_locked(hdc, s, VASCEND_HDC_ERR_NO_CREDIT,
						     "a message without a credit");
			return;
		}
		msg = kvmalloc(struct_size(msg, data, hdr->total_len),
			       GFP_KERNEL | __GFP_NOWARN);
		if (!msg) {
			vascend_hdc_violation_locked(hdc, s, VASCEND_HDC_ERR_TOO_BIG,
						     "a message the host has no memory for");
			return;
		}
		msg->len = hdr->total_len;
		s->rx_msg = msg;
	}
	memcpy(s->rx_msg->data + off, payload, hdr->len);
	if (res == VASCEND_HDC_RX_MORE)
		return;

	msg = s->rx_msg;
	s->rx_msg = NULL;
	spin_lock(&s->lock);
	list_add_tail(&msg->node, &s->rxq);
	s->rx_count++;
	spin_unlock(&s->lock);
	wake_up_all(&s->wq);
}

/* Act on one d2h slot; @hdr is a copy, @payload still in the ring. */
static void vascend_hdc_rx_slot_locked(struct vascend_hdc *hdc,
				       const struct vascend_hdc_msg_hdr *hdr,
				       const u8 *payload)
{
	struct vascend_hdc_session *s;
	const char *why = NULL;
	enum vascend_hdc_state state;
	u32 reason;
	int ret;

	lockdep_assert_held(&hdc->d2h_lock);
	reason = vascend_hdc_d2h_check(hdr, vascend_hdc_payload_max(hdc), &why);
	s = hdr->session ? xa_load(&hdc->sessions, hdr->session) : NULL;
	if (!s) {
		/*
		 * Late traffic for a session the host has ended (it crossed
		 * our CLOSE), or garbage: nothing to act on.
		 */
		if (reason)
			dev_dbg_ratelimited(vascend_hdc_dev(hdc),
					    "HDC: dropped a d2h slot for session %u: %s\n",
					    hdr->session, why);
		return;
	}
	if (reason) {
		vascend_hdc_violation_locked(hdc, s, reason, why);
		return;
	}

	spin_lock(&s->lock);
	state = s->state;
	switch (hdr->type) {
	case VASCEND_HDC_MSG_ACCEPT:
		if (state != VASCEND_HDC_S_CONNECTING) {
			why = "ACCEPT for a session already open";
			break;
		}
		ret = vascend_hdc_credits_grant(&s->cr, hdr->credits);
		if (ret) {
			why = "ACCEPT with too many credits";
			break;
		}
		s->state = VASCEND_HDC_S_OPEN;
		why = NULL;
		break;
	case VASCEND_HDC_MSG_CREDIT:
		if (state != VASCEND_HDC_S_OPEN) {
			why = "CREDIT before ACCEPT";
			break;
		}
		ret = vascend_hdc_credits_grant(&s->cr, hdr->credits);
		why = ret ? "credits above 65536" : NULL;
		break;
	case VASCEND_HDC_MSG_DATA:
		why = state == VASCEND_HDC_S_OPEN ? NULL : "DATA before ACCEPT";
		break;
	default:	/* CLOSE */
		why = NULL;
		break;
	}
	spin_unlock(&s->lock);

	if (why) {
		vascend_hdc_violation_locked(hdc, s, VASCEND_HDC_ERR_PROTOCOL, why);
		return;
	}
	switch (hdr->type) {
	case VASCEND_HDC_MSG_CLOSE:
		/* The card has dropped the session: nothing to answer. */
		vascend_hdc_end_locked(hdc, s, hdr->arg, false);
		break;
	case VASCEND_HDC_MSG_DATA:
		vascend_hdc_rx_data_locked(hdc, s, hdr, payload);
		break;
	default:
		wake_up_all(&s->wq);
		break;
	}
}

/*
 * Give the slots read so far back to the card. They must have been read
 * before the doorbell lets the card write them again: hence the barrier
 * (memory-barriers.txt promises that writel() waits for earlier stores to
 * memory, not for loads).
 */
static void vascend_hdc_d2h_release_locked(struct vascend_hdc *hdc)
{
	lockdep_assert_held(&hdc->d2h_lock);
	/* Slot reads before the D2H_HEAD write that frees the slots. */
	mb();
	vascend_hdc_doorbell(hdc, VASCEND_HDC_DB_D2H_HEAD, hdc->d2h_head);
}

/* Consume d2h slots up to @tail. Returns true when any was. */
static bool vascend_hdc_d2h_drain_locked(struct vascend_hdc *hdc, u32 tail)
{
	struct vascend_hdc_msg_hdr hdr;
	unsigned int n = 0;
	const u8 *slot;

	lockdep_assert_held(&hdc->d2h_lock);
	if (!vascend_hdc_index_in(hdc->d2h_head, tail,
				  hdc->d2h_head + hdc->slot_count)) {
		vascend_hdc_broken_locked(hdc, "d2h tail", tail, hdc->d2h_head,
					  hdc->d2h_head + hdc->slot_count);
		return false;
	}
	while (hdc->up && hdc->d2h_head != tail) {
		slot = vascend_hdc_slot(hdc, hdc->d2h, hdc->d2h_head);
		/* One copy of the header: the card cannot change it under us. */
		memcpy(&hdr, slot, sizeof(hdr));
		vascend_hdc_rx_slot_locked(hdc, &hdr, slot + VASCEND_HDC_HDR_SIZE);
		hdc->d2h_head++;
		if (++n % VASCEND_HDC_RX_BATCH == 0 && hdc->up)
			vascend_hdc_d2h_release_locked(hdc);
	}
	if (n % VASCEND_HDC_RX_BATCH && hdc->up)
		vascend_hdc_d2h_release_locked(hdc);
	return n;
}

/* The card consumed h2d slots up to @head: room for writers and control. */
static bool vascend_hdc_h2d_done_locked(struct vascend_hdc *hdc, u32 head)
{
	u32 old, tail;
	bool moved;

	lockdep_assert_held(&hdc->d2h_lock);
	mutex_lock(&hdc->h2d_lock);
	old = hdc->h2d_head;
	tail = hdc->h2d_tail;
	if (!vascend_hdc_index_in(old, head, tail)) {
		mutex_unlock(&hdc->h2d_lock);
		vascend_hdc_broken_locked(hdc, "h2d head", head, old, tail);
		return false;
	}
	moved = head != old;
	hdc->h2d_head = head;
	vascend_hdc_ctrl_flush_locked(hdc);
	mutex_unlock(&hdc->h2d_lock);
	if (moved)
		wake_up_all(&hdc->space_wq);
	return moved;
}

/* The HDC vector's handler, in its interrupt thread. */
static void vascend_hdc_irq(struct vascend_device *vdev, void *data)
{
	struct vascend_hdc *hdc = data;
	u32 h2d_head, d2h_tail;
	bool progress;

	mutex_lock(&hdc->d2h_lock);
	while (hdc->up) {
		h2d_head = READ_ONCE(hdc->status->h2d_head);
		d2h_tail = READ_ONCE(hdc->status->d2h_tail);
		/* The slots the status block announces are read after it. */
		dma_rmb();
		progress = vascend_hdc_h2d_done_locked(hdc, h2d_head);
		if (!hdc->up)
			break;
		progress |= vascend_hdc_d2h_drain_locked(hdc, d2h_tail);
		if (!progress)
			break;
	}
	mutex_unlock(&hdc->d2h_lock);
}

/* ---- the session interface (vascend_hdc_dev.c) ---- */

/**
 * vascend_hdc_connect() - open a session to a service of a card
 * @dev_id: the card (N of /dev/davinciN)
 * @service: VASCEND_HDC_SVC_*; the card refuses what it does not run
 * @timeout_ms: how long to wait for the card's answer
 * @reason: set to the CLOSE reason when the card refused
 *
 * Sleeps, interruptibly.
 *
 * Return: the open session (the caller's reference), or an ERR_PTR:
 * -ENODEV (no such card, or it has no HDC), -ECONNREFUSED or -EIO (the
 * card answered CLOSE, see vascend_hdc_close_errno(); -EIO also while the
 * card cannot do HDC), -ETIMEDOUT, -ERESTARTSYS (a signal or task work:
 * the session was given up, the call may be restarted), -ENOMEM, -EBUSY
 * (no session id left).
 */
struct vascend_hdc_session *vascend_hdc_connect(u32 dev_id, u32 service,
						unsigned int timeout_ms,
						u32 *reason)
{
	struct vascend_hdc_session *s;
	enum vascend_hdc_state state;
	struct vascend_hdc *hdc;
	long left;
	int ret;

	hdc = vascend_hdc_get(dev_id);
	if (!hdc)
		return ERR_PTR(-ENODEV);
	/* A recovery in progress brings the rings back: wait for it. */
	if (!READ_ONCE(hdc->up) && !READ_ONCE(hdc->dead))
		vascend_reset_wait(hdc->vdev);

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		vascend_hdc_put(hdc);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&s->ref);
	s->hdc = hdc;
	s->service = service;
	mutex_init(&s->tx_lock);
	mutex_init(&s->rx_lock);
	init_waitqueue_head(&s->wq);
	spin_lock_init(&s->lock);
	s->state = VASCEND_HDC_S_CONNECTING;
	INIT_LIST_HEAD(&s->rxq);
	INIT_LIST_HEAD(&s->ctrl_node);
	vascend_hdc_credits_init(&s->cr, VASCEND_HDC_RX_WINDOW);

	mutex_lock(&hdc->d2h_lock);
	if (!hdc->up) {
		ret = hdc->dead ? -ENODEV : -EIO;
		goto err_unlock;
	}
	ret = xa_alloc_cyclic(&hdc->sessions, &s->id, s, XA_LIMIT(1, U32_MAX),
			      &hdc->next_id, GFP_KERNEL);
	if (ret < 0)
		goto err_unlock;
	kref_get(&s->ref);	/* the table's */
	mutex_lock(&hdc->h2d_lock);
	s->connect_owed = true;
	vascend_hdc_ctrl_queue_locked(hdc, s);
	vascend_hdc_ctrl_flush_locked(hdc);
	mutex_unlock(&hdc->h2d_lock);
	mutex_unlock(&hdc->d2h_lock);

	left = wait_event_interruptible_timeout(s->wq,
						READ_ONCE(s->state) !=
						VASCEND_HDC_S_CONNECTING,
						msecs_to_jiffies(timeout_ms));

	mutex_lock(&hdc->d2h_lock);
	spin_lock(&s->lock);
	state = s->state;
	*reason = s->close_reason;
	spin_unlock(&s->lock);
	ret = 0;
	if (state == VASCEND_HDC_S_CONNECTING) {
		/* The card may still answer: it gets a CLOSE after all. */
		vascend_hdc_end_locked(hdc, s, VASCEND_HDC_CLOSE_NORMAL, true);
		ret = left < 0 ? -ERESTARTSYS : -ETIMEDOUT;
	} else if (state == VASCEND_HDC_S_CLOSED) {
		ret = vascend_hdc_close_errno(*reason);
	}
	mutex_unlock(&hdc->d2h_lock);
	if (ret) {
		vascend_hdc_session_put(s);
		return ERR_PTR(ret);
	}
	return s;

err_unlock:
	mutex_unlock(&hdc->d2h_lock);
	vascend_hdc_session_put(s);
	return ERR_PTR(ret);
}

/**
 * vascend_hdc_close() - end a session for its owner (file release)
 * @s: the session; the caller still holds its reference
 *
 * A session the card still knows gets a CLOSE; messages not read are
 * dropped. Later d2h traffic for it is ignored.
 */
void vascend_hdc_close(struct vascend_hdc_session *s)
{
	struct vascend_hdc *hdc = s->hdc;
	LIST_HEAD(drop);

	mutex_lock(&hdc->d2h_lock);
	vascend_hdc_end_locked(hdc, s, VASCEND_HDC_CLOSE_NORMAL, true);
	mutex_unlock(&hdc->d2h_lock);

	spin_lock(&s->lock);
	list_splice_init(&s->rxq, &drop);
	s->rx_count = 0;
	spin_unlock(&s->lock);
	vascend_hdc_free_msgs(&drop);
}

static bool vascend_hdc_can_fill(struct vascend_hdc *hdc,
				 struct vascend_hdc_session *s)
{
	return !READ_ONCE(hdc->up) ||
	       READ_ONCE(s->state) != VASCEND_HDC_S_OPEN ||
	       vascend_hdc_ring_room(READ_ONCE(hdc->h2d_head),
				     READ_ONCE(hdc->h2d_tail), hdc->slot_count);
}

/**
 * vascend_hdc_send() - put one message into the h2d ring
 * @s: an open session; the caller holds @s->tx_lock and has spent a credit
 * @buf: the message, in kernel memory
 * @len: its bytes, 1..VASCEND_HDC_MAX_MSG
 *
 * Fragments of other sessions may go between this message's. Once its
 * first fragment is in the ring the message is finished whatever the
 * wait for room takes (the card drains the ring by itself), except when
 * the caller is killed: the session then ends, as a message cannot be
 * taken back.
 *
 * Return: 0 once every fragment is in the ring; -EPIPE when the session
 * ended or the card went away first (the message is lost); -EINTR when
 * killed.
 */
int vascend_hdc_send(struct vascend_hdc_session *s, const void *buf, u32 len)
{
	const u32 pm = vascend_hdc_payload_max(s->hdc);
	struct vascend_hdc *hdc = s->hdc;
	struct vascend_hdc_msg_hdr hdr;
	struct vascend_hdc_tx tx;
	unsigned int n;
	u32 off;
	int ret = 0;

	lockdep_assert_held(&s->tx_lock);
	vascend_hdc_tx_start(&tx, s->id, len);
	while (!vascend_hdc_tx_done(&tx)) {
		mutex_lock(&hdc->h2d_lock);
		if (!hdc->up || READ_ONCE(s->state) != VASCEND_HDC_S_OPEN) {
			mutex_unlock(&hdc->h2d_lock);
			return -EPIPE;
		}
		/* Control messages first: they unblock the card. */
		vascend_hdc_ctrl_flush_locked(hdc);
		for (n = 0; n < VASCEND_HDC_TX_BATCH && !vascend_hdc_tx_done(&tx) &&
		     vascend_hdc_room_locked(hdc); n++) {
			off = vascend_hdc_tx_next(&tx, pm, &hdr);
			vascend_hdc_put_slot_locked(hdc, &hdr, buf + off);
		}
		if (n)
			vascend_hdc_h2d_kick_locked(hdc);
		mutex_unlock(&hdc->h2d_lock);

		if (vascend_hdc_tx_done(&tx))
			break;
		if (n) {
			cond_resched();
			continue;
		}
		ret = wait_event_killable(hdc->space_wq,
					  vascend_hdc_can_fill(hdc, s));
		if (ret)
			break;
	}
	if (!ret)
		return 0;

	if (!tx.pos) {
		/* Nothing went out: the credit is still good. */
		spin_lock(&s->lock);
		vascend_hdc_credits_refund(&s->cr);
		spin_unlock(&s->lock);
		return -EINTR;
	}
	/* Killed with the message cut short: the session cannot go on. */
	mutex_lock(&hdc->d2h_lock);
	vascend_hdc_end_locked(hdc, s, VASCEND_HDC_CLOSE_NORMAL, true);
	mutex_unlock(&hdc->d2h_lock);
	return -EINTR;
}

/**
 * vascend_hdc_consumed() - the reader took a message: free it, credit it
 * @s: the session; the caller holds @s->rx_lock
 * @msg: the head of @s->rxq, copied out
 */
void vascend_hdc_consumed(struct vascend_hdc_session *s,
			  struct vascend_hdc_msg *msg)
{
	struct vascend_hdc *hdc = s->hdc;
	bool credit;

	lockdep_assert_held(&s->rx_lock);
	spin_lock(&s->lock);
	list_del(&msg->node);
	s->rx_count--;
	vascend_hdc_credits_rx_consumed(&s->cr);
	credit = s->state == VASCEND_HDC_S_OPEN;
	spin_unlock(&s->lock);
	kvfree(msg);

	if (!credit)
		return;
	mutex_lock(&hdc->h2d_lock);
	if (hdc->up) {
		vascend_hdc_ctrl_queue_locked(hdc, s);
		vascend_hdc_ctrl_flush_locked(hdc);
	}
	mutex_unlock(&hdc->h2d_lock);
}

/* ---- the rings on the card ---- */

/* Fresh rings, and HDC_SETUP. The channel is down. */
static int vascend_hdc_setup(struct vascend_hdc *hdc)
{
	size_t ring = (size_t)hdc->slot_count * hdc->slot_size;
	struct vascend_sqe sqe = {};
	struct vascend_cqe cqe = {};
	int ret;

	memset(hdc->h2d, 0, ring);
	memset(hdc->d2h, 0, ring);
	memset(hdc->status, 0, sizeof(*hdc->status));
	mutex_lock(&hdc->d2h_lock);
	mutex_lock(&hdc->h2d_lock);
	hdc->h2d_head = 0;
	hdc->h2d_tail = 0;
	hdc->d2h_head = 0;
	mutex_unlock(&hdc->h2d_lock);
	mutex_unlock(&hdc->d2h_lock);

	sqe.opcode = VASCEND_ADMIN_HDC_SETUP;
	sqe.u.hdc.h2d_base = hdc->h2d_addr;
	sqe.u.hdc.d2h_base = hdc->d2h_addr;
	sqe.u.hdc.status_addr = hdc->status_addr;
	sqe.u.hdc.slot_count = hdc->slot_count;
	sqe.u.hdc.slot_size = hdc->slot_size;
	sqe.u.hdc.vector = VASCEND_IRQ_VEC_HDC;
	ret = vascend_admin_exec(hdc->vdev, &sqe, &cqe, VASCEND_ADMIN_TIMEOUT_MS);
	if (ret == -EIO) {
		dev_err(vascend_hdc_dev(hdc), "HDC_SETUP refused: %s (0x%x)\n",
			vascend_cqe_status_name(cqe.status), cqe.status);
		return ret;
	}
	if (ret) {
		dev_err(vascend_hdc_dev(hdc), "HDC_SETUP failed: %pe\n",
			ERR_PTR(ret));
		return ret;
	}

	mutex_lock(&hdc->d2h_lock);
	mutex_lock(&hdc->h2d_lock);
	if (!hdc->dead)
		hdc->up = true;
	mutex_unlock(&hdc->h2d_lock);
	mutex_unlock(&hdc->d2h_lock);
	return 0;
}

static void vascend_hdc_reset_prepare(struct vascend_device *vdev, void *data)
{
	struct vascend_hdc *hdc = data;

	mutex_lock(&hdc->d2h_lock);
	vascend_hdc_down_locked(hdc, VASCEND_HDC_ERR_RESET, false);
	mutex_unlock(&hdc->d2h_lock);
}

static int vascend_hdc_reset_restore(struct vascend_device *vdev, void *data)
{
	return vascend_hdc_setup(data);
}

static void vascend_hdc_free_rings(struct vascend_hdc *hdc)
{
	struct device *dev = vascend_hdc_dev(hdc);
	size_t ring = (size_t)hdc->slot_count * hdc->slot_size;

	if (hdc->status)
		dma_free_coherent(dev, sizeof(*hdc->status), hdc->status,
				  hdc->status_addr);
	if (hdc->d2h)
		dma_free_coherent(dev, ring, hdc->d2h, hdc->d2h_addr);
	if (hdc->h2d)
		dma_free_coherent(dev, ring, hdc->h2d, hdc->h2d_addr);
}

/* hdc_slots and hdc_slot_size, or the defaults when they break the contract. */
static void vascend_hdc_geometry(struct vascend_hdc *hdc)
{
	hdc->slot_count = hdc_slots;
	hdc->slot_size = hdc_slot_size;
	if (!is_power_of_2(hdc->slot_count) || hdc->slot_count < 2 ||
	    hdc->slot_count > VASCEND_HDC_MAX_SLOTS) {
		dev_warn(vascend_hdc_dev(hdc),
			 "hdc_slots=%u is not a power of two in 2..%u: using %u\n",
			 hdc->slot_count, VASCEND_HDC_MAX_SLOTS,
			 VASCEND_HDC_DEF_SLOTS);
		hdc->slot_count = VASCEND_HDC_DEF_SLOTS;
	}
	if (!is_power_of_2(hdc->slot_size) ||
	    hdc->slot_size < VASCEND_HDC_MIN_SLOT ||
	    hdc->slot_size > VASCEND_HDC_MAX_SLOT) {
		dev_warn(vascend_hdc_dev(hdc),
			 "hdc_slot_size=%u is not a power of two in %u..%u: using %u\n",
			 hdc->slot_size, VASCEND_HDC_MIN_SLOT,
			 VASCEND_HDC_MAX_SLOT, VASCEND_HDC_DEF_SLOT_SIZE);
		hdc->slot_size = VASCEND_HDC_DEF_SLOT_SIZE;
	}
}

/**
 * vascend_hdc_init() - bring up the card's HDC channel
 * @vdev: the card, its admin queue working
 *
 * A card without VASCEND_HW_CAP_HDC gets no channel (CONNECT to it is
 * ENODEV); that is not an error.
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_hdc_init(struct vascend_device *vdev)
{
	struct device *dev = vascend_to_dev(vdev);
	struct vascend_hdc *hdc;
	size_t ring;
	int ret;

	if (!(vdev->caps & VASCEND_HW_CAP_HDC)) {
		dev_info(dev, "device has no HDC: /dev/%s cannot reach card %u\n",
			 VASCEND_HDC_DEV_NAME, vdev->index);
		return 0;
	}

	hdc = kzalloc(sizeof(*hdc), GFP_KERNEL);
	if (!hdc)
		return -ENOMEM;
	kref_init(&hdc->ref);
	get_device(&vdev->dev);
	hdc->vdev = vdev;
	mutex_init(&hdc->d2h_lock);
	mutex_init(&hdc->h2d_lock);
	INIT_LIST_HEAD(&hdc->ctrl_list);
	init_waitqueue_head(&hdc->space_wq);
	xa_init_flags(&hdc->sessions, XA_FLAGS_ALLOC1);
	vascend_hdc_geometry(hdc);

	ring = (size_t)hdc->slot_count * hdc->slot_size;
	hdc->h2d = dma_alloc_coherent(dev, ring, &hdc->h2d_addr, GFP_KERNEL);
	hdc->d2h = dma_alloc_coherent(dev, ring, &hdc->d2h_addr, GFP_KERNEL);
	hdc->status = dma_alloc_coherent(dev, sizeof(*hdc->status),
					 &hdc->status_addr, GFP_KERNEL);
	if (!hdc->h2d || !hdc->d2h || !hdc->status) {
		dev_err(dev, "HDC: cannot allocate 2 x %zu bytes of ring memory\n",
			ring);
		ret = -ENOMEM;
		goto err_free_rings;
	}

	ret = vascend_irq_set_handler(vdev, VASCEND_IRQ_VEC_HDC, vascend_hdc_irq,
				      hdc);
	if (ret) {
		dev_err(dev, "HDC: cannot install the interrupt handler: %pe\n",
			ERR_PTR(ret));
		goto err_free_rings;
	}

	ret = vascend_hdc_setup(hdc);
	if (ret)
		goto err_remove_handler;

	hdc->reset.prepare = vascend_hdc_reset_prepare;
	hdc->reset.restore = vascend_hdc_reset_restore;
	hdc->reset.data = hdc;
	vascend_reset_client_add(vdev, &hdc->reset);

	mutex_lock(&vascend_hdc_cards_lock);
	vascend_hdc_cards[vdev->index] = hdc;
	mutex_unlock(&vascend_hdc_cards_lock);
	dev_dbg(dev, "HDC: %u slots of %u bytes each way, vector %u\n",
		hdc->slot_count, hdc->slot_size, VASCEND_IRQ_VEC_HDC);
	return 0;

err_remove_handler:
	vascend_irq_set_handler(vdev, VASCEND_IRQ_VEC_HDC, NULL, NULL);
err_free_rings:
	vascend_hdc_free_rings(hdc);
	vascend_hdc_put(hdc);
	return ret;
}

/**
 * vascend_hdc_fini() - take the card's HDC channel down for good
 * @vdev: the card: either reset already (remove()), or with its admin
 *	queue working (a probe failure after vascend_hdc_init())
 *
 * Every session ends (CLOSED, VASCEND_HDC_ERR_RESET); open files keep their
 * sessions, and everything they do fails or reads what is left. The card
 * is told HDC_TEARDOWN when it can still hear it, so it stops using the
 * rings before they are freed.
 */
void vascend_hdc_fini(struct vascend_device *vdev)
{
	struct vascend_sqe sqe = { .opcode = VASCEND_ADMIN_HDC_TEARDOWN };
	struct vascend_hdc *hdc;
	int ret;

	mutex_lock(&vascend_hdc_cards_lock);
	hdc = vascend_hdc_cards[vdev->index];
	vascend_hdc_cards[vdev->index] = NULL;
	mutex_unlock(&vascend_hdc_cards_lock);
	if (!hdc)
		return;

	vascend_reset_client_remove(vdev, &hdc->reset);
	mutex_lock(&hdc->d2h_lock);
	vascend_hdc_down_locked(hdc, VASCEND_HDC_ERR_RESET, true);
	mutex_unlock(&hdc->d2h_lock);
	vascend_irq_set_handler(vdev, VASCEND_IRQ_VEC_HDC, NULL, NULL);

	ret = vascend_admin_exec(vdev, &sqe, NULL, VASCEND_ADMIN_TIMEOUT_MS);
	if (ret)
		dev_dbg(vascend_to_dev(vdev), "HDC_TEARDOWN: %pe (the card is reset)\n",
			ERR_PTR(ret));
	vascend_hdc_free_rings(hdc);
	vascend_hdc_put(hdc);
}
