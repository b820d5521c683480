/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unary ops and activations: Relu, LeakyRelu, Sigmoid, HardSigmoid,
 * HardSwish, Tanh, Gelu, Erf, Exp, Log, Sqrt, Reciprocal, Abs, Neg, and
 * ClipByValue/Clip.
 *
 * Float dtypes compute in fp32 with libm's float functions; Relu, Abs, Neg
 * and Clip also take integers (computed in int64, wrapping like ONNX: Abs
 * and Neg of the most negative value give itself).
 *
 * Reference: element by element through the n-d iterator (inputs may be
 * strided). Fast: contiguous rows in chunks of fp32 (fp16/bf16 converted in
 * bulk) through one loop per op with the switch hoisted out, which the
 * compiler vectorises for the cheap ops.
 */
#include <stdlib.h>

#include "aop_internal.h"

#define CHUNK 512

struct un_plan {
    int kind;
    float alpha, beta;
    bool gelu_tanh;
    /* Clip */
    bool has_min, has_max;
    double min, max;
    int64_t n;
};

static float un_f(const struct un_plan *p, float x)
{
    switch (p->kind) {
    case AOP_UN_RELU:
        return x < 0 ? 0.0f : x;
    case AOP_UN_LEAKY_RELU:
        return x < 0 ? p->alpha * x : x;
    case AOP_UN_SIGMOID:
        return 1.0f / (1.0f + expf(-x));
    case AOP_UN_HARD_SIGMOID:
        return fmaxf(0.0f, fminf(1.0f, p->alpha * x + p->beta));
    case AOP_UN_HARD_SWISH:
        return x * fmaxf(0.0f, fminf(1.0f, x / 6.0f + 0.5f));
    case AOP_UN_TANH:
        return tanhf(x);
    case AOP_UN_GELU:
        if (p->gelu_tanh) {
            const float k = 0.7978845608028654f;    /* sqrt(2 / pi) */
            return 0.5f * x * (1.0f + tanhf(k * (x + 0.044715f * x * x * x)));
        }
        return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case AOP_UN_ERF:
        return erff(x);
    case AOP_UN_EXP:
        return expf(x);
    case AOP_UN_LOG:
        return logf(x);
    case AOP_UN_SQRT:
        return sqrtf(x);
    case AOP_UN_RECIPROCAL:
        return 1.0f / x;
    case AOP_UN_ABS:
        return fabsf(x);
    case AOP_UN_NEG:
        return -x;
    case -1:    /* Clip: NaN passes through */
        if (p->has_min && x < p->min) {
            x = (float)p->min;
        }
        if (p->has_max && x > p->max) {
            x = (float)p->max;
        }
        return x;
    default:
        return x;
    }
}

static int64_t un_i(const struct un_plan *p, int64_t x)
{
    switch (p->kind) {
    case AOP_UN_RELU:
        return x < 0 ? 0 : x;
    case AOP_UN_ABS:
        return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
    case AOP_UN_NEG:
        return (int64_t)(0 - (uint64_t)x);
    case -1:
        if (p->has_min && (double)x < p->min) {
            x = (int64_t)p->min;
        }
        if (p->has_max && (double)x > p->max) {
            x = (int64_t)p->max;
        }
        return x;
    default:
        return x;
    }
}

/* The fast loop: same formulas, switch outside the loop. */
static void un_f32(const struct un_plan *p, float *o, const float *x,
                   int64_t n)
{
    int64_t i;

    switch (p->kind) {
    case AOP_UN_RELU:
        for (i = 0; i < n; i++) {
            o[i] = x[i] < 0 ? 0.0f : x[i];
        }
        break;
    case AOP_UN_LEAKY_RELU:
        for (i = 0; i < n; i++) {
            o[i] = x[i] < 0 ? p->alpha * x[i] : x[i];
        }
        break;
    case AOP_UN_ABS:
        for (i = 0; i < n; i++) {
            o[i] = fabsf(x[i]);
        }
        break;
    case AOP_UN_NEG:
        for (i = 0; i < n; i++) {
            o[i] = -x[i];
        }
        break;
    case AOP_UN_RECIPROCAL:
        for (i = 0; i < n; i++) {
            o[i] = 1.0f / x[i];
        }
        break;
    case AOP_UN_SQRT:
        for (i = 0; i < n; i++) {
            o[i] = sqrtf(x[i]);
        }
        break;
    default:
        for (i = 0; i < n; i++) {
            o[i] = un_f(p, x[i]);
        }
        break;
    }
}

struct un_row {
    const struct un_plan *p;
    const struct aop_nd *nd;
    const char *x;
    char *o;
    uint32_t dt_x, dt_o;
    bool fast;
};

static void un_row_cb(void *arg, const int64_t *offs, int64_t n)
{
    const struct un_row *r = arg;
    uint32_t last = r->nd->ndim - 1;
    int64_t so = r->nd->strides[0][last], sx = r->nd->strides[1][last];
    size_t es = aop_dtype_size(r->dt_x);
    float bx[CHUNK], bo[CHUNK];

    if (r->fast && aop_dt_is_float(r->dt_x) && so == 1 && sx == 1) {
        for (int64_t i = 0; i < n; i += CHUNK) {
            int64_t m = n - i < CHUNK ? n - i : CHUNK;
            const char *src = r->x + (size_t)(offs[1] + i) * es;
            char *dst = r->o + (size_t)(offs[0] + i) * es;
            if (r->dt_x == AOP_DT_FLOAT) {
                un_f32(r->p, (float *)(void *)dst,
                       (const float *)(const void *)src, m);
            } else {
                aop_to_f32_n(src, r->dt_x, bx, m);
                un_f32(r->p, bo, bx, m);
                aop_from_f32_n(bo, dst, r->dt_o, m);
            }
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t io = offs[0] + i * so, ix = offs[1] + i * sx;
        if (aop_dt_is_float(r->dt_x)) {
            aop_st_f(r->o, io, r->dt_o, un_f(r->p, aop_ld_f(r->x, ix,
                                                            r->dt_x)));
        } else {
            aop_st_i(r->o, io, r->dt_o, un_i(r->p, aop_ld_i(r->x, ix,
                                                            r->dt_x)));
        }
    }
}

static int un_common(struct aop_launch *l, struct un_plan *p, uint64_t mask)
{
    int rc = aop_want_dtype(l, AOP_IN(0), mask);

    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_out_shape(l, 0, l->in[0].ndim, l->in[0].dims);
    }
    if (rc) {
        return rc;
    }
    p->n = aop_numel(&l->out[0]);
    l->tiles = aop_flat_tiles(p->n);
    return AOP_OK;
}

static int un_prepare(struct aop_launch *l)
{
    struct un_plan *p = calloc(1, sizeof(*p));
    char approx[16];
    uint64_t mask = AOP_DTM_FLOATS;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->kind = l->op->kind;
    switch (p->kind) {
    case AOP_UN_RELU:
    case AOP_UN_ABS:
    case AOP_UN_NEG:
        mask |= AOP_DTM_INTS;
        break;
    case AOP_UN_LEAKY_RELU:
        rc = aop_attr_float(l, "alpha", "negative_slope", 0.01f, &p->alpha);
        if (rc) {
            return rc;
        }
        break;
    case AOP_UN_HARD_SIGMOID:
        rc = aop_attr_float(l, "alpha", NULL, 0.2f, &p->alpha);
        if (!rc) {
            rc = aop_attr_float(l, "beta", NULL, 0.5f, &p->beta);
        }
        if (rc) {
            return rc;
        }
        break;
    case AOP_UN_GELU:
        rc = aop_attr_string(l, "approximate", NULL, approx, sizeof(approx),
                             "none");
        if (rc) {
            return rc;
        }
        if (strcmp(approx, "tanh") == 0) {
            p->gelu_tanh = true;
        } else if (strcmp(approx, "none") != 0) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'approximate': '%s', expected none "
                            "or tanh", approx);
        }
        break;
    default:
        break;
    }
    return un_common(l, p, mask);
}

static int un_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct un_plan *p = l->priv;
    const struct aop_tensor *out = &l->out[0];
    struct aop_nd nd = { .ndim = out->ndim, .nops = 2 };
    struct un_row r = {
        .p = p, .nd = &nd, .x = l->in[0].data, .o = out->data,
        .dt_x = l->in[0].dtype, .dt_o = out->dtype, .fast = !l->reference,
    };

    memcpy(nd.dims, out->dims, sizeof(nd.dims));
    aop_nd_set(&nd, 0, out);
    aop_nd_set(&nd, 1, &l->in[0]);
    aop_nd_coalesce(&nd);
    for (uint32_t t = first; t < end; t++) {
        int64_t b0, b1;
        aop_flat_range(p->n, l->tiles, t, &b0, &b1);
        aop_nd_walk(&nd, b0, b1, un_row_cb, &r);
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_unary = {
    .prepare = un_prepare,
    .run = un_run,
};

/* ClipByValue / Clip: bounds from inputs 1 and 2, or (opset < 11) attrs. */
static int clip_prepare(struct aop_launch *l)
{
    struct un_plan *p = calloc(1, sizeof(*p));
    float f;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->kind = -1;
    for (uint32_t i = 1; i < 3; i++) {
        bool *has = i == 1 ? &p->has_min : &p->has_max;
        double *v = i == 1 ? &p->min : &p->max;
        if (!aop_has_in(l, i)) {
            continue;
        }
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(i));
        if (!rc) {
            rc = aop_read_scalar(l, AOP_IN(i), v);
        }
        if (rc) {
            return rc;
        }
        *has = true;
    }
    if (aop_attr_has(l, "min")) {
        rc = aop_attr_float(l, "min", NULL, 0, &f);
        if (rc) {
            return rc;
        }
        p->has_min = true;
        p->min = f;
    }
    if (aop_attr_has(l, "max")) {
        rc = aop_attr_float(l, "max", NULL, 0, &f);
        if (rc) {
            return rc;
        }
        p->has_max = true;
        p->max = f;
    }
    return un_common(l, p, AOP_DTM_FLOATS | AOP_DTM_INTS);
}

const struct aop_impl aop_impl_clip = {
    .prepare = clip_prepare,
    .run = un_run,
};
