/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the AI Core engine. A KERNEL_LAUNCH names an op
 * (by the firmware op table's id) and an op descriptor (vascend_op.h); the
 * engine checks the descriptor, asks the op to check its operands, maps
 * every tensor through the context's MMU and runs the op's tiles on the
 * AI Cores: block_dim blocks, block b on core b % cores, each core a job on
 * the worker pool.
 *
 * Ops plug in through struct anpu_op_impl; anpu_engine.c lists the ones the
 * device implements (what firmware op tables may name).
 */
#ifndef ANPU_ENGINE_H
#define ANPU_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_mmu.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"

struct anpu;
struct anpu_task;
struct anpu_job;

/* One input or output, as the op sees it. */
struct anpu_tensor {
    struct vascend_tensor_desc desc;    /* validated copy */
    uint64_t nelem;                     /* elements the shape holds */
    uint32_t esize;                     /* bytes per element */
    uint64_t bytes;                     /* nelem * esize: what the op touches */
    bool output;
    /* Contiguous host view of the bytes, valid while the op runs. */
    uint8_t *data;
};

/* One attribute; @data points into the launch's copy of the descriptor. */
struct anpu_attr {
    char name[VASCEND_OP_ATTR_NAME_LEN + 1];
    uint32_t type;                      /* VASCEND_ATTR_* */
    uint32_t count;
    const uint8_t *data;
};

struct anpu_op_impl;

/* Attributes one descriptor may carry. */
#define ANPU_OP_MAX_ATTRS       64

/* Tiles an AI Core runs between two looks at the cancel flag. */
#define ANPU_TILES_PER_CHECK    16

/* A launch being run: everything the op's callbacks may look at. */
struct anpu_launch {
    const struct anpu_op_impl *op;
    uint32_t op_id;
    uint32_t ninputs;
    uint32_t noutputs;
    struct anpu_tensor t[VASCEND_OP_MAX_TENSORS];
    uint32_t nattrs;
    struct anpu_attr attrs[ANPU_OP_MAX_ATTRS];
    uint8_t *desc;                      /* the descriptor, read once */
    uint32_t desc_size;

    /* Tiling: ntiles units split into nblocks blocks on ncores cores. */
    uint64_t ntiles;
    uint32_t nblocks;
    uint32_t ncores;

    /* Per tensor: its MMU translation and, when split, a bounce buffer. */
    struct anpu_xlate xl[VASCEND_OP_MAX_TENSORS];
    uint8_t *bounce[VASCEND_OP_MAX_TENSORS];
    bool need_gather;
    bool need_scatter;
};

/* An op the AI Cores can run. */
struct anpu_op_impl {
    /* Op type as the firmware op table names it (e.g. "Add"). */
    const char *name;
    /* Implementation version; the op table must name exactly this one. */
    uint32_t version;
    /*
     * Check the tensors and attributes against the op's signature (the
     * engine has checked the descriptor's structure, each tensor's shape
     * against its size, and known dtypes). Return 0, or a
     * VASCEND_OP_ERR_* reason with *operand set (VASCEND_OP_ERR_INFO()).
     */
    uint32_t (*validate)(const struct anpu_launch *l, uint32_t *operand);
    /* Independent units of work of a validated launch (0: nothing to do). */
    uint64_t (*tiles)(const struct anpu_launch *l);
    /*
     * Compute tiles [first, end). Called concurrently for disjoint ranges
     * of the same launch, on worker threads; must not fail (everything
     * that could go wrong was refused by validate).
     */
    void (*run)(const struct anpu_launch *l, uint64_t first, uint64_t end);
};

/* Built-in ops (one file each), listed in anpu_engine.c. */
extern const struct anpu_op_impl anpu_op_test_vector_add;

/* The op the device implements under @name, or NULL. */
const struct anpu_op_impl *anpu_engine_find_op(const char *name);

/* Bytes per element of aclDataType @dtype, 0 when the device has none. */
uint32_t anpu_dtype_size(uint32_t dtype);

/*
 * Check the @size byte descriptor at @buf (a private copy) for @op_id and
 * fill @l's tensors and attributes from it. Returns 0, or the OP_ERROR
 * info (VASCEND_OP_ERR_INFO()) of the first problem. Pure: no memory but
 * @buf and @l is touched, so it can be fuzzed alone.
 */
uint32_t anpu_opdesc_parse(const uint8_t *buf, uint32_t size, uint32_t op_id,
                           struct anpu_launch *l);

/*
 * Everything between the SQE and the AI Cores: reads the descriptor through
 * the task's MMU, checks it, lets the op check it, translates every tensor
 * and chooses the tiling. Returns a VASCEND_CQE_STATUS_*; on success
 * task->launch is set, else @info and @result say why.
 */
uint16_t anpu_engine_prepare(struct anpu *d, struct anpu_task *task,
                             uint32_t *info, uint64_t *result);

/*
 * Submit the launch's next stage (gather, cores, scatter). Returns false
 * when nothing is left to run: the launch is complete.
 */
bool anpu_engine_next_stage(struct anpu *d, struct anpu_task *task);

/* Release a launch's translations and buffers (the BQL side). */
void anpu_engine_free(struct anpu *d, struct anpu_launch *l);

/* The worker side of GATHER, CORE and SCATTER jobs. */
void anpu_engine_run_job(struct anpu_job *job);

#endif /* ANPU_ENGINE_H */
