/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ReduceSum, ReduceMean, ReduceMax, ReduceMin over any set of axes (an
 * attribute, or input 1 as ONNX ReduceSum-13 and CANN's non-D ops take
 * it), keepdims, noop_with_empty_axes.
 *
 * Floats accumulate in double and round once; integers sum in int64 (the
 * mean truncates); Max/Min propagate NaN. One implementation, tiled over
 * output elements, serves both paths.
 */
#include <stdlib.h>

#include "aop_internal.h"

struct red_plan {
    int kind;
    bool noop;
    uint32_t nk, nr;                /* kept and reduced dims */
    int64_t kdims[AOP_MAX_DIMS], kstr[AOP_MAX_DIMS];
    int64_t rdims[AOP_MAX_DIMS], rstr[AOP_MAX_DIMS];
    int64_t nout, nred;
    uint32_t dt;
};

static int red_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct red_plan *p = calloc(1, sizeof(*p));
    int64_t axes[AOP_MAX_DIMS], keep = 1, noop = 0, odims[AOP_MAX_DIMS];
    int64_t str[AOP_MAX_DIMS], s = 1;
    bool red[AOP_MAX_DIMS] = { false };
    uint32_t naxes = 0, ond = 0;
    uint64_t mask = AOP_DTM_FLOATS | AOP_DTM_INDEX;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->kind = l->op->kind;
    if (p->kind == AOP_RED_MAX || p->kind == AOP_RED_MIN) {
        mask |= AOP_DTM(AOP_DT_INT8) | AOP_DTM(AOP_DT_UINT8);
    }
    rc = aop_want_dtype(l, AOP_IN(0), mask);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_attr_int(l, "keepdims", "keep_dims", 1, &keep);
    }
    if (!rc) {
        rc = aop_attr_int(l, "noop_with_empty_axes", NULL, 0, &noop);
    }
    if (!rc) {
        rc = aop_attr_ints(l, "axes", NULL, axes, AOP_MAX_DIMS, &naxes);
    }
    if (rc) {
        return rc;
    }
    if (aop_has_in(l, 1)) {
        if (naxes) {
            return aop_fail(l, AOP_E_OPERANDS, AOP_IN(1),
                            "axes given both as input and attribute");
        }
        rc = aop_read_ints(l, AOP_IN(1), axes, AOP_MAX_DIMS, &naxes);
        if (rc) {
            return rc;
        }
    }
    for (uint32_t i = 0; i < naxes; i++) {
        uint32_t a;
        rc = aop_axis(l, "axes", axes[i], X->ndim, &a);
        if (rc) {
            return rc;
        }
        if (red[a]) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "axis %" PRId64 " repeated", axes[i]);
        }
        red[a] = true;
    }
    if (naxes == 0 && !noop) {
        for (uint32_t i = 0; i < X->ndim; i++) {
            red[i] = true;
        }
    }
    p->noop = naxes == 0 && noop;
    for (int i = (int)X->ndim - 1; i >= 0; i--) {
        str[i] = s;
        s *= X->dims[i];
    }
    p->nout = p->nred = 1;
    for (uint32_t i = 0; i < X->ndim; i++) {
        if (red[i]) {
            p->rdims[p->nr] = X->dims[i];
            p->rstr[p->nr++] = str[i];
            p->nred *= X->dims[i];
            if (keep) {
                odims[ond++] = 1;
            }
        } else {
            p->kdims[p->nk] = X->dims[i];
            p->kstr[p->nk++] = str[i];
            p->nout *= X->dims[i];
            odims[ond++] = X->dims[i];
        }
    }
    rc = aop_want_out_shape(l, 0, ond, odims);
    if (rc) {
        return rc;
    }
    p->dt = X->dtype;
    {
        int64_t t = p->nout * p->nred / AOP_TILE_ELEMS + 1;
        if (t > p->nout) {
            t = p->nout;
        }
        l->tiles = t > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)t;
    }
    return AOP_OK;
}

static void red_one(const struct aop_launch *l, const struct red_plan *p,
                    int64_t o)
{
    const void *X = l->in[0].data;
    int64_t base = 0, rem = o, coord[AOP_MAX_DIMS];
    bool flt = aop_dt_is_float(p->dt);
    double acc = 0;
    int64_t iacc = 0;
    bool first = true;

    for (int i = (int)p->nk - 1; i >= 0; i--) {
        base += (rem % p->kdims[i]) * p->kstr[i];
        rem /= p->kdims[i];
    }
    for (uint32_t i = 0; i < p->nr; i++) {
        coord[i] = 0;
    }
    for (int64_t r = 0; r < p->nred; r++) {
        int64_t off = base;
        for (uint32_t i = 0; i < p->nr; i++) {
            off += coord[i] * p->rstr[i];
        }
        if (flt) {
            double v = aop_ld_f(X, off, p->dt);
            switch (p->kind) {
            case AOP_RED_SUM:
            case AOP_RED_MEAN:
                acc += v;
                break;
            case AOP_RED_MAX:
                if (first || v > acc || (v != v && acc == acc)) {
                    acc = v;
                }
                break;
            default:
                if (first || v < acc || (v != v && acc == acc)) {
                    acc = v;
                }
                break;
            }
        } else {
            int64_t v = aop_ld_i(X, off, p->dt);
            switch (p->kind) {
            case AOP_RED_SUM:
            case AOP_RED_MEAN:
                iacc = (int64_t)((uint64_t)iacc + (uint64_t)v);
                break;
            case AOP_RED_MAX:
                iacc = first || v > iacc ? v : iacc;
                break;
            default:
                iacc = first || v < iacc ? v : iacc;
                break;
            }
        }
        first = false;
        for (int i = (int)p->nr - 1; i >= 0; i--) {
            if (++coord[i] < p->rdims[i]) {
                break;
            }
            coord[i] = 0;
        }
    }
    if (p->kind == AOP_RED_MEAN) {
        acc /= (double)p->nred;
        iacc /= p->nred;
    }
    if (flt) {
        aop_st_d(l->out[0].data, o, p->dt, acc);
    } else {
        aop_st_i(l->out[0].data, o, p->dt, iacc);
    }
}

static int red_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct red_plan *p = l->priv;

    for (uint32_t t = first; t < end; t++) {
        int64_t o0, o1;
        aop_flat_range(p->nout, l->tiles, t, &o0, &o1);
        if (p->noop) {
            size_t es = aop_dtype_size(p->dt);
            memcpy((char *)l->out[0].data + (size_t)o0 * es,
                   (const char *)l->in[0].data + (size_t)o0 * es,
                   (size_t)(o1 - o0) * es);
            continue;
        }
        for (int64_t o = o0; o < o1; o++) {
            red_one(l, p, o);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_reduce = {
    .prepare = red_prepare,
    .run = red_run,
};
