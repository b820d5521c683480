/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Normalisation: BatchNorm (inference: running mean and variance),
 * LayerNorm (over the dims from axis on; optional Mean and InvStdDev
 * outputs as ONNX defines them) and InstanceNorm (per (n, c) plane).
 *
 * BatchNorm reference applies the formula per element; its fast path
 * folds each channel into y = x * a + b first (a tiled, vectorisable
 * loop). LayerNorm and InstanceNorm have one implementation, tiled over
 * rows/planes, statistics in double: it is both paths.
 */
#include <stdlib.h>

#include "aop_internal.h"

/* ---- BatchNorm ---- */

struct bn_plan {
    int64_t N, C, sp;
    float eps;
    uint32_t dt;
    bool nhwc;
};

static int bn_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct bn_plan *p = calloc(1, sizeof(*p));
    int64_t training = 0;
    float momentum;
    char fmt[16];
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 2, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_attr_float(l, "epsilon", NULL, 0.00001f, &p->eps);
    }
    if (!rc) {
        rc = aop_attr_float(l, "momentum", NULL, 0.9f, &momentum);
    }
    if (!rc) {
        rc = aop_attr_int(l, "training_mode", "is_training", 0, &training);
    }
    if (!rc) {
        rc = aop_attr_string(l, "data_format", NULL, fmt, sizeof(fmt), "");
    }
    if (rc) {
        return rc;
    }
    if (training || l->nout > 1) {
        return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                        "training mode (running statistics outputs) not "
                        "supported: inference only");
    }
    p->nhwc = X->format == AOP_FMT_NHWC || strcmp(fmt, "NHWC") == 0;
    if (p->eps < 0 || p->eps != p->eps) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'epsilon' must be >= 0");
    }
    p->dt = X->dtype;
    p->N = X->dims[0];
    p->C = p->nhwc ? X->dims[X->ndim - 1] : X->dims[1];
    p->sp = aop_numel(X) / (p->N * p->C);
    for (uint32_t i = 1; i < 5; i++) {
        const struct aop_tensor *t = &l->in[i];
        rc = aop_want_dtype(l, AOP_IN(i), AOP_DTM_FLOATS);
        if (rc) {
            return rc;
        }
        if (aop_numel(t) != p->C || t->ndim != 1) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(i),
                            "rank %u with %" PRId64 " elements, expected "
                            "[%" PRId64 "]", t->ndim, aop_numel(t), p->C);
        }
    }
    rc = aop_want_out_shape(l, 0, X->ndim, X->dims);
    if (rc) {
        return rc;
    }
    l->tiles = aop_flat_tiles(aop_numel(X));
    return AOP_OK;
}

static int bn_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct bn_plan *p = l->priv;
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;
    int64_t n = p->N * p->C * p->sp;
    float *a = NULL, *b = NULL;

    if (!l->reference) {
        a = malloc((size_t)p->C * 2 * sizeof(float));
        if (!a) {
            return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE,
                            "out of memory");
        }
        b = a + p->C;
        for (int64_t c = 0; c < p->C; c++) {
            float s = aop_ld_f(l->in[1].data, c, l->in[1].dtype);
            float m = aop_ld_f(l->in[3].data, c, l->in[3].dtype);
            float v = aop_ld_f(l->in[4].data, c, l->in[4].dtype);
            a[c] = s / sqrtf(v + p->eps);
            b[c] = aop_ld_f(l->in[2].data, c, l->in[2].dtype) - m * a[c];
        }
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t i0, i1;
        aop_flat_range(n, l->tiles, t, &i0, &i1);
        for (int64_t i = i0; i < i1; i++) {
            int64_t c = p->nhwc ? i % p->C : (i / p->sp) % p->C;
            float x = aop_ld_f(X, i, p->dt), y;
            if (a) {
                y = x * a[c] + b[c];
            } else {
                float s = aop_ld_f(l->in[1].data, c, l->in[1].dtype);
                float bb = aop_ld_f(l->in[2].data, c, l->in[2].dtype);
                float m = aop_ld_f(l->in[3].data, c, l->in[3].dtype);
                float v = aop_ld_f(l->in[4].data, c, l->in[4].dtype);
                y = (x - m) / sqrtf(v + p->eps) * s + bb;
            }
            aop_st_f(Y, i, p->dt, y);
        }
    }
    free(a);
    return AOP_OK;
}

const struct aop_impl aop_impl_batchnorm = {
    .prepare = bn_prepare,
    .run = bn_run,
};

/* ---- LayerNorm ---- */

struct ln_plan {
    int64_t rows, len;
    float eps;
    uint32_t dt;
    bool scale_bcast, bias_bcast;   /* one element, broadcast */
};

static int ln_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct ln_plan *p = calloc(1, sizeof(*p));
    int64_t axis, stash, bpa, sdims[AOP_MAX_DIMS];
    uint32_t ax;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 1, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_attr_int(l, "axis", "begin_norm_axis", -1, &axis);
    }
    if (!rc) {
        rc = aop_attr_int(l, "begin_params_axis", NULL, -1, &bpa);
    }
    if (!rc) {
        rc = aop_attr_float(l, "epsilon", NULL, 0.00001f, &p->eps);
    }
    if (!rc) {
        rc = aop_attr_int(l, "stash_type", NULL, 1, &stash);
    }
    if (!rc) {
        rc = aop_axis(l, "axis", axis, X->ndim, &ax);
    }
    if (rc) {
        return rc;
    }
    if (stash != 1) {
        return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                        "attribute 'stash_type' %" PRId64
                        ": only 1 (fp32 statistics)", stash);
    }
    p->dt = X->dtype;
    p->rows = 1;
    p->len = 1;
    for (uint32_t i = 0; i < X->ndim; i++) {
        if (i < ax) {
            p->rows *= X->dims[i];
            sdims[i] = X->dims[i];
        } else {
            p->len *= X->dims[i];
            sdims[i] = 1;
        }
    }
    for (uint32_t i = 1; i < 3; i++) {
        bool *bc = i == 1 ? &p->scale_bcast : &p->bias_bcast;
        if (!aop_has_in(l, i)) {
            continue;
        }
        rc = aop_want_dtype(l, AOP_IN(i), AOP_DTM_FLOATS);
        if (rc) {
            return rc;
        }
        if (aop_numel(&l->in[i]) == 1 && p->len != 1) {
            *bc = true;
        } else if (aop_numel(&l->in[i]) != p->len) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(i),
                            "%" PRId64 " elements, expected the normalised "
                            "size %" PRId64, aop_numel(&l->in[i]), p->len);
        }
    }
    rc = aop_want_out_shape(l, 0, X->ndim, X->dims);
    for (uint32_t i = 1; !rc && i < 3; i++) {
        if (aop_has_out(l, i)) {
            rc = aop_want_dtype(l, AOP_OUT(i), AOP_DTM(AOP_DT_FLOAT) |
                                AOP_DTM(X->dtype));
            if (!rc) {
                rc = aop_want_out_shape(l, i, X->ndim, sdims);
            }
        }
    }
    if (rc) {
        return rc;
    }
    {
        int64_t t = p->rows * p->len / AOP_TILE_ELEMS + 1;
        if (t > p->rows) {
            t = p->rows;
        }
        l->tiles = t > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)t;
    }
    return AOP_OK;
}

static int ln_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct ln_plan *p = l->priv;
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;

    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(p->rows, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            int64_t base = r * p->len;
            double mean = 0, var = 0, inv;
            for (int64_t i = 0; i < p->len; i++) {
                mean += aop_ld_f(X, base + i, p->dt);
            }
            mean /= (double)p->len;
            for (int64_t i = 0; i < p->len; i++) {
                double d = aop_ld_f(X, base + i, p->dt) - mean;
                var += d * d;
            }
            var /= (double)p->len;
            inv = 1.0 / sqrt(var + p->eps);
            for (int64_t i = 0; i < p->len; i++) {
                double y = (aop_ld_f(X, base + i, p->dt) - mean) * inv;
                if (aop_has_in(l, 1)) {
                    y *= aop_ld_f(l->in[1].data, p->scale_bcast ? 0 : i,
                                  l->in[1].dtype);
                }
                if (aop_has_in(l, 2)) {
                    y += aop_ld_f(l->in[2].data, p->bias_bcast ? 0 : i,
                                  l->in[2].dtype);
                }
                aop_st_f(Y, base + i, p->dt, (float)y);
            }
            if (aop_has_out(l, 1)) {
                aop_st_f(l->out[1].data, r, l->out[1].dtype, (float)mean);
            }
            if (aop_has_out(l, 2)) {
                aop_st_f(l->out[2].data, r, l->out[2].dtype, (float)inv);
            }
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_layernorm = {
    .prepare = ln_prepare,
    .run = ln_run,
};

/* ---- InstanceNorm ---- */

static int in_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct ln_plan *p = calloc(1, sizeof(*p));
    int64_t C;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 3, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_attr_float(l, "epsilon", NULL, 0.00001f, &p->eps);
    }
    if (!rc) {
        rc = aop_want_out_shape(l, 0, X->ndim, X->dims);
    }
    if (rc) {
        return rc;
    }
    C = X->dims[1];
    for (uint32_t i = 1; i < 3; i++) {
        rc = aop_want_dtype(l, AOP_IN(i), AOP_DTM_FLOATS);
        if (rc) {
            return rc;
        }
        if (l->in[i].ndim != 1 || l->in[i].dims[0] != C) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(i),
                            "expected [%" PRId64 "] (the channels)", C);
        }
    }
    p->dt = X->dtype;
    p->rows = X->dims[0] * C;
    p->len = aop_numel(X) / p->rows;
    l->tiles = p->rows > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)p->rows;
    return AOP_OK;
}

static int in_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct ln_plan *p = l->priv;
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;
    int64_t C = l->in[0].dims[1];

    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(p->rows, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            int64_t base = r * p->len, c = r % C;
            double mean = 0, var = 0, inv;
            float s = aop_ld_f(l->in[1].data, c, l->in[1].dtype);
            float b = aop_ld_f(l->in[2].data, c, l->in[2].dtype);
            for (int64_t i = 0; i < p->len; i++) {
                mean += aop_ld_f(X, base + i, p->dt);
            }
            mean /= (double)p->len;
            for (int64_t i = 0; i < p->len; i++) {
                double d = aop_ld_f(X, base + i, p->dt) - mean;
                var += d * d;
            }
            var /= (double)p->len;
            inv = 1.0 / sqrt(var + p->eps);
            for (int64_t i = 0; i < p->len; i++) {
                double y = (aop_ld_f(X, base + i, p->dt) - mean) * inv * s + b;
                aop_st_f(Y, base + i, p->dt, (float)y);
            }
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_instancenorm = {
    .prepare = in_prepare,
    .run = in_run,
};
