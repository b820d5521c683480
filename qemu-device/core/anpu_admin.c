/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the admin queue and its commands. Admin
 * addresses are bus addresses (no MMU). A malformed command completes with
 * an error status and the queue goes on. Commands that take queues or
 * contexts away (or change what their page tables mean) first wait for the
 * jobs those queues have out: the guest may free the memory the moment the
 * command completes, so nothing may write it afterwards.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_admin.h"
#include "anpu_ctx.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_queue.h"
#include "anpu_telemetry.h"
#include "vascend_hw.h"
#include "vascend_mmu_hw.h"
#include "vascend_queue_hw.h"

#define RING_ALIGN      4096ULL
#define CLOCK_HZ        1000000000ULL

/* An admin command's result; stalled: run it again later. */
struct adm {
    uint16_t status;
    uint64_t result;
    bool stalled;
};

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

static bool depth_ok(uint32_t depth)
{
    return depth >= 2 && depth <= ANPU_MAX_QUEUE_DEPTH && is_pow2(depth);
}

/* A ring of @depth entries at @base: aligned, and not wrapping 2^64. */
static bool ring_ok(uint64_t base, uint32_t depth)
{
    uint64_t bytes = (uint64_t)depth * VASCEND_SQE_SIZE;

    return !(base & (RING_ALIGN - 1)) && bytes - 1 <= UINT64_MAX - base;
}

void anpu_admin_ctrl_write(struct anpu *d, uint32_t val)
{
    if (val & ~VASCEND_AQ_CTRL_ENABLE) {
        anpu_guest_error(d, "AQ_CTRL 0x%08x has reserved bits set: ignored",
                         val);
        return;
    }
    if (d->reset_pending || d->aq_disable_pending) {
        anpu_guest_error(d, "AQ_CTRL written while the device resets: "
                         "ignored");
        return;
    }
    d->aq_ctrl = val;
    if (!(val & VASCEND_AQ_CTRL_ENABLE)) {
        if (d->aq_status & VASCEND_AQ_STATUS_READY) {
            /* Takes effect once every job is back: anpu_admin_process(). */
            d->aq_disable_pending = true;
            d->io_frozen = true;
            d->ops->kick(d->opaque);
        } else {
            d->aq_status = 0;
        }
        return;
    }
    if (d->aq_status & VASCEND_AQ_STATUS_READY) {
        return;
    }
    if (!depth_ok(d->aq_depth) || !ring_ok(d->aq_sq_base, d->aq_depth) ||
        !ring_ok(d->aq_cq_base, d->aq_depth)) {
        anpu_guest_error(d, "admin queue not enabled: SQ 0x%llx CQ 0x%llx "
                         "depth %u (bases 4 KiB aligned, depth a power of "
                         "two 2..%u)", (unsigned long long)d->aq_sq_base,
                         (unsigned long long)d->aq_cq_base, d->aq_depth,
                         ANPU_MAX_QUEUE_DEPTH);
        d->aq_status = VASCEND_AQ_STATUS_ERROR;
        return;
    }
    anpu_queue_setup(&d->queues[0], 0, d->aq_sq_base, d->aq_cq_base,
                     d->aq_depth, VASCEND_MSIX_VEC_ADMIN);
    d->aq_status = VASCEND_AQ_STATUS_READY;
}

void anpu_admin_identify(struct anpu *d, struct vascend_identify *id)
{
    memset(id, 0, sizeof(*id));
    id->hw_version = VASCEND_HW_VERSION(VASCEND_HW_VERSION_MAJOR,
                                        VASCEND_HW_VERSION_MINOR);
    id->fw_version = d->fw_status == VASCEND_FW_STATUS_RUNNING ?
                     d->fw_version : 0;
    id->caps = (uint64_t)anpu_reg_read(d, VASCEND_REG_CAPS_LO) |
               (uint64_t)anpu_reg_read(d, VASCEND_REG_CAPS_HI) << 32;
    id->hbm_size = d->cfg.hbm_size;
    id->aicore_count = d->cfg.aicores;
    id->max_queues = ANPU_MAX_QUEUES;
    id->max_queue_depth = ANPU_MAX_QUEUE_DEPTH;
    id->max_contexts = ANPU_MAX_CONTEXTS;
    id->msix_count = d->cfg.msix_vectors;
    id->op_count = d->op_count;
    id->hdc_service_count = d->hdc_service_count;
    id->page_sizes = VASCEND_PAGE_SIZE | VASCEND_LARGE_PAGE_SIZE;
    id->clock_hz = CLOCK_HZ;
    memcpy(id->soc_name, d->cfg.soc_name, sizeof(id->soc_name));
    memcpy(id->fw_build_info, d->fw_build_info, sizeof(id->fw_build_info));
}

/* Write @len bytes of an answer, cut to what the command has room for. */
static void answer(struct anpu *d, const struct vascend_sqe *sqe,
                   const void *buf, uint32_t len, struct adm *r)
{
    uint32_t n = len < sqe->u.query.size ? len : sqe->u.query.size;

    if (!anpu_sqe_unused_zero(sqe, 16) || sqe->u.query.rsvd) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    if (n && d->ops->host_write(d->opaque, sqe->u.query.addr, buf, n)) {
        anpu_guest_error(d, "admin: answer of command 0x%02x to 0x%llx is "
                         "not writable", sqe->opcode,
                         (unsigned long long)sqe->u.query.addr);
        r->status = VASCEND_CQE_STATUS_DMA_ERROR;
        return;
    }
    r->result = len;
}

static void cmd_get_op_table(struct anpu *d, const struct vascend_sqe *sqe,
                             struct adm *r)
{
    struct vascend_op_entry *t = NULL;
    uint32_t i;

    if (d->op_count) {
        t = calloc(d->op_count, sizeof(*t));
        if (!t) {
            r->status = VASCEND_CQE_STATUS_BUSY;
            return;
        }
    }
    for (i = 0; i < d->op_count; i++) {
        t[i].op_id = d->op_table[i].op_id;
        t[i].version = d->op_table[i].version;
        memcpy(t[i].name, d->op_table[i].name, sizeof(t[i].name));
    }
    answer(d, sqe, t, d->op_count * sizeof(*t), r);
    free(t);
}

static void cmd_create_context(struct anpu *d, const struct vascend_sqe *sqe,
                               struct adm *r)
{
    uint32_t id = sqe->u.context.ctx_id;

    if (!anpu_sqe_unused_zero(sqe, 16) || sqe->u.context.flags ||
        !anpu_mmu_root_valid(sqe->u.context.pt_root)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
    } else if (id == 0 || id >= ANPU_MAX_CONTEXTS || anpu_ctx_get(d, id)) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
    } else if (!anpu_ctx_create(d, id, sqe->u.context.pt_root)) {
        r->status = VASCEND_CQE_STATUS_BUSY;
    }
}

static void cmd_delete_context(struct anpu *d, const struct vascend_sqe *sqe,
                               struct adm *r)
{
    struct anpu_ctx *c = anpu_ctx_get(d, sqe->u.context.ctx_id);

    if (!anpu_sqe_unused_zero(sqe, 8) || sqe->u.context.flags) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
    } else if (!c) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
    } else if (c->nqueues) {
        r->status = VASCEND_CQE_STATUS_BUSY;
    } else {
        anpu_ctx_delete(d, c->id);
    }
}

static struct anpu_queue *io_queue(struct anpu *d, uint32_t qid)
{
    if (qid == 0 || qid >= ANPU_MAX_QUEUES || !d->queues[qid].exists) {
        return NULL;
    }
    return &d->queues[qid];
}

static void cmd_create_queue(struct anpu *d, const struct vascend_sqe *sqe,
                             struct adm *r)
{
    uint16_t qid = sqe->u.queue.qid;
    uint32_t depth = sqe->u.queue.depth;
    struct anpu_queue *q;
    struct anpu_ctx *c;

    if (!anpu_sqe_unused_zero(sqe, 32)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    if (qid == 0 || qid >= ANPU_MAX_QUEUES || d->queues[qid].exists) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
        return;
    }
    if (!depth_ok(depth) || !ring_ok(sqe->u.queue.sq_base, depth) ||
        !ring_ok(sqe->u.queue.cq_base, depth) ||
        sqe->u.queue.vector >= d->cfg.msix_vectors) {
        anpu_guest_error(d, "admin: CREATE_QUEUE %u refused: SQ 0x%llx CQ "
                         "0x%llx depth %u vector %u", qid,
                         (unsigned long long)sqe->u.queue.sq_base,
                         (unsigned long long)sqe->u.queue.cq_base, depth,
                         sqe->u.queue.vector);
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    c = anpu_ctx_get(d, sqe->u.queue.ctx_id);
    if (!c) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
        return;
    }
    q = &d->queues[qid];
    anpu_queue_setup(q, qid, sqe->u.queue.sq_base, sqe->u.queue.cq_base,
                     depth, sqe->u.queue.vector);
    q->ctx = c;
    q->co_count = sqe->u.queue.coalesce_count;
    q->co_usecs = sqe->u.queue.coalesce_usecs;
    c->nqueues++;
    d->io_queues++;
    anpu_trace(d, ANPU_TRACE_QUEUE_CREATE, qid, c->id, depth,
               sqe->u.queue.vector, 0, 0, NULL);
}

static void delete_queue(struct anpu *d, struct anpu_queue *q)
{
    anpu_trace(d, ANPU_TRACE_QUEUE_DELETE, q->qid, 0, 0, 0, 0, 0, NULL);
    q->ctx->nqueues--;
    d->io_queues--;
    anpu_queue_clear(q);
}

static void cmd_delete_queue(struct anpu *d, const struct vascend_sqe *sqe,
                             struct adm *r)
{
    struct anpu_queue *q = io_queue(d, sqe->u.queue.qid);

    if (!anpu_sqe_unused_zero(sqe, 2)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
    } else if (!q) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
    } else if (!anpu_exec_abort(d, q, ANPU_ABORT_DROP)) {
        r->stalled = true;
    } else {
        delete_queue(d, q);
    }
}

/* Drop the SQEs @q has not started and let it run again. */
static uint32_t restart_queue(struct anpu_queue *q)
{
    uint32_t dropped = (q->sq_tail - q->sq_head) & (q->depth - 1);

    q->sq_head = q->sq_tail;
    q->stopped = false;
    return dropped;
}

static void cmd_reset_queue(struct anpu *d, const struct vascend_sqe *sqe,
                            struct adm *r)
{
    struct anpu_queue *q = io_queue(d, sqe->u.queue.qid);

    if (!anpu_sqe_unused_zero(sqe, 2)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
    } else if (!q) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
    } else if (!anpu_exec_abort(d, q, VASCEND_CQE_STATUS_ABORTED)) {
        r->stalled = true;
    } else {
        r->result = restart_queue(q);
    }
}

static void cmd_reset_context(struct anpu *d, const struct vascend_sqe *sqe,
                              struct adm *r)
{
    struct anpu_ctx *c = anpu_ctx_get(d, sqe->u.context.ctx_id);
    struct anpu_queue *q;
    unsigned int i;

    if (!anpu_sqe_unused_zero(sqe, 8) || sqe->u.context.flags) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    if (!c) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
        return;
    }
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (q->exists && q->ctx == c &&
            !anpu_exec_abort(d, q, VASCEND_CQE_STATUS_ABORTED)) {
            r->stalled = true;
        }
    }
    if (r->stalled) {
        return;
    }
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (q->exists && q->ctx == c) {
            r->result += restart_queue(q);
        }
    }
    anpu_ctx_invalidate(d, c, 0, 0);
}

static void cmd_tlb_invalidate(struct anpu *d, struct anpu_task *self,
                               const struct vascend_sqe *sqe, struct adm *r)
{
    struct anpu_ctx *c = anpu_ctx_get(d, sqe->u.tlb.ctx_id);
    uint64_t va = sqe->u.tlb.va, size = sqe->u.tlb.size;
    struct anpu_queue *q;
    unsigned int i;

    if (!anpu_sqe_unused_zero(sqe, 24) || sqe->u.tlb.rsvd ||
        (size && size - 1 > UINT64_MAX - va)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    if (!c) {
        r->status = VASCEND_CQE_STATUS_INVALID_ID;
        return;
    }
    if (!self->barrier) {
        anpu_ctx_invalidate(d, c, va, size);
        self->barrier = d->task_seq + 1;
    }
    /*
     * Jobs running now use translations made before: the command completes
     * once they are done, so the driver may then reuse the old pages. Tasks
     * started since translated afresh and are not waited for.
     */
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (q->exists && q->ctx == c && q->task && q->task->jobs_out &&
            q->task->seq < self->barrier) {
            r->stalled = true;
        }
    }
}

static void cmd_device_reset(struct anpu *d, const struct vascend_sqe *sqe,
                             struct adm *r)
{
    unsigned int i;

    if (!anpu_sqe_unused_zero(sqe, 0)) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    d->io_frozen = true;
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].exists &&
            !anpu_exec_abort(d, &d->queues[i], ANPU_ABORT_DROP)) {
            r->stalled = true;
        }
    }
    if (r->stalled) {
        return;
    }
    anpu_admin_drop_all(d);
    d->ecc_stopped = false;
    d->fatal_status &= ~VASCEND_FATAL_ECC;
    d->io_frozen = false;
    anpu_log_event(d, "device reset by admin command");
}

static void cmd_telemetry(struct anpu *d, const struct vascend_sqe *sqe,
                          struct adm *r)
{
    struct vascend_telemetry t;

    anpu_tele_sample(d, &t);
    answer(d, sqe, &t, sizeof(t), r);
}

static void cmd_identify(struct anpu *d, const struct vascend_sqe *sqe,
                         struct adm *r)
{
    struct vascend_identify id;

    anpu_admin_identify(d, &id);
    answer(d, sqe, &id, sizeof(id), r);
}

static void run_command(struct anpu *d, struct anpu_task *self,
                        struct adm *r)
{
    const struct vascend_sqe *sqe = &self->sqe;
    uint8_t op = sqe->opcode;

    if (op < VASCEND_ADMIN_IDENTIFY || op > VASCEND_ADMIN_HDC_TEARDOWN) {
        anpu_guest_error(d, "admin: command %u has unknown opcode 0x%02x",
                         sqe->task_id, op);
        r->status = VASCEND_CQE_STATUS_INVALID_OPCODE;
        return;
    }
    if ((sqe->flags & ~VASCEND_SQE_F_VALID_MASK) || sqe->rsvd0) {
        r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        return;
    }
    if (d->fw_status != VASCEND_FW_STATUS_RUNNING &&
        op != VASCEND_ADMIN_IDENTIFY && op != VASCEND_ADMIN_FW_STATUS) {
        r->status = VASCEND_CQE_STATUS_NOT_BOOTED;
        return;
    }
    switch (op) {
    case VASCEND_ADMIN_IDENTIFY:
        cmd_identify(d, sqe, r);
        break;
    case VASCEND_ADMIN_FW_STATUS:
        if (!anpu_sqe_unused_zero(sqe, 0)) {
            r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        } else {
            r->result = d->fw_status;
        }
        break;
    case VASCEND_ADMIN_CREATE_CONTEXT:
        cmd_create_context(d, sqe, r);
        break;
    case VASCEND_ADMIN_DELETE_CONTEXT:
        cmd_delete_context(d, sqe, r);
        break;
    case VASCEND_ADMIN_CREATE_QUEUE:
        cmd_create_queue(d, sqe, r);
        break;
    case VASCEND_ADMIN_DELETE_QUEUE:
        cmd_delete_queue(d, sqe, r);
        break;
    case VASCEND_ADMIN_RESET_QUEUE:
        cmd_reset_queue(d, sqe, r);
        break;
    case VASCEND_ADMIN_RESET_CONTEXT:
        cmd_reset_context(d, sqe, r);
        break;
    case VASCEND_ADMIN_TLB_INVALIDATE:
        cmd_tlb_invalidate(d, self, sqe, r);
        break;
    case VASCEND_ADMIN_DEVICE_RESET:
        cmd_device_reset(d, sqe, r);
        break;
    case VASCEND_ADMIN_TELEMETRY:
        cmd_telemetry(d, sqe, r);
        break;
    case VASCEND_ADMIN_GET_OP_TABLE:
        cmd_get_op_table(d, sqe, r);
        break;
    case VASCEND_ADMIN_HDC_SETUP:
        if (!anpu_sqe_unused_zero(sqe, 40)) {
            r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        } else {
            r->status = anpu_hdc_setup(&d->hdc, sqe);
        }
        break;
    default:
        if (!anpu_sqe_unused_zero(sqe, 0)) {
            r->status = VASCEND_CQE_STATUS_INVALID_FIELD;
        } else {
            r->status = anpu_hdc_teardown(&d->hdc);
        }
        break;
    }
}

void anpu_admin_drop_all(struct anpu *d)
{
    struct anpu_queue *q;
    unsigned int i;

    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (!q->exists) {
            continue;
        }
        anpu_exec_abort(d, q, 0);
        delete_queue(d, q);
    }
    anpu_ctx_delete_all(d);
    /* HDC goes down; the running firmware's services stay offered. */
    anpu_hdc_reset(&d->hdc);
    anpu_hdc_set_services(&d->hdc, d->hdc_services, d->hdc_service_count);
}

/* AQ_CTRL.ENABLE was cleared: true once done. */
static bool disable(struct anpu *d)
{
    unsigned int i;

    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].exists) {
            anpu_exec_abort(d, &d->queues[i], ANPU_ABORT_DROP);
        }
    }
    if (d->jobs_out) {
        return false;
    }
    anpu_admin_drop_all(d);
    anpu_exec_abort(d, &d->queues[0], 0);
    anpu_queue_clear(&d->queues[0]);
    d->aq_status = 0;
    d->aq_disable_pending = false;
    d->io_frozen = false;
    return true;
}

/* Run (or re-run) the admin command held in @t; true when it completed. */
static bool run_held(struct anpu *d, struct anpu_queue *q)
{
    struct anpu_task *t = q->task;
    struct adm r = { 0 };

    run_command(d, t, &r);
    if (r.stalled) {
        return false;
    }
    anpu_trace(d, ANPU_TRACE_ADMIN, t->sqe.opcode, t->sqe.task_id, r.status,
               0, r.result, 0, NULL);
    anpu_queue_complete(d, q, &t->sqe, t->start_ts, r.status, 0, r.result);
    q->task = NULL;
    t->q = NULL;
    anpu_task_put(d, t);
    return true;
}

bool anpu_admin_process(struct anpu *d)
{
    struct anpu_queue *q = &d->queues[0];
    struct anpu_task *t;
    unsigned int budget;

    if (d->aq_disable_pending) {
        disable(d);
        return false;
    }
    if (!(d->aq_status & VASCEND_AQ_STATUS_READY)) {
        return false;
    }
    for (budget = ANPU_SQE_BUDGET; budget; budget--) {
        if (!anpu_queue_flush_pending(d, q)) {
            return false;
        }
        if (q->task && !run_held(d, q)) {
            return false;
        }
        if (q->sq_head == q->sq_tail || q->cqe_pending) {
            return false;
        }
        t = calloc(1, sizeof(*t));
        if (!t) {
            return true;
        }
        t->d = d;
        t->q = q;
        t->refs = 1;
        t->state = ANPU_TASK_STALLED;
        t->start_ts = anpu_now(d);
        q->task = t;
        if (!anpu_queue_fetch(d, q, &t->sqe)) {
            anpu_queue_complete(d, q, &t->sqe, t->start_ts,
                                VASCEND_CQE_STATUS_DMA_ERROR, 0, 0);
            q->task = NULL;
            t->q = NULL;
            anpu_task_put(d, t);
        }
    }
    return q->task || q->sq_head != q->sq_tail;
}
