/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: contexts. A context is a page table root
 * (vascend_mmu_hw.h) and the translation cache in front of it; IO queues
 * are bound to one, and every address their tasks name goes through it.
 */
#ifndef ANPU_CTX_H
#define ANPU_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_mmu.h"
#include "anpu_model.h"

struct anpu;

struct anpu_ctx {
    uint32_t id;
    uint64_t pt_root;
    struct anpu_mmu_ctx mmu;
    /* IO queues bound to this context. */
    uint32_t nqueues;
    /* HBM its page table maps, as last walked; stale when dirty. */
    uint64_t hbm_mapped;
    bool hbm_dirty;
    /* MODEL_EXECUTE's validated models. */
    struct anpu_model_cache models;
};

/* The context @id, or NULL (any @id is safe). */
struct anpu_ctx *anpu_ctx_get(struct anpu *d, uint32_t id);

/* Create context @id (checked by the caller: free, in range). */
struct anpu_ctx *anpu_ctx_create(struct anpu *d, uint32_t id,
                                 uint64_t pt_root);

/* Delete context @id (no queue may use it). */
void anpu_ctx_delete(struct anpu *d, uint32_t id);

/* Delete every context. */
void anpu_ctx_delete_all(struct anpu *d);

/* Drop cached translations of [va, va + size) (size 0: all). */
void anpu_ctx_invalidate(struct anpu *d, struct anpu_ctx *c, uint64_t va,
                         uint64_t size);

/* HBM bytes mapped by every context's page table (bounded walks). */
uint64_t anpu_ctx_hbm_mapped(struct anpu *d);

#endif /* ANPU_CTX_H */
