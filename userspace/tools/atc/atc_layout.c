/* SPDX-License-Identifier: MIT */
/*
 * Layout: run 2-D convolution, pooling and the elementwise ops between
 * them on NHWC data. The op library hands NHWC tensors to oneDNN's
 * vectorised kernels, and plain NCHW ones to slower paths (measured on the
 * 2-core host, one thread: depthwise 3x3 conv on 1x24x64x64 1590 us NCHW,
 * 85 us NHWC; 2x2 max pool 2045 vs 197 us; 1x1 conv 219 vs 121 us; 3x3
 * conv 64->64 on 56x56 9.9 vs 6.0 ms).
 *
 * Shapes stay logical (ONNX's NCHW); a value marked nhwc is stored in the
 * order [N, H, W, C] and its tensor says so (dims in that order, format
 * NHWC). Walking the nodes in order:
 *
 *   Conv, ConvTranspose, MaxPool, AveragePool, BatchNormalization (4-D)
 *       take their data input in NHWC and produce NHWC;
 *   elementwise ops and Concat whose data inputs are 4-D run in NHWC when
 *       one of them already is (constants are permuted; Concat's axis
 *       follows the channel);
 *   Transpose of an NHWC value with perm [0,2,3,1] is its own bytes (a
 *       view), and Transpose [0,3,1,2] of an NCHW-stored value is an NHWC
 *       view of it: the transposes around an NHWC model's body vanish;
 *   every other consumer, and the model's outputs, get the NCHW order back
 *       through a Transpose task, one per value.
 *
 * Those layout Transposes cost (the library's Transpose takes ~5 ns an
 * element), so the pass first runs dry and keeps NHWC only when its
 * estimated gain beats them. Gains per element of input, from the same
 * measurements: pooling 15 ns, depthwise conv 11 ns, other convs 0.02 ns
 * a multiply-add; each transpose that becomes a view saves its 5 ns an
 * element. BlazeFace gains everywhere and pays nothing; a model of one
 * small NCHW conv stays NCHW.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"

/* Logical NCHW dim of physical NHWC position i, and the inverse. */
static const int64_t to_nhwc[4] = { 0, 2, 3, 1 };
static const int64_t to_nchw[4] = { 0, 3, 1, 2 };

#define NS_TRANSPOSE    5.0     /* per element */
#define NS_POOL         15.0    /* per input element */
#define NS_DEPTHWISE    11.0    /* per input element */
#define NS_CONV_MAC     0.02    /* per multiply-add */

struct lay {
    struct atc_graph *g;
    bool dry;               /* estimate only: change no node */
    double cost, gain;      /* ns, estimated */
    int *as_nhwc;           /* value -> its NHWC copy, or -1 */
    int *as_nchw;           /* value -> its NCHW copy, or -1 */
    int cap;
    int converts, views;
    struct atc_err *e;
};

static bool is_4d_float(const struct atc_value *v)
{
    return v->ndim == 4 && (v->dtype == 0 || v->dtype == 1 || v->dtype == 27);
}

static int grow(struct lay *L)
{
    int cap = L->g->nv + 64;
    int *a, *b;

    if (cap <= L->cap) {
        return 0;
    }
    a = realloc(L->as_nhwc, sizeof(int) * cap);
    if (a) {
        L->as_nhwc = a;
    }
    b = realloc(L->as_nchw, sizeof(int) * cap);
    if (b) {
        L->as_nchw = b;
    }
    if (!a || !b) {
        return atc_fail(L->e, "out of memory");
    }
    for (int i = L->cap; i < cap; i++) {
        L->as_nhwc[i] = L->as_nchw[i] = -1;
    }
    L->cap = cap;
    return 0;
}

static int new_value(struct lay *L, int like, const char *suffix, bool nhwc)
{
    struct atc_graph *g = L->g;
    char name[300];
    int vi;

    snprintf(name, sizeof(name), "%s/%s", g->v[like].name, suffix);
    vi = atc_value_new(g, g->v[like].name[0] ? name : "");
    if (vi < 0 || grow(L)) {
        return -1;
    }
    g->v[vi].known = true;
    g->v[vi].dtype = g->v[like].dtype;
    g->v[vi].ndim = g->v[like].ndim;
    memcpy(g->v[vi].dims, g->v[like].dims, sizeof(g->v[vi].dims));
    g->v[vi].nhwc = nhwc;
    return vi;
}

/* A Transpose task on the stored bytes: @in (stored as it is) -> @out. */
static int transpose(struct lay *L, int in, int out, const int64_t *perm)
{
    struct atc_graph *g = L->g;
    char name[300];
    int ni;

    snprintf(name, sizeof(name), "%s/layout", g->v[out].name);
    ni = atc_node_new(g, "Transpose", name, 1, 1);
    if (ni < 0 || atc_attr_set_ints(&g->n[ni], "perm", perm, 4)) {
        return atc_fail(L->e, "out of memory");
    }
    g->n[ni].in[0] = in;
    g->n[ni].out[0] = out;
    g->n[ni].kind = ATC_NODE_OP;
    g->n[ni].op_id = aop_find_onnx("Transpose");
    g->v[out].producer = ni;
    L->converts++;
    return 0;
}

/* Constant @v's data permuted from NCHW to NHWC order (4-D, any dtype). */
static void *permute_const(const struct atc_value *v, const int64_t *d)
{
    size_t es = atc_dtype_size(v->dtype);
    uint8_t *out = malloc(v->nbytes ? v->nbytes : 1);
    const uint8_t *in = v->data;
    size_t k = 0;

    if (!out) {
        return NULL;
    }
    for (int64_t n = 0; n < d[0]; n++) {
        for (int64_t h = 0; h < d[2]; h++) {
            for (int64_t w = 0; w < d[3]; w++) {
                for (int64_t c = 0; c < d[1]; c++) {
                    size_t src = (size_t)(((n * d[1] + c) * d[2] + h) * d[3] +
                                          w);
                    memcpy(out + k * es, in + src * es, es);
                    k++;
                }
            }
        }
    }
    return out;
}

/* @vi stored NHWC: itself, a cached copy, or a new Transpose's output. */
static int need_nhwc(struct lay *L, int vi)
{
    struct atc_graph *g = L->g;
    struct atc_value *v = &g->v[vi];
    int c;

    if (v->nhwc) {
        return vi;
    }
    if (L->as_nhwc[vi] >= 0) {
        return L->as_nhwc[vi];
    }
    if (L->dry) {
        L->as_nhwc[vi] = vi;
        if (!v->is_const) {
            L->cost += NS_TRANSPOSE * (double)atc_elems(4, v->dims);
        }
        return vi;
    }
    c = new_value(L, vi, "nhwc", true);
    if (c < 0) {
        return atc_fail(L->e, "out of memory");
    }
    v = &g->v[vi];
    if (v->is_const) {
        void *d = permute_const(v, v->dims);
        if (!d) {
            return atc_fail(L->e, "out of memory");
        }
        atc_value_set_const(&g->v[c], v->dtype, 4, v->dims, d);
        g->v[c].nhwc = true;
    } else if (transpose(L, vi, c, to_nhwc)) {
        return -1;
    }
    L->as_nhwc[vi] = c;
    return c;
}

/* @vi stored NCHW (row-major in its logical dims). */
static int need_nchw(struct lay *L, int vi)
{
    struct atc_graph *g = L->g;
    int c;

    if (!g->v[vi].nhwc) {
        return vi;
    }
    if (L->as_nchw[vi] >= 0) {
        return L->as_nchw[vi];
    }
    if (L->dry) {
        L->as_nchw[vi] = vi;
        L->cost += NS_TRANSPOSE * (double)atc_elems(4, g->v[vi].dims);
        return vi;
    }
    c = new_value(L, vi, "nchw", false);
    if (c < 0) {
        return atc_fail(L->e, "out of memory");
    }
    if (transpose(L, vi, c, to_nchw)) {
        return -1;
    }
    L->as_nchw[vi] = c;
    return c;
}

static bool in_list(const char *op, const char *const *list)
{
    for (; *list; list++) {
        if (!strcmp(op, *list)) {
            return true;
        }
    }
    return false;
}

static const char *const spatial_ops[] = {
    "Conv", "ConvTranspose", "MaxPool", "AveragePool", "BatchNormalization",
    NULL,
};

static const char *const eltwise_ops[] = {
    "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Equal", "Greater",
    "Less", "Where", "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid",
    "HardSwish", "Tanh", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Reciprocal",
    "Abs", "Neg", "Clip", "Cast", NULL,
};

/* A constant operand of an NHWC elementwise op, as NHWC. */
static int const_nhwc(struct lay *L, int vi)
{
    struct atc_graph *g = L->g;
    struct atc_value *v = &g->v[vi];
    int64_t d[4] = { 1, 1, 1, 1 };
    int c;
    void *data;

    if (atc_elems(v->ndim, v->dims) == 1 && v->ndim <= 1) {
        return vi;      /* a scalar broadcasts the same in any order */
    }
    if (v->ndim == 4 || L->dry) {
        return need_nhwc(L, vi);
    }
    /* rank < 4: numpy aligns it right; make it 4-D, then permute */
    memcpy(d + 4 - v->ndim, v->dims, v->ndim * sizeof(int64_t));
    c = new_value(L, vi, "nhwc", true);
    if (c < 0) {
        return atc_fail(L->e, "out of memory");
    }
    v = &g->v[vi];
    {
        struct atc_value tmp = *v;
        tmp.ndim = 4;
        memcpy(tmp.dims, d, sizeof(d));
        data = permute_const(&tmp, d);
    }
    if (!data) {
        return atc_fail(L->e, "out of memory");
    }
    atc_value_set_const(&g->v[c], v->dtype, 4, d, data);
    g->v[c].nhwc = true;
    return c;
}

/* Operands of an elementwise op that carry data (Clip: only input 0). */
static int data_inputs(const struct atc_node *n)
{
    return !strcmp(n->op_type, "Clip") ? 1 : n->nin;
}

static int layout_eltwise(struct lay *L, int ni, bool concat)
{
    struct atc_graph *g = L->g;
    struct atc_node *n = &g->n[ni];
    int nd = concat ? n->nin : data_inputs(n);
    bool any = false;

    for (int k = 0; k < nd; k++) {
        struct atc_value *v;
        if (n->in[k] < 0) {
            continue;
        }
        v = &g->v[n->in[k]];
        if (!v->is_const && v->ndim != 4) {
            return 0;   /* broadcasting a lower rank: stay NCHW */
        }
        any |= v->nhwc;
    }
    if (!any || g->v[n->out[0]].ndim != 4) {
        return 0;
    }
    for (int k = 0; k < nd; k++) {
        int vi = g->n[ni].in[k], c;
        if (vi < 0) {
            continue;
        }
        c = g->v[vi].is_const && !concat ? const_nhwc(L, vi) :
            need_nhwc(L, vi);
        if (c < 0) {
            return -1;
        }
        if (!L->dry) {
            g->n[ni].in[k] = c;
        }
    }
    n = &g->n[ni];
    if (concat && !L->dry) {
        int64_t axis = atc_attr_int(n, "axis", 1);
        axis = axis < 0 ? axis + 4 : axis;
        axis = to_nchw[axis];   /* logical axis -> its NHWC position */
        if (atc_attr_set_ints(n, "axis", &axis, 1)) {
            return atc_fail(L->e, "out of memory");
        }
    }
    for (int k = 0; k < n->nout; k++) {
        g->v[n->out[k]].nhwc = true;
    }
    return 1;
}

/* Transpose of an NHWC value, or to an NHWC view. 1 when handled. */
static int layout_transpose(struct lay *L, int ni)
{
    struct atc_graph *g = L->g;
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = &g->v[n->in[0]];
    const struct atc_attr *pa = atc_attr_get(n, "perm");
    int64_t p[4], r[4];
    bool ident = true;

    if (x->ndim != 4 || !pa || pa->count != 4 || n->nin != 1) {
        return 0;
    }
    memcpy(p, pa->data, sizeof(p));
    if (!x->nhwc) {
        if (memcmp(p, to_nchw, sizeof(p)) || !is_4d_float(x)) {
            return 0;
        }
        /* the stored bytes, read as NHWC, are the output */
        g->v[n->out[0]].nhwc = true;
        L->gain += NS_TRANSPOSE * (double)atc_elems(4, x->dims);
        if (!L->dry) {
            n->kind = ATC_NODE_VIEW;
            L->views++;
        }
        return 1;
    }
    /* output[i] = logical[p[i]] = stored[to_nchw[p[i]]] */
    for (int i = 0; i < 4; i++) {
        r[i] = to_nchw[p[i]];
        ident &= r[i] == i;
    }
    if (ident) {
        L->gain += NS_TRANSPOSE * (double)atc_elems(4, x->dims);
    }
    if (L->dry) {
        return 1;
    }
    if (ident) {
        n->kind = ATC_NODE_VIEW;
        L->views++;
    } else if (atc_attr_set_ints(n, "perm", r, 4)) {
        return atc_fail(L->e, "out of memory");
    }
    return 1;
}

/* What running @n on NHWC saves, estimated (see the top). */
static double spatial_gain(const struct atc_graph *g, const struct atc_node *n)
{
    const struct atc_value *x = &g->v[n->in[0]], *y = &g->v[n->out[0]];
    double in = (double)atc_elems(4, x->dims);

    if (!strcmp(n->op_type, "MaxPool") || !strcmp(n->op_type,
                                                  "AveragePool")) {
        return NS_POOL * in;
    }
    if (!strcmp(n->op_type, "Conv") && n->nin > 1 && n->in[1] >= 0) {
        const struct atc_value *w = &g->v[n->in[1]];
        int64_t group = atc_attr_int(n, "group", 1);
        if (group > 1 && group == x->dims[1]) {
            return NS_DEPTHWISE * in;
        }
        return NS_CONV_MAC * (double)atc_elems(4, y->dims) *
               (double)atc_elems(3, w->dims + 1);
    }
    return 0;
}

static int layout_node(struct lay *L, int ni)
{
    struct atc_graph *g = L->g;
    struct atc_node *n = &g->n[ni];
    int rc;

    if (n->kind == ATC_NODE_OP && n->nin >= 1 && n->in[0] >= 0 &&
        in_list(n->op_type, spatial_ops) && n->nout == 1 &&
        is_4d_float(&g->v[n->in[0]])) {
        int c;
        L->gain += spatial_gain(g, &g->n[ni]);
        c = need_nhwc(L, g->n[ni].in[0]);
        if (c < 0) {
            return -1;
        }
        if (!L->dry) {
            g->n[ni].in[0] = c;
        }
        g->v[g->n[ni].out[0]].nhwc = true;
        return 0;
    }
    if (n->kind == ATC_NODE_OP && n->nout == 1 &&
        (in_list(n->op_type, eltwise_ops) || !strcmp(n->op_type,
                                                     "Concat"))) {
        rc = layout_eltwise(L, ni, !strcmp(n->op_type, "Concat"));
        if (rc) {
            return rc < 0 ? -1 : 0;
        }
    }
    if (n->kind == ATC_NODE_OP && !strcmp(n->op_type, "Transpose")) {
        rc = layout_transpose(L, ni);
        if (rc) {
            return rc < 0 ? -1 : 0;
        }
    }
    /* anything else reads NCHW */
    for (int k = 0; k < g->n[ni].nin; k++) {
        int vi = g->n[ni].in[k], c;
        if (vi < 0 || !g->v[vi].nhwc) {
            continue;
        }
        c = need_nchw(L, vi);
        if (c < 0) {
            return -1;
        }
        if (!L->dry) {
            g->n[ni].in[k] = c;
        }
    }
    return 0;
}

int atc_layout(struct atc_graph *g, struct atc_err *e)
{
    struct lay L = { .g = g, .e = e };
    int norder = g->norder, rc = -1;
    int *order = malloc(sizeof(int) * (norder ? norder : 1));
    bool any = false;

    if (!order || grow(&L)) {
        free(order);
        free(L.as_nhwc);
        free(L.as_nchw);
        return atc_fail(e, "out of memory");
    }
    memcpy(order, g->order, sizeof(int) * norder);
    for (int k = 0; k < norder; k++) {
        const struct atc_node *n = &g->n[order[k]];
        any |= n->kind == ATC_NODE_OP && in_list(n->op_type, spatial_ops) &&
               n->nin && n->in[0] >= 0 && is_4d_float(&g->v[n->in[0]]);
    }
    if (!any) {
        rc = 0;     /* nothing runs faster in NHWC */
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        L.dry = pass == 0;
        for (int k = 0; k < norder; k++) {
            if (layout_node(&L, order[k])) {
                goto out;
            }
        }
        if (!L.dry) {
            break;
        }
        for (int i = 0; i < g->noutputs; i++) {
            if (g->v[g->outputs[i]].nhwc) {
                need_nchw(&L, g->outputs[i]);
            }
        }
        for (int i = 0; i < g->nv; i++) {
            g->v[i].nhwc = false;
            L.as_nhwc[i] = L.as_nchw[i] = -1;
        }
        if (L.gain <= L.cost) {
            ATC_INFO("layout: staying NCHW (NHWC would save about %.0f us "
                     "and its transposes cost %.0f us)", L.gain / 1e3,
                     L.cost / 1e3);
            rc = 0;
            goto out;
        }
        ATC_INFO("layout: NHWC saves about %.0f us, its transposes cost "
                 "%.0f us", L.gain / 1e3, L.cost / 1e3);
    }
    /* model outputs in the order the model declares */
    for (int i = 0; i < g->noutputs; i++) {
        int o = g->outputs[i], c;
        char *name;
        if (!g->v[o].nhwc) {
            continue;
        }
        c = need_nchw(&L, o);
        if (c < 0) {
            goto out;
        }
        /* the output keeps its name */
        name = g->v[c].name;
        g->v[c].name = g->v[o].name;
        g->v[o].name = name;
        g->v[o].graph_output = false;
        g->v[c].graph_output = true;
        g->outputs[i] = c;
    }
    ATC_INFO("layout: NHWC around the convolutions and pools; %d transposes "
             "became views, %d layout transposes added", L.views,
             L.converts);
    rc = atc_order(g, e);
out:
    free(order);
    free(L.as_nhwc);
    free(L.as_nchw);
    return rc;
}
