/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the AI Core engine. The BQL side reads and
 * checks a launch and cuts it into jobs; the worker side (gather and
 * prepare, one job per AI Core, scatter) runs them. Tensors whose bytes the
 * MMU mapped in several pieces are gathered into a contiguous buffer first
 * and outputs scattered back afterwards, so ops only ever see flat arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_job.h"
#include "anpu_xfer.h"

/* The ops built into the core. */
static const struct anpu_op_impl *const builtin_ops[] = {
    &anpu_op_test_vector_add,
};

/* The environment's additions (operator library, model runner). */
static const struct anpu_engine_lib *engine_lib;

void anpu_engine_set_lib(const struct anpu_engine_lib *lib)
{
    engine_lib = lib;
}

const struct anpu_model_impl *anpu_engine_model_impl(void)
{
    return engine_lib ? engine_lib->model : NULL;
}

const struct anpu_op_impl *anpu_engine_find_op(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(builtin_ops) / sizeof(builtin_ops[0]); i++) {
        if (!strcmp(builtin_ops[i]->name, name)) {
            return builtin_ops[i];
        }
    }
    for (i = 0; engine_lib && i < engine_lib->nops; i++) {
        if (!strcmp(engine_lib->ops[i]->name, name)) {
            return engine_lib->ops[i];
        }
    }
    return NULL;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint32_t anpu_engine_workers(const struct anpu *d)
{
    return (uint32_t)min64(d->cfg.aicores, ANPU_MAX_WORKERS);
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
    uint32_t operand = VASCEND_OP_ERR_HEADER, err, i, size, cores;
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
    /* block_dim AI Cores at most; the workers bound a fast path's threads. */
    l->block_dim = sqe->u.launch.block_dim;
    cores = anpu_engine_workers(d);
    l->threads = l->block_dim && l->block_dim < cores ? l->block_dim : cores;
    l->reference = d->cfg.ops_reference;
    if (l->op->validate) {
        err = l->op->validate(l, &operand);
        if (err) {
            *info = VASCEND_OP_ERR_INFO(err, operand);
            status = VASCEND_CQE_STATUS_OP_ERROR;
            goto out_free;
        }
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
    task->launch = l;
    return VASCEND_CQE_STATUS_SUCCESS;

out_free:
    anpu_engine_free(d, l);
    return status;
}

/* Split the tiles the op planned over blocks and AI Cores. */
static void plan_blocks(struct anpu *d, struct anpu_launch *l)
{
    uint32_t blocks;

    l->ntiles = l->op->tiles(l);
    if (l->self_threaded) {
        /* One tile, @threads cores inside the op: one job runs it. */
        l->nblocks = l->threads;
        l->ncores = 1;
        return;
    }
    blocks = l->block_dim;
    if (!blocks) {
        blocks = (uint32_t)min64(d->cfg.aicores, l->ntiles ? l->ntiles : 1);
    }
    l->nblocks = blocks;
    l->ncores = blocks < d->cfg.aicores ? blocks : d->cfg.aicores;
}

bool anpu_engine_next_stage(struct anpu *d, struct anpu_task *task,
                            uint16_t *status, uint32_t *info,
                            uint64_t *result)
{
    struct anpu_launch *l = task->launch;
    uint32_t c;

    *status = VASCEND_CQE_STATUS_SUCCESS;
    *info = 0;
    *result = 0;
    while (task->stage < 4) {
        switch (task->stage++) {
        case 0:
            /* Gather split tensors and let the op read its parameters. */
            if (!l->need_gather && !l->op->prepare) {
                break;
            }
            if (anpu_exec_submit_new(d, task, ANPU_JOB_GATHER, 0)) {
                return true;
            }
            *status = VASCEND_CQE_STATUS_BUSY;
            return false;
        case 1:
            if (l->prep_status) {
                *status = l->prep_status;
                *info = l->prep_info;
                return false;
            }
            plan_blocks(d, l);
            if (!l->ntiles || l->ran) {
                break;
            }
            for (c = 0; c < l->ncores; c++) {
                if (!anpu_exec_submit_new(d, task, ANPU_JOB_CORE, c)) {
                    break;
                }
            }
            if (task->jobs_out) {
                return true;
            }
            *status = VASCEND_CQE_STATUS_BUSY;
            return false;
        case 2:
            if (l->run_info) {
                /* Outputs are left as the cores wrote them. */
                *status = VASCEND_CQE_STATUS_OP_ERROR;
                *info = l->run_info;
                return false;
            }
            if (!l->need_scatter) {
                break;
            }
            if (anpu_exec_submit_new(d, task, ANPU_JOB_SCATTER, 0)) {
                return true;
            }
            *status = VASCEND_CQE_STATUS_BUSY;
            return false;
        default:
            break;
        }
    }
    *result = l->nblocks;
    return false;
}

void anpu_engine_free(struct anpu *d, struct anpu_launch *l)
{
    uint32_t k;

    if (l->op && l->op->release) {
        l->op->release(l);
    }
    for (k = 0; k < VASCEND_OP_MAX_TENSORS; k++) {
        if (l->xl[k].nsegs) {
            anpu_mmu_release(&d->mmu_env, &l->xl[k]);
        }
        free(l->bounce[k]);
    }
    free(l->desc);
    free(l);
}

/* Record the first failure of a run (any core may fail first). */
static void record_failure(struct anpu_launch *l, uint32_t info)
{
    uint32_t none = 0;

    __atomic_compare_exchange_n(&l->run_info, &none, info, false,
                                __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

static void run_tiles_once(struct anpu_launch *l)
{
    uint32_t info = l->ntiles ? l->op->run(l, 0, l->ntiles) : 0;

    if (info) {
        record_failure(l, info);
    }
    l->ran = true;
}

/* One AI Core: blocks core, core + ncores, ... of the launch. */
static bool run_core(struct anpu_launch *l, uint32_t core, const int *cancel)
{
    uint64_t first, end, t, stop;
    uint32_t b, info;

    for (b = core; b < l->nblocks; b += l->ncores) {
        first = l->ntiles * b / l->nblocks;
        end = l->ntiles * (b + 1) / l->nblocks;
        for (t = first; t < end; t = stop) {
            stop = min64(end, t + ANPU_TILES_PER_CHECK);
            info = l->op->run(l, t, stop);
            if (info) {
                record_failure(l, info);
                return true;
            }
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
    struct anpu_launch *l = task->launch;
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
        if (ok && l->op->prepare) {
            l->prep_status = l->op->prepare(l, &l->prep_info);
        }
        /*
         * A self-threaded launch runs here, on the thread that prepared
         * it: oneDNN as Debian builds it (no concurrent execution) keeps
         * a per-thread scratchpad, so a primitive must run on the thread
         * that created it. It is one tile on one core anyway.
         */
        if (ok && l->op->prepare && !l->prep_status && l->self_threaded) {
            l->ntiles = l->op->tiles(l);
            run_tiles_once(l);
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

void anpu_engine_account(struct anpu *d, const struct anpu_job *job)
{
    const struct anpu_task *t = job->task;
    uint64_t start = job->start_ns, end = job->end_ns;
    uint32_t c, cores = 1;

    if (end <= start || start < d->clock_base) {
        return;
    }
    switch (job->kind) {
    case ANPU_JOB_AICORE:
        /* A helper counts the time it ran tiles, not the time it waited. */
        if (!job->busy_ns) {
            return;
        }
        start = end - min64(job->busy_ns, end - start);
        break;
    case ANPU_JOB_GATHER:
        /* Moving bytes is not AI Core work; a self-threaded run is. */
        if (!t->launch || !t->launch->ran) {
            return;
        }
        cores = t->launch->threads;
        break;
    case ANPU_JOB_CORE:
    case ANPU_JOB_MODEL:
        break;
    default:
        return;
    }
    for (c = 0; c < cores; c++) {
        anpu_tele_busy(&d->tele, job->core + c, start - d->clock_base,
                       end - d->clock_base);
    }
}
