/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: ring handling. SQEs are read from guest memory at
 * the head, CQEs written at the tail with the pass's phase bit, doorbells
 * checked against the ring before they move anything, and interrupts
 * raised subject to each queue's coalescing settings.
 */
#include <stddef.h>
#include <string.h>

#include "anpu.h"
#include "anpu_queue.h"
#include "vascend_hw.h"
#include "vascend_queue_hw.h"

#define CQE_FLAGS_OFF   offsetof(struct vascend_cqe, flags)

_Static_assert(sizeof(struct vascend_sqe) == VASCEND_SQE_SIZE, "SQE size");
_Static_assert(sizeof(struct vascend_cqe) == VASCEND_CQE_SIZE, "CQE size");

void anpu_queue_setup(struct anpu_queue *q, uint16_t qid, uint64_t sq_base,
                      uint64_t cq_base, uint32_t depth, uint16_t vector)
{
    memset(q, 0, sizeof(*q));
    q->exists = true;
    q->qid = qid;
    q->sq_base = sq_base;
    q->cq_base = cq_base;
    q->depth = depth;
    q->vector = vector;
    /* The first pass through the CQ writes phase 1. */
    q->cq_phase = true;
}

void anpu_queue_clear(struct anpu_queue *q)
{
    memset(q, 0, sizeof(*q));
}

static uint32_t ring_next(const struct anpu_queue *q, uint32_t idx)
{
    return (idx + 1) & (q->depth - 1);
}

bool anpu_queue_has_sqe(const struct anpu_queue *q)
{
    return q->exists && !q->stopped && !q->task && !q->cqe_pending &&
           q->sq_head != q->sq_tail;
}

bool anpu_queue_fetch(struct anpu *d, struct anpu_queue *q,
                      struct vascend_sqe *sqe)
{
    uint64_t addr = q->sq_base + (uint64_t)q->sq_head * VASCEND_SQE_SIZE;

    q->sq_head = ring_next(q, q->sq_head);
    if (d->ops->host_read(d->opaque, addr, sqe, sizeof(*sqe))) {
        memset(sqe, 0, sizeof(*sqe));
        anpu_guest_error(d, "queue %u: SQE at 0x%llx is not readable",
                         q->qid, (unsigned long long)addr);
        return false;
    }
    return true;
}

static bool cq_full(const struct anpu_queue *q)
{
    return ring_next(q, q->cq_tail) == q->cq_head;
}

/*
 * Write @cqe at the tail: the whole entry with the previous pass's phase
 * first, then the flags with this pass's, so a driver polling the phase
 * never sees a half-written entry.
 */
static bool post(struct anpu *d, struct anpu_queue *q,
                 struct vascend_cqe *cqe)
{
    uint64_t addr = q->cq_base + (uint64_t)q->cq_tail * VASCEND_CQE_SIZE;
    uint16_t flags;

    if (cq_full(q)) {
        return false;
    }
    flags = (cqe->flags & ~VASCEND_CQE_F_PHASE) |
            (q->cq_phase ? VASCEND_CQE_F_PHASE : 0);
    cqe->flags = flags ^ VASCEND_CQE_F_PHASE;
    if (d->ops->host_write(d->opaque, addr, cqe, sizeof(*cqe)) ||
        d->ops->host_write(d->opaque, addr + CQE_FLAGS_OFF, &flags,
                           sizeof(flags))) {
        anpu_guest_error(d, "queue %u: CQ slot at 0x%llx is not writable: "
                         "completion of task %u lost", q->qid,
                         (unsigned long long)addr, cqe->task_id);
    }
    cqe->flags = flags;
    q->cq_tail = ring_next(q, q->cq_tail);
    if (q->cq_tail == 0) {
        q->cq_phase = !q->cq_phase;
    }
    return true;
}

static void fire(struct anpu *d, struct anpu_queue *q)
{
    q->co_waiting = 0;
    q->co_deadline = 0;
    d->ops->raise_irq(d->opaque, q->vector);
}

/* A CQE was posted on @q: interrupt now or let coalescing hold it. */
static void signal_cqe(struct anpu *d, struct anpu_queue *q, bool now)
{
    if (q->qid == 0) {
        anpu_raise(d, VASCEND_IRQ_ADMIN_CQ, VASCEND_MSIX_VEC_ADMIN);
        return;
    }
    q->co_waiting++;
    if (now || (!q->co_count && !q->co_usecs) ||
        (q->co_count && q->co_waiting >= q->co_count)) {
        fire(d, q);
        return;
    }
    if (q->co_usecs && !q->co_deadline) {
        q->co_deadline = anpu_now(d) + (uint64_t)q->co_usecs * 1000;
    }
}

void anpu_queue_complete(struct anpu *d, struct anpu_queue *q,
                         const struct vascend_sqe *sqe, uint64_t start_ts,
                         uint16_t status, uint32_t info, uint64_t result)
{
    struct vascend_cqe cqe;
    bool now;

    memset(&cqe, 0, sizeof(cqe));
    cqe.task_id = sqe->task_id;
    cqe.status = status;
    cqe.sq_id = q->qid;
    cqe.sq_head = q->sq_head;
    cqe.info = info;
    cqe.result = result;
    cqe.start_ts = start_ts;
    cqe.end_ts = anpu_now(d);
    if (status && q->qid) {
        /* Malformed admin commands never stop the admin queue. */
        q->stopped = true;
        cqe.flags |= VASCEND_CQE_F_QUEUE_STOPPED;
    }
    /* Errors and notifications interrupt at once (device choice). */
    now = (sqe->flags & VASCEND_SQE_F_IRQ_NOW) || status ||
          (q->qid && sqe->opcode == VASCEND_OP_NOTIFY);
    d->tele.tasks_completed++;
    if (status == VASCEND_CQE_STATUS_MMU_FAULT) {
        d->tele.faults++;
    }
    if (q->qid) {
        anpu_trace(d, ANPU_TRACE_TASK, q->qid, sqe->opcode, sqe->task_id,
                   status, result, 0, NULL);
    }
    if (!post(d, q, &cqe)) {
        q->pending = cqe;
        q->cqe_pending = true;
        q->cqe_pending_irq = now;
        return;
    }
    signal_cqe(d, q, now);
}

bool anpu_queue_flush_pending(struct anpu *d, struct anpu_queue *q)
{
    if (!q->cqe_pending) {
        return true;
    }
    if (!post(d, q, &q->pending)) {
        return false;
    }
    q->cqe_pending = false;
    signal_cqe(d, q, q->cqe_pending_irq);
    return true;
}

bool anpu_queue_idle(const struct anpu *d, const struct anpu_queue *q)
{
    if (q->task && q->task->state == ANPU_TASK_RUNNING) {
        /* Its completion is on the way. */
        return false;
    }
    return q->task || q->cqe_pending || q->stopped ||
           q->sq_head == q->sq_tail ||
           d->fw_status != VASCEND_FW_STATUS_RUNNING || d->ecc_stopped;
}

void anpu_queue_idle_flush(struct anpu *d, struct anpu_queue *q)
{
    /*
     * Count-only coalescing (no time limit) would hold the last CQEs of a
     * burst forever: signal them once the queue has nothing left to do.
     */
    if (q->co_waiting && q->co_count && !q->co_usecs &&
        anpu_queue_idle(d, q)) {
        fire(d, q);
    }
}

uint64_t anpu_queue_timers(struct anpu *d, uint64_t now)
{
    uint64_t next = 0;
    unsigned int i;
    struct anpu_queue *q;

    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (!q->exists || !q->co_deadline) {
            continue;
        }
        if (q->co_deadline <= now) {
            if (q->co_waiting) {
                fire(d, q);
            }
            q->co_deadline = 0;
        } else if (!next || q->co_deadline < next) {
            next = q->co_deadline;
        }
    }
    return next;
}

void anpu_queue_db_write(struct anpu *d, unsigned int qid, uint64_t off,
                         uint32_t val)
{
    struct anpu_queue *q = &d->queues[qid];
    uint32_t mask;

    if (!q->exists) {
        anpu_guest_error(d, "doorbell 0x%llx of queue %u, which does not "
                         "exist: 0x%x ignored", (unsigned long long)off, qid,
                         val);
        return;
    }
    mask = q->depth - 1;
    switch (off) {
    case VASCEND_DB_SQ_TAIL:
        if (val >= q->depth) {
            anpu_guest_error(d, "queue %u: SQ tail %u is outside the %u "
                             "entry ring: ignored", qid, val, q->depth);
            return;
        }
        q->sq_tail = val;
        break;
    case VASCEND_DB_CQ_HEAD:
        if (val >= q->depth) {
            anpu_guest_error(d, "queue %u: CQ head %u is outside the %u "
                             "entry ring: ignored", qid, val, q->depth);
            return;
        }
        /* The head may only move over entries the device has posted. */
        if (((val - q->cq_head) & mask) > ((q->cq_tail - q->cq_head) & mask)) {
            anpu_guest_error(d, "queue %u: CQ head %u passes the tail %u "
                             "(head was %u): ignored", qid, val, q->cq_tail,
                             q->cq_head);
            return;
        }
        q->cq_head = val;
        break;
    default:
        anpu_guest_error(d, "write 0x%x to reserved offset 0x%llx of queue "
                         "%u's doorbell page: ignored", val,
                         (unsigned long long)off, qid);
        break;
    }
}

uint32_t anpu_queue_db_read(struct anpu *d, unsigned int qid, uint64_t off)
{
    struct anpu_queue *q = &d->queues[qid];

    if (!q->exists) {
        return 0;
    }
    switch (off) {
    case VASCEND_DB_SQ_TAIL:
        return q->sq_tail;
    case VASCEND_DB_CQ_HEAD:
        return q->cq_head;
    default:
        return 0;
    }
}
