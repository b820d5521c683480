/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu: the model runner (amdl) as the engine's struct
 * anpu_model_impl. amdl_load() validates the image (om_parse() and the
 * library's op table), then every task's op must be in the running
 * firmware's op table; amdl_execute_cancellable() runs the task list with
 * the engine's dispatch as its parallel-for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdl.h"
#include "anpu_engine.h"
#include "anpu_model.h"
#include "anpu_oplib.h"
#include "aop.h"

#define MINFO(reason, index)    VASCEND_MODEL_ERR_INFO(reason, index)

static void fail(struct anpu_model_fail *f, uint16_t status, uint32_t info,
                 uint64_t result, const char *msg)
{
    f->status = status;
    f->info = info;
    f->result = result;
    /* Library messages may be longer than the log's line: cut them. */
    snprintf(f->msg, sizeof(f->msg), "%.*s", (int)sizeof(f->msg) - 1, msg);
}

static uint32_t task_op_id(const struct amdl_model *m, uint32_t i)
{
    const char *op = amdl_task_op(m, i);

    return op ? aop_find_cann(op) : 0;
}

static void *model_load(const uint8_t *image, uint64_t size,
                        anpu_op_ok_fn op_ok, const void *op_arg,
                        struct anpu_model_fail *f)
{
    struct amdl_model *m;
    struct amdl_error err;
    char msg[160];
    uint32_t i, id;
    int rc;

    rc = amdl_load(image, size, &m, &err);
    if (rc == AMDL_E_NOMEM) {
        fail(f, VASCEND_CQE_STATUS_BUSY, 0, 0, err.msg);
        return NULL;
    }
    if (rc) {
        fail(f, VASCEND_CQE_STATUS_MODEL_INVALID,
             MINFO(rc == AMDL_E_FILE ? VASCEND_MODEL_ERR_FILE :
                   VASCEND_MODEL_ERR_MODEL, VASCEND_MODEL_ERR_NONE), 0,
             err.msg);
        return NULL;
    }
    for (i = 0; i < amdl_num_tasks(m); i++) {
        id = task_op_id(m, i);
        if (!op_ok(op_arg, id)) {
            snprintf(msg, sizeof(msg), "task %" PRIu32 " (node '%s'): op %s "
                     "(id 0x%04" PRIx32 ") is not in the firmware's op table",
                     i, amdl_task_name(m, i), amdl_task_op(m, i), id);
            fail(f, VASCEND_CQE_STATUS_MODEL_INVALID,
                 MINFO(VASCEND_MODEL_ERR_OP, i), id, msg);
            amdl_free(m);
            return NULL;
        }
    }
    return m;
}

static void model_free(void *model)
{
    amdl_free(model);
}

static uint32_t model_num_io(const void *model, bool outputs)
{
    return outputs ? amdl_num_outputs(model) : amdl_num_inputs(model);
}

static uint64_t model_io_size(const void *model, bool outputs, uint32_t i)
{
    const struct amdl_io *io = outputs ? amdl_output(model, i) :
                               amdl_input(model, i);

    return io ? io->size : 0;
}

static uint64_t model_workspace_size(const void *model)
{
    return amdl_workspace_size(model);
}

/* amdl's parallel-for hook onto the engine's dispatch. */
static int parallel(void *hook_arg, uint32_t threads, uint32_t n,
                    amdl_range_fn fn, void *arg)
{
    const struct anpu_model_run *r = hook_arg;

    return r->parallel(r->hook, threads, n, fn, arg);
}

static bool model_run(const void *model, const struct anpu_model_run *r,
                      struct anpu_model_fail *f)
{
    const struct amdl_model *m = model;
    uint32_t nin = amdl_num_inputs(m), nout = amdl_num_outputs(m), i;
    struct aop_ctx ctx = { .threads = r->threads, .reference = r->reference };
    struct amdl_buffer *in, *out;
    struct amdl_exec x = { 0 };
    struct amdl_error err;
    uint64_t woff, wsize;
    int rc;

    in = calloc(nin + 1, sizeof(*in));
    out = calloc(nout + 1, sizeof(*out));
    if (!in || !out) {
        free(in);
        free(out);
        fail(f, VASCEND_CQE_STATUS_BUSY, 0, 0, "out of memory");
        return false;
    }
    for (i = 0; i < nin; i++) {
        in[i].data = r->inputs[i];
        in[i].size = amdl_input(m, i)->size;
    }
    for (i = 0; i < nout; i++) {
        out[i].data = r->outputs[i];
        out[i].size = amdl_output(m, i)->size;
    }
    amdl_weights_span(m, &woff, &wsize);
    x.inputs = in;
    x.num_inputs = nin;
    x.outputs = out;
    x.num_outputs = nout;
    x.weights = r->image + woff;
    x.weights_size = wsize;
    x.workspace = r->workspace;
    x.workspace_size = amdl_workspace_size(m);
    x.parallel = parallel;
    x.parallel_arg = (void *)r;
    rc = amdl_execute_cancellable(m, &ctx, &x, r->cancel, &err);
    free(in);
    free(out);
    switch (rc) {
    case AMDL_OK:
        return true;
    case AMDL_E_OP:
        if (err.op_status == AOP_E_NOMEM) {
            fail(f, VASCEND_CQE_STATUS_BUSY, 0, 0, err.msg);
            return false;
        }
        fail(f, VASCEND_CQE_STATUS_OP_ERROR,
             MINFO(anpu_oplib_reason(err.op_status), (uint32_t)err.task),
             task_op_id(m, (uint32_t)err.task), err.msg);
        return false;
    case AMDL_E_NOMEM:
        fail(f, VASCEND_CQE_STATUS_BUSY, 0, 0, err.msg);
        return false;
    case AMDL_E_CANCELLED:
        fail(f, VASCEND_CQE_STATUS_ABORTED, 0, 0, err.msg);
        return false;
    default:
        /* The bindings were checked against the model: not expected. */
        fail(f, VASCEND_CQE_STATUS_INVALID_FIELD,
             MINFO(VASCEND_MODEL_ERR_SIZE, VASCEND_MODEL_ERR_NONE), 0,
             err.msg);
        return false;
    }
}

const struct anpu_model_impl anpu_oplib_model = {
    .load = model_load,
    .free = model_free,
    .num_io = model_num_io,
    .io_size = model_io_size,
    .workspace_size = model_workspace_size,
    .run = model_run,
};
