/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * amdl internals: the loaded model, as execution reads it.
 */
#ifndef AMDL_INTERNAL_H
#define AMDL_INTERNAL_H

#include "amdl.h"
#include "om.h"

/* A tensor with its storage resolved (a view carries its base's). */
struct amdl_tensor {
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    uint32_t placement;     /* enum om_placement */
    uint32_t index;         /* input/output number */
    int64_t dims[AOP_MAX_DIMS];
    uint64_t offset;        /* into the weights or the workspace */
    uint64_t size;
};

struct amdl_task {
    uint32_t op_id;
    uint32_t nin, nout;
    const char *name;       /* ONNX node */
    const char *op_name;    /* CANN op type, from the op table */
    const uint32_t *operands;   /* nin inputs, then nout outputs */
    const struct aop_attr *attrs;
    uint32_t nattrs;
};

struct amdl_model {
    void *block;            /* everything below lives in it */
    uint32_t num_inputs, num_outputs, num_tensors, num_tasks;
    uint64_t workspace_size;
    uint64_t weights_offset, weights_size;
    struct amdl_io *io;     /* inputs, then outputs */
    struct amdl_tensor *tensors;
    struct amdl_task *tasks;
    uint32_t *operands;
    struct aop_attr *attrs;
    uint8_t *attr_data;
};

void amdl_fail(struct amdl_error *err, int status, int task, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

#endif /* AMDL_INTERNAL_H */
