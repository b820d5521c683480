/* SPDX-License-Identifier: MIT */
/*
 * Ops the op library lacks, written with ops it has. Each rewrite happens
 * during inference, when the node's input types are known, and the new
 * nodes are inferred (and folded) at once:
 *
 *   PRelu(x, s)     Relu(x) + s * Min(x, 0)
 *   Elu(x)          Relu(x) + alpha * (Exp(Min(x, 0)) - 1)
 *   Selu(x)         gamma * (Relu(x) + alpha * (Exp(Min(x, 0)) - 1))
 *   Softplus(x)     Relu(x) + Log(1 + Exp(-Abs(x)))   (no overflow)
 *   Softsign(x)     x / (1 + Abs(x))
 *   Sign(x)         Cast(x > 0) - Cast(x < 0)
 *   Shrink(x)       Where(x < -l, x + b, Where(x > l, x - b, 0))
 *   Sum, Mean       Add chains (Mean: then Mul by 1/n)
 *   Upsample        Resize (asymmetric coordinates, floor for nearest)
 *
 * Each costs several passes over the data where a kernel of its own would
 * take one: docs/models.md lists them as op library gaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"

#define DT_FLOAT    0u
#define DT_FLOAT16  1u
#define DT_BF16     27u
/* ONNX's Selu defaults */
#define SELU_ALPHA  1.67326319217681884765625f
#define SELU_GAMMA  1.05070102214813232421875f

struct rw {
    struct atc_graph *g;
    int ni;                 /* the node being replaced */
    uint32_t dt;            /* its input's dtype */
    int made[16];           /* new nodes, in order */
    int nmade;
    struct atc_err *e;
};

static int scalar(struct rw *r, float v)
{
    int vi = atc_value_new(r->g, "");
    void *d = malloc(4);

    if (vi < 0 || !d) {
        free(d);
        return -2;  /* not -1: that means "no input" to node() */
    }
    if (r->dt == DT_FLOAT16 || r->dt == DT_BF16) {
        uint16_t h = r->dt == DT_FLOAT16 ? aop_f32_to_f16(v) :
                     aop_f32_to_bf16(v);
        memcpy(d, &h, 2);
    } else {
        memcpy(d, &v, 4);
    }
    atc_value_set_const(&r->g->v[vi], r->dt, 0, NULL, d);
    return vi;
}

/* A new node @op(a[, b]) with a new output (or @out when >= 0). */
static int node(struct rw *r, const char *op, int a, int b, int out)
{
    struct atc_graph *g = r->g;
    char name[300];
    int ni, vi;

    if (a < 0 || (b < -1) || r->nmade == 16) {
        return -1;
    }
    snprintf(name, sizeof(name), "%s/%s%d", g->n[r->ni].name, op, r->nmade);
    ni = atc_node_new(g, op, name, b >= 0 ? 2 : 1, 1);
    vi = out >= 0 ? out : atc_value_new(g, "");
    if (ni < 0 || vi < 0) {
        return -1;
    }
    g->n[ni].in[0] = a;
    if (b >= 0) {
        g->n[ni].in[1] = b;
    }
    g->n[ni].out[0] = vi;
    g->v[vi].producer = ni;
    r->made[r->nmade++] = ni;
    return vi;
}

/* Where(c, a, b): node() makes two-input nodes; this one has three. */
static int where3(struct rw *r, int c, int a, int b, int out)
{
    int vi = node(r, "Where", c, a, out);
    struct atc_node *n;
    int *in;

    if (vi < 0 || b < 0) {
        return -1;
    }
    n = &r->g->n[r->g->v[vi].producer];
    in = realloc(n->in, 3 * sizeof(int));
    if (!in) {
        return -1;
    }
    in[2] = b;
    n->in = in;
    n->nin = 3;
    return vi;
}

static int rw_elu(struct rw *r, int x, int y, float alpha, float gamma)
{
    int relu = node(r, "Relu", x, -1, -1);
    int mn = node(r, "Min", x, scalar(r, 0.0f), -1);
    int ex = node(r, "Exp", mn, -1, -1);
    int em1 = node(r, "Sub", ex, scalar(r, 1.0f), -1);
    int neg = node(r, "Mul", em1, scalar(r, alpha), -1);

    if (gamma == 1.0f) {
        return node(r, "Add", relu, neg, y);
    }
    return node(r, "Mul", node(r, "Add", relu, neg, -1), scalar(r, gamma), y);
}

static int rewrite(struct rw *r, struct atc_err *e)
{
    struct atc_graph *g = r->g;
    struct atc_node *n = &g->n[r->ni];
    const char *op = n->op_type;
    int x = n->nin ? n->in[0] : -1, y = n->out[0], rc = -1;

    if (!strcmp(op, "PRelu")) {
        int s = n->in[1];
        struct atc_value *xv = &g->v[x], *sv = s >= 0 ? &g->v[s] : NULL;
        if (g->opset < 7 && sv && sv->is_const && sv->ndim == 1 &&
            xv->ndim > 2 && sv->dims[0] == xv->dims[1] && sv->dims[0] > 1) {
            /* opset 6: a 1-D slope is per channel, not numpy-aligned */
            int64_t d[ATC_MAX_DIMS];
            int nv = atc_value_new(g, "");
            void *copy = malloc(sv->nbytes ? sv->nbytes : 1);
            if (nv < 0 || !copy) {
                free(copy);
                return atc_fail(e, "out of memory");
            }
            sv = &g->v[s];
            xv = &g->v[x];
            d[0] = sv->dims[0];
            for (uint32_t i = 1; i + 1 < xv->ndim; i++) {
                d[i] = 1;
            }
            memcpy(copy, sv->data, sv->nbytes);
            atc_value_set_const(&g->v[nv], sv->dtype, xv->ndim - 1, d, copy);
            s = nv;
        }
        int relu = node(r, "Relu", x, -1, -1);
        int mn = node(r, "Min", x, scalar(r, 0.0f), -1);
        rc = node(r, "Add", relu, node(r, "Mul", mn, s, -1), y);
    } else if (!strcmp(op, "Elu")) {
        rc = rw_elu(r, x, y, atc_attr_float(n, "alpha", 1.0f), 1.0f);
    } else if (!strcmp(op, "Selu")) {
        rc = rw_elu(r, x, y, atc_attr_float(n, "alpha", SELU_ALPHA),
                    atc_attr_float(n, "gamma", SELU_GAMMA));
    } else if (!strcmp(op, "Softplus")) {
        int relu = node(r, "Relu", x, -1, -1);
        int ab = node(r, "Neg", node(r, "Abs", x, -1, -1), -1, -1);
        int lg = node(r, "Log", node(r, "Add", node(r, "Exp", ab, -1, -1),
                                     scalar(r, 1.0f), -1), -1, -1);
        rc = node(r, "Add", relu, lg, y);
    } else if (!strcmp(op, "Softsign")) {
        int den = node(r, "Add", node(r, "Abs", x, -1, -1), scalar(r, 1.0f),
                       -1);
        rc = node(r, "Div", x, den, y);
    } else if (!strcmp(op, "Sign")) {
        int gt = node(r, "Greater", x, scalar(r, 0.0f), -1);
        int lt = node(r, "Less", x, scalar(r, 0.0f), -1);
        int a, b;
        int64_t to = r->dt == DT_FLOAT16 ? 10 : r->dt == DT_BF16 ? 16 : 1;
        a = node(r, "Cast", gt, -1, -1);
        b = node(r, "Cast", lt, -1, -1);
        if (a >= 0 && b >= 0 &&
            (atc_attr_set_ints(&g->n[g->v[a].producer], "to", &to, 1) ||
             atc_attr_set_ints(&g->n[g->v[b].producer], "to", &to, 1))) {
            return atc_fail(e, "out of memory");
        }
        rc = node(r, "Sub", a, b, y);
    } else if (!strcmp(op, "Shrink")) {
        float l = atc_attr_float(n, "lambd", 0.5f);
        float b = atc_attr_float(n, "bias", 0.0f);
        int lo = node(r, "Less", x, scalar(r, -l), -1);
        int hi = node(r, "Greater", x, scalar(r, l), -1);
        int up = node(r, "Sub", x, scalar(r, b), -1);
        int dn = node(r, "Add", x, scalar(r, b), -1);
        int inner = where3(r, hi, up, scalar(r, 0.0f), -1);
        rc = where3(r, lo, dn, inner, y);
    } else if (!strcmp(op, "Sum") || !strcmp(op, "Mean")) {
        bool mean = !strcmp(op, "Mean");
        int acc = x;
        if (n->nin > 15) {
            return atc_node_fail(e, n, "more than 15 inputs");
        }
        for (int k = 1; k < n->nin; k++) {
            bool last = k == n->nin - 1 && !mean;
            acc = node(r, "Add", acc, g->n[r->ni].in[k], last ? y : -1);
        }
        if (mean) {
            acc = node(r, "Mul", acc, scalar(r, 1.0f / g->n[r->ni].nin), y);
        } else if (n->nin == 1) {
            acc = node(r, "Identity", acc, -1, y);
        }
        rc = acc;
    } else if (!strcmp(op, "Upsample")) {
        const struct atc_attr *sa = atc_attr_get(n, "scales");
        const char *mode = atc_attr_str(n, "mode", "nearest");
        int sc = n->nin > 1 ? n->in[1] : -1, rs;
        struct atc_node *m;
        if (sa && sa->type == OM_ATTR_FLOAT) {
            int64_t cnt = sa->count;
            float *d = malloc(4 * (cnt ? cnt : 1));
            sc = atc_value_new(g, "");
            if (!d || sc < 0) {
                free(d);
                return atc_fail(e, "out of memory");
            }
            memcpy(d, sa->data, 4 * cnt);
            atc_value_set_const(&g->v[sc], DT_FLOAT, 1, &cnt, d);
        }
        if (sc < 0) {
            return atc_node_fail(e, &g->n[r->ni], "no scales");
        }
        rs = node(r, "Resize", x, -1, y);
        if (rs < 0) {
            return atc_fail(e, "out of memory");
        }
        m = &g->n[g->v[rs].producer];
        {
            int *in = realloc(m->in, 3 * sizeof(int));
            if (!in) {
                return atc_fail(e, "out of memory");
            }
            in[1] = -1;
            in[2] = sc;
            m->in = in;
            m->nin = 3;
        }
        if (atc_attr_set_string(m, "mode", strcmp(mode, "bilinear") ?
                                mode : "linear") ||
            atc_attr_set_string(m, "coordinate_transformation_mode",
                                "asymmetric") ||
            (!strcmp(mode, "nearest") &&
             atc_attr_set_string(m, "nearest_mode", "floor"))) {
            return atc_fail(e, "out of memory");
        }
        rc = rs;
    } else {
        return atc_node_fail(e, n, "no rewrite (internal error)");
    }
    if (rc < 0) {
        return atc_fail(e, "out of memory");
    }
    return 0;
}

int atc_rewrite_node(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct rw r = { .g = g, .ni = ni, .e = e };
    struct atc_node *n = &g->n[ni];
    int y;

    if (!n->nin || n->in[0] < 0 || n->nout < 1 || n->out[0] < 0) {
        return atc_node_fail(e, n, "input 0 or output 0 missing");
    }
    r.dt = g->v[n->in[0]].dtype;
    if (r.dt != DT_FLOAT && r.dt != DT_FLOAT16 && r.dt != DT_BF16 &&
        strcmp(n->op_type, "Sum") && strcmp(n->op_type, "Mean") &&
        strcmp(n->op_type, "Upsample")) {
        return atc_node_fail(e, n, "only float inputs are supported");
    }
    y = n->out[0];
    /* the old node goes; its output is produced by the last new node */
    g->v[y].producer = -1;
    n->dead = true;
    if (rewrite(&r, e)) {
        return -1;
    }
    ATC_DEBUG("rewrote '%s' (%s) as %d nodes", g->n[ni].name,
              g->n[ni].op_type, r.nmade);
    for (int i = 0; i < r.nmade; i++) {
        if (atc_infer_node(g, r.made[i], e)) {
            return -1;
        }
    }
    return 0;
}
