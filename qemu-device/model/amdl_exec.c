/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Executing a model: check the caller's buffers once, then for each task
 * bind its tensors to addresses, prepare the op, spread its tiles, free.
 */
#include <inttypes.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "amdl_internal.h"

/*
 * The default parallel-for: OpenMP, the pool oneDNN uses too, so tiles
 * and self-threaded launches share one set of threads.
 */
static int omp_parallel(void *hook_arg, uint32_t threads, uint32_t n,
                        amdl_range_fn fn, void *arg)
{
    int rc = 0;

    (void)hook_arg;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint32_t i = 0; i < n; i++) {
        int r;
#pragma omp atomic read
        r = rc;
        if (!r) {
            r = fn(arg, i, 1);
            if (r) {
#pragma omp atomic write
                rc = r;
            }
        }
    }
    return rc;
}

struct tile_job {
    struct aop_launch *l;
    int failed;                 /* first failure wins the error below */
    struct aop_error err;
};

static int run_tiles(void *arg, uint32_t first, uint32_t count)
{
    struct tile_job *j = arg;
    struct aop_error e;
    int rc = aop_launch_run(j->l, first, count, &e);

    if (rc && !__atomic_exchange_n(&j->failed, 1, __ATOMIC_ACQ_REL)) {
        j->err = e;
    }
    return rc;
}

static int check_buf(const struct amdl_buffer *b, const struct amdl_io *io,
                     const char *what, uint32_t i, struct amdl_error *err)
{
    size_t es = om_dtype_size(io->dtype);

    if (b->size < io->size) {
        amdl_fail(err, AMDL_E_ARG, -1, "%s %" PRIu32 " '%s': buffer of %"
                  PRIu64 " bytes, the model needs %" PRIu64, what, i,
                  io->name, b->size, io->size);
        return AMDL_E_ARG;
    }
    if (io->size && !b->data) {
        amdl_fail(err, AMDL_E_ARG, -1, "%s %" PRIu32 " '%s': no buffer", what,
                  i, io->name);
        return AMDL_E_ARG;
    }
    if (es && ((uintptr_t)b->data % es)) {
        amdl_fail(err, AMDL_E_ARG, -1, "%s %" PRIu32 " '%s': buffer not "
                  "aligned to its %zu-byte elements", what, i, io->name, es);
        return AMDL_E_ARG;
    }
    return AMDL_OK;
}

static int check_exec(const struct amdl_model *m, const struct amdl_exec *x,
                      struct amdl_error *err)
{
    int rc;

    if (x->num_inputs != m->num_inputs || x->num_outputs != m->num_outputs ||
        (m->num_inputs && !x->inputs) || !x->outputs) {
        amdl_fail(err, AMDL_E_ARG, -1, "%" PRIu32 " input and %" PRIu32
                  " output buffers, the model has %" PRIu32 " and %" PRIu32,
                  x->num_inputs, x->num_outputs, m->num_inputs,
                  m->num_outputs);
        return AMDL_E_ARG;
    }
    for (uint32_t i = 0; i < m->num_inputs; i++) {
        rc = check_buf(&x->inputs[i], &m->io[i], "input", i, err);
        if (rc) {
            return rc;
        }
    }
    for (uint32_t i = 0; i < m->num_outputs; i++) {
        rc = check_buf(&x->outputs[i], &m->io[m->num_inputs + i], "output", i,
                       err);
        if (rc) {
            return rc;
        }
    }
    if (x->weights_size < m->weights_size ||
        (m->weights_size && !x->weights) ||
        ((uintptr_t)x->weights % OM_DATA_ALIGN)) {
        amdl_fail(err, AMDL_E_ARG, -1, "weights: %" PRIu64 " bytes at %p, the "
                  "model needs %" PRIu64 ", %d-byte aligned", x->weights_size,
                  x->weights, m->weights_size, OM_DATA_ALIGN);
        return AMDL_E_ARG;
    }
    if (x->workspace_size < m->workspace_size ||
        (m->workspace_size && !x->workspace) ||
        ((uintptr_t)x->workspace % OM_DATA_ALIGN)) {
        amdl_fail(err, AMDL_E_ARG, -1, "workspace: %" PRIu64 " bytes at %p, "
                  "the model needs %" PRIu64 ", %d-byte aligned",
                  x->workspace_size, x->workspace, m->workspace_size,
                  OM_DATA_ALIGN);
        return AMDL_E_ARG;
    }
    return AMDL_OK;
}

static void bind(const struct amdl_model *m, const struct amdl_exec *x,
                 uint32_t ti, struct aop_tensor *a)
{
    const struct amdl_tensor *t;
    uint8_t *base = NULL;

    memset(a, 0, sizeof(*a));
    if (ti == OM_NO_TENSOR) {
        a->dtype = AOP_DT_NONE;
        a->format = AOP_FMT_ND;
        return;
    }
    t = &m->tensors[ti];
    switch (t->placement) {
    case OM_PLACE_INPUT:
        base = x->inputs[t->index].data;
        break;
    case OM_PLACE_OUTPUT:
        base = x->outputs[t->index].data;
        break;
    case OM_PLACE_WEIGHT:
        base = (uint8_t *)x->weights;   /* only read: no task writes it */
        break;
    case OM_PLACE_WORKSPACE:
        base = x->workspace;
        break;
    }
    a->data = base ? base + t->offset : NULL;
    a->size = t->size;
    a->dtype = t->dtype;
    a->format = t->format;
    a->ndim = t->ndim;
    memcpy(a->dims, t->dims, sizeof(a->dims));
}

static void bind_task(const struct amdl_model *m, const struct amdl_exec *x,
                      const struct amdl_task *t, struct aop_tensor *in,
                      struct aop_tensor *out)
{
    for (uint32_t k = 0; k < t->nin; k++) {
        bind(m, x, t->operands[k], &in[k]);
    }
    for (uint32_t k = 0; k < t->nout; k++) {
        bind(m, x, t->operands[t->nin + k], &out[k]);
    }
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int op_failed(const struct amdl_model *m, uint32_t i,
                     const struct aop_error *e, struct amdl_error *err)
{
    const struct amdl_task *t = &m->tasks[i];

    amdl_fail(err, AMDL_E_OP, (int)i, "task %" PRIu32 " (node '%s', %s): %s",
              i, t->name, t->op_name, e->msg);
    if (err) {
        err->op_status = e->status;
    }
    return AMDL_E_OP;
}

int amdl_execute(const struct amdl_model *m, const struct aop_ctx *ctx,
                 const struct amdl_exec *x, struct amdl_error *err)
{
    return amdl_execute_cancellable(m, ctx, x, NULL, err);
}

int amdl_execute_cancellable(const struct amdl_model *m,
                             const struct aop_ctx *ctx,
                             const struct amdl_exec *x, const int *cancel,
                             struct amdl_error *err)
{
    struct aop_tensor in[OM_MAX_TASK_OPERANDS], out[OM_MAX_TASK_OPERANDS];
    amdl_parallel_fn par = x->parallel ? x->parallel : omp_parallel;
    int rc;

    if (err) {
        memset(err, 0, sizeof(*err));
        err->task = -1;
    }
    rc = check_exec(m, x, err);
    if (rc) {
        return rc;
    }
    for (uint32_t i = 0; i < m->num_tasks; i++) {
        const struct amdl_task *t = &m->tasks[i];
        struct tile_job job = { 0 };
        uint64_t t0 = x->task_ns ? now_ns() : 0;
        uint32_t tiles, threads;
        struct aop_error e;

        if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED)) {
            amdl_fail(err, AMDL_E_CANCELLED, (int)i, "cancelled before task "
                      "%" PRIu32, i);
            return AMDL_E_CANCELLED;
        }
        bind_task(m, x, t, in, out);
        rc = aop_prepare(ctx, t->op_id, in, t->nin, out, t->nout, t->attrs,
                         t->nattrs, &job.l, &e);
        if (rc) {
            return op_failed(m, i, &e, err);
        }
        tiles = aop_launch_tiles(job.l);
        threads = aop_launch_threads(job.l);
        /* Small layers stay on this thread: a fan-out would cost more. */
        if (aop_launch_self_threaded(job.l) || tiles == 1 || threads <= 1) {
            rc = aop_launch_run(job.l, 0, tiles, &job.err);
        } else {
            rc = par(x->parallel_arg, threads, tiles, run_tiles, &job);
        }
        aop_launch_free(job.l);
        if (rc && !job.failed && !job.err.msg[0]) {
            snprintf(job.err.msg, sizeof(job.err.msg), "the parallel-for "
                     "hook failed (%d)", rc);
            job.err.status = AOP_E_INTERNAL;
        }
        if (rc) {
            return op_failed(m, i, &job.err, err);
        }
        if (x->task_ns) {
            x->task_ns[i] += now_ns() - t0;
        }
    }
    return AMDL_OK;
}

int amdl_check(const struct amdl_model *m, const struct aop_ctx *ctx,
               const struct amdl_exec *x, struct amdl_error *err)
{
    struct aop_tensor in[OM_MAX_TASK_OPERANDS], out[OM_MAX_TASK_OPERANDS];
    int rc;

    if (err) {
        memset(err, 0, sizeof(*err));
        err->task = -1;
    }
    rc = check_exec(m, x, err);
    if (rc) {
        return rc;
    }
    for (uint32_t i = 0; i < m->num_tasks; i++) {
        const struct amdl_task *t = &m->tasks[i];
        struct aop_launch *l;
        struct aop_error e;

        bind_task(m, x, t, in, out);
        rc = aop_prepare(ctx, t->op_id, in, t->nin, out, t->nout, t->attrs,
                         t->nattrs, &l, &e);
        if (rc) {
            return op_failed(m, i, &e, err);
        }
        aop_launch_free(l);
    }
    return AMDL_OK;
}
