/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SoftmaxV2 / LogSoftmaxV2 (ONNX Softmax, LogSoftmax, opset 13 semantics:
 * over one axis, default the last).
 *
 * Reference: per row along the axis, max-subtracted, sums in double.
 * Fast: oneDNN softmax / logsoftmax for fp32; fp16/bf16 rows in fp32
 * with float sums, tiled over the rows.
 */
#include <stdlib.h>

#include "aop_dnnl.h"

struct sm_plan {
    bool log;
    int64_t outer, axis_len, inner;
    uint32_t dt;
    dnnl_primitive_t prim;
    dnnl_memory_desc_t md;
};

static void sm_dnnl_try(struct aop_launch *l, struct sm_plan *p,
                        uint32_t axis)
{
    const struct aop_tensor *X = &l->in[0];
    dnnl_dims_t dims, strides;
    dnnl_primitive_desc_t pd;
    dnnl_status_t st;
    union {
        dnnl_softmax_desc_t sm;
        dnnl_logsoftmax_desc_t lsm;
    } d;
    int64_t s = 1;

    if (p->dt != AOP_DT_FLOAT || !aop_dnnl_engine() || X->ndim < 1 ||
        X->ndim > DNNL_MAX_NDIMS) {
        return;
    }
    for (int i = (int)X->ndim - 1; i >= 0; i--) {
        dims[i] = X->dims[i];
        strides[i] = s;
        s *= X->dims[i];
    }
    if (dnnl_memory_desc_init_by_strides(&p->md, (int)X->ndim, dims, dnnl_f32,
                                         strides) != dnnl_success) {
        return;
    }
    if (p->log) {
        st = dnnl_logsoftmax_forward_desc_init(&d.lsm, dnnl_forward_inference,
                                               &p->md, (int)axis);
    } else {
        st = dnnl_softmax_forward_desc_init(&d.sm, dnnl_forward_inference,
                                            &p->md, (int)axis);
    }
    if (st != dnnl_success ||
        dnnl_primitive_desc_create(&pd, &d, NULL, aop_dnnl_engine(), NULL)
        != dnnl_success) {
        return;
    }
    if (dnnl_primitive_create(&p->prim, pd) != dnnl_success) {
        p->prim = NULL;
    }
    dnnl_primitive_desc_destroy(pd);
}

static int sm_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct sm_plan *p = calloc(1, sizeof(*p));
    int64_t axis, axes[AOP_MAX_DIMS];
    uint32_t ax, n;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->log = l->op->kind == AOP_SM_LOGSOFTMAX;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 1, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_want_out_shape(l, 0, X->ndim, X->dims);
    }
    if (!rc) {
        rc = aop_attr_int(l, "axis", NULL, -1, &axis);
    }
    if (!rc) {
        rc = aop_attr_ints(l, "axes", NULL, axes, AOP_MAX_DIMS, &n);
    }
    if (rc) {
        return rc;
    }
    if (n > 1) {
        return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                        "attribute 'axes': %u axes, only one supported", n);
    }
    if (n == 1) {
        axis = axes[0];
    }
    rc = aop_axis(l, "axis", axis, X->ndim, &ax);
    if (rc) {
        return rc;
    }
    p->dt = X->dtype;
    p->outer = p->inner = 1;
    for (uint32_t i = 0; i < X->ndim; i++) {
        if (i < ax) {
            p->outer *= X->dims[i];
        } else if (i > ax) {
            p->inner *= X->dims[i];
        }
    }
    p->axis_len = X->dims[ax];
    if (!l->reference) {
        /* created for the threads that will run it */
        aop_dnnl_threads(l->threads);
        sm_dnnl_try(l, p, ax);
    }
    if (p->prim) {
        l->tiles = 1;
        l->self_threaded = true;
    } else {
        int64_t rows = p->outer * p->inner;
        int64_t t = (rows * p->axis_len) / (1 << 16) + 1;
        if (t > rows) {
            t = rows;
        }
        l->tiles = t > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)t;
    }
    return AOP_OK;
}

static void sm_row(const struct aop_launch *l, const struct sm_plan *p,
                   int64_t row)
{
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;
    int64_t o = row / p->inner, in = row % p->inner;
    int64_t base = o * p->axis_len * p->inner + in, s = p->inner;
    float mx = -INFINITY;
    double sum = 0;

    for (int64_t i = 0; i < p->axis_len; i++) {
        float v = aop_ld_f(X, base + i * s, p->dt);
        if (v > mx || v != v) {
            mx = v;
        }
    }
    for (int64_t i = 0; i < p->axis_len; i++) {
        sum += exp((double)aop_ld_f(X, base + i * s, p->dt) - mx);
    }
    for (int64_t i = 0; i < p->axis_len; i++) {
        double v = (double)aop_ld_f(X, base + i * s, p->dt) - mx;
        aop_st_f(Y, base + i * s, p->dt,
                 (float)(p->log ? v - log(sum) : exp(v) / sum));
    }
}

static int sm_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    struct sm_plan *p = l->priv;
    int64_t rows = p->outer * p->inner;

    if (!l->reference && p->prim) {
        dnnl_memory_t ms = NULL, md = NULL;
        dnnl_exec_arg_t args[2];
        dnnl_status_t st;

        aop_dnnl_threads(l->threads);
        st = dnnl_memory_create(&ms, &p->md, aop_dnnl_engine(),
                                l->in[0].data);
        if (st == dnnl_success) {
            st = dnnl_memory_create(&md, &p->md, aop_dnnl_engine(),
                                    l->out[0].data);
        }
        if (st == dnnl_success) {
            args[0] = (dnnl_exec_arg_t){ DNNL_ARG_SRC, ms };
            args[1] = (dnnl_exec_arg_t){ DNNL_ARG_DST, md };
            st = aop_dnnl_exec(p->prim, 2, args);
        }
        dnnl_memory_destroy(ms);
        dnnl_memory_destroy(md);
        return st == dnnl_success ? AOP_OK : aop_dnnl_fail(l, "softmax", st);
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(rows, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            sm_row(l, p, r);
        }
    }
    return AOP_OK;
}

static void sm_cleanup(struct aop_launch *l)
{
    struct sm_plan *p = l->priv;

    if (p && p->prim) {
        dnnl_primitive_destroy(p->prim);
    }
}

const struct aop_impl aop_impl_softmax = {
    .prepare = sm_prepare,
    .run = sm_run,
    .cleanup = sm_cleanup,
};
