/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: IO task execution. Every SQE is checked in full
 * (opcode, flags, reserved and unused words, per-opcode values) before it
 * does anything; every address it names goes through the queue's context
 * MMU. A failure completes the task with an error CQE and stops the queue.
 */
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_fault.h"
#include "anpu_job.h"
#include "anpu_model.h"
#include "vascend_hw.h"
#include "vascend_queue_hw.h"

/* What a task handler decided. */
struct outcome {
    uint16_t status;
    uint32_t info;
    uint64_t result;
};

static bool fail(struct outcome *o, uint16_t status)
{
    o->status = status;
    return true;
}

static bool mmu_fail(struct outcome *o, const struct anpu_mmu_fault *f)
{
    o->status = VASCEND_CQE_STATUS_MMU_FAULT;
    o->result = f->va;
    o->info = anpu_mmu_fault_info(f);
    return true;
}

bool anpu_sqe_unused_zero(const struct vascend_sqe *sqe, size_t from)
{
    const uint8_t *p = (const uint8_t *)&sqe->u;
    size_t i;

    for (i = from; i < sizeof(sqe->u); i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

static void put_le64(uint8_t *p, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static struct anpu_task *task_new(struct anpu *d, struct anpu_queue *q,
                                  const struct vascend_sqe *sqe,
                                  uint64_t start_ts,
                                  enum anpu_task_state state)
{
    struct anpu_task *t = calloc(1, sizeof(*t));

    if (!t) {
        return NULL;
    }
    t->d = d;
    t->q = q;
    t->sqe = *sqe;
    t->start_ts = start_ts;
    t->state = state;
    t->refs = 1;
    t->seq = ++d->task_seq;
    q->task = t;
    return t;
}

void anpu_task_put(struct anpu *d, struct anpu_task *task)
{
    unsigned int i;

    if (--task->refs) {
        return;
    }
    for (i = 0; i < task->nxl; i++) {
        anpu_mmu_release(&d->mmu_env, &task->xl[i]);
    }
    if (task->launch) {
        anpu_engine_free(d, task->launch);
    }
    if (task->mexec) {
        anpu_model_exec_free(d, task->mexec);
    }
    free(task);
}

/* Complete the task on its queue (which drops the queue's reference). */
static void task_complete(struct anpu *d, struct anpu_task *task,
                          uint16_t status, uint32_t info, uint64_t result)
{
    struct anpu_queue *q = task->q;
    uint8_t op = task->sqe.opcode;

    q->task = NULL;
    task->q = NULL;
    if (status == VASCEND_CQE_STATUS_MMU_FAULT) {
        anpu_trace(d, ANPU_TRACE_MMU_FAULT, q->qid, info, 0, 0, result, 0,
                   NULL);
    }
    anpu_queue_complete(d, q, &task->sqe, task->start_ts, status, info,
                        result);
    anpu_task_put(d, task);
    if (!status && (op == VASCEND_OP_EVENT_RECORD ||
                    op == VASCEND_OP_NOTIFY)) {
        d->wait_recheck = true;
    }
}

void anpu_exec_submit(struct anpu *d, struct anpu_task *task,
                      struct anpu_job *job)
{
    job->task = task;
    task->refs++;
    task->jobs_out++;
    d->jobs_out++;
    d->ops->submit_job(d->opaque, job);
}

bool anpu_exec_submit_new(struct anpu *d, struct anpu_task *task,
                          enum anpu_job_kind kind, uint32_t core)
{
    struct anpu_job *job = calloc(1, sizeof(*job));

    if (!job) {
        return false;
    }
    job->kind = kind;
    job->core = core;
    anpu_exec_submit(d, task, job);
    return true;
}

static uint16_t check_len(uint64_t len)
{
    if (len == 0) {
        return VASCEND_CQE_STATUS_INVALID_FIELD;
    }
    if (len > VASCEND_MAX_XFER_LEN) {
        return VASCEND_CQE_STATUS_TOO_LARGE;
    }
    return 0;
}

static bool run_memcpy(struct anpu *d, struct anpu_queue *q,
                       const struct vascend_sqe *sqe, uint64_t start,
                       struct outcome *o)
{
    uint64_t src = sqe->u.memcpy.src, dst = sqe->u.memcpy.dst;
    uint64_t len = sqe->u.memcpy.len;
    struct anpu_xlate xs, xd;
    struct anpu_mmu_fault f;
    struct anpu_task *t;
    uint16_t st;

    if (!anpu_sqe_unused_zero(sqe, 24)) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    st = check_len(len);
    if (st) {
        return fail(o, st);
    }
    /* Overlapping ranges of one address space are refused. */
    if (src < dst + len && dst < src + len &&
        src + len > src && dst + len > dst) {
        anpu_guest_error(d, "queue %u: MEMCPY 0x%llx -> 0x%llx (%llu bytes) "
                         "overlaps", q->qid, (unsigned long long)src,
                         (unsigned long long)dst, (unsigned long long)len);
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    if (anpu_mmu_translate(&q->ctx->mmu, &d->mmu_env, src, len,
                           ANPU_ACCESS_READ, &xs, &f)) {
        return mmu_fail(o, &f);
    }
    if (anpu_mmu_translate(&q->ctx->mmu, &d->mmu_env, dst, len,
                           ANPU_ACCESS_WRITE, &xd, &f)) {
        anpu_mmu_release(&d->mmu_env, &xs);
        return mmu_fail(o, &f);
    }
    if (anpu_fault_take(d, VASCEND_FAULT_DMA_ERROR)) {
        anpu_mmu_release(&d->mmu_env, &xs);
        anpu_mmu_release(&d->mmu_env, &xd);
        return fail(o, VASCEND_CQE_STATUS_DMA_ERROR);
    }
    t = task_new(d, q, sqe, start, ANPU_TASK_RUNNING);
    if (!t) {
        anpu_mmu_release(&d->mmu_env, &xs);
        anpu_mmu_release(&d->mmu_env, &xd);
        return fail(o, VASCEND_CQE_STATUS_BUSY);
    }
    t->xl[0] = xs;
    t->xl[1] = xd;
    t->nxl = 2;
    if (!anpu_exec_submit_new(d, t, ANPU_JOB_COPY, 0)) {
        task_complete(d, t, VASCEND_CQE_STATUS_BUSY, 0, 0);
    }
    return false;
}

static bool run_memset(struct anpu *d, struct anpu_queue *q,
                       const struct vascend_sqe *sqe, uint64_t start,
                       struct outcome *o)
{
    struct anpu_xlate xd;
    struct anpu_mmu_fault f;
    struct anpu_task *t;
    uint16_t st;

    if (!anpu_sqe_unused_zero(sqe, 24) || sqe->u.memset.rsvd ||
        (sqe->u.memset.value & ~0xffU)) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    st = check_len(sqe->u.memset.len);
    if (st) {
        return fail(o, st);
    }
    if (anpu_mmu_translate(&q->ctx->mmu, &d->mmu_env, sqe->u.memset.dst,
                           sqe->u.memset.len, ANPU_ACCESS_WRITE, &xd, &f)) {
        return mmu_fail(o, &f);
    }
    if (anpu_fault_take(d, VASCEND_FAULT_DMA_ERROR)) {
        anpu_mmu_release(&d->mmu_env, &xd);
        return fail(o, VASCEND_CQE_STATUS_DMA_ERROR);
    }
    t = task_new(d, q, sqe, start, ANPU_TASK_RUNNING);
    if (!t) {
        anpu_mmu_release(&d->mmu_env, &xd);
        return fail(o, VASCEND_CQE_STATUS_BUSY);
    }
    t->xl[0] = xd;
    t->nxl = 1;
    if (!anpu_exec_submit_new(d, t, ANPU_JOB_FILL, 0)) {
        task_complete(d, t, VASCEND_CQE_STATUS_BUSY, 0, 0);
    }
    return false;
}

static bool run_record(struct anpu *d, struct anpu_queue *q,
                       const struct vascend_sqe *sqe, struct outcome *o)
{
    uint8_t slot[sizeof(struct vascend_event_slot)];
    struct anpu_mmu_fault f;
    uint64_t now = anpu_now(d);

    if (!anpu_sqe_unused_zero(sqe, 16) || (sqe->u.event.addr & 15)) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    put_le64(slot, sqe->u.event.value);
    put_le64(slot + 8, now);
    if (anpu_mmu_write(&q->ctx->mmu, &d->mmu_env, sqe->u.event.addr, slot,
                       sizeof(slot), &f)) {
        return mmu_fail(o, &f);
    }
    o->result = now;
    return true;
}

static bool run_notify(struct anpu *d, struct anpu_queue *q,
                       const struct vascend_sqe *sqe, struct outcome *o)
{
    uint8_t v[8];
    struct anpu_mmu_fault f;

    if (!anpu_sqe_unused_zero(sqe, 16) || (sqe->u.event.addr & 7)) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    put_le64(v, sqe->u.event.value);
    if (anpu_mmu_write(&q->ctx->mmu, &d->mmu_env, sqe->u.event.addr, v,
                       sizeof(v), &f)) {
        return mmu_fail(o, &f);
    }
    return true;
}

/*
 * Look at an EVENT_WAIT's value: true when the wait is over (reached, or
 * the read faulted), with @o set.
 */
static bool wait_done(struct anpu *d, struct anpu_queue *q,
                      const struct vascend_sqe *sqe, struct outcome *o)
{
    uint8_t v[8];
    struct anpu_mmu_fault f;
    uint64_t val;

    if (anpu_mmu_read(&q->ctx->mmu, &d->mmu_env, sqe->u.event.addr, v,
                      sizeof(v), &f)) {
        return mmu_fail(o, &f);
    }
    val = get_le64(v);
    if (val < sqe->u.event.value) {
        return false;
    }
    o->result = val;
    return true;
}

static bool run_wait(struct anpu *d, struct anpu_queue *q,
                     const struct vascend_sqe *sqe, uint64_t start,
                     struct outcome *o)
{
    if (!anpu_sqe_unused_zero(sqe, 16) || (sqe->u.event.addr & 7)) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    if (wait_done(d, q, sqe, o)) {
        return true;
    }
    if (!task_new(d, q, sqe, start, ANPU_TASK_PARKED)) {
        return fail(o, VASCEND_CQE_STATUS_BUSY);
    }
    return false;
}

static const struct anpu_op_slot *find_op(struct anpu *d, uint32_t op_id)
{
    uint32_t i;

    for (i = 0; i < d->op_count; i++) {
        if (d->op_table[i].op_id == op_id) {
            return &d->op_table[i];
        }
    }
    return NULL;
}

static bool run_launch(struct anpu *d, struct anpu_queue *q,
                       const struct vascend_sqe *sqe, uint64_t start,
                       struct outcome *o)
{
    const struct anpu_op_slot *slot;
    struct anpu_task *t;
    uint64_t res;
    uint32_t info;
    uint16_t st;

    if (!anpu_sqe_unused_zero(sqe, 24) || sqe->u.launch.rsvd ||
        sqe->u.launch.desc_size < sizeof(struct vascend_op_desc) ||
        sqe->u.launch.desc_size > VASCEND_OP_MAX_DESC_SIZE ||
        sqe->u.launch.block_dim > d->cfg.aicores * 64) {
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    if (anpu_fault_take(d, VASCEND_FAULT_AICORE_HANG)) {
        /* The AI Cores never answer: only a reset ends this task. */
        if (!task_new(d, q, sqe, start, ANPU_TASK_HUNG)) {
            return fail(o, VASCEND_CQE_STATUS_BUSY);
        }
        return false;
    }
    slot = find_op(d, sqe->u.launch.op_id);
    if (!slot || !slot->impl) {
        o->result = sqe->u.launch.op_id;
        return fail(o, VASCEND_CQE_STATUS_OP_UNKNOWN);
    }
    t = task_new(d, q, sqe, start, ANPU_TASK_RUNNING);
    if (!t) {
        return fail(o, VASCEND_CQE_STATUS_BUSY);
    }
    o->status = anpu_engine_prepare(d, t, &o->info, &o->result);
    if (o->status) {
        q->task = NULL;
        t->q = NULL;
        anpu_task_put(d, t);
        return true;
    }
    if (!anpu_engine_next_stage(d, t, &st, &info, &res)) {
        /* Nothing to compute (empty tensors), or no job to be had. */
        task_complete(d, t, st, info, res);
    }
    return false;
}

static bool run_model(struct anpu *d, struct anpu_queue *q,
                      const struct vascend_sqe *sqe, uint64_t start,
                      struct outcome *o)
{
    struct anpu_mexec *m;
    struct anpu_task *t;

    o->status = anpu_model_check_sqe(d, sqe);
    if (o->status) {
        return true;
    }
    if (anpu_fault_take(d, VASCEND_FAULT_AICORE_HANG)) {
        /* As a launch: the AI Cores never answer. */
        if (!task_new(d, q, sqe, start, ANPU_TASK_HUNG)) {
            return fail(o, VASCEND_CQE_STATUS_BUSY);
        }
        return false;
    }
    o->status = anpu_model_prepare(d, q->ctx, sqe, &m, &o->info, &o->result);
    if (o->status) {
        return true;
    }
    t = task_new(d, q, sqe, start, ANPU_TASK_RUNNING);
    if (!t) {
        anpu_model_exec_free(d, m);
        return fail(o, VASCEND_CQE_STATUS_BUSY);
    }
    t->mexec = m;
    if (!anpu_model_submit(d, t)) {
        task_complete(d, t, VASCEND_CQE_STATUS_BUSY, 0, 0);
    }
    return false;
}

/* Check the SQE's common fields and run it; true when it completed. */
static bool run_sqe(struct anpu *d, struct anpu_queue *q,
                    const struct vascend_sqe *sqe, uint64_t start,
                    struct outcome *o)
{
    /* MODEL_EXECUTE exists when a model runner was registered. */
    if (sqe->opcode > VASCEND_OP_MODEL_EXECUTE ||
        (sqe->opcode == VASCEND_OP_MODEL_EXECUTE &&
         !anpu_engine_model_impl())) {
        anpu_guest_error(d, "queue %u: task %u has unknown opcode 0x%02x",
                         q->qid, sqe->task_id, sqe->opcode);
        return fail(o, VASCEND_CQE_STATUS_INVALID_OPCODE);
    }
    if ((sqe->flags & ~VASCEND_SQE_F_VALID_MASK) || sqe->rsvd0) {
        anpu_guest_error(d, "queue %u: task %u has reserved bits set "
                         "(flags 0x%02x rsvd0 0x%04x)", q->qid, sqe->task_id,
                         sqe->flags, sqe->rsvd0);
        return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
    }
    switch (sqe->opcode) {
    case VASCEND_OP_NOP:
        if (!anpu_sqe_unused_zero(sqe, 0)) {
            return fail(o, VASCEND_CQE_STATUS_INVALID_FIELD);
        }
        return true;
    case VASCEND_OP_MEMCPY:
        return run_memcpy(d, q, sqe, start, o);
    case VASCEND_OP_MEMSET:
        return run_memset(d, q, sqe, start, o);
    case VASCEND_OP_EVENT_RECORD:
        return run_record(d, q, sqe, o);
    case VASCEND_OP_EVENT_WAIT:
        return run_wait(d, q, sqe, start, o);
    case VASCEND_OP_NOTIFY:
        return run_notify(d, q, sqe, o);
    case VASCEND_OP_MODEL_EXECUTE:
        return run_model(d, q, sqe, start, o);
    default:
        return run_launch(d, q, sqe, start, o);
    }
}

static bool can_take(struct anpu *d, struct anpu_queue *q)
{
    return anpu_queue_has_sqe(q) &&
           d->fw_status == VASCEND_FW_STATUS_RUNNING && !d->ecc_stopped &&
           !d->reset_pending && !d->io_frozen;
}

bool anpu_exec_queue(struct anpu *d, struct anpu_queue *q)
{
    struct vascend_sqe sqe;
    struct outcome o;
    unsigned int budget;
    uint64_t start;

    if (!anpu_queue_flush_pending(d, q)) {
        return false;
    }
    for (budget = ANPU_SQE_BUDGET; budget; budget--) {
        if (!can_take(d, q)) {
            return false;
        }
        start = anpu_now(d);
        memset(&o, 0, sizeof(o));
        if (!anpu_queue_fetch(d, q, &sqe)) {
            anpu_queue_complete(d, q, &sqe, start,
                                VASCEND_CQE_STATUS_DMA_ERROR, 0, 0);
            continue;
        }
        if (run_sqe(d, q, &sqe, start, &o)) {
            if (o.status == VASCEND_CQE_STATUS_MMU_FAULT) {
                anpu_trace(d, ANPU_TRACE_MMU_FAULT, q->qid, o.info, 0, 0,
                           o.result, 0, NULL);
            }
            anpu_queue_complete(d, q, &sqe, start, o.status, o.info,
                                o.result);
            if (!o.status && (sqe.opcode == VASCEND_OP_EVENT_RECORD ||
                              sqe.opcode == VASCEND_OP_NOTIFY)) {
                d->wait_recheck = true;
            }
        }
    }
    return can_take(d, q);
}

bool anpu_exec_recheck_waits(struct anpu *d)
{
    struct anpu_queue *q;
    struct anpu_task *t;
    struct outcome o;
    bool progress = false;
    unsigned int i;

    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        t = q->task;
        if (!q->exists || !t || t->state != ANPU_TASK_PARKED) {
            continue;
        }
        memset(&o, 0, sizeof(o));
        if (wait_done(d, q, &t->sqe, &o)) {
            task_complete(d, t, o.status, o.info, o.result);
            progress = true;
        }
    }
    return progress;
}

bool anpu_exec_abort(struct anpu *d, struct anpu_queue *q, uint16_t status)
{
    struct anpu_task *t = q->task;

    if (!t) {
        return true;
    }
    if (t->jobs_out) {
        __atomic_store_n(&t->cancel, 1, __ATOMIC_RELAXED);
        /* AI Cores waiting for a model's tiles look at the flag now. */
        anpu_model_cancel(t);
        if (status) {
            /*
             * Completes in anpu_job_done() once the jobs are back, with the
             * first reason given (a fatal error's), unless the queue goes.
             */
            if (!t->abort_status || status == ANPU_ABORT_DROP) {
                t->abort_status = status;
            }
            return false;
        }
    }
    if (status && status != ANPU_ABORT_DROP) {
        task_complete(d, t, status, 0, 0);
    } else {
        q->task = NULL;
        t->q = NULL;
        anpu_task_put(d, t);
    }
    return true;
}

void anpu_job_done(struct anpu *d, struct anpu_job *job)
{
    struct anpu_task *t = job->task;
    uint64_t moved, res;
    uint32_t info;
    uint16_t st;

    d->jobs_out--;
    t->jobs_out--;
    if (job->kind != ANPU_JOB_COPY && job->kind != ANPU_JOB_FILL) {
        anpu_engine_account(d, job);
    }
    free(job);
    d->ops->kick(d->opaque);
    if (!t->q || t->jobs_out) {
        /* Orphaned by a reset, or siblings of this stage still out. */
        anpu_task_put(d, t);
        return;
    }
    if (t->abort_status) {
        anpu_exec_abort(d, t->q, t->abort_status);
    } else if (t->launch) {
        if (!anpu_engine_next_stage(d, t, &st, &info, &res)) {
            task_complete(d, t, st, info, res);
        }
    } else if (t->mexec) {
        anpu_model_finish(d, t, &st, &info, &res);
        task_complete(d, t, st, info, res);
    } else {
        moved = t->sqe.opcode == VASCEND_OP_MEMCPY ? t->sqe.u.memcpy.len :
                t->sqe.u.memset.len;
        task_complete(d, t, VASCEND_CQE_STATUS_SUCCESS, 0, moved);
    }
    anpu_task_put(d, t);
}
