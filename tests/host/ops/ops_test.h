/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the operator library's host tests: owned tensors,
 * attribute builders, and the comparison with per-dtype tolerances.
 *
 * Tolerances (|got - want| <= atol + rtol * |want|):
 *   fp32, double  rtol 1e-5, atol 1e-5  (ONNX node tests, as the issue asks)
 *   fp16          rtol 2e-3, atol 1e-3  (about two half ULPs)
 *   bf16          rtol 1.6e-2, atol 1e-2 (about two bfloat16 ULPs)
 *   integers, bool exact
 * NaN matches NaN; infinities must match exactly.
 */
#ifndef OPS_TEST_H
#define OPS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"

struct tol {
    double rtol, atol;
};

static inline struct tol tol_for(uint32_t dt, double scale)
{
    struct tol t = { 0, 0 };

    switch (dt) {
    case AOP_DT_FLOAT:
    case AOP_DT_DOUBLE:
        t.rtol = 1e-5 * scale;
        t.atol = 1e-5 * scale;
        break;
    case AOP_DT_FLOAT16:
        t.rtol = 2e-3 * (scale > 1 ? 2 : 1);
        t.atol = 1e-3 * scale;
        break;
    case AOP_DT_BF16:
        t.rtol = 1.6e-2 * (scale > 1 ? 2 : 1);
        t.atol = 1e-2 * scale;
        break;
    default:
        break;
    }
    return t;
}

static inline double ld_any(const void *p, int64_t i, uint32_t dt)
{
    switch (dt) {
    case AOP_DT_FLOAT: return ((const float *)p)[i];
    case AOP_DT_DOUBLE: return ((const double *)p)[i];
    case AOP_DT_FLOAT16: return aop_f16_to_f32(((const uint16_t *)p)[i]);
    case AOP_DT_BF16: return aop_bf16_to_f32(((const uint16_t *)p)[i]);
    case AOP_DT_INT8: return ((const int8_t *)p)[i];
    case AOP_DT_UINT8: return ((const uint8_t *)p)[i];
    case AOP_DT_INT16: return ((const int16_t *)p)[i];
    case AOP_DT_UINT16: return ((const uint16_t *)p)[i];
    case AOP_DT_INT32: return ((const int32_t *)p)[i];
    case AOP_DT_UINT32: return ((const uint32_t *)p)[i];
    case AOP_DT_INT64: return (double)((const int64_t *)p)[i];
    case AOP_DT_UINT64: return (double)((const uint64_t *)p)[i];
    case AOP_DT_BOOL: return ((const uint8_t *)p)[i] != 0;
    default: return 0;
    }
}

/*
 * Compare @n elements; returns the number of mismatches and describes the
 * first in @why.
 */
static inline int64_t compare(const void *got, const void *want, uint32_t dt,
                              int64_t n, struct tol t, char *why, size_t len)
{
    int64_t bad = 0;

    if (why && len) {
        why[0] = 0;
    }
    for (int64_t i = 0; i < n; i++) {
        bool ok;
        if (dt == AOP_DT_INT64) {
            ok = ((const int64_t *)got)[i] == ((const int64_t *)want)[i];
            if (!ok && !bad && why) {
                snprintf(why, len, "element %lld: got %lld, want %lld",
                         (long long)i, (long long)((const int64_t *)got)[i],
                         (long long)((const int64_t *)want)[i]);
            }
        } else {
            double g = ld_any(got, i, dt), w = ld_any(want, i, dt);
            if (isnan(w) || isnan(g)) {
                ok = isnan(w) && isnan(g);
            } else if (isinf(w) || isinf(g)) {
                ok = g == w;
            } else {
                ok = fabs(g - w) <= t.atol + t.rtol * fabs(w);
            }
            if (!ok && !bad && why) {
                snprintf(why, len, "element %lld: got %.9g, want %.9g",
                         (long long)i, g, w);
            }
        }
        if (!ok) {
            bad++;
        }
    }
    return bad;
}

/* An owned tensor. */
static inline void *tens_alloc(struct aop_tensor *t, uint32_t dt,
                               uint32_t ndim, const int64_t *dims)
{
    aop_tensor_init(t, NULL, dt, ndim, dims);
    t->data = calloc(1, t->size ? t->size : 1);
    return t->data;
}

static inline void tens_free(struct aop_tensor *t)
{
    free(t->data);
    t->data = NULL;
}

/* Attribute builders; the data must outlive the launch's prepare. */
static inline struct aop_attr attr_ints(const char *name, const int64_t *v,
                                        uint32_t n)
{
    struct aop_attr a = { name, AOP_ATTR_INT, n, v };
    return a;
}

static inline struct aop_attr attr_floats(const char *name, const float *v,
                                          uint32_t n)
{
    struct aop_attr a = { name, AOP_ATTR_FLOAT, n, v };
    return a;
}

static inline struct aop_attr attr_str(const char *name, const char *s)
{
    struct aop_attr a = { name, AOP_ATTR_STRING, (uint32_t)strlen(s), s };
    return a;
}

#endif /* OPS_TEST_H */
