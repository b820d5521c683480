/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: MODEL_EXECUTE, a whole offline model (.om) run as
 * one task on the AI Cores (vascend_queue_hw.h).
 *
 * The device's thread checks the SQE, reads the image's header and the
 * binding table through the context's MMU, translates every binding (and,
 * the first time, the image), and hands the rest to jobs: one model job
 * that validates the image when it is not cached yet, moves split buffers
 * through bounce buffers and runs the model runner over the task list, and
 * block_dim - 1 AI Core helper jobs that take tiles from it (the runner's
 * parallel hook is the engine's dispatch over the AI Cores). One CQE when
 * everything is back.
 *
 * Validated models are cached per context, keyed by the image's VA, size
 * and the checksum its header carries: the cache holds a private copy of
 * the image (the guest cannot change what was checked) and the runner's
 * parsed model. TLB_INVALIDATE (of a range overlapping the image, or of
 * everything) and RESET_CONTEXT drop entries; so does deleting the context.
 *
 * The model runner itself (qemu-device/model with the operator library) is
 * registered by the environment through struct anpu_model_impl; without
 * one, MODEL_EXECUTE is an unknown opcode.
 */
#ifndef ANPU_MODEL_H
#define ANPU_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "anpu_limits.h"
#include "anpu_mmu.h"
#include "vascend_queue_hw.h"

struct anpu;
struct anpu_ctx;
struct anpu_queue;
struct anpu_task;
struct anpu_job;

/* Why a load or a run failed, as the CQE will say it. */
struct anpu_model_fail {
    uint16_t status;            /* VASCEND_CQE_STATUS_* */
    uint32_t info;              /* VASCEND_MODEL_ERR_INFO() */
    uint64_t result;
    char msg[192];              /* for the device log */
};

/* The AI Cores, as the runner's parallel-for sees them. */
typedef int (*anpu_range_fn)(void *arg, uint32_t first, uint32_t count);

/* One execution, every buffer contiguous and 64-byte aligned. */
struct anpu_model_run {
    const uint8_t *image;       /* the validated private copy (weights) */
    uint64_t image_size;
    uint8_t *const *inputs;     /* each at least the model's size */
    uint8_t *const *outputs;
    uint8_t *workspace;         /* NULL when the model needs none */
    uint32_t threads;           /* AI Cores to use */
    bool reference;             /* the ops' reference path */
    /*
     * Run fn over [0, n) on at most @threads of the AI Cores; the first
     * non-zero result.
     */
    int (*parallel)(void *hook, uint32_t threads, uint32_t n,
                    anpu_range_fn fn, void *arg);
    void *hook;
    /* Read atomically; once set the runner stops before its next task. */
    const int *cancel;
};

/* Is @op_id in the running firmware's op table? */
typedef bool (*anpu_op_ok_fn)(const void *arg, uint32_t op_id);

/*
 * The model runner. Every callback runs on a worker thread except free(),
 * which the device's thread calls; a model is read-only once loaded and
 * may run on several queues at once.
 */
struct anpu_model_impl {
    /*
     * Check @size bytes at @image (a private copy, 64-byte aligned) and
     * parse it; every task's op must pass @op_ok. Returns the model, or
     * NULL with @f set (MODEL_INVALID: FILE, MODEL or OP; BUSY when out of
     * memory).
     */
    void *(*load)(const uint8_t *image, uint64_t size, anpu_op_ok_fn op_ok,
                  const void *op_arg, struct anpu_model_fail *f);
    void (*free)(void *model);
    /* Inputs (@outputs false) or outputs, and the bytes each needs. */
    uint32_t (*num_io)(const void *model, bool outputs);
    uint64_t (*io_size)(const void *model, bool outputs, uint32_t i);
    uint64_t (*workspace_size)(const void *model);
    /* Run every task; false with @f set (OP_ERROR, BUSY, ...). */
    bool (*run)(const void *model, const struct anpu_model_run *r,
                struct anpu_model_fail *f);
};

/* A validated model, shared by the context's cache and running tasks. */
struct anpu_model_entry {
    uint64_t va;
    uint64_t size;
    uint32_t checksum;
    uint8_t *image;             /* private copy, 64-byte aligned */
    void *model;                /* the runner's */
    uint32_t num_inputs;
    uint32_t num_outputs;
    uint64_t *io_size;          /* inputs, then outputs */
    uint64_t workspace_size;
    /* References: the cache's and each task's (device thread only). */
    unsigned int refs;
    /* d->task_seq when last used: the least recent is evicted. */
    uint64_t last_use;
    /*
     * Device thread. The most AI Cores one task spread its tiles over in
     * the last execution with @peak_of cores (@peak_of 0: never run).
     * Later executions with as many cores or fewer start only the helpers
     * that many need (fewer AI Cores only lower a task's count).
     */
    uint32_t peak;
    uint32_t peak_of;
};

/* The validated models of one context (struct anpu_ctx). */
struct anpu_model_cache {
    struct anpu_model_entry *slot[ANPU_MODEL_CACHE_SLOTS];
    /* Bumped by every invalidation: a load started before is not kept. */
    uint64_t gen;
};

/*
 * The engine's dispatch of one model's tiles over its AI Cores: the model
 * job posts a batch and works on it too; helper jobs take tiles while
 * they run. Nobody waits for a helper that has not started, so a pool
 * busy elsewhere only costs parallelism.
 */
struct anpu_dispatch {
    pthread_mutex_t lock;       /* protects everything below */
    pthread_cond_t cond;        /* a batch posted, a tile done, the end */
    anpu_range_fn fn;
    void *arg;
    uint32_t n;                 /* tiles of the batch posted */
    uint32_t next;              /* next tile to take */
    uint32_t running;           /* tiles being run */
    uint32_t limit;             /* at most this many at once */
    int rc;                     /* the batch's first failure */
    bool finished;              /* the model job is done: helpers leave */
};

/* One MODEL_EXECUTE task's state (struct anpu_task.mexec). */
struct anpu_mexec {
    /* Fixed on the device's thread before any job runs. */
    uint64_t va;
    uint64_t size;
    uint32_t checksum;
    uint32_t nin;
    uint32_t nout;
    uint32_t nbind;             /* nin + nout + 1 */
    struct vascend_model_binding *bind;
    struct anpu_xlate *xl;      /* one per binding (empty when size 0) */
    struct anpu_xlate image_xl; /* when not cached */
    struct anpu_model_entry *entry; /* when cached (a reference) */
    uint32_t *ops;              /* the firmware's op ids, sorted */
    uint32_t nops;
    uint32_t threads;
    bool reference;
    uint32_t ctx_id;
    uint64_t cache_gen;
    bool dispatch_ready;
    struct anpu_dispatch disp;

    /* Written by the model job. */
    struct anpu_model_entry *loaded;    /* validated by this task */
    struct anpu_model_fail fail;        /* status 0: success */
    uint32_t peak;                      /* most cores a dispatch asked */
};

/* The SQE's own fields (no memory read): a VASCEND_CQE_STATUS_*. */
uint16_t anpu_model_check_sqe(const struct anpu *d,
                              const struct vascend_sqe *sqe);

/*
 * Read the image's header and the binding table through @ctx's MMU,
 * translate every binding (and the image when it is not cached). Returns
 * a VASCEND_CQE_STATUS_*: on success *@out is the task's state, else
 * @info and @result say why.
 */
uint16_t anpu_model_prepare(struct anpu *d, struct anpu_ctx *ctx,
                            const struct vascend_sqe *sqe,
                            struct anpu_mexec **out, uint32_t *info,
                            uint64_t *result);

/* Submit the model job and its AI Core helpers; false if none went. */
bool anpu_model_submit(struct anpu *d, struct anpu_task *task);

/* The worker side of MODEL and AICORE jobs. */
void anpu_model_run_job(struct anpu_job *job);

/* A MODEL job cancelled before it started: let its helpers go. */
void anpu_model_abandon(struct anpu_job *job);

/* The task is being cancelled: wake helpers waiting for tiles. */
void anpu_model_cancel(struct anpu_task *task);

/*
 * Every job of the task is back: how it ended, and the validated model
 * kept in the context's cache when still valid.
 */
void anpu_model_finish(struct anpu *d, struct anpu_task *task,
                       uint16_t *status, uint32_t *info, uint64_t *result);

/* Free a task's model state (the device's thread). */
void anpu_model_exec_free(struct anpu *d, struct anpu_mexec *m);

/* Drop the cached models of @c overlapping [va, va + size) (0: all). */
void anpu_model_cache_drop(struct anpu *d, struct anpu_ctx *c, uint64_t va,
                           uint64_t size);

#endif /* ANPU_MODEL_H */
