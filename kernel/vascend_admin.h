/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The admin queue (queue 0): the driver's own channel to the card, brought
 * up in probe once the firmware runs, and again after every recovery.
 * Commands are tagged, so several callers may have one in flight at a time.
 */

#ifndef __VASCEND_ADMIN_H__
#define __VASCEND_ADMIN_H__

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/vascend_queue_hw.h>

struct vascend_device;

/* What most commands may take; the device answers in microseconds. */
#define VASCEND_ADMIN_TIMEOUT_MS	5000

/* Ring entries, and commands in flight at once (fewer: rings never fill). */
#define VASCEND_ADMIN_DEPTH		64
#define VASCEND_ADMIN_TAGS		32

/**
 * struct vascend_admin_slot - one command in flight
 * @done: completed when the CQE arrived, or the command was aborted
 * @cqe: the CQE (a made-up one with status ABORTED after an abort)
 * @task_id: the SQE's task_id, unique while the driver is bound
 * @waiting: submitted, no CQE yet
 * @abandoned: the caller gave up (timeout); the slot is freed when the
 *	CQE arrives or the card is reset
 */
struct vascend_admin_slot {
	struct completion done;
	struct vascend_cqe cqe;
	u32 task_id;
	bool waiting;
	bool abandoned;
};

/**
 * struct vascend_admin - the admin queue of one card
 * @lock: protects the ring indices, @tags, @slots, @next_id, @hw_ready,
 *	@open and @dead; taken in the admin interrupt
 * @wq: callers waiting for a free tag or for the queue to open
 * @sq: submission ring, @depth entries
 * @cq: completion ring, @depth entries
 * @sq_addr: bus address of @sq
 * @cq_addr: bus address of @cq
 * @depth: entries per ring
 * @sq_tail: next SQ slot the driver writes
 * @cq_head: next CQ slot the driver reads
 * @phase: the phase bit a new CQE at @cq_head carries
 * @next_id: last task_id handed out
 * @tags: bit n set: @slots[n] is in use
 * @slots: commands in flight
 * @hw_ready: the device has the rings (AQ_STATUS READY)
 * @open: callers other than the recovery worker may submit
 * @dead: the card is gone or could not be recovered: every call fails
 * @query_lock: serialises users of @query_buf
 * @query_buf: a page of coherent memory for IDENTIFY/TELEMETRY answers
 * @query_addr: its bus address
 */
struct vascend_admin {
	spinlock_t lock; /* Protects rings, tags, slots, next_id, hw_ready, open, dead */
	wait_queue_head_t wq;
	struct vascend_sqe *sq;
	struct vascend_cqe *cq;
	dma_addr_t sq_addr;
	dma_addr_t cq_addr;
	u32 depth;
	u32 sq_tail;
	u32 cq_head;
	u16 phase;
	u32 next_id;
	unsigned long tags;
	struct vascend_admin_slot slots[VASCEND_ADMIN_TAGS];
	bool hw_ready;
	bool open;
	bool dead;

	struct mutex query_lock; /* Protects query_buf */
	void *query_buf;
	dma_addr_t query_addr;
};

/**
 * vascend_admin_exec() - run one admin command and wait for its completion
 * @vdev: the card
 * @sqe: the command; its task_id is set here
 * @cqe_out: where the CQE is copied (also when the card refused); may be NULL
 * @timeout_ms: how long to wait for the CQE (VASCEND_ADMIN_TIMEOUT_MS)
 *
 * Sleeps uninterruptibly (it is used in release paths, where a killed
 * process still has its SIGKILL pending), for at most @timeout_ms plus the
 * time a recovery in progress takes: during a recovery the call waits for
 * it to finish (the recovery's own restore callbacks pass). A command in
 * flight when a recovery starts is aborted: -EIO with status ABORTED.
 * Recovery clients must therefore not take, in their prepare callback, a
 * lock held across this call.
 *
 * Return: 0 when the CQE status is SUCCESS; -EIO when the card refused
 * (*@cqe_out says why) or the command was aborted by a recovery;
 * -ETIMEDOUT (the card is then recovered: the admin queue is stuck);
 * -ENODEV when the card is gone or dead.
 */
int vascend_admin_exec(struct vascend_device *vdev, struct vascend_sqe *sqe,
		       struct vascend_cqe *cqe_out, unsigned int timeout_ms);

/**
 * vascend_admin_query() - run IDENTIFY, TELEMETRY or GET_OP_TABLE
 * @vdev: the card
 * @opcode: VASCEND_ADMIN_IDENTIFY, _TELEMETRY or _GET_OP_TABLE
 * @out: where the answer is copied
 * @size: bytes at @out, at most PAGE_SIZE
 *
 * Return: bytes of the whole answer (the CQE's result; may be more than
 * @size), or a negative errno as vascend_admin_exec().
 */
int vascend_admin_query(struct vascend_device *vdev, u8 opcode, void *out,
			size_t size);

int vascend_admin_init(struct vascend_device *vdev);
void vascend_admin_fini(struct vascend_device *vdev);
int vascend_admin_enable(struct vascend_device *vdev);
void vascend_admin_irq(struct vascend_device *vdev);
void vascend_admin_close(struct vascend_device *vdev);
void vascend_admin_abort_all(struct vascend_device *vdev);
void vascend_admin_open(struct vascend_device *vdev);
void vascend_admin_kill(struct vascend_device *vdev);
const char *vascend_cqe_status_name(u16 status);

#endif /* __VASCEND_ADMIN_H__ */
