/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the AI Core engine. The BQL side reads and
 * checks a launch and cuts it into jobs; the worker side (gather, one job
 * per AI Core, scatter) runs them. Tensors whose bytes the MMU mapped in
 * several pieces are gathered into a contiguous buffer first and outputs
 * scattered back afterwards, so ops only ever see flat arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_job.h"
#include "anpu_xfer.h"

/* The ops the device implements: what firmware op tables may name. */
static const struct anpu_op_impl *const op_library[] = {
    &anpu_op_test_vector_add,
};

const struct anpu_op_impl *anpu_engine_find_op(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(op_library) / sizeof(op_library[0]); i++) {
        if (!strcmp(op_library[i]->name, name)) {
            return op_library[i];
        }
    }
    return NULL;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Map every tensor through the MMU; on a fault @f says where. */
static bool translate_tensors(struct anpu *d, struct anpu_ctx *ctx,
                              struct anpu_launch *l,
                              struct anpu_mmu_fault *f)
{
    struct anpu_tensor *t;
    uint32_t k, n = l->ninputs + l->noutputs;

    for (k = 0; k < n; k++) {
        t = &l->t[k];
        if (!t->bytes) {
            continue;
        }
        if (anpu_mmu_translate(&ctx->mmu, &d->mmu_env, t->desc.addr,
                               t->bytes, t->output ? ANPU_ACCESS_WRITE :
                               ANPU_ACCESS_READ, &l->xl[k], f)) {
            return false;
        }
        if (l->xl[k].nsegs == 1) {
            t->data = l->xl[k].segs[0].host;
            continue;
        }
        l->bounce[k] = malloc(t->bytes);
        if (!l->bounce[k]) {
            /* Not the guest's fault, but the guest asked for too much. */
            f->va = t->desc.addr;
            f->access = 0;
            f->reason = 0;
            f->level = 0;
            return false;
        }
        t->data = l->bounce[k];
        l->need_gather = true;
        l->need_scatter |= t->output;
    }
    return true;
}

uint16_t anpu_engine_prepare(struct anpu *d, struct anpu_task *task,
                             uint32_t *info, uint64_t *result)
{
    const struct vascend_sqe *sqe = &task->sqe;
    struct anpu_ctx *ctx = task->q->ctx;
    const struct anpu_op_slot *slot = NULL;
    struct anpu_mmu_fault f;
    struct anpu_launch *l;
    uint32_t operand = VASCEND_OP_ERR_HEADER, err, i, size, blocks;
    uint64_t total;
    uint16_t status = VASCEND_CQE_STATUS_SUCCESS;

    for (i = 0; i < d->op_count; i++) {
        if (d->op_table[i].op_id == sqe->u.launch.op_id) {
            slot = &d->op_table[i];
        }
    }
    l = calloc(1, sizeof(*l));
    size = sqe->u.launch.desc_size;
    if (!l || !slot) {
        free(l);
        return VASCEND_CQE_STATUS_BUSY;
    }
    l->desc = malloc(size);
    l->desc_size = size;
    if (!l->desc) {
        free(l);
        return VASCEND_CQE_STATUS_BUSY;
    }
    if (anpu_mmu_read(&ctx->mmu, &d->mmu_env, sqe->u.launch.desc, l->desc,
                      size, &f)) {
        *result = f.va;
        *info = anpu_mmu_fault_info(&f);
        status = VASCEND_CQE_STATUS_MMU_FAULT;
        goto out_free;
    }
    err = anpu_opdesc_parse(l->desc, size, sqe->u.launch.op_id, l);
    if (err) {
        *info = err;
        status = VASCEND_CQE_STATUS_OP_ERROR;
        goto out_free;
    }
    for (i = 0, total = 0; i < l->ninputs + l->noutputs; i++) {
        total += l->t[i].bytes;
        if (l->t[i].bytes > ANPU_MAX_LAUNCH_BYTES ||
            total > ANPU_MAX_LAUNCH_BYTES) {
            *info = VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_SIZE, i);
            status = VASCEND_CQE_STATUS_TOO_LARGE;
            goto out_free;
        }
    }
    l->op = slot->impl;
    err = l->op->validate(l, &operand);
    if (err) {
        *info = VASCEND_OP_ERR_INFO(err, operand);
        status = VASCEND_CQE_STATUS_OP_ERROR;
        goto out_free;
    }
    if (!translate_tensors(d, ctx, l, &f)) {
        if (!f.reason) {
            status = VASCEND_CQE_STATUS_BUSY;
            goto out_free;
        }
        *result = f.va;
        *info = anpu_mmu_fault_info(&f);
        status = VASCEND_CQE_STATUS_MMU_FAULT;
        goto out_free;
    }
    l->ntiles = l->op->tiles(l);
    blocks = sqe->u.launch.block_dim;
    if (!blocks) {
        blocks = (uint32_t)min64(d->cfg.aicores, l->ntiles ? l->ntiles : 1);
    }
    l->nblocks = blocks;
    l->ncores = blocks < d->cfg.aicores ? blocks : d->cfg.aicores;
    task->launch = l;
    return VASCEND_CQE_STATUS_SUCCESS;

out_free:
    anpu_engine_free(d, l);
    return status;
}

static bool submit(struct anpu *d, struct anpu_task *task,
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

bool anpu_engine_next_stage(struct anpu *d, struct anpu_task *task)
{
    struct anpu_launch *l = task->launch;
    uint32_t c;

    while (task->stage < 3) {
        switch (task->stage++) {
        case 0:
            if (l->need_gather && submit(d, task, ANPU_JOB_GATHER, 0)) {
                return true;
            }
            break;
        case 1:
            if (!l->ntiles) {
                break;
            }
            for (c = 0; c < l->ncores; c++) {
                if (!submit(d, task, ANPU_JOB_CORE, c)) {
                    break;
                }
            }
            if (task->jobs_out) {
                return true;
            }
            break;
        default:
            if (l->need_scatter && submit(d, task, ANPU_JOB_SCATTER, 0)) {
                return true;
            }
            break;
        }
    }
    return false;
}

void anpu_engine_free(struct anpu *d, struct anpu_launch *l)
{
    uint32_t k;

    for (k = 0; k < VASCEND_OP_MAX_TENSORS; k++) {
        if (l->xl[k].nsegs) {
            anpu_mmu_release(&d->mmu_env, &l->xl[k]);
        }
        free(l->bounce[k]);
    }
    free(l->desc);
    free(l);
}

/* One AI Core: blocks core, core + ncores, ... of the launch. */
static bool run_core(const struct anpu_launch *l, uint32_t core,
                     const int *cancel)
{
    uint64_t first, end, t, stop;
    uint32_t b;

    for (b = core; b < l->nblocks; b += l->ncores) {
        first = l->ntiles * b / l->nblocks;
        end = l->ntiles * (b + 1) / l->nblocks;
        for (t = first; t < end; t = stop) {
            stop = min64(end, t + ANPU_TILES_PER_CHECK);
            l->op->run(l, t, stop);
            if (anpu_xfer_cancelled(cancel)) {
                return false;
            }
        }
    }
    return true;
}

void anpu_engine_run_job(struct anpu_job *job)
{
    struct anpu_task *task = job->task;
    const struct anpu_launch *l = task->launch;
    uint32_t k, n = l->ninputs + l->noutputs;
    bool ok = true;

    switch (job->kind) {
    case ANPU_JOB_GATHER:
        /* Outputs too: bytes the op does not write must survive. */
        for (k = 0; k < n && ok; k++) {
            if (l->bounce[k]) {
                ok = anpu_xfer_gather(l->bounce[k], &l->xl[k], &task->cancel);
            }
        }
        break;
    case ANPU_JOB_CORE:
        ok = run_core(l, job->core, &task->cancel);
        break;
    default:
        for (k = l->ninputs; k < n && ok; k++) {
            if (l->bounce[k]) {
                ok = anpu_xfer_scatter(&l->xl[k], l->bounce[k],
                                       &task->cancel);
            }
        }
        break;
    }
    job->stopped = !ok;
}
