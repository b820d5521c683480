/* SPDX-License-Identifier: MIT */
/*
 * Fusion: rewrite node pairs into one node the device runs faster.
 *
 *   Conv -> BatchNormalization   the normalisation folded into the conv's
 *                                weights and bias (inference statistics)
 *   Conv -> Add(per-channel c)   c folded into the conv's bias
 *   MatMul(x, W) -> Add(b)       one Gemm (x viewed as a matrix when it has
 *                                more dims)
 *
 * Conv -> Relu stays two tasks: the op library has no fused activation
 * attribute on Conv2D (docs/models.md).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atc.h"
#include "atc_ops.h"

#define DT_FLOAT 0u

static struct atc_value *val(struct atc_graph *g, int vi)
{
    return vi >= 0 ? &g->v[vi] : NULL;
}

static bool const_f32(const struct atc_value *v)
{
    return v && v->is_const && v->dtype == DT_FLOAT;
}

/* The single live consumer of @vi, or -1 (none, several, graph output). */
static int sole_consumer(const struct atc_graph *g, int vi, const int *uses)
{
    if (uses[vi] != 1 || g->v[vi].graph_output) {
        return -1;
    }
    for (int i = 0; i < g->nn; i++) {
        if (g->n[i].dead) {
            continue;
        }
        for (int k = 0; k < g->n[i].nin; k++) {
            if (g->n[i].in[k] == vi) {
                return i;
            }
        }
    }
    return -1;
}

/* A new constant value holding a float array. */
static int new_const(struct atc_graph *g, const char *name, uint32_t ndim,
                     const int64_t *dims, float *data)
{
    int vi = atc_value_new(g, name);

    if (vi < 0) {
        free(data);
        return -1;
    }
    atc_value_set_const(&g->v[vi], DT_FLOAT, ndim, dims, data);
    return vi;
}

/* The conv's bias as a fresh array of @m floats (zeros when absent). */
static float *conv_bias(struct atc_graph *g, struct atc_node *c, int64_t m)
{
    float *b = calloc((size_t)m, sizeof(float));
    struct atc_value *bv = c->nin > 2 ? val(g, c->in[2]) : NULL;

    if (b && bv) {
        memcpy(b, bv->data, (size_t)m * sizeof(float));
    }
    return b;
}

static int set_bias(struct atc_graph *g, int ci, float *b, int64_t m)
{
    struct atc_node *c = &g->n[ci];
    char name[300];
    int vi;

    snprintf(name, sizeof(name), "%s/fused_bias", c->name);
    vi = new_const(g, name, 1, &m, b);
    if (vi < 0) {
        return -1;
    }
    c = &g->n[ci];
    if (c->nin < 3) {
        int *in = realloc(c->in, 3 * sizeof(int));
        if (!in) {
            return -1;
        }
        in[2] = -1;
        c->in = in;
        c->nin = 3;
    }
    c->in[2] = vi;
    return 0;
}

/* @ci's output is now @new_out; @dead's node goes. */
static void take_output(struct atc_graph *g, int ci, int di)
{
    int old = g->n[ci].out[0];

    g->n[ci].out[0] = g->n[di].out[0];
    g->v[g->n[ci].out[0]].producer = ci;
    g->v[old].producer = -1;
    g->n[di].dead = true;
}

static bool conv_ok(struct atc_graph *g, struct atc_node *c)
{
    struct atc_value *w, *b;

    if (strcmp(c->op_type, "Conv") || c->nin < 2 || c->in[0] < 0) {
        return false;
    }
    w = val(g, c->in[1]);
    b = c->nin > 2 ? val(g, c->in[2]) : NULL;
    return const_f32(w) && (!b || const_f32(b)) &&
           val(g, c->in[0])->dtype == DT_FLOAT;
}

static int fuse_bn(struct atc_graph *g, int ci, int bi, struct atc_err *e)
{
    struct atc_node *c = &g->n[ci], *bn = &g->n[bi];
    struct atc_value *w = val(g, c->in[1]);
    struct atc_value *sc = val(g, bn->in[1]), *sh = val(g, bn->in[2]);
    struct atc_value *mean = val(g, bn->in[3]), *var = val(g, bn->in[4]);
    int64_t m = w->dims[0], per = atc_elems(w->ndim - 1, w->dims + 1);
    double eps = atc_attr_float(bn, "epsilon", 1e-5f);
    float *nw, *nb;
    char name[300];
    int vi;

    if (!const_f32(sc) || !const_f32(sh) || !const_f32(mean) ||
        !const_f32(var) || atc_elems(sc->ndim, sc->dims) != m ||
        atc_elems(sh->ndim, sh->dims) != m ||
        atc_elems(mean->ndim, mean->dims) != m ||
        atc_elems(var->ndim, var->dims) != m || bn->nout != 1) {
        return 0;
    }
    nw = malloc(w->nbytes ? w->nbytes : 1);
    nb = conv_bias(g, c, m);
    if (!nw || !nb) {
        free(nw);
        free(nb);
        return atc_fail(e, "out of memory");
    }
    for (int64_t o = 0; o < m; o++) {
        float s = ((float *)sc->data)[o], b = ((float *)sh->data)[o];
        float mu = ((float *)mean->data)[o], v = ((float *)var->data)[o];
        double k = s / sqrt((double)v + eps);
        for (int64_t i = 0; i < per; i++) {
            nw[o * per + i] = (float)(((float *)w->data)[o * per + i] * k);
        }
        nb[o] = (float)((nb[o] - mu) * k + b);
    }
    snprintf(name, sizeof(name), "%s/fused_weights", c->name);
    vi = new_const(g, name, w->ndim, w->dims, nw);
    if (vi < 0) {
        free(nb);
        return atc_fail(e, "out of memory");
    }
    g->n[ci].in[1] = vi;
    if (set_bias(g, ci, nb, m)) {
        return atc_fail(e, "out of memory");
    }
    take_output(g, ci, bi);
    g->fused_bn++;
    ATC_DEBUG("fused BatchNormalization '%s' into Conv '%s'", g->n[bi].name,
              g->n[ci].name);
    return 1;
}

/* Add(conv, c) with c 1 everywhere but the channel dim. */
static int fuse_bias_add(struct atc_graph *g, int ci, int ai,
                         struct atc_err *e)
{
    struct atc_node *a = &g->n[ai];
    struct atc_value *y = val(g, g->n[ci].out[0]);
    struct atc_value *w = val(g, g->n[ci].in[1]);
    int other = a->in[0] == g->n[ci].out[0] ? 1 : 0;
    struct atc_value *c = val(g, a->in[other]);
    int64_t m = w->dims[0], cn;
    float *nb;

    if (a->nin != 2 || !const_f32(c) || c->ndim > y->ndim) {
        return 0;
    }
    for (uint32_t i = 0; i < c->ndim; i++) {
        uint32_t pos = y->ndim - c->ndim + i;
        if (c->dims[i] != 1 && !(pos == 1 && c->dims[i] == m)) {
            return 0;
        }
    }
    cn = atc_elems(c->ndim, c->dims);
    nb = conv_bias(g, &g->n[ci], m);
    if (!nb) {
        return atc_fail(e, "out of memory");
    }
    for (int64_t o = 0; o < m; o++) {
        nb[o] += ((float *)c->data)[cn == 1 ? 0 : o];
    }
    if (set_bias(g, ci, nb, m)) {
        return atc_fail(e, "out of memory");
    }
    take_output(g, ci, ai);
    g->fused_bias++;
    ATC_DEBUG("fused Add '%s' into Conv '%s' as its bias", g->n[ai].name,
              g->n[ci].name);
    return 1;
}

/* A view node: out views in (a Reshape with a shape attribute). */
static int view_node(struct atc_graph *g, const char *name, int in, int out)
{
    int ni = atc_node_new(g, "Reshape", name, 1, 1);
    struct atc_value *o;

    if (ni < 0) {
        return -1;
    }
    o = &g->v[out];
    if (atc_attr_set_ints(&g->n[ni], "shape", o->dims, o->ndim)) {
        return -1;
    }
    g->n[ni].in[0] = in;
    g->n[ni].out[0] = out;
    g->v[out].producer = ni;
    return ni;
}

static int fuse_gemm(struct atc_graph *g, int mi, int ai, struct atc_err *e)
{
    struct atc_node *mm = &g->n[mi], *a = &g->n[ai];
    struct atc_value *x = val(g, mm->in[0]), *w = val(g, mm->in[1]);
    struct atc_value *y = val(g, mm->out[0]);
    int other = a->in[0] == mm->out[0] ? 1 : 0;
    struct atc_value *c = val(g, a->in[other]), *z = val(g, a->out[0]);
    int64_t n, rows;
    float *bias;
    char name[300];
    int bi, xi = mm->in[0], wi = mm->in[1], zi = a->out[0];

    if (mm->nin != 2 || a->nin != 2 || !const_f32(w) || w->ndim != 2 ||
        !x || x->dtype != DT_FLOAT || x->ndim < 2 || !const_f32(c) ||
        z->ndim != y->ndim || memcmp(z->dims, y->dims, sizeof(z->dims))) {
        return 0;
    }
    n = w->dims[1];
    for (uint32_t i = 0; i + 1 < c->ndim; i++) {
        if (c->dims[i] != 1) {
            return 0;
        }
    }
    if (c->ndim && c->dims[c->ndim - 1] != n && c->dims[c->ndim - 1] != 1) {
        return 0;
    }
    bias = malloc((size_t)n * sizeof(float));
    if (!bias) {
        return atc_fail(e, "out of memory");
    }
    for (int64_t i = 0; i < n; i++) {
        bias[i] = ((float *)c->data)[atc_elems(c->ndim, c->dims) == 1 ? 0 : i];
    }
    snprintf(name, sizeof(name), "%s/bias", g->n[mi].name);
    bi = new_const(g, name, 1, &n, bias);
    if (bi < 0) {
        return atc_fail(e, "out of memory");
    }
    rows = atc_elems(x->ndim, x->dims) / x->dims[x->ndim - 1];
    if (x->ndim > 2) {
        /* x [.., K] viewed as [rows, K]; the result viewed back */
        int xv, yv;
        snprintf(name, sizeof(name), "%s/as_matrix", g->n[mi].name);
        xv = atc_value_new(g, name);
        snprintf(name, sizeof(name), "%s/matrix_out", g->n[mi].name);
        yv = atc_value_new(g, name);
        if (xv < 0 || yv < 0) {
            return atc_fail(e, "out of memory");
        }
        x = &g->v[xi];
        g->v[xv].known = true;
        g->v[xv].dtype = DT_FLOAT;
        g->v[xv].ndim = 2;
        g->v[xv].dims[0] = rows;
        g->v[xv].dims[1] = x->dims[x->ndim - 1];
        g->v[yv].known = true;
        g->v[yv].dtype = DT_FLOAT;
        g->v[yv].ndim = 2;
        g->v[yv].dims[0] = rows;
        g->v[yv].dims[1] = n;
        snprintf(name, sizeof(name), "%s/view_in", g->n[mi].name);
        if (view_node(g, name, xi, xv) < 0) {
            return atc_fail(e, "out of memory");
        }
        snprintf(name, sizeof(name), "%s/view_out", g->n[mi].name);
        if (view_node(g, name, yv, zi) < 0) {
            return atc_fail(e, "out of memory");
        }
        xi = xv;
        zi = yv;
    }
    mm = &g->n[mi];
    a = &g->n[ai];
    {
        int *in = realloc(mm->in, 3 * sizeof(int));
        char *op = strdup("Gemm");
        if (!in || !op) {
            free(op);
            if (in) {
                mm->in = in;
            }
            return atc_fail(e, "out of memory");
        }
        mm->in = in;
        free(mm->op_type);
        mm->op_type = op;
    }
    mm->nin = 3;
    mm->in[0] = xi;
    mm->in[1] = wi;
    mm->in[2] = bi;
    g->v[mm->out[0]].producer = -1;
    mm->out[0] = zi;
    g->v[zi].producer = mi;
    a->dead = true;
    g->fused_gemm++;
    ATC_DEBUG("fused MatMul '%s' and Add '%s' into one Gemm", mm->name,
              a->name);
    return 1;
}

int atc_fuse(struct atc_graph *g, struct atc_err *e)
{
    int *uses = NULL;
    int conv_relu = 0;
    bool again = true;

    while (again) {
        again = false;
        free(uses);
        uses = malloc(sizeof(int) * (g->nv ? g->nv : 1));
        if (!uses) {
            return atc_fail(e, "out of memory");
        }
        atc_count_uses(g, uses);
        for (int i = 0; i < g->nn && !again; i++) {
            struct atc_node *n = &g->n[i];
            int ci, rc = 0;
            if (n->dead || n->nout < 1 || n->out[0] < 0) {
                continue;
            }
            ci = sole_consumer(g, n->out[0], uses);
            if (ci < 0) {
                continue;
            }
            if (conv_ok(g, n) && !strcmp(g->n[ci].op_type,
                                         "BatchNormalization")) {
                rc = fuse_bn(g, i, ci, e);
            } else if (conv_ok(g, n) && !strcmp(g->n[ci].op_type, "Add")) {
                rc = fuse_bias_add(g, i, ci, e);
            } else if (!strcmp(n->op_type, "MatMul") &&
                       !strcmp(g->n[ci].op_type, "Add")) {
                rc = fuse_gemm(g, i, ci, e);
            }
            if (rc < 0) {
                free(uses);
                return -1;
            }
            again = rc > 0;
        }
    }
    atc_count_uses(g, uses);
    for (int i = 0; i < g->nn; i++) {
        int ci;
        if (g->n[i].dead || strcmp(g->n[i].op_type, "Conv") ||
            g->n[i].out[0] < 0) {
            continue;
        }
        ci = sole_consumer(g, g->n[i].out[0], uses);
        conv_relu += ci >= 0 && !strcmp(g->n[ci].op_type, "Relu");
    }
    free(uses);
    ATC_INFO("fusion: %d Conv+BatchNorm, %d Conv+bias Add, %d MatMul+Add -> "
             "Gemm; %d Conv+Relu left as two tasks (the op library has no "
             "fused activation)", g->fused_bn, g->fused_bias, g->fused_gemm,
             conv_relu);
    return atc_order(g, e);
}
