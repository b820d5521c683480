/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Data movement: Transpose, ConcatD, SplitD, StridedSliceV2 (ONNX Slice),
 * PadV3 (constant, reflect, edge; negative pads crop), Resize (nearest and
 * linear, ONNX's coordinate modes), GatherV2, Expand, Tile.
 *
 * Parameters ONNX passes as inputs (perm, split, starts/ends/axes/steps,
 * pads, scales/sizes, indices, shape, repeats) are read and checked in
 * prepare. Every op copies elements without arithmetic (Resize aside), so
 * one implementation, tiled over the output, serves both paths.
 */
#include <stdlib.h>

#include "aop_internal.h"

static void row_strides(const struct aop_tensor *t, int64_t *s)
{
    int64_t acc = 1;

    for (int i = (int)t->ndim - 1; i >= 0; i--) {
        s[i] = acc;
        acc *= t->dims[i];
    }
}

/*
 * Copy through the n-d iterator: op 0 the output, op 1 the input (its
 * strides may be anything, even negative, with @base added).
 */
struct copy_row {
    const struct aop_nd *nd;
    const char *src;
    char *dst;
    int64_t base;
    size_t es;
};

static void copy_row_cb(void *arg, const int64_t *offs, int64_t n)
{
    const struct copy_row *r = arg;
    uint32_t last = r->nd->ndim - 1;
    int64_t so = r->nd->strides[0][last], ss = r->nd->strides[1][last];
    const char *s = r->src + (r->base + offs[1]) * (int64_t)r->es;
    char *d = r->dst + offs[0] * (int64_t)r->es;

    if (so == 1 && ss == 1) {
        memcpy(d, s, (size_t)n * r->es);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        memcpy(d + i * so * (int64_t)r->es, s + i * ss * (int64_t)r->es,
               r->es);
    }
}

/* A view copy: out[o] = in[base + sum o_i * str_i]. */
struct view_plan {
    struct aop_nd nd;
    int64_t base, n;
};

static int view_plan_new(struct aop_launch *l, struct view_plan **pp)
{
    struct view_plan *p = calloc(1, sizeof(*p));

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    *pp = p;
    return AOP_OK;
}

static void view_finish(struct aop_launch *l, struct view_plan *p)
{
    const struct aop_tensor *out = &l->out[0];
    int64_t s[AOP_MAX_DIMS];

    p->nd.ndim = out->ndim;
    p->nd.nops = 2;
    row_strides(out, s);
    for (uint32_t i = 0; i < out->ndim; i++) {
        p->nd.dims[i] = out->dims[i];
        p->nd.strides[0][i] = s[i];
    }
    p->n = aop_numel(out);
    if (p->n) {
        aop_nd_coalesce(&p->nd);
    }
    l->tiles = aop_flat_tiles(p->n);
}

static int view_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct view_plan *p = l->priv;
    struct copy_row r = {
        .nd = &p->nd, .src = l->in[0].data, .dst = l->out[0].data,
        .base = p->base, .es = aop_dtype_size(l->out[0].dtype),
    };

    if (p->n == 0) {
        return AOP_OK;
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t b0, b1;
        aop_flat_range(p->n, l->tiles, t, &b0, &b1);
        aop_nd_walk(&p->nd, b0, b1, copy_row_cb, &r);
    }
    return AOP_OK;
}

static int same_dtype_io(struct aop_launch *l)
{
    int rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_ALL);

    return rc ? rc : aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
}

/* ---- Transpose ---- */

static int transpose_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t perm[AOP_MAX_DIMS], s[AOP_MAX_DIMS], od[AOP_MAX_DIMS];
    bool seen[AOP_MAX_DIMS] = { false };
    struct view_plan *p = NULL;
    uint32_t n;
    int rc;

    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_attr_ints(l, "perm", NULL, perm, AOP_MAX_DIMS, &n);
    }
    if (!rc && aop_has_in(l, 1)) {
        rc = aop_read_ints(l, AOP_IN(1), perm, AOP_MAX_DIMS, &n);
    }
    if (rc) {
        return rc;
    }
    if (n == 0) {
        n = X->ndim;
        for (uint32_t i = 0; i < n; i++) {
            perm[i] = n - 1 - i;
        }
    }
    if (n != X->ndim) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "perm has %u entries for rank %u", n, X->ndim);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (perm[i] < 0 || perm[i] >= n || seen[perm[i]]) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "perm is not a permutation of 0..%u", n - 1);
        }
        seen[perm[i]] = true;
        od[i] = X->dims[perm[i]];
    }
    rc = aop_want_out_shape(l, 0, n, od);
    if (!rc) {
        rc = view_plan_new(l, &p);
    }
    if (rc) {
        return rc;
    }
    row_strides(X, s);
    for (uint32_t i = 0; i < n; i++) {
        p->nd.strides[1][i] = s[perm[i]];
    }
    view_finish(l, p);
    return AOP_OK;
}

const struct aop_impl aop_impl_transpose = {
    .prepare = transpose_prepare,
    .run = view_run,
};

/* ---- StridedSliceV2 / Slice ---- */

static int slice_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t starts[AOP_MAX_DIMS], ends[AOP_MAX_DIMS], axes[AOP_MAX_DIMS];
    int64_t steps[AOP_MAX_DIMS], s[AOP_MAX_DIMS], od[AOP_MAX_DIMS];
    int64_t st[AOP_MAX_DIMS], step[AOP_MAX_DIMS];
    bool seen[AOP_MAX_DIMS] = { false };
    uint32_t ns, ne, na, nst;
    struct view_plan *p = NULL;
    int rc;

    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_read_ints(l, AOP_IN(1), starts, AOP_MAX_DIMS, &ns);
    }
    if (!rc) {
        rc = aop_read_ints(l, AOP_IN(2), ends, AOP_MAX_DIMS, &ne);
    }
    if (rc) {
        return rc;
    }
    if (ne != ns) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(2),
                        "%u ends for %u starts", ne, ns);
    }
    na = nst = ns;
    for (uint32_t i = 0; i < ns; i++) {
        axes[i] = i;
        steps[i] = 1;
    }
    if (aop_has_in(l, 3)) {
        rc = aop_read_ints(l, AOP_IN(3), axes, AOP_MAX_DIMS, &na);
        if (rc) {
            return rc;
        }
    }
    if (aop_has_in(l, 4)) {
        rc = aop_read_ints(l, AOP_IN(4), steps, AOP_MAX_DIMS, &nst);
        if (rc) {
            return rc;
        }
    }
    if (na != ns || nst != ns) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(na != ns ? 3 : 4),
                        "%u values for %u starts", na != ns ? na : nst, ns);
    }
    for (uint32_t i = 0; i < X->ndim; i++) {
        st[i] = 0;
        step[i] = 1;
        od[i] = X->dims[i];
    }
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t a;
        int64_t d, b, e, k = steps[i];
        rc = aop_axis(l, "axes", axes[i], X->ndim, &a);
        if (rc) {
            return rc;
        }
        if (seen[a]) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(3), "axis %u repeated", a);
        }
        seen[a] = true;
        if (k == 0) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(4), "step %u is 0", i);
        }
        d = X->dims[a];
        b = starts[i];
        e = ends[i];
        /* numpy slicing rules: negatives count from the end, then clamp */
        if (b < 0) {
            b = b < -d ? 0 : b + d;
        }
        if (e < 0) {
            e = e < -d ? (k > 0 ? 0 : -1) : e + d;
        }
        if (k > 0) {
            b = b > d ? d : b;
            e = e > d ? d : e;
            od[a] = e > b ? (e - b + k - 1) / k : 0;
        } else {
            b = b > d - 1 ? d - 1 : b;
            e = e > d - 1 ? d - 1 : e;
            if (e < -1) {
                e = -1;
            }
            od[a] = b > e ? (b - e + (-k) - 1) / (-k) : 0;
        }
        st[a] = b;
        step[a] = k;
    }
    rc = aop_want_out_shape(l, 0, X->ndim, od);
    if (!rc) {
        rc = view_plan_new(l, &p);
    }
    if (rc) {
        return rc;
    }
    row_strides(X, s);
    p->base = 0;
    for (uint32_t i = 0; i < X->ndim; i++) {
        if (od[i] > 0) {
            p->base += st[i] * s[i];
        }
        p->nd.strides[1][i] = s[i] * step[i];
    }
    view_finish(l, p);
    return AOP_OK;
}

const struct aop_impl aop_impl_slice = {
    .prepare = slice_prepare,
    .run = view_run,
};

/* ---- Expand ---- */

static int expand_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t shape[AOP_MAX_DIMS], od[AOP_MAX_DIMS];
    struct view_plan *p = NULL;
    uint32_t n, nd;
    char a[96], b[96];
    int rc;

    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_read_ints(l, AOP_IN(1), shape, AOP_MAX_DIMS, &n);
    }
    if (rc) {
        return rc;
    }
    /* bidirectional broadcast of X's shape and @shape */
    nd = n > X->ndim ? n : X->ndim;
    for (uint32_t i = 0; i < nd; i++) {
        int ix = (int)i - (int)(nd - X->ndim), is = (int)i - (int)(nd - n);
        int64_t dx = ix >= 0 ? X->dims[ix] : 1;
        int64_t ds = is >= 0 ? shape[is] : 1;
        if (ds < 0 || (dx != ds && dx != 1 && ds != 1)) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                            "shape %s does not broadcast with input 0 %s",
                            aop_shape_str(n, shape, a, sizeof(a)),
                            aop_shape_str(X->ndim, X->dims, b, sizeof(b)));
        }
        od[i] = dx == 1 ? ds : dx;
    }
    rc = aop_want_out_shape(l, 0, nd, od);
    if (!rc) {
        rc = view_plan_new(l, &p);
    }
    if (rc) {
        return rc;
    }
    p->nd.ndim = nd;
    aop_nd_set(&p->nd, 1, X);
    view_finish(l, p);
    return AOP_OK;
}

const struct aop_impl aop_impl_expand = {
    .prepare = expand_prepare,
    .run = view_run,
};

/* ---- Concat / Split: outer x (axis block) rows ---- */

struct cat_plan {
    uint32_t axis;
    int64_t outer, inner;       /* inner: elements per unit of the axis */
    int64_t total;              /* the concatenated axis length */
};

static int cat_prepare(struct aop_launch *l, bool split)
{
    const struct aop_tensor *ref = split ? &l->in[0] : &l->in[0];
    struct cat_plan *p = calloc(1, sizeof(*p));
    uint32_t nparts = split ? l->nout : l->nin;
    int64_t axis, sizes[AOP_MAX_TENSORS], sum = 0;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_ALL);
    if (!rc) {
        rc = aop_attr_int(l, "axis", split ? "split_dim" : "concat_dim",
                          split ? 0 : INT64_MIN, &axis);
    }
    if (rc) {
        return rc;
    }
    if (!split) {
        int64_t nattr;
        rc = aop_attr_int(l, "N", NULL, 0, &nattr);     /* CANN: ignored */
        if (rc) {
            return rc;
        }
        if (axis == INT64_MIN) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'axis' is required");
        }
    }
    if (ref->ndim == 0) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(0), "a scalar has no axis");
    }
    rc = aop_axis(l, "axis", axis, ref->ndim, &p->axis);
    if (rc) {
        return rc;
    }
    for (uint32_t k = 0; k < nparts; k++) {
        int part = split ? AOP_OUT(k) : AOP_IN(k);
        const struct aop_tensor *t = aop_operand(l, part);
        if (t->dtype == AOP_DT_NONE) {
            return aop_fail(l, AOP_E_OPERANDS, part, "omitted");
        }
        rc = aop_want_same_dtype(l, AOP_IN(0), part);
        if (rc) {
            return rc;
        }
        if (t->ndim != ref->ndim) {
            return aop_fail(l, AOP_E_SHAPE, part, "rank %u, expected %u",
                            t->ndim, ref->ndim);
        }
        for (uint32_t i = 0; i < t->ndim; i++) {
            if (i != p->axis && !split && t->dims[i] != ref->dims[i]) {
                return aop_fail(l, AOP_E_SHAPE, part,
                                "dims[%u] is %" PRId64 ", input 0 has %"
                                PRId64, i, t->dims[i], ref->dims[i]);
            }
        }
        sizes[k] = t->dims[p->axis];
        sum += sizes[k];
    }
    p->outer = 1;
    p->inner = 1;
    for (uint32_t i = 0; i < ref->ndim; i++) {
        if (i < p->axis) {
            p->outer *= ref->dims[i];
        } else if (i > p->axis) {
            p->inner *= ref->dims[i];
        }
    }
    if (!split) {
        int64_t od[AOP_MAX_DIMS];
        memcpy(od, ref->dims, sizeof(od));
        od[p->axis] = sum;
        p->total = sum;
        rc = aop_want_out_shape(l, 0, ref->ndim, od);
        if (rc) {
            return rc;
        }
    } else {
        /*
         * Each output: the input's shape with its own axis length, and
         * those lengths as the split says.
         */
        int64_t want[AOP_MAX_TENSORS], nout_attr = 0;
        uint32_t nw = 0;
        rc = aop_attr_ints(l, "split", "size_splits", want, AOP_MAX_TENSORS,
                           &nw);
        if (!rc) {
            rc = aop_attr_int(l, "num_outputs", "num_split", 0, &nout_attr);
        }
        if (!rc && aop_has_in(l, 1)) {
            rc = aop_read_ints(l, AOP_IN(1), want, AOP_MAX_TENSORS, &nw);
        }
        if (rc) {
            return rc;
        }
        if (nout_attr && nout_attr != nparts) {
            return aop_fail(l, AOP_E_OPERANDS, AOP_OPERAND_NONE,
                            "num_outputs %" PRId64 " but %u outputs",
                            nout_attr, nparts);
        }
        p->total = ref->dims[p->axis];
        if (nw) {
            if (nw != nparts) {
                return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                                "split has %u sizes for %u outputs", nw,
                                nparts);
            }
        } else {
            /* equal parts, the last smaller when it does not divide */
            int64_t chunk = (p->total + nparts - 1) / nparts;
            for (uint32_t k = 0; k < nparts; k++) {
                int64_t left = p->total - chunk * k;
                want[k] = left < 0 ? 0 : (left < chunk ? left : chunk);
            }
        }
        sum = 0;
        for (uint32_t k = 0; k < nparts; k++) {
            int64_t od[AOP_MAX_DIMS];
            if (want[k] < 0) {
                return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                                "split size %" PRId64 " negative", want[k]);
            }
            sum += want[k];
            memcpy(od, ref->dims, sizeof(od));
            od[p->axis] = want[k];
            rc = aop_want_out_shape(l, k, ref->ndim, od);
            if (rc) {
                return rc;
            }
        }
        if (sum != p->total) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "split sizes add up to %" PRId64 ", axis has %"
                            PRId64, sum, p->total);
        }
    }
    {
        int64_t t = p->outer * p->total * p->inner / AOP_TILE_ELEMS + 1;
        if (t > p->outer) {
            t = p->outer;
        }
        l->tiles = t < 1 ? 1 : t > AOP_MAX_TILES ? AOP_MAX_TILES
                                                 : (uint32_t)t;
    }
    return AOP_OK;
}

static int cat_run_common(struct aop_launch *l, uint32_t first, uint32_t end,
                          bool split)
{
    const struct cat_plan *p = l->priv;
    uint32_t nparts = split ? l->nout : l->nin;
    size_t es = aop_dtype_size(l->in[0].dtype);
    size_t big_row = (size_t)(p->total * p->inner) * es;

    for (uint32_t t = first; t < end; t++) {
        int64_t o0, o1;
        aop_flat_range(p->outer, l->tiles, t, &o0, &o1);
        for (int64_t o = o0; o < o1; o++) {
            size_t pos = 0;
            for (uint32_t k = 0; k < nparts; k++) {
                const struct aop_tensor *part = split ? &l->out[k]
                                                      : &l->in[k];
                size_t row = (size_t)(part->dims[p->axis] * p->inner) * es;
                char *big = split ? l->in[0].data : l->out[0].data;
                char *small = part->data;
                if (row) {
                    if (split) {
                        memcpy(small + (size_t)o * row,
                               big + (size_t)o * big_row + pos, row);
                    } else {
                        memcpy(big + (size_t)o * big_row + pos,
                               small + (size_t)o * row, row);
                    }
                }
                pos += row;
            }
        }
    }
    return AOP_OK;
}

static int concat_prepare(struct aop_launch *l)
{
    return cat_prepare(l, false);
}

static int concat_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    return cat_run_common(l, first, end, false);
}

static int split_prepare(struct aop_launch *l)
{
    return cat_prepare(l, true);
}

static int split_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    return cat_run_common(l, first, end, true);
}

const struct aop_impl aop_impl_concat = {
    .prepare = concat_prepare,
    .run = concat_run,
};

const struct aop_impl aop_impl_split = {
    .prepare = split_prepare,
    .run = split_run,
};

/* ---- Gather ---- */

struct gather_plan {
    uint32_t axis;
    int64_t outer, inner, axis_len, nidx;
};

static int gather_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0], *I = &l->in[1];
    struct gather_plan *p = calloc(1, sizeof(*p));
    int64_t axis, od[AOP_MAX_DIMS];
    uint32_t ond = 0;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_want_dtype(l, AOP_IN(1), AOP_DTM_INDEX);
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 1, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_attr_int(l, "axis", NULL, 0, &axis);
    }
    if (!rc && aop_has_in(l, 2)) {
        double d;
        rc = aop_want_dtype(l, AOP_IN(2), AOP_DTM_INDEX);
        if (!rc) {
            rc = aop_read_scalar(l, AOP_IN(2), &d);
        }
        axis = (int64_t)d;
    }
    if (!rc) {
        rc = aop_axis(l, "axis", axis, X->ndim, &p->axis);
    }
    if (rc) {
        return rc;
    }
    if (X->ndim - 1 + I->ndim > AOP_MAX_DIMS) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "output rank %u above %d", X->ndim - 1 + I->ndim,
                        AOP_MAX_DIMS);
    }
    p->outer = p->inner = 1;
    for (uint32_t i = 0; i < X->ndim; i++) {
        if (i < p->axis) {
            p->outer *= X->dims[i];
            od[ond++] = X->dims[i];
        } else if (i == p->axis) {
            for (uint32_t k = 0; k < I->ndim; k++) {
                od[ond++] = I->dims[k];
            }
        } else {
            p->inner *= X->dims[i];
            od[ond++] = X->dims[i];
        }
    }
    p->axis_len = X->dims[p->axis];
    p->nidx = aop_numel(I);
    rc = aop_want_out_shape(l, 0, ond, od);
    if (rc) {
        return rc;
    }
    for (int64_t i = 0; i < p->nidx; i++) {
        int64_t v = aop_ld_i(I->data, i, I->dtype);
        if (v < -p->axis_len || v >= p->axis_len) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(1),
                            "index %" PRId64 " at %" PRId64 " outside [-%"
                            PRId64 ", %" PRId64 ")", v, i, p->axis_len,
                            p->axis_len);
        }
    }
    {
        int64_t rows = p->outer * p->nidx;
        int64_t t = rows * p->inner / AOP_TILE_ELEMS + 1;
        if (t > rows) {
            t = rows;
        }
        l->tiles = t < 1 ? 1 : t > AOP_MAX_TILES ? AOP_MAX_TILES
                                                 : (uint32_t)t;
    }
    return AOP_OK;
}

static int gather_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct gather_plan *p = l->priv;
    const struct aop_tensor *I = &l->in[1];
    size_t es = aop_dtype_size(l->in[0].dtype);
    size_t row = (size_t)p->inner * es;
    const char *x = l->in[0].data;
    char *y = l->out[0].data;
    int64_t rows = p->outer * p->nidx;

    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(rows, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            int64_t o = r / p->nidx, k = r % p->nidx;
            /*
             * checked in prepare; the clamp keeps a racing writer of the
             * indices from reaching outside the input
             */
            int64_t v = aop_ld_i(I->data, k, I->dtype);
            if (v < 0) {
                v += p->axis_len;
            }
            if (v < 0 || v >= p->axis_len) {
                v = 0;
            }
            if (row) {
                memcpy(y + (size_t)r * row,
                       x + (size_t)(o * p->axis_len + v) * row, row);
            }
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_gather = {
    .prepare = gather_prepare,
    .run = gather_run,
};

/* ---- Tile and Pad: per output element, map back to the input ---- */

enum { PAD_CONSTANT, PAD_REFLECT, PAD_EDGE, TILE };

struct map_plan {
    int mode;
    uint32_t ndim;
    int64_t in[AOP_MAX_DIMS], out[AOP_MAX_DIMS], pb[AOP_MAX_DIMS];
    int64_t istr[AOP_MAX_DIMS];
    double value;
    int64_t n;
};

static int map_finish(struct aop_launch *l, struct map_plan *p)
{
    const struct aop_tensor *X = &l->in[0];
    int rc = aop_want_out_shape(l, 0, X->ndim, p->out);

    if (rc) {
        return rc;
    }
    p->ndim = X->ndim;
    memcpy(p->in, X->dims, sizeof(p->in));
    row_strides(X, p->istr);
    p->n = aop_numel(&l->out[0]);
    l->tiles = aop_flat_tiles(p->n);
    return AOP_OK;
}

static int tile_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct map_plan *p = calloc(1, sizeof(*p));
    int64_t rep[AOP_MAX_DIMS];
    uint32_t n;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->mode = TILE;
    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_read_ints(l, AOP_IN(1), rep, AOP_MAX_DIMS, &n);
    }
    if (rc) {
        return rc;
    }
    if (n != X->ndim) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "%u repeats for rank %u", n, X->ndim);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (rep[i] < 0 || (X->dims[i] && rep[i] > AOP_MAX_ELEMS / X->dims[i])) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(1),
                            "repeats[%u] is %" PRId64 ", out of range", i,
                            rep[i]);
        }
        p->out[i] = X->dims[i] * rep[i];
    }
    return map_finish(l, p);
}

static int pad_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct map_plan *p = calloc(1, sizeof(*p));
    int64_t pads[2 * AOP_MAX_DIMS], axes[AOP_MAX_DIMS], contig = 0;
    int64_t pb[AOP_MAX_DIMS] = { 0 }, pe[AOP_MAX_DIMS] = { 0 };
    uint32_t np = 0, na;
    char mode[16];
    float fval;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = same_dtype_io(l);
    if (!rc) {
        rc = aop_attr_string(l, "mode", NULL, mode, sizeof(mode), "constant");
    }
    if (!rc) {
        rc = aop_attr_int(l, "paddings_contiguous", NULL, 0, &contig);
    }
    if (!rc) {
        rc = aop_attr_float(l, "value", "constant_values", 0.0f, &fval);
    }
    if (!rc) {
        rc = aop_attr_ints(l, "pads", "paddings", pads, 2 * AOP_MAX_DIMS, &np);
    }
    if (!rc && aop_has_in(l, 1)) {
        rc = aop_read_ints(l, AOP_IN(1), pads, 2 * AOP_MAX_DIMS, &np);
    }
    if (rc) {
        return rc;
    }
    p->value = fval;
    if (aop_has_in(l, 2)) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(2));
        if (!rc) {
            rc = aop_read_scalar(l, AOP_IN(2), &p->value);
        }
        if (rc) {
            return rc;
        }
    }
    if (strcmp(mode, "constant") == 0) {
        p->mode = PAD_CONSTANT;
    } else if (strcmp(mode, "reflect") == 0) {
        p->mode = PAD_REFLECT;
    } else if (strcmp(mode, "edge") == 0) {
        p->mode = PAD_EDGE;
    } else {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'mode': '%s' not supported (constant, "
                        "reflect, edge)", mode);
    }
    na = X->ndim;
    for (uint32_t i = 0; i < na; i++) {
        axes[i] = i;
    }
    if (aop_has_in(l, 3)) {
        rc = aop_read_ints(l, AOP_IN(3), axes, AOP_MAX_DIMS, &na);
        if (rc) {
            return rc;
        }
    }
    if (np != 2 * na) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "%u pads for %u axes, expected %u", np, na, 2 * na);
    }
    for (uint32_t i = 0; i < na; i++) {
        uint32_t a;
        rc = aop_axis(l, "axes", axes[i], X->ndim, &a);
        if (rc) {
            return rc;
        }
        pb[a] = contig ? pads[2 * i] : pads[i];
        pe[a] = contig ? pads[2 * i + 1] : pads[na + i];
    }
    for (uint32_t i = 0; i < X->ndim; i++) {
        int64_t lim = 1 << 30;
        if (pb[i] < -lim || pb[i] > lim || pe[i] < -lim || pe[i] > lim) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(1),
                            "pad of dim %u out of range", i);
        }
        p->pb[i] = pb[i];
        p->out[i] = X->dims[i] + pb[i] + pe[i];
        if (p->out[i] < 0) {
            return aop_fail(l, AOP_E_VALUE, AOP_IN(1),
                            "pads crop dim %u below zero", i);
        }
        if (p->mode != PAD_CONSTANT && X->dims[i] == 0 && p->out[i] > 0) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(0),
                            "%s padding of an empty dim %u", mode, i);
        }
    }
    return map_finish(l, p);
}

static int map_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct map_plan *p = l->priv;
    const char *x = l->in[0].data;
    char *y = l->out[0].data;
    uint32_t dt = l->out[0].dtype;
    size_t es = aop_dtype_size(dt);
    char fill[8];

    aop_st_d(fill, 0, dt, p->value);
    for (uint32_t t = first; t < end; t++) {
        int64_t o0, o1;
        aop_flat_range(p->n, l->tiles, t, &o0, &o1);
        for (int64_t o = o0; o < o1; o++) {
            int64_t rem = o, off = 0;
            bool outside = false;
            for (int i = (int)p->ndim - 1; i >= 0; i--) {
                int64_t c = rem % p->out[i], d = p->in[i];
                rem /= p->out[i];
                if (p->mode == TILE) {
                    c %= d;
                } else {
                    c -= p->pb[i];
                    if (c < 0 || c >= d) {
                        if (p->mode == PAD_CONSTANT) {
                            outside = true;
                            break;
                        } else if (p->mode == PAD_EDGE) {
                            c = c < 0 ? 0 : d - 1;
                        } else if (d == 1) {
                            c = 0;
                        } else {
                            /* reflect without repeating the edge */
                            int64_t per = 2 * (d - 1);
                            c %= per;
                            if (c < 0) {
                                c += per;
                            }
                            if (c >= d) {
                                c = per - c;
                            }
                        }
                    }
                }
                off += c * p->istr[i];
            }
            memcpy(y + (size_t)o * es, outside ? fill : x + (size_t)off * es,
                   es);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_tile = {
    .prepare = tile_prepare,
    .run = map_run,
};

const struct aop_impl aop_impl_pad = {
    .prepare = pad_prepare,
    .run = map_run,
};

/* ---- Resize ---- */

enum { CT_HALF_PIXEL, CT_PYTORCH_HALF_PIXEL, CT_ALIGN_CORNERS, CT_ASYMMETRIC,
       CT_TF_HALF_PIXEL_FOR_NN, CT_TF_CROP_AND_RESIZE };
enum { NM_ROUND_PREFER_FLOOR, NM_ROUND_PREFER_CEIL, NM_FLOOR, NM_CEIL };

struct resize_plan {
    bool linear;
    int ct, nm;
    uint32_t ndim;
    int64_t in[AOP_MAX_DIMS], out[AOP_MAX_DIMS], istr[AOP_MAX_DIMS];
    double scale[AOP_MAX_DIMS], roi_b[AOP_MAX_DIMS], roi_e[AOP_MAX_DIMS];
    /*
     * the resized length the coordinate modes use: in * scale, unrounded,
     * when scales were given (ONNX's reference does so)
     */
    double olen[AOP_MAX_DIMS];
    float extrapolation;
    uint32_t dt;
    int64_t n;
};

static int pick(struct aop_launch *l, const char *attr, const char *v,
                const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            *out = i;
            return AOP_OK;
        }
    }
    return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                    "attribute '%s': '%s' not supported", attr, v);
}

static int resize_prepare(struct aop_launch *l)
{
    static const char *const modes[] = { "nearest", "linear" };
    static const char *const cts[] = {
        "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
        "tf_half_pixel_for_nn", "tf_crop_and_resize",
    };
    static const char *const nms[] = {
        "round_prefer_floor", "round_prefer_ceil", "floor", "ceil",
    };
    const struct aop_tensor *X = &l->in[0];
    struct resize_plan *p = calloc(1, sizeof(*p));
    char mode[24], ct[32], nm[24];
    int64_t excl, antialias;
    float cubic_a;
    int m = 0, rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_attr_string(l, "mode", NULL, mode, sizeof(mode), "nearest");
    }
    if (!rc) {
        rc = aop_attr_string(l, "coordinate_transformation_mode", NULL, ct,
                             sizeof(ct), "half_pixel");
    }
    if (!rc) {
        rc = aop_attr_string(l, "nearest_mode", NULL, nm, sizeof(nm),
                             "round_prefer_floor");
    }
    if (!rc) {
        rc = aop_attr_int(l, "exclude_outside", NULL, 0, &excl);
    }
    if (!rc) {
        rc = aop_attr_int(l, "antialias", NULL, 0, &antialias);
    }
    if (!rc) {
        rc = aop_attr_float(l, "cubic_coeff_a", NULL, -0.75f, &cubic_a);
    }
    if (!rc) {
        rc = aop_attr_float(l, "extrapolation_value", NULL, 0.0f,
                            &p->extrapolation);
    }
    if (!rc) {
        rc = pick(l, "mode", mode, modes, 2, &m);
    }
    if (!rc) {
        rc = pick(l, "coordinate_transformation_mode", ct, cts, 6, &p->ct);
    }
    if (!rc) {
        rc = pick(l, "nearest_mode", nm, nms, 4, &p->nm);
    }
    if (rc) {
        return rc;
    }
    if (excl || antialias) {
        return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                        "exclude_outside and antialias are not supported");
    }
    p->linear = m == 1;
    p->ndim = X->ndim;
    p->dt = X->dtype;
    memcpy(p->in, X->dims, sizeof(p->in));
    row_strides(X, p->istr);
    for (uint32_t i = 0; i < X->ndim; i++) {
        p->roi_b[i] = 0;
        p->roi_e[i] = 1;
    }
    if (aop_has_in(l, 1) && aop_numel(&l->in[1]) > 0) {
        const struct aop_tensor *R = &l->in[1];
        if (aop_numel(R) != 2 * X->ndim || !aop_dt_is_float(R->dtype)) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                            "roi needs %u floats", 2 * X->ndim);
        }
        for (uint32_t i = 0; i < X->ndim; i++) {
            p->roi_b[i] = aop_ld_d(R->data, i, R->dtype);
            p->roi_e[i] = aop_ld_d(R->data, X->ndim + i, R->dtype);
        }
    }
    if (aop_has_in(l, 3) && aop_numel(&l->in[3]) > 0) {
        int64_t sizes[AOP_MAX_DIMS];
        uint32_t n;
        if (aop_has_in(l, 2) && aop_numel(&l->in[2]) > 0) {
            return aop_fail(l, AOP_E_OPERANDS, AOP_IN(3),
                            "scales and sizes both given");
        }
        rc = aop_read_ints(l, AOP_IN(3), sizes, AOP_MAX_DIMS, &n);
        if (rc) {
            return rc;
        }
        if (n != X->ndim) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(3),
                            "%u sizes for rank %u", n, X->ndim);
        }
        for (uint32_t i = 0; i < n; i++) {
            if (sizes[i] < 1 || sizes[i] > AOP_MAX_ELEMS) {
                return aop_fail(l, AOP_E_VALUE, AOP_IN(3),
                                "size %" PRId64 " out of range", sizes[i]);
            }
            p->out[i] = sizes[i];
            p->scale[i] = (double)sizes[i] / (double)X->dims[i];
            p->olen[i] = (double)sizes[i];
        }
    } else if (aop_has_in(l, 2) && aop_numel(&l->in[2]) > 0) {
        const struct aop_tensor *S = &l->in[2];
        if (aop_numel(S) != X->ndim || !aop_dt_is_float(S->dtype)) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(2),
                            "scales needs %u floats", X->ndim);
        }
        for (uint32_t i = 0; i < X->ndim; i++) {
            double s = aop_ld_f(S->data, i, S->dtype);
            double o;
            if (!(s > 0) || s > 1e6) {
                return aop_fail(l, AOP_E_VALUE, AOP_IN(2),
                                "scale %g out of range", s);
            }
            o = floor((double)X->dims[i] * s);
            if (p->ct == CT_TF_CROP_AND_RESIZE) {
                o = floor((double)X->dims[i] * (p->roi_e[i] - p->roi_b[i]) *
                          s);
            }
            if (o < 1 || o > (double)AOP_MAX_ELEMS) {
                return aop_fail(l, AOP_E_VALUE, AOP_IN(2),
                                "scale %g gives an output dim of %g", s, o);
            }
            p->out[i] = (int64_t)o;
            p->scale[i] = s;
            p->olen[i] = (double)X->dims[i] * s;
        }
    } else {
        return aop_fail(l, AOP_E_OPERANDS, AOP_OPERAND_NONE,
                        "neither scales nor sizes given");
    }
    rc = aop_want_out_shape(l, 0, X->ndim, p->out);
    if (rc) {
        return rc;
    }
    p->n = aop_numel(&l->out[0]);
    l->tiles = aop_flat_tiles(p->n);
    return AOP_OK;
}

/*
 * Output coordinate -> input coordinate along dim @i; sets *@outside for
 * tf_crop_and_resize samples outside the input.
 */
static double resize_src(const struct resize_plan *p, uint32_t i, int64_t o,
                         bool *outside)
{
    double s = p->scale[i], x = (double)o;
    double in = (double)p->in[i], out = p->olen[i], r;

    switch (p->ct) {
    case CT_PYTORCH_HALF_PIXEL:
        return out > 1 ? (x + 0.5) / s - 0.5 : 0.0;
    case CT_ALIGN_CORNERS:
        return out > 1 ? x * (in - 1) / (out - 1) : 0.0;
    case CT_ASYMMETRIC:
        return x / s;
    case CT_TF_HALF_PIXEL_FOR_NN:
        return (x + 0.5) / s;
    case CT_TF_CROP_AND_RESIZE:
        r = out > 1 ? p->roi_b[i] * (in - 1) +
                      x * (p->roi_e[i] - p->roi_b[i]) * (in - 1) / (out - 1)
                    : 0.5 * (p->roi_b[i] + p->roi_e[i]) * (in - 1);
        if (r < 0 || r > in - 1) {
            *outside = true;
        }
        return r;
    default:
        return (x + 0.5) / s - 0.5;
    }
}

static int64_t nearest(const struct resize_plan *p, double x, int64_t in)
{
    double f = floor(x);
    int64_t i;

    switch (p->nm) {
    case NM_FLOOR:
        i = (int64_t)f;
        break;
    case NM_CEIL:
        i = (int64_t)ceil(x);
        break;
    case NM_ROUND_PREFER_CEIL:
        i = (int64_t)(x - f == 0.5 ? f + 1 : floor(x + 0.5));
        break;
    default:
        i = (int64_t)(x - f == 0.5 ? f : floor(x + 0.5));
        break;
    }
    return i < 0 ? 0 : i >= in ? in - 1 : i;
}

static int resize_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct resize_plan *p = l->priv;
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;

    for (uint32_t t = first; t < end; t++) {
        int64_t o0, o1;
        aop_flat_range(p->n, l->tiles, t, &o0, &o1);
        for (int64_t o = o0; o < o1; o++) {
            int64_t rem = o, lo[AOP_MAX_DIMS], hi[AOP_MAX_DIMS];
            double w[AOP_MAX_DIMS];
            uint32_t interp[AOP_MAX_DIMS], ni = 0;
            bool outside = false;
            int64_t base = 0;
            double acc = 0;

            for (int i = (int)p->ndim - 1; i >= 0; i--) {
                int64_t c = rem % p->out[i];
                double x;
                rem /= p->out[i];
                x = resize_src(p, (uint32_t)i, c, &outside);
                if (!p->linear) {
                    base += nearest(p, x, p->in[i]) * p->istr[i];
                    continue;
                }
                {
                    double f = floor(x);
                    int64_t i0 = (int64_t)f;
                    lo[i] = i0 < 0 ? 0 : i0 >= p->in[i] ? p->in[i] - 1 : i0;
                    hi[i] = i0 + 1 < 0 ? 0 : i0 + 1 >= p->in[i] ? p->in[i] - 1
                                                                : i0 + 1;
                    w[i] = x - f;
                    if (w[i] == 0 || lo[i] == hi[i]) {
                        base += lo[i] * p->istr[i];
                    } else {
                        interp[ni++] = (uint32_t)i;
                    }
                }
            }
            if (outside) {
                aop_st_f(Y, o, p->dt, p->extrapolation);
                continue;
            }
            if (!p->linear || ni == 0) {
                aop_st_f(Y, o, p->dt, aop_ld_f(X, base, p->dt));
                continue;
            }
            /* 2^ni corners of the interpolated dims */
            for (uint32_t corner = 0; corner < (1u << ni); corner++) {
                int64_t off = base;
                double cw = 1;
                for (uint32_t k = 0; k < ni; k++) {
                    uint32_t d = interp[k];
                    bool up = (corner >> k) & 1;
                    off += (up ? hi[d] : lo[d]) * p->istr[d];
                    cw *= up ? w[d] : 1 - w[d];
                }
                acc += cw * aop_ld_f(X, off, p->dt);
            }
            aop_st_f(Y, o, p->dt, (float)acc);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_resize = {
    .prepare = resize_prepare,
    .run = resize_run,
};
