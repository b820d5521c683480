/* SPDX-License-Identifier: MIT */
/*
 * Shape and dtype rules, one per ONNX op atc converts (the table that
 * names them is in atc_infer.c). Each reads its node's inputs (shapes,
 * and the values of constant parameter inputs), checks what the op needs,
 * and sets its outputs; the compile-time ops (Shape, Size,
 * ConstantOfShape, Range) produce constants directly. A rule may rewrite
 * its node into the form the op library takes (an older opset's
 * attributes into inputs).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"
#include "atc_shape.h"
#include "onnx_reader.h"

#define DT_FLOAT    0u
#define DT_INT32    3u
#define DT_INT64    9u
#define DT_BOOL     12u

/* Folded constants above this stay computed at run time. */
#define FOLD_MAX_BYTES  (64u << 20)
/* Bounds on values read from the model, so no product of them overflows:
 * dims and pads up to 2^40, strides, dilations and groups up to 2^20. */
#define MAX_DIM         (1LL << 40)
#define MAX_STEP        (1LL << 20)

struct atc_value *atc_in(struct atc_graph *g, int ni, int k)
{
    const struct atc_node *n = &g->n[ni];

    return k < n->nin && n->in[k] >= 0 ? &g->v[n->in[k]] : NULL;
}

static void set_out(struct atc_graph *g, int ni, int k, uint32_t dtype,
                    uint32_t ndim, const int64_t *dims)
{
    const struct atc_node *n = &g->n[ni];
    struct atc_value *v;

    if (k >= n->nout || n->out[k] < 0) {
        return;
    }
    v = &g->v[n->out[k]];
    v->dtype = dtype;
    v->ndim = ndim;
    memset(v->dims, 0, sizeof(v->dims));
    memcpy(v->dims, dims, ndim * sizeof(int64_t));
    v->known = true;
}

static int norm_axis(struct atc_err *e, const struct atc_node *n, int64_t a,
                     uint32_t rank, int64_t *out)
{
    *out = 0;
    if (a < -(int64_t)rank || a >= (int64_t)rank) {
        return atc_node_fail(e, n, "axis %" PRId64 " out of range for rank %"
                             PRIu32, a, rank);
    }
    *out = a < 0 ? a + rank : a;
    return 0;
}

/* Constant int64/int32 input @k into @vals; fails naming the input. */
static int const_ints(struct atc_graph *g, int ni, int k, const char *what,
                      int64_t *vals, int64_t max, int64_t *count,
                      struct atc_err *e)
{
    struct atc_value *v = atc_in(g, ni, k);

    if (!v) {
        *count = 0;
        return 0;
    }
    if (!v->is_const) {
        return atc_node_fail(e, &g->n[ni], "input %d (%s, '%s') is computed "
                             "at run time: dynamic shapes are not supported",
                             k, what, v->name);
    }
    if (atc_const_ints(v, vals, max, count)) {
        return atc_node_fail(e, &g->n[ni], "input %d (%s): expected at most "
                             "%" PRId64 " int32/int64 values", k, what, max);
    }
    return 0;
}

/* Attribute ints, or input @k when the attribute is absent. */
static int attr_or_input(struct atc_graph *g, int ni, const char *name, int k,
                         int64_t *vals, int64_t max, int64_t *count,
                         bool *present, struct atc_err *e)
{
    const struct atc_attr *a = atc_attr_get(&g->n[ni], name);

    *present = false;
    *count = 0;
    if (a) {
        if (a->type != OM_ATTR_INT || a->count > max) {
            return atc_node_fail(e, &g->n[ni], "attribute '%s': expected at "
                                 "most %" PRId64 " ints", name, max);
        }
        memcpy(vals, a->data, a->count * sizeof(int64_t));
        *count = a->count;
        *present = true;
        return 0;
    }
    if (atc_in(g, ni, k)) {
        *present = true;
        return const_ints(g, ni, k, name, vals, max, count, e);
    }
    return 0;
}

static int broadcast(struct atc_err *e, const struct atc_node *n,
                     uint32_t *ndim, int64_t *dims, const struct atc_value *b)
{
    uint32_t r = *ndim > b->ndim ? *ndim : b->ndim;
    int64_t out[ATC_MAX_DIMS];

    for (uint32_t i = 0; i < r; i++) {
        int64_t x = i < r - *ndim ? 1 : dims[i - (r - *ndim)];
        int64_t y = i < r - b->ndim ? 1 : b->dims[i - (r - b->ndim)];
        if (x != y && x != 1 && y != 1) {
            char s1[96], s2[96];
            return atc_node_fail(e, n, "shapes %s and %s do not broadcast",
                                 atc_shape_str(*ndim, dims, s1, sizeof(s1)),
                                 atc_shape_str(b->ndim, b->dims, s2,
                                               sizeof(s2)));
        }
        out[i] = x == 1 ? y : x;
    }
    *ndim = r;
    memcpy(dims, out, r * sizeof(int64_t));
    return 0;
}

/* ---- rules ---- */

int r_same(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_value *x = atc_in(g, ni, 0);

    (void)e;
    set_out(g, ni, 0, x->dtype, x->ndim, x->dims);
    return 0;
}

int r_batchnorm(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    int64_t spatial = atc_attr_int(n, "spatial", 1);

    if (spatial != 1) {
        return atc_node_fail(e, n, "spatial=0 (per-activation statistics) is "
                             "not supported");
    }
    atc_attr_remove(n, "spatial");
    if (atc_attr_int(n, "training_mode", 0)) {
        return atc_node_fail(e, n, "training mode is not supported");
    }
    for (int k = 1; k < n->nout; k++) {
        if (n->out[k] >= 0 && g->v[n->out[k]].name[0]) {
            /* running statistics: training outputs */
            int uses = 0;
            for (int j = 0; j < g->nn; j++) {
                for (int q = 0; q < g->n[j].nin; q++) {
                    uses += g->n[j].in[q] == n->out[k];
                }
            }
            if (uses || g->v[n->out[k]].graph_output) {
                return atc_node_fail(e, n, "output %d (training statistics) "
                                     "is used: training mode is not "
                                     "supported", k);
            }
        }
    }
    n->nout = 1;
    return r_same(g, ni, e);
}

int r_layernorm(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axis, dims[ATC_MAX_DIMS];

    if (norm_axis(e, n, atc_attr_int(n, "axis", -1), x->ndim, &axis)) {
        return -1;
    }
    set_out(g, ni, 0, x->dtype, x->ndim, x->dims);
    memcpy(dims, x->dims, sizeof(dims));
    for (uint32_t i = (uint32_t)axis; i < x->ndim; i++) {
        dims[i] = 1;
    }
    set_out(g, ni, 1, DT_FLOAT, x->ndim, dims);
    set_out(g, ni, 2, DT_FLOAT, x->ndim, dims);
    return 0;
}

/* Broadcasting binary and variadic ops; opset < 7's axis is handled. */
int r_binary(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    const char *op = n->op_type;
    uint32_t ndim, dt;
    int64_t dims[ATC_MAX_DIMS];
    const struct atc_attr *ax = atc_attr_get(n, "axis");
    bool cmp = !strcmp(op, "Equal") || !strcmp(op, "Greater") ||
               !strcmp(op, "Less");

    if (ax && n->nin == 2 && g->opset < 7) {
        /* legacy broadcast: B aligned at axis, not at the end */
        struct atc_value *a = atc_in(g, ni, 0), *b = atc_in(g, ni, 1);
        int64_t axis;
        if (norm_axis(e, n, ((int64_t *)ax->data)[0], a->ndim, &axis)) {
            return -1;
        }
        if (b->ndim + axis < a->ndim) {
            int64_t nd[ATC_MAX_DIMS];
            int vi;
            void *copy;
            uint32_t r = a->ndim - (uint32_t)axis;
            if (!b->is_const) {
                return atc_node_fail(e, n, "legacy broadcast with axis of a "
                                     "non-constant input is not supported");
            }
            for (uint32_t i = 0; i < r; i++) {
                nd[i] = i < b->ndim ? b->dims[i] : 1;
            }
            copy = malloc(b->nbytes ? b->nbytes : 1);
            vi = atc_value_new(g, "");
            if (!copy || vi < 0) {
                free(copy);
                return atc_fail(e, "out of memory");
            }
            n = &g->n[ni];
            b = &g->v[n->in[1]];
            memcpy(copy, b->data, b->nbytes);
            atc_value_set_const(&g->v[vi], b->dtype, r, nd, copy);
            n->in[1] = vi;
        }
    }
    atc_attr_remove(n, "axis");
    atc_attr_remove(n, "broadcast");
    if (!strcmp(op, "Where")) {
        struct atc_value *x = atc_in(g, ni, 1);
        dt = x->dtype;
    } else {
        dt = atc_in(g, ni, 0)->dtype;
    }
    ndim = 0;
    for (int k = 0; k < n->nin; k++) {
        struct atc_value *v = atc_in(g, ni, k);
        if (!v) {
            return atc_node_fail(e, n, "input %d missing", k);
        }
        if (k == 0) {
            ndim = v->ndim;
            memcpy(dims, v->dims, sizeof(dims));
        } else if (broadcast(e, n, &ndim, dims, v)) {
            return -1;
        }
    }
    set_out(g, ni, 0, cmp ? DT_BOOL : dt, ndim, dims);
    return 0;
}

int r_matmul(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *a = atc_in(g, ni, 0), *b = atc_in(g, ni, 1);
    struct atc_value ba = { 0 }, bb = { 0 };
    int64_t dims[ATC_MAX_DIMS], M, K, K2, N;
    uint32_t ndim;

    if (!a->ndim || !b->ndim) {
        return atc_node_fail(e, n, "scalar operands are not allowed");
    }
    M = a->ndim >= 2 ? a->dims[a->ndim - 2] : 1;
    K = a->dims[a->ndim - 1];
    K2 = b->ndim >= 2 ? b->dims[b->ndim - 2] : b->dims[0];
    N = b->ndim >= 2 ? b->dims[b->ndim - 1] : 1;
    if (K != K2) {
        return atc_node_fail(e, n, "inner dims %" PRId64 " and %" PRId64
                             " differ", K, K2);
    }
    ba.ndim = a->ndim > 2 ? a->ndim - 2 : 0;
    memcpy(ba.dims, a->dims, ba.ndim * sizeof(int64_t));
    bb.ndim = b->ndim > 2 ? b->ndim - 2 : 0;
    memcpy(bb.dims, b->dims, bb.ndim * sizeof(int64_t));
    ndim = ba.ndim;
    memcpy(dims, ba.dims, sizeof(dims));
    if (broadcast(e, n, &ndim, dims, &bb)) {
        return -1;
    }
    if (a->ndim >= 2) {
        dims[ndim++] = M;
    }
    if (b->ndim >= 2) {
        dims[ndim++] = N;
    }
    set_out(g, ni, 0, a->dtype == 2 ? DT_INT32 : a->dtype, ndim, dims);
    return 0;
}

int r_gemm(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *a = atc_in(g, ni, 0), *b = atc_in(g, ni, 1);
    int64_t ta = atc_attr_int(n, "transA", 0), tb = atc_attr_int(n, "transB",
                                                                   0);
    int64_t dims[2];

    if (a->ndim != 2 || b->ndim != 2) {
        return atc_node_fail(e, n, "A and B must be matrices");
    }
    dims[0] = ta ? a->dims[1] : a->dims[0];
    dims[1] = tb ? b->dims[0] : b->dims[1];
    if ((ta ? a->dims[0] : a->dims[1]) != (tb ? b->dims[1] : b->dims[0])) {
        return atc_node_fail(e, n, "inner dims differ");
    }
    set_out(g, ni, 0, a->dtype, 2, dims);
    return 0;
}

/* Spatial attribute with @k entries (default @def each). */
static int sp_attr(struct atc_graph *g, int ni, const char *name, uint32_t k,
                   int64_t def, int64_t *out, struct atc_err *e)
{
    const struct atc_attr *a = atc_attr_get(&g->n[ni], name);

    for (uint32_t i = 0; i < k; i++) {
        out[i] = def;
    }
    if (!a) {
        return 0;
    }
    if (a->type != OM_ATTR_INT || a->count != k) {
        return atc_node_fail(e, &g->n[ni], "attribute '%s': %u values, "
                             "expected %u", name, a->count, k);
    }
    memcpy(out, a->data, k * sizeof(int64_t));
    for (uint32_t i = 0; i < k; i++) {
        if (out[i] < -MAX_DIM || out[i] > MAX_DIM) {
            return atc_node_fail(e, &g->n[ni], "attribute '%s': %" PRId64
                                 " out of range", name, out[i]);
        }
    }
    return 0;
}

/* Begins and ends of the padding, from pads or auto_pad. */
static int sp_pads(struct atc_graph *g, int ni, uint32_t k, const int64_t *in,
                   const int64_t *ext, const int64_t *str, int64_t *pb,
                   int64_t *pe, bool *same, struct atc_err *e)
{
    const char *ap = atc_attr_str(&g->n[ni], "auto_pad", "NOTSET");
    int64_t pads[2 * ATC_MAX_DIMS];

    *same = false;
    if (sp_attr(g, ni, "pads", 2 * k, 0, pads, e)) {
        return -1;
    }
    for (uint32_t i = 0; i < k; i++) {
        pb[i] = pads[i];
        pe[i] = pads[k + i];
        if (!strcmp(ap, "VALID")) {
            pb[i] = pe[i] = 0;
        } else if (!strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER")) {
            int64_t o = (in[i] + str[i] - 1) / str[i];
            int64_t tot = (o - 1) * str[i] + ext[i] - in[i];
            if (tot < 0) {
                tot = 0;
            }
            *same = true;
            pb[i] = !strcmp(ap, "SAME_UPPER") ? tot / 2 : tot - tot / 2;
            pe[i] = tot - pb[i];
        } else if (strcmp(ap, "NOTSET") != 0) {
            return atc_node_fail(e, &g->n[ni], "auto_pad '%s' not supported",
                                 ap);
        }
        if (pb[i] < 0 || pe[i] < 0) {
            return atc_node_fail(e, &g->n[ni], "negative pads");
        }
    }
    return 0;
}

int r_conv(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0), *w = atc_in(g, ni, 1);
    int64_t str[ATC_MAX_DIMS], dil[ATC_MAX_DIMS], ext[ATC_MAX_DIMS];
    int64_t pb[ATC_MAX_DIMS], pe[ATC_MAX_DIMS], dims[ATC_MAX_DIMS];
    int64_t group = atc_attr_int(n, "group", 1);
    uint32_t k;
    bool same;

    if (x->ndim < 3 || x->ndim > 5 || w->ndim != x->ndim) {
        return atc_node_fail(e, n, "input rank %u and weight rank %u (1-3 "
                             "spatial dims)", x->ndim, w->ndim);
    }
    k = x->ndim - 2;
    if (group < 1 || group > x->dims[1] || x->dims[1] % group ||
        x->dims[1] / group != w->dims[1]) {
        return atc_node_fail(e, n, "%" PRId64 " input channels, weights "
                             "take %" PRId64 " x group %" PRId64, x->dims[1],
                             w->dims[1], group);
    }
    if (sp_attr(g, ni, "strides", k, 1, str, e) ||
        sp_attr(g, ni, "dilations", k, 1, dil, e)) {
        return -1;
    }
    for (uint32_t i = 0; i < k; i++) {
        if (str[i] < 1 || dil[i] < 1 || str[i] > MAX_STEP ||
            dil[i] > MAX_STEP) {
            return atc_node_fail(e, n, "strides and dilations must be in "
                                 "1..2^20");
        }
        ext[i] = (w->dims[2 + i] - 1) * dil[i] + 1;
    }
    if (sp_pads(g, ni, k, x->dims + 2, ext, str, pb, pe, &same, e)) {
        return -1;
    }
    dims[0] = x->dims[0];
    dims[1] = w->dims[0];
    for (uint32_t i = 0; i < k; i++) {
        int64_t span = x->dims[2 + i] + pb[i] + pe[i] - ext[i];
        if (span < 0) {
            return atc_node_fail(e, n, "kernel larger than the padded input");
        }
        dims[2 + i] = span / str[i] + 1;
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_convt(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0), *w = atc_in(g, ni, 1);
    int64_t str[ATC_MAX_DIMS], dil[ATC_MAX_DIMS], op[ATC_MAX_DIMS];
    int64_t dims[ATC_MAX_DIMS], pads[2 * ATC_MAX_DIMS];
    int64_t group = atc_attr_int(n, "group", 1);
    const struct atc_attr *os = atc_attr_get(n, "output_shape");
    const char *ap = atc_attr_str(n, "auto_pad", "NOTSET");
    uint32_t k;

    if (x->ndim < 3 || x->ndim > 5 || w->ndim != x->ndim) {
        return atc_node_fail(e, n, "input rank %u and weight rank %u", x->ndim,
                             w->ndim);
    }
    k = x->ndim - 2;
    if (sp_attr(g, ni, "strides", k, 1, str, e) ||
        sp_attr(g, ni, "dilations", k, 1, dil, e) ||
        sp_attr(g, ni, "output_padding", k, 0, op, e) ||
        sp_attr(g, ni, "pads", 2 * k, 0, pads, e)) {
        return -1;
    }
    if (group < 1 || group > MAX_STEP) {
        return atc_node_fail(e, n, "group %" PRId64 " out of range", group);
    }
    dims[0] = x->dims[0];
    dims[1] = w->dims[1] * group;
    for (uint32_t i = 0; i < k; i++) {
        if (str[i] < 1 || dil[i] < 1 || str[i] > MAX_STEP ||
            dil[i] > MAX_STEP) {
            return atc_node_fail(e, n, "strides and dilations must be in "
                                 "1..2^20");
        }
        if (os && os->type == OM_ATTR_INT &&
            (os->count == k || os->count == k + 2)) {
            dims[2 + i] = ((int64_t *)os->data)[os->count - k + i];
        } else if (!strncmp(ap, "SAME", 4)) {
            dims[2 + i] = x->dims[2 + i] * str[i];
        } else {
            int64_t ext = (w->dims[2 + i] - 1) * dil[i] + 1;
            int64_t pb = strcmp(ap, "VALID") ? pads[i] : 0;
            int64_t pe = strcmp(ap, "VALID") ? pads[k + i] : 0;
            dims[2 + i] = str[i] * (x->dims[2 + i] - 1) + op[i] + ext - pb -
                          pe;
        }
        if (dims[2 + i] < 0) {
            return atc_node_fail(e, n, "negative output size");
        }
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_pool(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t ks[ATC_MAX_DIMS], str[ATC_MAX_DIMS], dil[ATC_MAX_DIMS];
    int64_t ext[ATC_MAX_DIMS], pb[ATC_MAX_DIMS], pe[ATC_MAX_DIMS];
    int64_t dims[ATC_MAX_DIMS];
    int64_t ceil_mode = atc_attr_int(n, "ceil_mode", 0);
    const struct atc_attr *ka = atc_attr_get(n, "kernel_shape");
    uint32_t k;
    bool same;

    if (x->ndim < 3 || x->ndim > 5) {
        return atc_node_fail(e, n, "input rank %u (1-3 spatial dims)",
                             x->ndim);
    }
    k = x->ndim - 2;
    if (!ka || ka->type != OM_ATTR_INT || ka->count != k) {
        return atc_node_fail(e, n, "attribute 'kernel_shape' needs %u values",
                             k);
    }
    memcpy(ks, ka->data, k * sizeof(int64_t));
    if (sp_attr(g, ni, "strides", k, 1, str, e) ||
        sp_attr(g, ni, "dilations", k, 1, dil, e)) {
        return -1;
    }
    for (uint32_t i = 0; i < k; i++) {
        if (str[i] < 1 || dil[i] < 1 || ks[i] < 1 || str[i] > MAX_STEP ||
            dil[i] > MAX_STEP || ks[i] > MAX_DIM) {
            return atc_node_fail(e, n, "kernel, strides and dilations out "
                                 "of range");
        }
        ext[i] = (ks[i] - 1) * dil[i] + 1;
    }
    if (sp_pads(g, ni, k, x->dims + 2, ext, str, pb, pe, &same, e)) {
        return -1;
    }
    dims[0] = x->dims[0];
    dims[1] = x->dims[1];
    for (uint32_t i = 0; i < k; i++) {
        int64_t in = x->dims[2 + i];
        int64_t span = in + pb[i] + pe[i] - ext[i];
        int64_t o;
        if (span < 0) {
            return atc_node_fail(e, n, "window larger than the padded input");
        }
        o = (ceil_mode ? span + str[i] - 1 : span) / str[i] + 1;
        if (ceil_mode && (o - 1) * str[i] >= in + pb[i]) {
            o--;
        }
        dims[2 + i] = o;
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    set_out(g, ni, 1, DT_INT64, x->ndim, dims);
    return 0;
}

int r_gpool(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t dims[ATC_MAX_DIMS];

    if (x->ndim < 3) {
        return atc_node_fail(e, &g->n[ni], "input rank %u below 3", x->ndim);
    }
    dims[0] = x->dims[0];
    dims[1] = x->dims[1];
    for (uint32_t i = 2; i < x->ndim; i++) {
        dims[i] = 1;
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_reduce(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axes[ATC_MAX_DIMS], naxes, dims[ATC_MAX_DIMS];
    bool red[ATC_MAX_DIMS] = { false }, present;
    int64_t keep = atc_attr_int(n, "keepdims", 1);
    int64_t noop = atc_attr_int(n, "noop_with_empty_axes", 0);
    uint32_t nd = 0;

    if (attr_or_input(g, ni, "axes", 1, axes, ATC_MAX_DIMS, &naxes, &present,
                      e)) {
        return -1;
    }
    if (!naxes && noop) {
        set_out(g, ni, 0, x->dtype, x->ndim, x->dims);
        return 0;
    }
    for (int64_t i = 0; i < naxes; i++) {
        int64_t a;
        if (norm_axis(e, n, axes[i], x->ndim, &a)) {
            return -1;
        }
        red[a] = true;
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        bool r = !naxes || red[i];
        if (!r) {
            dims[nd++] = x->dims[i];
        } else if (keep) {
            dims[nd++] = 1;
        }
    }
    set_out(g, ni, 0, x->dtype, nd, dims);
    return 0;
}

int r_cast(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    const struct atc_attr *to = atc_attr_get(n, "to");
    uint32_t dt;

    if (!to || to->type != OM_ATTR_INT) {
        return atc_node_fail(e, n, "attribute 'to' missing");
    }
    dt = onnx_dtype_to_acl((int32_t)((int64_t *)to->data)[0]);
    if (dt == ONNX_DT_NONE) {
        return atc_node_fail(e, n, "cast to ONNX type %" PRId64 " not "
                             "supported", ((int64_t *)to->data)[0]);
    }
    set_out(g, ni, 0, dt, x->ndim, x->dims);
    return 0;
}

int r_transpose(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t perm[ATC_MAX_DIMS], np, dims[ATC_MAX_DIMS];
    bool seen[ATC_MAX_DIMS] = { false }, present;

    if (attr_or_input(g, ni, "perm", 1, perm, ATC_MAX_DIMS, &np, &present,
                      e)) {
        return -1;
    }
    if (!present) {
        np = x->ndim;
        for (uint32_t i = 0; i < x->ndim; i++) {
            perm[i] = x->ndim - 1 - i;
        }
    }
    if (np != (int64_t)x->ndim) {
        return atc_node_fail(e, n, "perm has %" PRId64 " entries for rank %u",
                             np, x->ndim);
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        if (perm[i] < 0 || perm[i] >= (int64_t)x->ndim || seen[perm[i]]) {
            return atc_node_fail(e, n, "perm is not a permutation");
        }
        seen[perm[i]] = true;
        dims[i] = x->dims[perm[i]];
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_concat(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axis, dims[ATC_MAX_DIMS];

    if (norm_axis(e, n, atc_attr_int(n, "axis", 1), x->ndim, &axis)) {
        return -1;
    }
    memcpy(dims, x->dims, sizeof(dims));
    dims[axis] = 0;
    for (int k = 0; k < n->nin; k++) {
        struct atc_value *v = atc_in(g, ni, k);
        if (!v || v->ndim != x->ndim) {
            return atc_node_fail(e, n, "input %d: rank differs", k);
        }
        for (uint32_t i = 0; i < x->ndim; i++) {
            if ((int64_t)i != axis && v->dims[i] != x->dims[i]) {
                return atc_node_fail(e, n, "input %d: dim %u differs", k, i);
            }
        }
        dims[axis] += v->dims[axis];
        if (dims[axis] > MAX_DIM) {
            return atc_node_fail(e, n, "output too large");
        }
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_split(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axis, split[64], ns, dims[ATC_MAX_DIMS], sum = 0;
    bool present;

    if (norm_axis(e, n, atc_attr_int(n, "axis", 0), x->ndim, &axis) ||
        attr_or_input(g, ni, "split", 1, split, 64, &ns, &present, e)) {
        return -1;
    }
    if (!present) {
        int64_t parts = n->nout, d = x->dims[axis];
        int64_t chunk = (d + parts - 1) / parts;
        ns = parts;
        for (int64_t i = 0; i < parts; i++) {
            int64_t left = d - i * chunk;
            split[i] = left < 0 ? 0 : left < chunk ? left : chunk;
        }
    }
    if (ns != n->nout) {
        return atc_node_fail(e, n, "%" PRId64 " split sizes for %d outputs",
                             ns, n->nout);
    }
    memcpy(dims, x->dims, sizeof(dims));
    for (int k = 0; k < n->nout; k++) {
        if (split[k] < 0 || split[k] > MAX_DIM) {
            return atc_node_fail(e, n, "split size %" PRId64 " out of range",
                                 split[k]);
        }
        dims[axis] = split[k];
        sum += split[k];
        set_out(g, ni, k, x->dtype, x->ndim, dims);
    }
    if (sum != x->dims[axis]) {
        return atc_node_fail(e, n, "split sizes add up to %" PRId64 ", the "
                             "axis has %" PRId64, sum, x->dims[axis]);
    }
    return 0;
}

int r_slice(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t st[ATC_MAX_DIMS], en[ATC_MAX_DIMS], ax[ATC_MAX_DIMS];
    int64_t sp[ATC_MAX_DIMS], nst, nen, nax, nsp, dims[ATC_MAX_DIMS];

    if (const_ints(g, ni, 1, "starts", st, ATC_MAX_DIMS, &nst, e) ||
        const_ints(g, ni, 2, "ends", en, ATC_MAX_DIMS, &nen, e) ||
        const_ints(g, ni, 3, "axes", ax, ATC_MAX_DIMS, &nax, e) ||
        const_ints(g, ni, 4, "steps", sp, ATC_MAX_DIMS, &nsp, e)) {
        return -1;
    }
    if (nst != nen || (atc_in(g, ni, 3) && nax != nst) ||
        (atc_in(g, ni, 4) && nsp != nst)) {
        return atc_node_fail(e, n, "starts, ends, axes, steps differ in "
                             "length");
    }
    memcpy(dims, x->dims, sizeof(dims));
    for (int64_t i = 0; i < nst; i++) {
        int64_t a = atc_in(g, ni, 3) ? ax[i] : i;
        int64_t s = atc_in(g, ni, 4) ? sp[i] : 1;
        int64_t d, b, f;
        if (norm_axis(e, n, a, x->ndim, &a)) {
            return -1;
        }
        if (!s) {
            return atc_node_fail(e, n, "step 0");
        }
        /* dims are at most 2^40: larger steps mean the same */
        s = s > 2 * MAX_DIM ? 2 * MAX_DIM : s < -2 * MAX_DIM ? -2 * MAX_DIM
                                                              : s;
        d = x->dims[a];
        b = st[i] < 0 ? st[i] + d : st[i];
        f = en[i] < 0 ? en[i] + d : en[i];
        if (s > 0) {
            b = b < 0 ? 0 : b > d ? d : b;
            f = f < 0 ? 0 : f > d ? d : f;
            dims[a] = f > b ? (f - b + s - 1) / s : 0;
        } else {
            b = b < 0 ? -1 : b > d - 1 ? d - 1 : b;
            f = f < -1 ? -1 : f > d - 1 ? d - 1 : f;
            dims[a] = b > f ? (b - f + (-s) - 1) / (-s) : 0;
        }
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

/* Opset < 11 Pad: pads and value attributes -> the inputs PadV3 takes. */
static int pad_attrs_to_inputs(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    const struct atc_attr *pa = atc_attr_get(n, "pads");
    uint32_t dt = atc_in(g, ni, 0)->dtype;
    float val = atc_attr_float(n, "value", 0.0f);
    int64_t cnt = pa->count;
    int *in = realloc(n->in, 3 * sizeof(int));
    int pv = atc_value_new(g, ""), cv = atc_value_new(g, "");
    void *pd = malloc(8 * (cnt ? cnt : 1)), *cd = malloc(8);
    size_t es = atc_dtype_size(dt);

    if (in) {
        g->n[ni].in = in;
    }
    if (!in || pv < 0 || cv < 0 || !pd || !cd) {
        free(pd);
        free(cd);
        return atc_fail(e, "out of memory");
    }
    n = &g->n[ni];
    memcpy(pd, pa->data, 8 * cnt);
    atc_value_set_const(&g->v[pv], DT_INT64, 1, &cnt, pd);
    memset(cd, 0, 8);
    if (dt == DT_FLOAT) {
        memcpy(cd, &val, 4);
    } else if (dt == 1) {
        uint16_t h = aop_f32_to_f16(val);
        memcpy(cd, &h, 2);
    } else if (dt == 27) {
        uint16_t h = aop_f32_to_bf16(val);
        memcpy(cd, &h, 2);
    } else if (es == 8) {
        int64_t v = (int64_t)val;
        memcpy(cd, &v, 8);
    } else if (es == 4) {
        int32_t v = (int32_t)val;
        memcpy(cd, &v, 4);
    } else {
        int8_t v = (int8_t)val;
        memcpy(cd, &v, 1);
    }
    atc_value_set_const(&g->v[cv], dt, 0, NULL, cd);
    n->in[1] = pv;
    n->in[2] = cv;
    n->nin = 3;
    atc_attr_remove(n, "pads");
    atc_attr_remove(n, "value");
    return 0;
}

int r_pad(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t pads[2 * ATC_MAX_DIMS], np, axes[ATC_MAX_DIMS], na = 0;
    int64_t dims[ATC_MAX_DIMS];
    bool present;

    if (atc_attr_get(n, "pads") && n->nin == 1) {
        if (pad_attrs_to_inputs(g, ni, e)) {
            return -1;
        }
        n = &g->n[ni];
        x = atc_in(g, ni, 0);
    }
    if (attr_or_input(g, ni, "pads", 1, pads, 2 * ATC_MAX_DIMS, &np, &present,
                      e)) {
        return -1;
    }
    if (atc_in(g, ni, 3) &&
        const_ints(g, ni, 3, "axes", axes, ATC_MAX_DIMS, &na, e)) {
        return -1;
    }
    if (!na) {
        na = x->ndim;
        for (int64_t i = 0; i < na; i++) {
            axes[i] = i;
        }
    }
    if (np != 2 * na) {
        return atc_node_fail(e, n, "%" PRId64 " pads for %" PRId64 " axes",
                             np, na);
    }
    memcpy(dims, x->dims, sizeof(dims));
    for (int64_t i = 0; i < na; i++) {
        int64_t a;
        if (norm_axis(e, n, axes[i], x->ndim, &a)) {
            return -1;
        }
        if (pads[i] < -MAX_DIM || pads[i] > MAX_DIM ||
            pads[na + i] < -MAX_DIM || pads[na + i] > MAX_DIM) {
            return atc_node_fail(e, n, "pads out of range");
        }
        dims[a] += pads[i] + pads[na + i];
        if (dims[a] < 0) {
            return atc_node_fail(e, n, "pads crop below zero");
        }
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_resize(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0), *sc, *sz;
    int64_t dims[ATC_MAX_DIMS], ns;

    if (n->nin == 2 && g->opset < 11) {
        /* opset 10: X, scales -> X, (no roi), scales */
        int *in = realloc(n->in, 3 * sizeof(int));
        if (!in) {
            return atc_fail(e, "out of memory");
        }
        in[2] = in[1];
        in[1] = -1;
        n->in = in;
        n->nin = 3;
    }
    sc = atc_in(g, ni, 2);
    sz = atc_in(g, ni, 3);
    if (sz && sz->nbytes) {
        if (const_ints(g, ni, 3, "sizes", dims, ATC_MAX_DIMS, &ns, e)) {
            return -1;
        }
        if (ns != (int64_t)x->ndim) {
            return atc_node_fail(e, n, "sizes has %" PRId64 " entries", ns);
        }
    } else if (sc) {
        int64_t cnt = atc_elems(sc->ndim, sc->dims);
        if (!sc->is_const || sc->dtype != DT_FLOAT ||
            cnt != (int64_t)x->ndim) {
            return atc_node_fail(e, n, "scales must be %u constant floats",
                                 x->ndim);
        }
        for (uint32_t i = 0; i < x->ndim; i++) {
            float s;
            double d;
            memcpy(&s, (char *)sc->data + 4 * i, 4);
            d = floor((double)x->dims[i] * s);
            if (!(s > 0) || !(d <= (double)MAX_DIM)) {
                return atc_node_fail(e, n, "scale %g out of range", s);
            }
            dims[i] = (int64_t)d;
        }
    } else {
        return atc_node_fail(e, n, "neither scales nor sizes given");
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

int r_gather(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0), *idx = atc_in(g, ni, 1);
    int64_t axis, dims[ATC_MAX_DIMS];
    uint32_t nd = 0;

    if (norm_axis(e, n, atc_attr_int(n, "axis", 0), x->ndim, &axis)) {
        return -1;
    }
    if (x->ndim - 1 + idx->ndim > ATC_MAX_DIMS) {
        return atc_node_fail(e, n, "output rank above %d", ATC_MAX_DIMS);
    }
    for (int64_t i = 0; i < axis; i++) {
        dims[nd++] = x->dims[i];
    }
    for (uint32_t i = 0; i < idx->ndim; i++) {
        dims[nd++] = idx->dims[i];
    }
    for (uint32_t i = (uint32_t)axis + 1; i < x->ndim; i++) {
        dims[nd++] = x->dims[i];
    }
    set_out(g, ni, 0, x->dtype, nd, dims);
    return 0;
}

int r_expand(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_value *x = atc_in(g, ni, 0);
    struct atc_value s = { 0 };
    int64_t cnt, dims[ATC_MAX_DIMS];
    uint32_t nd = x->ndim;

    if (const_ints(g, ni, 1, "shape", s.dims, ATC_MAX_DIMS, &cnt, e)) {
        return -1;
    }
    s.ndim = (uint32_t)cnt;
    memcpy(dims, x->dims, sizeof(dims));
    if (broadcast(e, &g->n[ni], &nd, dims, &s)) {
        return -1;
    }
    set_out(g, ni, 0, x->dtype, nd, dims);
    return 0;
}

int r_tile(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t rep[ATC_MAX_DIMS], cnt, dims[ATC_MAX_DIMS];

    if (const_ints(g, ni, 1, "repeats", rep, ATC_MAX_DIMS, &cnt, e)) {
        return -1;
    }
    if (cnt != (int64_t)x->ndim) {
        return atc_node_fail(e, &g->n[ni], "%" PRId64 " repeats for rank %u",
                             cnt, x->ndim);
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        if (rep[i] < 0 || rep[i] > MAX_DIM ||
            (x->dims[i] && rep[i] > MAX_DIM / x->dims[i])) {
            return atc_node_fail(e, &g->n[ni], "repeats[%u] out of range",
                                 i);
        }
        dims[i] = x->dims[i] * rep[i];
    }
    set_out(g, ni, 0, x->dtype, x->ndim, dims);
    return 0;
}

/* ---- views ---- */

int r_reshape(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t sh[ATC_MAX_DIMS], cnt, known = 1, infer = -1;
    int64_t allowzero = atc_attr_int(n, "allowzero", 0);
    const struct atc_attr *a = atc_attr_get(n, "shape");    /* opset < 5 */

    if (a && a->type == OM_ATTR_INT && a->count <= ATC_MAX_DIMS) {
        cnt = a->count;
        memcpy(sh, a->data, cnt * sizeof(int64_t));
    } else if (!atc_in(g, ni, 1)) {
        return atc_node_fail(e, n, "no shape");
    } else if (const_ints(g, ni, 1, "shape", sh, ATC_MAX_DIMS, &cnt, e)) {
        return -1;
    }
    for (int64_t i = 0; i < cnt; i++) {
        if (sh[i] == 0 && !allowzero) {
            if (i >= (int64_t)x->ndim) {
                return atc_node_fail(e, n, "shape[%" PRId64 "] is 0 past the "
                                     "input's rank", i);
            }
            sh[i] = x->dims[i];
        }
        if (sh[i] == -1) {
            if (infer >= 0) {
                return atc_node_fail(e, n, "two -1 dims in shape");
            }
            infer = i;
        } else if (sh[i] < 0 || sh[i] > MAX_DIM ||
                   (sh[i] && known > MAX_DIM / sh[i])) {
            return atc_node_fail(e, n, "shape[%" PRId64 "] is %" PRId64, i,
                                 sh[i]);
        } else {
            known *= sh[i];
        }
    }
    if (infer >= 0) {
        int64_t total = atc_elems(x->ndim, x->dims);
        if (!known || total % known) {
            return atc_node_fail(e, n, "cannot infer the -1 dim");
        }
        sh[infer] = total / known;
        known *= sh[infer];
    }
    if (known != atc_elems(x->ndim, x->dims)) {
        char s1[96], s2[96];
        return atc_node_fail(e, n, "reshape of %s to %s changes the element "
                             "count", atc_shape_str(x->ndim, x->dims, s1,
                                                    sizeof(s1)),
                             atc_shape_str((uint32_t)cnt, sh, s2, sizeof(s2)));
    }
    set_out(g, ni, 0, x->dtype, (uint32_t)cnt, sh);
    return 0;
}

int r_flatten(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axis = atc_attr_int(n, "axis", 1), dims[2] = { 1, 1 };

    if (axis < 0) {
        axis += x->ndim;
    }
    if (axis < 0 || axis > (int64_t)x->ndim) {
        return atc_node_fail(e, n, "axis out of range");
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        dims[(int64_t)i < axis ? 0 : 1] *= x->dims[i];
    }
    set_out(g, ni, 0, x->dtype, 2, dims);
    return 0;
}

int r_squeeze(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axes[ATC_MAX_DIMS], na, dims[ATC_MAX_DIMS];
    bool drop[ATC_MAX_DIMS] = { false }, present;
    uint32_t nd = 0;

    if (attr_or_input(g, ni, "axes", 1, axes, ATC_MAX_DIMS, &na, &present,
                      e)) {
        return -1;
    }
    for (int64_t i = 0; i < na; i++) {
        int64_t a;
        if (norm_axis(e, n, axes[i], x->ndim, &a)) {
            return -1;
        }
        if (x->dims[a] != 1) {
            return atc_node_fail(e, n, "dim %" PRId64 " is %" PRId64 ", not 1",
                                 a, x->dims[a]);
        }
        drop[a] = true;
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        if (!(na ? drop[i] : x->dims[i] == 1)) {
            dims[nd++] = x->dims[i];
        }
    }
    set_out(g, ni, 0, x->dtype, nd, dims);
    return 0;
}

int r_unsqueeze(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t axes[ATC_MAX_DIMS], na, dims[ATC_MAX_DIMS];
    bool ins[ATC_MAX_DIMS] = { false }, present;
    uint32_t r, j = 0;

    if (attr_or_input(g, ni, "axes", 1, axes, ATC_MAX_DIMS, &na, &present,
                      e)) {
        return -1;
    }
    r = x->ndim + (uint32_t)na;
    if (r > ATC_MAX_DIMS) {
        return atc_node_fail(e, n, "rank above %d", ATC_MAX_DIMS);
    }
    for (int64_t i = 0; i < na; i++) {
        int64_t a;
        if (norm_axis(e, n, axes[i], r, &a)) {
            return -1;
        }
        if (ins[a]) {
            return atc_node_fail(e, n, "axis %" PRId64 " twice", a);
        }
        ins[a] = true;
    }
    for (uint32_t i = 0; i < r; i++) {
        dims[i] = ins[i] ? 1 : x->dims[j++];
    }
    set_out(g, ni, 0, x->dtype, r, dims);
    return 0;
}

int r_dropout(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);

    if (atc_in(g, ni, 2) && atc_in(g, ni, 2)->is_const) {
        uint8_t t;
        memcpy(&t, atc_in(g, ni, 2)->data, 1);
        if (t) {
            return atc_node_fail(e, n, "training_mode is set");
        }
    } else if (atc_in(g, ni, 2)) {
        return atc_node_fail(e, n, "training_mode is computed at run time");
    }
    set_out(g, ni, 0, x->dtype, x->ndim, x->dims);
    if (n->nout > 1 && n->out[1] >= 0) {
        /* inference: the mask is all true */
        int64_t cnt = atc_elems(x->ndim, x->dims);
        void *ones = malloc(cnt ? (size_t)cnt : 1);
        if (!ones) {
            return atc_fail(e, "out of memory");
        }
        memset(ones, 1, (size_t)cnt);
        atc_value_set_const(&g->v[n->out[1]], DT_BOOL, x->ndim, x->dims,
                            ones);
        g->v[n->out[1]].producer = -1;
        n->nout = 1;
    }
    return 0;
}

/* ---- compile-time only ---- */

int r_shape(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t r = x->ndim, st = atc_attr_int(n, "start", 0);
    int64_t en = atc_attr_int(n, "end", r), cnt;
    int64_t *d;

    (void)e;
    st = st < 0 ? st + r : st;
    en = en < 0 ? en + r : en;
    st = st < 0 ? 0 : st > r ? r : st;
    en = en < 0 ? 0 : en > r ? r : en;
    cnt = en > st ? en - st : 0;
    d = malloc(8 * (cnt ? cnt : 1));
    if (!d) {
        return atc_fail(e, "out of memory");
    }
    memcpy(d, x->dims + st, cnt * 8);
    atc_value_set_const(&g->v[n->out[0]], DT_INT64, 1, &cnt, d);
    return 0;
}

int r_size(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_value *x = atc_in(g, ni, 0);
    int64_t *d = malloc(8);

    if (!d) {
        return atc_fail(e, "out of memory");
    }
    *d = atc_elems(x->ndim, x->dims);
    atc_value_set_const(&g->v[g->n[ni].out[0]], DT_INT64, 0, NULL, d);
    return 0;
}

int r_constantofshape(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    int64_t dims[ATC_MAX_DIMS], cnt, elems;
    const struct atc_attr *a = atc_attr_get(n, "value");
    uint32_t dt = DT_FLOAT;
    uint8_t val[8] = { 0 };
    size_t es;
    uint8_t *d;

    if (const_ints(g, ni, 0, "shape", dims, ATC_MAX_DIMS, &cnt, e)) {
        return -1;
    }
    if (a) {
        if (a->type != ATC_ATTR_TENSOR || a->count != 1) {
            return atc_node_fail(e, n, "attribute 'value' must be a "
                                 "one-element tensor");
        }
        dt = a->t_dtype;
        memcpy(val, a->data, atc_dtype_size(dt));
    }
    elems = atc_elems((uint32_t)cnt, dims);
    es = atc_dtype_size(dt);
    if (elems < 0 || (uint64_t)elems * es > FOLD_MAX_BYTES) {
        return atc_node_fail(e, n, "constant too large");
    }
    d = malloc(elems ? (size_t)elems * es : 1);
    if (!d) {
        return atc_fail(e, "out of memory");
    }
    for (int64_t i = 0; i < elems; i++) {
        memcpy(d + i * es, val, es);
    }
    atc_value_set_const(&g->v[n->out[0]], dt, (uint32_t)cnt, dims, d);
    return 0;
}

static int scalar_f64(const struct atc_value *v, double *out)
{
    if (!v || !v->is_const || atc_elems(v->ndim, v->dims) != 1) {
        return -1;
    }
    switch (v->dtype) {
    case DT_FLOAT: { float f; memcpy(&f, v->data, 4); *out = f; return 0; }
    case DT_INT32: { int32_t i; memcpy(&i, v->data, 4); *out = i; return 0; }
    case DT_INT64: { int64_t i; memcpy(&i, v->data, 8); *out = (double)i;
                     return 0; }
    case 11: memcpy(out, v->data, 8); return 0;
    default: return -1;
    }
}

int r_range(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    double st, lim, d;
    int64_t cnt;
    uint32_t dt = atc_in(g, ni, 0)->dtype;
    size_t es = atc_dtype_size(dt);
    uint8_t *p;

    if (scalar_f64(atc_in(g, ni, 0), &st) ||
        scalar_f64(atc_in(g, ni, 1), &lim) ||
        scalar_f64(atc_in(g, ni, 2), &d) || d == 0) {
        return atc_node_fail(e, n, "start, limit and delta must be constant "
                             "scalars (delta non-zero)");
    }
    {
        double q = ceil((lim - st) / d);
        if (!(q <= (double)(1 << 24))) {
            return atc_node_fail(e, n, "range too long");
        }
        cnt = q < 0 ? 0 : (int64_t)q;
    }
    p = malloc(cnt ? (size_t)cnt * es : 1);
    if (!p) {
        return atc_fail(e, "out of memory");
    }
    for (int64_t i = 0; i < cnt; i++) {
        double v = st + (double)i * d;
        if (dt == DT_FLOAT) {
            float f = (float)v;
            memcpy(p + i * 4, &f, 4);
        } else if (dt == DT_INT32) {
            int32_t x = (int32_t)v;
            memcpy(p + i * 4, &x, 4);
        } else if (dt == DT_INT64) {
            int64_t x = (int64_t)v;
            memcpy(p + i * 8, &x, 8);
        } else {
            memcpy(p + i * 8, &v, 8);
        }
    }
    atc_value_set_const(&g->v[n->out[0]], dt, 1, &cnt, p);
    return 0;
}
