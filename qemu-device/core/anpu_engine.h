/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the AI Core engine. A KERNEL_LAUNCH names an op
 * (by the firmware op table's id) and an op descriptor (vascend_op.h); the
 * engine checks the descriptor, maps every tensor through the context's
 * MMU, lets the op check and plan it, and runs the op's tiles on the AI
 * Cores: block_dim blocks, block b on core b % cores, each core a job on
 * the worker pool.
 *
 * Ops plug in through struct anpu_op_impl. The built-in ones (TestVectorAdd)
 * are listed in anpu_engine.c; the operator library's are registered by the
 * environment with anpu_engine_set_lib() (qemu-device/oplib/), together
 * with the model runner MODEL_EXECUTE uses (anpu_model.h). What is
 * registered is what firmware op tables may name.
 */
#ifndef ANPU_ENGINE_H
#define ANPU_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anpu_mmu.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"

struct anpu;
struct anpu_task;
struct anpu_job;
struct anpu_model_impl;

/* One input or output, as the op sees it. */
struct anpu_tensor {
    struct vascend_tensor_desc desc;    /* validated copy */
    uint64_t nelem;                     /* elements the shape holds */
    uint32_t esize;                     /* bytes per element */
    uint64_t bytes;                     /* nelem * esize: what the op touches */
    bool output;
    /* An omitted optional operand (VASCEND_DTYPE_UNDEFINED): no bytes. */
    bool omitted;
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

    /*
     * What the op may use: @threads AI Cores (block_dim, at most the
     * cores and the device's workers), the reference path (the device's
     * ops=reference property). Fixed before the op sees the launch.
     */
    uint32_t threads;
    bool reference;
    /* The op's own state (prepare() sets it, release() frees it). */
    void *priv;
    /*
     * Set by prepare(): the single tile uses @threads threads inside the
     * op, so one core runs it and the launch counts as busy on @threads
     * (which prepare() may lower to what the op's work is worth).
     */
    bool self_threaded;
    /* The self-threaded tile already ran with prepare() (same thread). */
    bool ran;

    /* Tiling: ntiles units split into nblocks blocks on ncores cores. */
    uint64_t ntiles;
    uint32_t block_dim;                 /* as the SQE asked (0: device's) */
    uint32_t nblocks;
    uint32_t ncores;

    /*
     * Outcome of the worker-side steps: prepare()'s refusal (status and
     * info), then the first run() failure (an OP_ERROR info, written once
     * with an atomic compare-and-swap by whichever core fails first).
     */
    uint16_t prep_status;
    uint32_t prep_info;
    uint32_t run_info;

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
     * The id the op table must list it under (the operator library's stable
     * id, which .om models name), or 0: any id the firmware chooses.
     */
    uint32_t op_id;
    /*
     * Optional. Checks that need no tensor data, on the device's thread,
     * before any tensor is translated (the engine has checked the
     * descriptor's structure, each tensor's shape against its size, and
     * known dtypes). Return 0, or a VASCEND_OP_ERR_* reason with *operand
     * set (VASCEND_OP_ERR_INFO()).
     */
    uint32_t (*validate)(const struct anpu_launch *l, uint32_t *operand);
    /*
     * Optional. Checks and planning that read tensor data (parameter
     * tensors such as Gather's indices), on a worker thread once every
     * tensor is mapped and gathered; sets l->priv and l->self_threaded.
     * Return VASCEND_CQE_STATUS_SUCCESS, OP_ERROR with *info =
     * VASCEND_OP_ERR_INFO(reason, operand), or BUSY (out of memory).
     */
    uint16_t (*prepare)(struct anpu_launch *l, uint32_t *info);
    /* Independent units of work of a checked launch (0: nothing to do). */
    uint64_t (*tiles)(const struct anpu_launch *l);
    /*
     * Compute tiles [first, end). Called concurrently for disjoint ranges
     * of the same launch, on worker threads. Return 0, or the OP_ERROR
     * info of a failure the checks could not foresee (a backing library
     * refusing).
     */
    uint32_t (*run)(struct anpu_launch *l, uint64_t first, uint64_t end);
    /* Optional: free l->priv (the device's thread, after every job). */
    void (*release)(struct anpu_launch *l);
};

/* Built-in ops (one file each), listed in anpu_engine.c. */
extern const struct anpu_op_impl anpu_op_test_vector_add;

/*
 * What the environment adds to the built-in ops: the operator library's
 * ops and the model runner (NULL: MODEL_EXECUTE is INVALID_OPCODE).
 * Registered once, before any device is created; read-only afterwards.
 */
struct anpu_engine_lib {
    const struct anpu_op_impl *const *ops;
    size_t nops;
    const struct anpu_model_impl *model;
};

/* Register @lib (NULL: only the built-ins again). Not thread-safe. */
void anpu_engine_set_lib(const struct anpu_engine_lib *lib);

/* The model runner registered, or NULL. */
const struct anpu_model_impl *anpu_engine_model_impl(void);

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

/* Worker threads the device's jobs run on: min(aicores, ANPU_MAX_WORKERS). */
uint32_t anpu_engine_workers(const struct anpu *d);

/*
 * Everything between the SQE and the AI Cores on the device's thread:
 * reads the descriptor through the task's MMU, checks it, lets the op
 * check it, translates every tensor. Returns a VASCEND_CQE_STATUS_*; on
 * success task->launch is set, else @info and @result say why.
 */
uint16_t anpu_engine_prepare(struct anpu *d, struct anpu_task *task,
                             uint32_t *info, uint64_t *result);

/*
 * Submit the launch's next stage (gather and prepare, cores, scatter).
 * Returns true when a stage was submitted; false when the launch is over,
 * with *@status (and @info, @result) saying how it ended.
 */
bool anpu_engine_next_stage(struct anpu *d, struct anpu_task *task,
                            uint16_t *status, uint32_t *info,
                            uint64_t *result);

/* Release a launch's translations and buffers (the BQL side). */
void anpu_engine_free(struct anpu *d, struct anpu_launch *l);

/* The worker side of GATHER, CORE and SCATTER jobs. */
void anpu_engine_run_job(struct anpu_job *job);

/*
 * Telemetry for a job handed back: AI Core job->core was busy while it
 * computed; a self-threaded launch counts on all the cores it used.
 */
void anpu_engine_account(struct anpu *d, const struct anpu_job *job);

#endif /* ANPU_ENGINE_H */
