// SPDX-License-Identifier: GPL-2.0-only
/*
 * The admin queue (queue 0). Both rings live in coherent memory for the
 * life of the binding; the device gets them through the AQ_* registers
 * after every firmware boot (probe and each recovery).
 *
 * Commands are tagged: a caller takes one of VASCEND_ADMIN_TAGS slots,
 * writes its SQE with a task_id unique while the driver is bound, rings the
 * doorbell and sleeps on the slot. The admin interrupt (vector 0, hard
 * interrupt context) matches each CQE to its slot by task_id. Fewer tags
 * than ring entries mean neither ring can fill: every SQE gets exactly one
 * CQE (the device answers an unreadable SQE too).
 *
 * A caller that times out abandons its slot, which stays in use until its
 * CQE arrives or the card is reset, so a late CQE never lands in a reused
 * slot; the timeout also starts a recovery, since a stuck admin queue
 * leaves the card useless.
 */

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <uapi/vascend_hw.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_hw.h"
#include "vascend_reset.h"
#include "vascend_ring.h"

static_assert(VASCEND_ADMIN_TAGS < VASCEND_ADMIN_DEPTH);
static_assert(VASCEND_ADMIN_TAGS <= BITS_PER_LONG);

/* AQ_STATUS answers at once; a device that takes longer is broken. */
#define VASCEND_ADMIN_READY_TIMEOUT_US	100000

/**
 * vascend_cqe_status_name() - a CQE status as messages spell it
 * @status: VASCEND_CQE_STATUS_*
 *
 * Return: a static string.
 */
const char *vascend_cqe_status_name(u16 status)
{
	static const char * const names[] = {
		[VASCEND_CQE_STATUS_SUCCESS] = "SUCCESS",
		[VASCEND_CQE_STATUS_INVALID_OPCODE] = "INVALID_OPCODE",
		[VASCEND_CQE_STATUS_INVALID_FIELD] = "INVALID_FIELD",
		[VASCEND_CQE_STATUS_NOT_BOOTED] = "NOT_BOOTED",
		[VASCEND_CQE_STATUS_INVALID_ID] = "INVALID_ID",
		[VASCEND_CQE_STATUS_MMU_FAULT] = "MMU_FAULT",
		[VASCEND_CQE_STATUS_DMA_ERROR] = "DMA_ERROR",
		[VASCEND_CQE_STATUS_ECC_ERROR] = "ECC_ERROR",
		[VASCEND_CQE_STATUS_OP_ERROR] = "OP_ERROR",
		[VASCEND_CQE_STATUS_ABORTED] = "ABORTED",
		[VASCEND_CQE_STATUS_OP_UNKNOWN] = "OP_UNKNOWN",
		[VASCEND_CQE_STATUS_FW_CRASHED] = "FW_CRASHED",
		[VASCEND_CQE_STATUS_TOO_LARGE] = "TOO_LARGE",
		[VASCEND_CQE_STATUS_BUSY] = "BUSY",
	};

	if (status >= ARRAY_SIZE(names) || !names[status])
		return "unknown status";
	return names[status];
}

/* Release a slot; the caller wakes the waiters for tags. */
static void vascend_admin_free_tag_locked(struct vascend_admin *aq,
					  unsigned int tag)
{
	lockdep_assert_held(&aq->lock);

	aq->slots[tag].waiting = false;
	aq->slots[tag].abandoned = false;
	__clear_bit(tag, &aq->tags);
}

/*
 * May the current task submit now? Sets *@ret and returns true when the
 * answer is final: a tag in *@tag (ret 0) or an error; false: wait.
 */
static bool vascend_admin_try_get_tag(struct vascend_device *vdev,
				      unsigned int *tag, int *ret)
{
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;
	bool decided = true;

	spin_lock_irqsave(&aq->lock, flags);
	if (aq->dead) {
		*ret = -ENODEV;
	} else if (!aq->hw_ready ||
		   (!aq->open && !vascend_reset_is_worker(vdev))) {
		decided = false;
	} else {
		*tag = find_first_zero_bit(&aq->tags, VASCEND_ADMIN_TAGS);
		if (*tag >= VASCEND_ADMIN_TAGS) {
			decided = false;
		} else {
			__set_bit(*tag, &aq->tags);
			*ret = 0;
		}
	}
	spin_unlock_irqrestore(&aq->lock, flags);
	return decided;
}

int vascend_admin_exec(struct vascend_device *vdev, struct vascend_sqe *sqe,
		       struct vascend_cqe *cqe_out, unsigned int timeout_ms)
{
	struct vascend_admin *aq = &vdev->admin;
	struct vascend_admin_slot *slot;
	struct vascend_cqe cqe;
	unsigned long flags;
	unsigned long left;
	unsigned int tag;
	int ret;

	might_sleep();

	/* Uninterruptible: release paths of killed processes come here. */
	wait_event(aq->wq, vascend_admin_try_get_tag(vdev, &tag, &ret));
	if (ret)
		return ret;
	slot = &aq->slots[tag];

	spin_lock_irqsave(&aq->lock, flags);
	/* A task_id of 0 is what the device uses for an unreadable SQE. */
	if (!++aq->next_id)
		++aq->next_id;
	sqe->task_id = aq->next_id;
	slot->task_id = sqe->task_id;
	slot->waiting = true;
	slot->abandoned = false;
	reinit_completion(&slot->done);
	aq->sq[aq->sq_tail] = *sqe;
	aq->sq_tail = vascend_ring_add(aq->sq_tail, 1, aq->depth);
	/* writel() orders the SQE write before the doorbell. */
	vascend_wr32(vdev, VASCEND_DOORBELL(0) + VASCEND_DB_SQ_TAIL, aq->sq_tail);
	spin_unlock_irqrestore(&aq->lock, flags);

	left = wait_for_completion_timeout(&slot->done,
					   msecs_to_jiffies(timeout_ms));

	spin_lock_irqsave(&aq->lock, flags);
	if (!left && slot->waiting) {
		slot->abandoned = true;
		spin_unlock_irqrestore(&aq->lock, flags);
		dev_err(vascend_to_dev(vdev),
			"admin command 0x%02x (task %u) timed out after %u ms: recovering the card\n",
			sqe->opcode, sqe->task_id, timeout_ms);
		vascend_reset_schedule(vdev, VASCEND_RESET_CAUSE_HANG);
		return -ETIMEDOUT;
	}
	cqe = slot->cqe;
	vascend_admin_free_tag_locked(aq, tag);
	spin_unlock_irqrestore(&aq->lock, flags);
	wake_up(&aq->wq);

	if (cqe_out)
		*cqe_out = cqe;
	if (cqe.status != VASCEND_CQE_STATUS_SUCCESS) {
		dev_dbg_ratelimited(vascend_to_dev(vdev),
				    "admin command 0x%02x: %s (result 0x%llx)\n",
				    sqe->opcode, vascend_cqe_status_name(cqe.status),
				    cqe.result);
		return -EIO;
	}
	return 0;
}

int vascend_admin_query(struct vascend_device *vdev, u8 opcode, void *out,
			size_t size)
{
	struct vascend_admin *aq = &vdev->admin;
	struct vascend_sqe sqe = {
		.opcode = opcode,
		.u.query = {
			.addr = aq->query_addr,
			.size = PAGE_SIZE,
		},
	};
	struct vascend_cqe cqe;
	int ret;

	if (WARN_ON(size > PAGE_SIZE))
		return -EINVAL;

	mutex_lock(&aq->query_lock);
	ret = vascend_admin_exec(vdev, &sqe, &cqe, VASCEND_ADMIN_TIMEOUT_MS);
	if (!ret) {
		/* The CQE's read (in the interrupt) ordered the answer before it. */
		memcpy(out, aq->query_buf, size);
		ret = min_t(u64, cqe.result, INT_MAX);
	}
	mutex_unlock(&aq->query_lock);
	return ret;
}

/**
 * vascend_admin_irq() - consume the admin CQEs
 * @vdev: the card
 *
 * Called from the admin interrupt (hard interrupt context).
 */
void vascend_admin_irq(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	struct vascend_admin_slot *slot;
	struct vascend_cqe cqe, *head;
	unsigned int tag;
	bool freed = false;
	u32 n = 0;

	spin_lock(&aq->lock);
	if (!aq->hw_ready)
		goto out_unlock;
	for (;;) {
		head = &aq->cq[aq->cq_head];
		if (!vascend_cqe_is_new(READ_ONCE(head->flags), aq->phase))
			break;
		/* The device writes the flags word last: read the rest after it. */
		dma_rmb();
		cqe = *head;
		vascend_cq_advance(&aq->cq_head, &aq->phase, aq->depth);
		n++;

		for_each_set_bit(tag, &aq->tags, VASCEND_ADMIN_TAGS) {
			slot = &aq->slots[tag];
			if (slot->waiting && slot->task_id == cqe.task_id)
				break;
		}
		if (tag >= VASCEND_ADMIN_TAGS) {
			dev_warn_ratelimited(vascend_to_dev(vdev),
					     "admin CQE for unknown task %u (status %s): ignored\n",
					     cqe.task_id,
					     vascend_cqe_status_name(cqe.status));
			continue;
		}
		slot->cqe = cqe;
		slot->waiting = false;
		if (slot->abandoned) {
			vascend_admin_free_tag_locked(aq, tag);
			freed = true;
		} else {
			complete(&slot->done);
		}
	}
	if (n)
		vascend_wr32(vdev, VASCEND_DOORBELL(0) + VASCEND_DB_CQ_HEAD,
			     aq->cq_head);
out_unlock:
	spin_unlock(&aq->lock);
	if (freed)
		wake_up(&aq->wq);
}

/**
 * vascend_admin_enable() - hand the (emptied) rings to the device
 * @vdev: the card, firmware running or not
 *
 * Return: 0 with AQ_STATUS READY, or -EIO (logged).
 */
int vascend_admin_enable(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;
	u32 status;
	int ret;

	spin_lock_irqsave(&aq->lock, flags);
	memset(aq->sq, 0, aq->depth * sizeof(*aq->sq));
	memset(aq->cq, 0, aq->depth * sizeof(*aq->cq));
	aq->sq_tail = 0;
	aq->cq_head = 0;
	aq->phase = VASCEND_CQE_F_PHASE;
	spin_unlock_irqrestore(&aq->lock, flags);

	vascend_wr64(vdev, VASCEND_REG_AQ_SQ_BASE_LO, VASCEND_REG_AQ_SQ_BASE_HI,
		     aq->sq_addr);
	vascend_wr64(vdev, VASCEND_REG_AQ_CQ_BASE_LO, VASCEND_REG_AQ_CQ_BASE_HI,
		     aq->cq_addr);
	vascend_wr32(vdev, VASCEND_REG_AQ_DEPTH, aq->depth);
	vascend_wr32(vdev, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE);

	ret = read_poll_timeout(vascend_rd32, status,
				status & (VASCEND_AQ_STATUS_READY |
					  VASCEND_AQ_STATUS_ERROR),
				10, VASCEND_ADMIN_READY_TIMEOUT_US, false, vdev,
				VASCEND_REG_AQ_STATUS);
	if (ret || !(status & VASCEND_AQ_STATUS_READY)) {
		dev_err(vascend_to_dev(vdev),
			"admin queue not enabled: AQ_STATUS 0x%08x\n", status);
		return -EIO;
	}

	spin_lock_irqsave(&aq->lock, flags);
	aq->hw_ready = true;
	spin_unlock_irqrestore(&aq->lock, flags);
	wake_up_all(&aq->wq);
	return 0;
}

/**
 * vascend_admin_close() - only the recovery worker may submit from now on
 * @vdev: the card
 */
void vascend_admin_close(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;

	spin_lock_irqsave(&aq->lock, flags);
	aq->open = false;
	spin_unlock_irqrestore(&aq->lock, flags);
}

/**
 * vascend_admin_abort_all() - the card is about to be reset: fail every
 *	command in flight and forget the rings
 * @vdev: the card
 *
 * Waiting callers get -EIO with status ABORTED; abandoned slots are freed.
 */
void vascend_admin_abort_all(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	struct vascend_admin_slot *slot;
	unsigned long flags;
	unsigned int tag;

	spin_lock_irqsave(&aq->lock, flags);
	aq->hw_ready = false;
	for_each_set_bit(tag, &aq->tags, VASCEND_ADMIN_TAGS) {
		slot = &aq->slots[tag];
		if (!slot->waiting)
			continue;
		memset(&slot->cqe, 0, sizeof(slot->cqe));
		slot->cqe.task_id = slot->task_id;
		slot->cqe.status = VASCEND_CQE_STATUS_ABORTED;
		slot->waiting = false;
		if (slot->abandoned)
			vascend_admin_free_tag_locked(aq, tag);
		else
			complete(&slot->done);
	}
	spin_unlock_irqrestore(&aq->lock, flags);
	wake_up_all(&aq->wq);
}

/**
 * vascend_admin_open() - every caller may submit again
 * @vdev: the card, admin queue enabled
 */
void vascend_admin_open(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;

	spin_lock_irqsave(&aq->lock, flags);
	aq->open = true;
	spin_unlock_irqrestore(&aq->lock, flags);
	wake_up_all(&aq->wq);
}

/**
 * vascend_admin_kill() - the card is gone or dead: every call fails now
 * @vdev: the card
 */
void vascend_admin_kill(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;

	spin_lock_irqsave(&aq->lock, flags);
	aq->dead = true;
	spin_unlock_irqrestore(&aq->lock, flags);
	vascend_admin_abort_all(vdev);
}

/**
 * vascend_admin_init() - allocate the rings and the query page
 * @vdev: the card
 *
 * The queue is enabled later, by vascend_admin_enable() once the firmware
 * runs, and opened by vascend_admin_open().
 *
 * Return: 0 or -ENOMEM.
 */
int vascend_admin_init(struct vascend_device *vdev)
{
	struct vascend_admin *aq = &vdev->admin;
	struct device *dev = vascend_to_dev(vdev);
	unsigned int i;

	spin_lock_init(&aq->lock);
	init_waitqueue_head(&aq->wq);
	mutex_init(&aq->query_lock);
	for (i = 0; i < VASCEND_ADMIN_TAGS; i++)
		init_completion(&aq->slots[i].done);
	aq->depth = VASCEND_ADMIN_DEPTH;

	aq->sq = dmam_alloc_coherent(dev, aq->depth * sizeof(*aq->sq),
				     &aq->sq_addr, GFP_KERNEL);
	aq->cq = dmam_alloc_coherent(dev, aq->depth * sizeof(*aq->cq),
				     &aq->cq_addr, GFP_KERNEL);
	aq->query_buf = dmam_alloc_coherent(dev, PAGE_SIZE, &aq->query_addr,
					    GFP_KERNEL);
	if (!aq->sq || !aq->cq || !aq->query_buf)
		return -ENOMEM;
	return 0;
}

/**
 * vascend_admin_fini() - the card was reset: stop using the queue
 * @vdev: the card
 *
 * The rings are device-managed memory, freed after remove().
 */
void vascend_admin_fini(struct vascend_device *vdev)
{
	vascend_admin_kill(vdev);
}
