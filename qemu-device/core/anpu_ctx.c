/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: contexts (page table roots and their
 * translation caches) and the HBM-in-use figure TELEMETRY reports.
 */
#include <stdlib.h>

#include "anpu.h"
#include "anpu_ctx.h"

struct anpu_ctx *anpu_ctx_get(struct anpu *d, uint32_t id)
{
    if (id == 0 || id >= ANPU_MAX_CONTEXTS) {
        return NULL;
    }
    return d->ctxs[id];
}

struct anpu_ctx *anpu_ctx_create(struct anpu *d, uint32_t id,
                                 uint64_t pt_root)
{
    struct anpu_ctx *c = calloc(1, sizeof(*c));

    if (!c) {
        return NULL;
    }
    c->id = id;
    c->pt_root = pt_root;
    c->hbm_dirty = true;
    anpu_mmu_ctx_init(&c->mmu, pt_root);
    d->ctxs[id] = c;
    d->contexts++;
    anpu_trace(d, ANPU_TRACE_CTX_CREATE, id, 0, 0, 0, pt_root, 0, NULL);
    return c;
}

void anpu_ctx_delete(struct anpu *d, uint32_t id)
{
    struct anpu_ctx *c = anpu_ctx_get(d, id);

    if (!c) {
        return;
    }
    d->ctxs[id] = NULL;
    d->contexts--;
    anpu_model_cache_drop(d, c, 0, 0);
    free(c);
    anpu_trace(d, ANPU_TRACE_CTX_DELETE, id, 0, 0, 0, 0, 0, NULL);
}

void anpu_ctx_delete_all(struct anpu *d)
{
    uint32_t id;

    for (id = 1; id < ANPU_MAX_CONTEXTS; id++) {
        anpu_ctx_delete(d, id);
    }
}

void anpu_ctx_invalidate(struct anpu *d, struct anpu_ctx *c, uint64_t va,
                         uint64_t size)
{
    anpu_mmu_invalidate(&c->mmu, va, size);
    /* A model validated through the old mapping may no longer be there. */
    anpu_model_cache_drop(d, c, va, size);
    /* The driver changed the table: the HBM count is stale too. */
    c->hbm_dirty = true;
}

uint64_t anpu_ctx_hbm_mapped(struct anpu *d)
{
    struct anpu_ctx *c;
    uint64_t sum = 0;
    uint32_t id;
    bool complete;

    for (id = 1; id < ANPU_MAX_CONTEXTS; id++) {
        c = d->ctxs[id];
        if (!c) {
            continue;
        }
        if (c->hbm_dirty) {
            c->hbm_mapped = anpu_mmu_count_hbm(&d->mmu_env, c->pt_root,
                                               ANPU_HBM_COUNT_BUDGET,
                                               &complete);
            /* A walk cut short by the budget is retried next time. */
            c->hbm_dirty = !complete;
        }
        sum += c->hbm_mapped;
    }
    return sum;
}
