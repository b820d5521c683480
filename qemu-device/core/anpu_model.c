/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: MODEL_EXECUTE (see anpu_model.h). The device's
 * thread checks and translates; the model job validates (once per cached
 * model), moves split buffers and runs the model runner; AI Core helper
 * jobs take tiles from the engine's dispatch. Everything the workers read
 * is fixed before they start, and everything they write is read back only
 * once every job of the task is back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_ctx.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_job.h"
#include "anpu_model.h"
#include "anpu_xfer.h"

_Static_assert(sizeof(struct vascend_model_binding) == 16, "binding");

/* The .om header's checksum field (userspace/om/om_format.h). */
#define OM_HDR_CHECKSUM         24
/* Buffers the runner reads in place must be this aligned. */
#define MODEL_ALIGN             64

#define MINFO(reason, index)    VASCEND_MODEL_ERR_INFO(reason, index)

static uint64_t round_up64(uint64_t n)
{
    return (n + MODEL_ALIGN - 1) & ~(uint64_t)(MODEL_ALIGN - 1);
}

static void *alloc_aligned(uint64_t n)
{
    return aligned_alloc(MODEL_ALIGN, round_up64(n ? n : 1));
}

static void fail_set(struct anpu_model_fail *f, uint16_t status,
                     uint32_t info, const char *msg)
{
    f->status = status;
    f->info = info;
    f->result = 0;
    snprintf(f->msg, sizeof(f->msg), "%s", msg);
}

/* ---- the cache (device thread) ---- */

static void entry_put(struct anpu_model_entry *e)
{
    const struct anpu_model_impl *impl = anpu_engine_model_impl();

    if (!e || --e->refs) {
        return;
    }
    if (impl && e->model) {
        impl->free(e->model);
    }
    free(e->io_size);
    free(e->image);
    free(e);
}

static void cache_remove(struct anpu *d, struct anpu_model_cache *mc,
                         unsigned int i)
{
    struct anpu_model_entry *e = mc->slot[i];

    mc->slot[i] = NULL;
    d->model_cache_bytes -= e->size;
    entry_put(e);
}

void anpu_model_cache_drop(struct anpu *d, struct anpu_ctx *c, uint64_t va,
                           uint64_t size)
{
    struct anpu_model_cache *mc = &c->models;
    struct anpu_model_entry *e;
    unsigned int i;

    mc->gen++;
    for (i = 0; i < ANPU_MODEL_CACHE_SLOTS; i++) {
        e = mc->slot[i];
        /* Overlap of [va, va + size) and [e->va, e->va + e->size). */
        if (e && (!size || (va < e->va + e->size && e->va < va + size) ||
                  va + size < va)) {
            cache_remove(d, mc, i);
        }
    }
}

static struct anpu_model_entry *cache_find(struct anpu *d,
                                           struct anpu_model_cache *mc,
                                           uint64_t va, uint64_t size,
                                           uint32_t checksum)
{
    struct anpu_model_entry *e;
    unsigned int i;

    for (i = 0; i < ANPU_MODEL_CACHE_SLOTS; i++) {
        e = mc->slot[i];
        if (e && e->va == va && e->size == size && e->checksum == checksum) {
            e->last_use = d->task_seq;
            return e;
        }
    }
    return NULL;
}

/* The least recently used model of any context, to make room. */
static bool evict_one(struct anpu *d)
{
    struct anpu_model_cache *best = NULL;
    unsigned int i, id, at = 0;
    struct anpu_ctx *c;

    for (id = 1; id < ANPU_MAX_CONTEXTS; id++) {
        c = d->ctxs[id];
        for (i = 0; c && i < ANPU_MODEL_CACHE_SLOTS; i++) {
            if (c->models.slot[i] &&
                (!best || c->models.slot[i]->last_use <
                 best->slot[at]->last_use)) {
                best = &c->models;
                at = i;
            }
        }
    }
    if (!best) {
        return false;
    }
    cache_remove(d, best, at);
    return true;
}

static void cache_insert(struct anpu *d, struct anpu_ctx *c,
                         struct anpu_model_entry *e)
{
    struct anpu_model_cache *mc = &c->models;
    unsigned int i, at = 0;

    /* Too big to keep, or loaded meanwhile by another queue's task. */
    if (e->size > ANPU_MODEL_CACHE_BYTES ||
        cache_find(d, mc, e->va, e->size, e->checksum)) {
        return;
    }
    while (d->model_cache_bytes + e->size > ANPU_MODEL_CACHE_BYTES &&
           evict_one(d)) {
        continue;
    }
    for (i = 0; i < ANPU_MODEL_CACHE_SLOTS; i++) {
        if (!mc->slot[i]) {
            at = i;
            break;
        }
        if (mc->slot[i]->last_use < mc->slot[at]->last_use) {
            at = i;
        }
    }
    if (mc->slot[at]) {
        cache_remove(d, mc, at);
    }
    e->refs++;
    e->last_use = d->task_seq;
    mc->slot[at] = e;
    d->model_cache_bytes += e->size;
}

/* ---- the device's thread: checks, translations, jobs ---- */

static uint16_t mmu_failed(const struct anpu_mmu_fault *f, uint32_t *info,
                           uint64_t *result)
{
    *result = f->va;
    *info = anpu_mmu_fault_info(f);
    return VASCEND_CQE_STATUS_MMU_FAULT;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* The running firmware's op ids, sorted, for the worker to look up. */
static bool snapshot_ops(struct anpu *d, struct anpu_mexec *m)
{
    uint32_t i;

    m->ops = malloc((d->op_count ? d->op_count : 1) * sizeof(*m->ops));
    if (!m->ops) {
        return false;
    }
    for (i = 0; i < d->op_count; i++) {
        m->ops[i] = d->op_table[i].op_id;
    }
    m->nops = d->op_count;
    qsort(m->ops, m->nops, sizeof(*m->ops), cmp_u32);
    return true;
}

uint16_t anpu_model_check_sqe(const struct anpu *d,
                              const struct vascend_sqe *sqe)
{
    uint64_t va = sqe->u.model.model, size = sqe->u.model.model_size;

    if (!anpu_sqe_unused_zero(sqe, 40) || sqe->u.model.flags ||
        sqe->u.model.rsvd || (va & (MODEL_ALIGN - 1)) ||
        (sqe->u.model.bindings & 7) || size < VASCEND_MODEL_MIN_SIZE ||
        !sqe->u.model.num_outputs ||
        sqe->u.model.num_outputs > VASCEND_MODEL_MAX_IO ||
        sqe->u.model.num_inputs > VASCEND_MODEL_MAX_IO ||
        sqe->u.model.block_dim > d->cfg.aicores) {
        return VASCEND_CQE_STATUS_INVALID_FIELD;
    }
    if (size > VASCEND_MODEL_MAX_SIZE) {
        return VASCEND_CQE_STATUS_TOO_LARGE;
    }
    return VASCEND_CQE_STATUS_SUCCESS;
}

/* Read the header's checksum and the binding table, translate them all. */
static uint16_t translate_all(struct anpu *d, struct anpu_ctx *ctx,
                              const struct vascend_sqe *sqe,
                              struct anpu_mexec *m, uint32_t *info,
                              uint64_t *result)
{
    uint8_t hdr[VASCEND_MODEL_MIN_SIZE];
    struct anpu_mmu_fault f;
    uint64_t total = 0, size;
    uint32_t i;

    if (anpu_mmu_read(&ctx->mmu, &d->mmu_env, m->va, hdr, sizeof(hdr), &f)) {
        return mmu_failed(&f, info, result);
    }
    m->checksum = (uint32_t)hdr[OM_HDR_CHECKSUM] |
                  (uint32_t)hdr[OM_HDR_CHECKSUM + 1] << 8 |
                  (uint32_t)hdr[OM_HDR_CHECKSUM + 2] << 16 |
                  (uint32_t)hdr[OM_HDR_CHECKSUM + 3] << 24;
    m->bind = calloc(m->nbind, sizeof(*m->bind));
    m->xl = calloc(m->nbind, sizeof(*m->xl));
    if (!m->bind || !m->xl) {
        return VASCEND_CQE_STATUS_BUSY;
    }
    if (anpu_mmu_read(&ctx->mmu, &d->mmu_env, sqe->u.model.bindings, m->bind,
                      (uint64_t)m->nbind * sizeof(*m->bind), &f)) {
        return mmu_failed(&f, info, result);
    }
    for (i = 0; i < m->nbind; i++) {
        size = m->bind[i].size;
        total += size < ANPU_MAX_MODEL_BINDING_BYTES ? size :
                 ANPU_MAX_MODEL_BINDING_BYTES;
        if (size > ANPU_MAX_MODEL_BINDING_BYTES ||
            total > ANPU_MAX_MODEL_BINDING_BYTES) {
            *info = MINFO(VASCEND_MODEL_ERR_SIZE, i);
            return VASCEND_CQE_STATUS_TOO_LARGE;
        }
    }
    for (i = 0; i < m->nbind; i++) {
        if (!m->bind[i].size) {
            continue;
        }
        /* Inputs are read; outputs and the workspace written. */
        if (anpu_mmu_translate(&ctx->mmu, &d->mmu_env, m->bind[i].addr,
                               m->bind[i].size, i < m->nin ?
                               ANPU_ACCESS_READ : ANPU_ACCESS_WRITE,
                               &m->xl[i], &f)) {
            return mmu_failed(&f, info, result);
        }
    }
    return VASCEND_CQE_STATUS_SUCCESS;
}

uint16_t anpu_model_prepare(struct anpu *d, struct anpu_ctx *ctx,
                            const struct vascend_sqe *sqe,
                            struct anpu_mexec **out, uint32_t *info,
                            uint64_t *result)
{
    struct anpu_mexec *m = calloc(1, sizeof(*m));
    uint32_t cores = anpu_engine_workers(d), bd = sqe->u.model.block_dim;
    struct anpu_mmu_fault f;
    uint16_t st;

    *out = NULL;
    if (!m) {
        return VASCEND_CQE_STATUS_BUSY;
    }
    m->va = sqe->u.model.model;
    m->size = sqe->u.model.model_size;
    m->nin = sqe->u.model.num_inputs;
    m->nout = sqe->u.model.num_outputs;
    m->nbind = m->nin + m->nout + 1;
    m->threads = bd && bd < cores ? bd : cores;
    m->reference = d->cfg.ops_reference;
    m->ctx_id = ctx->id;
    m->cache_gen = ctx->models.gen;
    st = translate_all(d, ctx, sqe, m, info, result);
    if (!st) {
        m->entry = cache_find(d, &ctx->models, m->va, m->size, m->checksum);
        if (m->entry) {
            m->entry->refs++;
        } else if (!snapshot_ops(d, m)) {
            st = VASCEND_CQE_STATUS_BUSY;
        } else if (anpu_mmu_translate(&ctx->mmu, &d->mmu_env, m->va, m->size,
                                      ANPU_ACCESS_READ, &m->image_xl, &f)) {
            st = mmu_failed(&f, info, result);
        }
    }
    if (st) {
        anpu_model_exec_free(d, m);
        return st;
    }
    *out = m;
    return VASCEND_CQE_STATUS_SUCCESS;
}

/*
 * AI Cores worth a helper job: all of them unless an earlier execution of
 * the cached model showed fewer were used. Each helper costs a worker's
 * wake-up and, at the end, its return, which the task's completion waits
 * for: under TCG that was a third of a small model's latency.
 */
static uint32_t cores_wanted(const struct anpu_mexec *m)
{
    const struct anpu_model_entry *e = m->entry;

    if (!e || e->peak_of < m->threads) {
        return m->threads;
    }
    return e->peak < 1 ? 1 : e->peak < m->threads ? e->peak : m->threads;
}

bool anpu_model_submit(struct anpu *d, struct anpu_task *task)
{
    struct anpu_mexec *m = task->mexec;
    uint32_t c, cores = cores_wanted(m);

    if (pthread_mutex_init(&m->disp.lock, NULL)) {
        return false;
    }
    if (pthread_cond_init(&m->disp.cond, NULL)) {
        pthread_mutex_destroy(&m->disp.lock);
        return false;
    }
    m->dispatch_ready = true;
    if (!anpu_exec_submit_new(d, task, ANPU_JOB_MODEL, 0)) {
        return false;
    }
    /* Helpers that cannot be had only cost parallelism. */
    for (c = 1; c < cores &&
         anpu_exec_submit_new(d, task, ANPU_JOB_AICORE, c); c++) {
        continue;
    }
    return true;
}

void anpu_model_cancel(struct anpu_task *task)
{
    struct anpu_mexec *m = task->mexec;

    if (!m || !m->dispatch_ready) {
        return;
    }
    /* The cancel flag is set: a helper about to wait will see it. */
    pthread_mutex_lock(&m->disp.lock);
    pthread_cond_broadcast(&m->disp.cond);
    pthread_mutex_unlock(&m->disp.lock);
}

void anpu_model_finish(struct anpu *d, struct anpu_task *task,
                       uint16_t *status, uint32_t *info, uint64_t *result)
{
    struct anpu_mexec *m = task->mexec;
    struct anpu_ctx *c = anpu_ctx_get(d, m->ctx_id);
    struct anpu_model_entry *e = m->entry ? m->entry : m->loaded;

    /* What the helpers were for, learnt from a run that went through. */
    if (e && !m->fail.status && m->threads >= e->peak_of) {
        e->peak = m->peak;
        e->peak_of = m->threads;
    }
    /* Validated through translations no invalidation has touched since. */
    if (m->loaded && c && task->q && task->q->ctx == c &&
        c->models.gen == m->cache_gen) {
        cache_insert(d, c, m->loaded);
    }
    *status = m->fail.status;
    *info = m->fail.info;
    /* Success: the AI Cores the model had. */
    *result = *status ? m->fail.result : m->threads;
    if (*status) {
        anpu_guest_error(d, "queue %u: MODEL_EXECUTE of 0x%llx+0x%llx "
                         "failed (status 0x%x info 0x%x): %s",
                         task->q ? task->q->qid : 0,
                         (unsigned long long)m->va,
                         (unsigned long long)m->size, *status, *info,
                         m->fail.msg);
    }
}

void anpu_model_exec_free(struct anpu *d, struct anpu_mexec *m)
{
    uint32_t i;

    for (i = 0; m->xl && i < m->nbind; i++) {
        if (m->xl[i].nsegs) {
            anpu_mmu_release(&d->mmu_env, &m->xl[i]);
        }
    }
    if (m->image_xl.nsegs) {
        anpu_mmu_release(&d->mmu_env, &m->image_xl);
    }
    entry_put(m->entry);
    entry_put(m->loaded);
    if (m->dispatch_ready) {
        pthread_cond_destroy(&m->disp.cond);
        pthread_mutex_destroy(&m->disp.lock);
    }
    free(m->bind);
    free(m->xl);
    free(m->ops);
    free(m);
}

/* ---- the workers ---- */

/*
 * What the runner's parallel hook needs: the dispatch, the cancel flag and
 * where to note the most cores a batch asked for.
 */
struct hook {
    struct anpu_dispatch *dp;
    const int *cancel;
    uint32_t *peak;
};

/* Take and run tiles of the posted batch while there are any (locked). */
static void take_tiles(struct anpu_dispatch *dp, const int *cancel,
                       struct anpu *d, uint64_t *busy)
{
    anpu_range_fn fn;
    uint64_t t0;
    uint32_t i;
    void *arg;
    int rc;

    while (dp->next < dp->n && dp->running < dp->limit) {
        if (dp->rc || anpu_xfer_cancelled(cancel)) {
            /* Hand out nothing more of a batch that failed or is off. */
            dp->next = dp->n;
            break;
        }
        i = dp->next++;
        fn = dp->fn;
        arg = dp->arg;
        dp->running++;
        pthread_mutex_unlock(&dp->lock);
        t0 = busy ? d->ops->now_ns(d->opaque) : 0;
        rc = fn(arg, i, 1);
        if (busy) {
            *busy += d->ops->now_ns(d->opaque) - t0;
        }
        pthread_mutex_lock(&dp->lock);
        dp->running--;
        if (rc && !dp->rc) {
            dp->rc = rc;
        }
    }
    if (!dp->running) {
        pthread_cond_broadcast(&dp->cond);
    }
}

/* The runner's parallel-for: this thread and whichever helpers run. */
static int dispatch_parallel(void *hook, uint32_t threads, uint32_t n,
                             anpu_range_fn fn, void *arg)
{
    struct hook *h = hook;
    struct anpu_dispatch *dp = h->dp;
    int rc;

    if (anpu_xfer_cancelled(h->cancel)) {
        return -1;
    }
    if (threads > *h->peak) {
        *h->peak = threads;
    }
    pthread_mutex_lock(&dp->lock);
    dp->fn = fn;
    dp->arg = arg;
    dp->n = n;
    dp->next = 0;
    dp->running = 0;
    dp->limit = threads ? threads : 1;
    dp->rc = 0;
    pthread_cond_broadcast(&dp->cond);
    for (;;) {
        take_tiles(dp, h->cancel, NULL, NULL);
        if (!dp->running) {
            break;
        }
        pthread_cond_wait(&dp->cond, &dp->lock);
    }
    rc = dp->rc;
    dp->n = 0;
    dp->next = 0;
    dp->fn = NULL;
    pthread_mutex_unlock(&dp->lock);
    if (!rc && anpu_xfer_cancelled(h->cancel)) {
        rc = -1;
    }
    return rc;
}

/* An AI Core helper: tiles of each batch until the model is done. */
static void helper(struct anpu_job *job, struct anpu_mexec *m,
                   const int *cancel)
{
    struct anpu_dispatch *dp = &m->disp;
    struct anpu *d = job->task->d;
    uint64_t busy = 0;

    pthread_mutex_lock(&dp->lock);
    while (!dp->finished && !anpu_xfer_cancelled(cancel)) {
        /* Beyond the batch's limit a helper sits it out. */
        if (dp->next < dp->n && dp->running < dp->limit) {
            take_tiles(dp, cancel, d, &busy);
            continue;
        }
        pthread_cond_wait(&dp->cond, &dp->lock);
    }
    pthread_mutex_unlock(&dp->lock);
    job->busy_ns = busy;
}

static void finish_dispatch(struct anpu_mexec *m)
{
    pthread_mutex_lock(&m->disp.lock);
    m->disp.finished = true;
    pthread_cond_broadcast(&m->disp.cond);
    pthread_mutex_unlock(&m->disp.lock);
}

static int cmp_key(const void *key, const void *elem)
{
    return cmp_u32(key, elem);
}

static bool op_in_table(const void *arg, uint32_t op_id)
{
    const struct anpu_mexec *m = arg;

    return bsearch(&op_id, m->ops, m->nops, sizeof(*m->ops), cmp_key);
}

/* The first @len bytes of @x as a segment list of its own (free ->segs). */
static bool xl_prefix(const struct anpu_xlate *x, uint64_t len,
                      struct anpu_xlate *out)
{
    uint64_t left = len;
    size_t n = 0;

    out->segs = malloc(x->nsegs * sizeof(*out->segs));
    if (!out->segs) {
        return false;
    }
    while (left && n < x->nsegs) {
        out->segs[n] = x->segs[n];
        if (out->segs[n].len > left) {
            out->segs[n].len = left;
        }
        left -= out->segs[n].len;
        n++;
    }
    out->nsegs = n;
    out->len = len - left;
    return true;
}

/* Copy the first @len bytes between @x and @buf (@to_buf: gather). */
static bool move_prefix(const struct anpu_xlate *x, uint64_t len,
                        uint8_t *buf, bool to_buf, const int *cancel,
                        struct anpu_model_fail *f)
{
    struct anpu_xlate p;
    bool ok;

    if (!xl_prefix(x, len, &p)) {
        fail_set(f, VASCEND_CQE_STATUS_BUSY, 0, "out of memory");
        return false;
    }
    ok = to_buf ? anpu_xfer_gather(buf, &p, cancel) :
                  anpu_xfer_scatter(&p, buf, cancel);
    free(p.segs);
    return ok;
}

/* Copy the image out of guest memory and let the runner check it. */
static struct anpu_model_entry *load_entry(struct anpu_mexec *m,
                                           const struct anpu_model_impl *impl,
                                           const int *cancel,
                                           struct anpu_model_fail *f)
{
    struct anpu_model_entry *e = calloc(1, sizeof(*e));
    uint32_t i, n;

    if (e) {
        e->image = alloc_aligned(m->size);
    }
    if (!e || !e->image) {
        free(e);
        fail_set(f, VASCEND_CQE_STATUS_BUSY, 0, "out of memory for the image");
        return NULL;
    }
    e->va = m->va;
    e->size = m->size;
    e->checksum = m->checksum;
    e->refs = 1;
    if (!anpu_xfer_gather(e->image, &m->image_xl, cancel)) {
        goto fail;
    }
    e->model = impl->load(e->image, e->size, op_in_table, m, f);
    if (!e->model) {
        goto fail;
    }
    e->num_inputs = impl->num_io(e->model, false);
    e->num_outputs = impl->num_io(e->model, true);
    n = e->num_inputs + e->num_outputs;
    e->io_size = calloc(n ? n : 1, sizeof(*e->io_size));
    if (!e->io_size) {
        fail_set(f, VASCEND_CQE_STATUS_BUSY, 0, "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++) {
        e->io_size[i] = i < e->num_inputs ? impl->io_size(e->model, false, i) :
                        impl->io_size(e->model, true, i - e->num_inputs);
    }
    e->workspace_size = impl->workspace_size(e->model);
    return e;

fail:
    if (e->model) {
        impl->free(e->model);
    }
    free(e->io_size);
    free(e->image);
    free(e);
    return NULL;
}

/* The bindings against what the model needs. */
static bool check_bindings(const struct anpu_mexec *m,
                           const struct anpu_model_entry *e,
                           struct anpu_model_fail *f)
{
    char msg[96];
    uint32_t i;
    uint64_t need;

    if (e->num_inputs != m->nin || e->num_outputs != m->nout) {
        snprintf(msg, sizeof(msg), "the model has %u inputs and %u outputs, "
                 "the task %u and %u", e->num_inputs, e->num_outputs, m->nin,
                 m->nout);
        fail_set(f, VASCEND_CQE_STATUS_INVALID_FIELD,
                 MINFO(VASCEND_MODEL_ERR_COUNT, VASCEND_MODEL_ERR_NONE), msg);
        return false;
    }
    for (i = 0; i < m->nbind; i++) {
        need = i + 1 < m->nbind ? e->io_size[i] : e->workspace_size;
        if (m->bind[i].size < need) {
            snprintf(msg, sizeof(msg), "binding %u has %llu bytes, the model "
                     "needs %llu", i, (unsigned long long)m->bind[i].size,
                     (unsigned long long)need);
            fail_set(f, VASCEND_CQE_STATUS_INVALID_FIELD,
                     MINFO(VASCEND_MODEL_ERR_SIZE, i), msg);
            return false;
        }
    }
    return true;
}

/* The model job: validate if needed, bind, run, write the outputs back. */
static void model_job(struct anpu_job *job, struct anpu_mexec *m,
                      const int *cancel)
{
    const struct anpu_model_impl *impl = anpu_engine_model_impl();
    struct anpu_model_fail *f = &m->fail;
    struct anpu_model_entry *e = m->entry;
    struct hook hk = { &m->disp, cancel, &m->peak };
    struct anpu_model_run r;
    uint8_t **ptr = NULL, **bounce = NULL;
    uint32_t i, nio = m->nin + m->nout;
    uint64_t need;
    bool ok = false;

    if (!e) {
        e = load_entry(m, impl, cancel, f);
        if (!e) {
            job->stopped = anpu_xfer_cancelled(cancel);
            return;
        }
        m->loaded = e;
    }
    if (!check_bindings(m, e, f)) {
        return;
    }
    ptr = calloc(m->nbind, sizeof(*ptr));
    bounce = calloc(m->nbind, sizeof(*bounce));
    if (!ptr || !bounce) {
        fail_set(f, VASCEND_CQE_STATUS_BUSY, 0, "out of memory");
        goto out;
    }
    for (i = 0; i < m->nbind; i++) {
        need = i < nio ? e->io_size[i] : e->workspace_size;
        if (!need) {
            continue;
        }
        if (m->xl[i].segs[0].len >= need &&
            !((uintptr_t)m->xl[i].segs[0].host & (MODEL_ALIGN - 1))) {
            ptr[i] = m->xl[i].segs[0].host;
            continue;
        }
        /* Split or misaligned: the runner works on a copy. */
        bounce[i] = alloc_aligned(need);
        if (!bounce[i]) {
            fail_set(f, VASCEND_CQE_STATUS_BUSY, 0, "out of memory");
            goto out;
        }
        ptr[i] = bounce[i];
        if (i < m->nin && !move_prefix(&m->xl[i], need, bounce[i], true,
                                       cancel, f)) {
            goto out;
        }
    }
    r = (struct anpu_model_run) {
        .image = e->image,
        .image_size = e->size,
        .inputs = ptr,
        .outputs = ptr + m->nin,
        .workspace = ptr[nio],
        .threads = m->threads,
        .reference = m->reference,
        .parallel = dispatch_parallel,
        .hook = &hk,
        .cancel = cancel,
    };
    if (!impl->run(e->model, &r, f)) {
        goto out;
    }
    for (i = m->nin; i < nio; i++) {
        if (bounce[i] && !move_prefix(&m->xl[i], e->io_size[i], bounce[i],
                                      false, cancel, f)) {
            goto out;
        }
    }
    ok = true;
out:
    if (!ok && anpu_xfer_cancelled(cancel)) {
        job->stopped = true;
    }
    for (i = 0; bounce && i < m->nbind; i++) {
        free(bounce[i]);
    }
    free(bounce);
    free(ptr);
}

void anpu_model_run_job(struct anpu_job *job)
{
    struct anpu_task *t = job->task;
    struct anpu_mexec *m = t->mexec;

    if (job->kind == ANPU_JOB_AICORE) {
        helper(job, m, &t->cancel);
        return;
    }
    model_job(job, m, &t->cancel);
    finish_dispatch(m);
}

void anpu_model_abandon(struct anpu_job *job)
{
    if (job->kind == ANPU_JOB_MODEL) {
        finish_dispatch(job->task->mexec);
    }
}
