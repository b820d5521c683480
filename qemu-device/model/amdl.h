/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * amdl: the model runner of the ascend-npu device. It runs an .om model's
 * task list (userspace/om) with the operator library (qemu-device/ops):
 * what the device does for one "model execute" task, and what aclmdlExecute
 * ends up in. Plain C11, no QEMU headers: the device's engine calls it with
 * buffers it has already translated and bounds-checked; host tests and
 * benchmarks call it directly.
 *
 *   amdl_load()       parse and check an .om held in memory (om_parse(),
 *                     op ids against the op table) and copy what execution
 *                     needs (tensors, tasks, attributes) into the model, so
 *                     the .om buffer may change or go away afterwards. The
 *                     weights are not copied: the caller keeps them
 *                     (amdl_weights_span() says where they are in the file)
 *                     and passes them to every execution.
 *   amdl_execute()    run every task in order over the caller's inputs,
 *                     outputs, weights and workspace.
 *
 * Threads: struct aop_ctx.threads (the AI Core count). A task whose launch
 * splits into tiles has its tiles spread over that many threads, through
 * the caller's parallel-for hook (the device's AI Cores) or, without one,
 * OpenMP; a self-threaded launch (oneDNN, OpenBLAS) runs on the calling
 * thread and uses that many threads inside the library.
 *
 * Errors name the task, its ONNX node and op, and the operator library's
 * reason: "task 12 (node 'conv2d_3/BiasAdd', Conv2D): input 1: ...".
 */
#ifndef AMDL_H
#define AMDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aop.h"

#define AMDL_MSG_LEN        384

enum amdl_status {
    AMDL_OK = 0,
    AMDL_E_FILE,        /* not an .om we take (ACL_ERROR_INVALID_FILE) */
    AMDL_E_MODEL,       /* an inconsistent .om (ACL_ERROR_PARSE_MODEL) */
    AMDL_E_NOMEM,
    AMDL_E_ARG,         /* execute: wrong buffer count, size, alignment */
    AMDL_E_OP,          /* a task's op refused or failed */
    AMDL_E_CANCELLED,   /* amdl_execute_cancellable(): stopped between tasks */
};

/**
 * struct amdl_error - why a load or an execution failed
 * @status: enum amdl_status
 * @task: the failing task's index, or -1
 * @op_status: for AMDL_E_OP, the operator library's enum aop_status
 * @msg: NUL-terminated
 */
struct amdl_error {
    int status;
    int task;
    int op_status;
    char msg[AMDL_MSG_LEN];
};

/* One model input or output as the model describes it. */
struct amdl_io {
    const char *name;
    uint32_t dtype;         /* aclDataType */
    uint32_t format;        /* aclFormat */
    uint32_t ndim;
    int64_t dims[AOP_MAX_DIMS];
    uint64_t size;          /* bytes */
};

struct amdl_buffer {
    void *data;
    uint64_t size;
};

/*
 * Run fn(arg, first, count) over [0, n) split into ranges, on up to
 * @threads threads, and return the first non-zero result. The device
 * passes its AI Core dispatch here.
 */
typedef int (*amdl_range_fn)(void *arg, uint32_t first, uint32_t count);
typedef int (*amdl_parallel_fn)(void *hook_arg, uint32_t threads, uint32_t n,
                                amdl_range_fn fn, void *arg);

/**
 * struct amdl_exec - one execution's buffers
 * @inputs, @num_inputs: one per model input, at least its size
 * @outputs, @num_outputs: one per model output, at least its size
 * @weights: the WEIGHTS section's bytes (64-byte aligned)
 * @weights_size: at least the section's size
 * @workspace: amdl_workspace_size() bytes (64-byte aligned), or NULL when 0
 * @workspace_size: at least amdl_workspace_size()
 * @parallel: NULL for OpenMP, else the caller's parallel-for
 * @parallel_arg: its first argument
 * @task_ns: NULL, or amdl_num_tasks() counters to add each task's
 *     wall time to (profiling)
 */
struct amdl_exec {
    const struct amdl_buffer *inputs;
    uint32_t num_inputs;
    const struct amdl_buffer *outputs;
    uint32_t num_outputs;
    const void *weights;
    uint64_t weights_size;
    void *workspace;
    uint64_t workspace_size;
    amdl_parallel_fn parallel;
    void *parallel_arg;
    uint64_t *task_ns;
};

struct amdl_model;

int amdl_load(const void *om, size_t len, struct amdl_model **model,
              struct amdl_error *err);
void amdl_free(struct amdl_model *m);

uint32_t amdl_num_inputs(const struct amdl_model *m);
uint32_t amdl_num_outputs(const struct amdl_model *m);
/* NULL when @i is out of range. Valid while the model is. */
const struct amdl_io *amdl_input(const struct amdl_model *m, uint32_t i);
const struct amdl_io *amdl_output(const struct amdl_model *m, uint32_t i);
uint64_t amdl_workspace_size(const struct amdl_model *m);
/* Where the weights are in the .om file that was loaded. */
void amdl_weights_span(const struct amdl_model *m, uint64_t *offset,
                       uint64_t *size);
uint32_t amdl_num_tasks(const struct amdl_model *m);
/* The task's ONNX node name and CANN op name (for profiles). */
const char *amdl_task_name(const struct amdl_model *m, uint32_t i);
const char *amdl_task_op(const struct amdl_model *m, uint32_t i);

/*
 * Execute every task with @ctx's threads and path. The inputs are only
 * read; the outputs are written completely; the workspace is scratch.
 */
int amdl_execute(const struct amdl_model *m, const struct aop_ctx *ctx,
                 const struct amdl_exec *x, struct amdl_error *err);

/*
 * amdl_execute() that looks at *@cancel (atomically) before every task and
 * stops with AMDL_E_CANCELLED once it is non-zero: the device's reset
 * waits for the task in flight, not for the rest of the model.
 */
int amdl_execute_cancellable(const struct amdl_model *m,
                             const struct aop_ctx *ctx,
                             const struct amdl_exec *x, const int *cancel,
                             struct amdl_error *err);

/*
 * Prepare every task with these buffers and free it again, running
 * nothing: the operator library's checks of every task's operands and
 * attributes. Parameter tensors the ops read while preparing (Slice
 * starts, Gather indices, ...) are read from the buffers as they are, so
 * zero-filled buffers are fine. atc runs this on each model it writes.
 */
int amdl_check(const struct amdl_model *m, const struct aop_ctx *ctx,
               const struct amdl_exec *x, struct amdl_error *err);

const char *amdl_status_name(int status);

#endif /* AMDL_H */
