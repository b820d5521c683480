/* SPDX-License-Identifier: MIT */
/*
 * Lowering: every live node becomes a task (an op id and the attributes
 * the op library reads) or a view (Reshape, Flatten, Squeeze, Unsqueeze,
 * Identity, Dropout: the output is the input's bytes with other dims, so
 * no task and no copy). What the op library means differently from the
 * node's opset is rewritten here:
 *
 *   Softmax/LogSoftmax before opset 13 work on the input coerced to 2-D at
 *   axis: the task gets a [rows, cols] view of its input and output.
 *
 *   Relu on fp32 becomes Max(x, 0): the same values (NaN stays NaN), and
 *   the op library's Maximum runs its AVX2 loop where its Relu loop is
 *   scalar and branchy (98304 floats, one thread: 852 us as Relu, 75 us
 *   as Max; docs/models.md lists it as a library gap).
 *
 * --output_type=FP16 appends a Cast to each float output.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"

#define DT_FLOAT    0u
#define DT_FLOAT16  1u
#define ONNX_FLOAT16 10

static int new_value_like(struct atc_graph *g, const char *name, uint32_t dt,
                          uint32_t ndim, const int64_t *dims)
{
    int vi = atc_value_new(g, name);

    if (vi < 0) {
        return -1;
    }
    g->v[vi].known = true;
    g->v[vi].dtype = dt;
    g->v[vi].ndim = ndim;
    memcpy(g->v[vi].dims, dims, ndim * sizeof(int64_t));
    return vi;
}

static int add_view(struct atc_graph *g, const char *name, int in, int out)
{
    int ni = atc_node_new(g, "Reshape", name, 1, 1);

    if (ni < 0) {
        return -1;
    }
    g->n[ni].in[0] = in;
    g->n[ni].out[0] = out;
    g->n[ni].kind = ATC_NODE_VIEW;
    g->v[out].producer = ni;
    g->views++;
    return 0;
}

static int lower_softmax(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = &g->v[n->in[0]];
    int64_t axis = atc_attr_int(n, "axis", g->opset < 13 ? 1 : -1);
    int64_t d2[2] = { 1, 1 };
    char name[300];
    int xv, yv, y = n->out[0];

    if (axis < 0) {
        axis += x->ndim;
    }
    if (axis < 0 || axis >= (int64_t)(x->ndim ? x->ndim : 1)) {
        return atc_node_fail(e, n, "axis out of range");
    }
    if (g->opset >= 13 || axis == (int64_t)x->ndim - 1 || x->ndim <= 1) {
        int64_t a = axis;
        return atc_attr_set_ints(n, "axis", &a, 1) ?
               atc_fail(e, "out of memory") : 0;
    }
    for (uint32_t i = 0; i < x->ndim; i++) {
        d2[(int64_t)i < axis ? 0 : 1] *= x->dims[i];
    }
    snprintf(name, sizeof(name), "%s/2d_in", n->name);
    xv = new_value_like(g, name, x->dtype, 2, d2);
    snprintf(name, sizeof(name), "%s/2d_out", g->n[ni].name);
    yv = new_value_like(g, name, g->v[y].dtype, 2, d2);
    if (xv < 0 || yv < 0 ||
        add_view(g, "", g->n[ni].in[0], xv) ||
        add_view(g, "", yv, y)) {
        return atc_fail(e, "out of memory");
    }
    n = &g->n[ni];
    n->in[0] = xv;
    n->out[0] = yv;
    g->v[yv].producer = ni;
    {
        int64_t one = 1;
        if (atc_attr_set_ints(n, "axis", &one, 1)) {
            return atc_fail(e, "out of memory");
        }
    }
    return 0;
}

static int relu_as_max(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    int z = atc_value_new(g, "");
    float *zero = calloc(1, sizeof(float));
    int *in = realloc(n->in, 2 * sizeof(int));
    char *op = strdup("Max");

    if (in) {
        n->in = in;
    }
    if (z < 0 || !zero || !in || !op) {
        free(zero);
        free(op);
        return atc_fail(e, "out of memory");
    }
    atc_value_set_const(&g->v[z], DT_FLOAT, 0, NULL, zero);
    n = &g->n[ni];
    free(n->op_type);
    n->op_type = op;
    n->in[1] = z;
    n->nin = 2;
    return 0;
}

/* --output_type=FP16: each float output gets a Cast; it keeps the name. */
static int outputs_to_fp16(struct atc_graph *g, struct atc_err *e)
{
    for (int i = 0; i < g->noutputs; i++) {
        int o = g->outputs[i], c, ni;
        char *name, *renamed;
        int64_t to = ONNX_FLOAT16;
        if (g->v[o].dtype != DT_FLOAT) {
            continue;
        }
        c = new_value_like(g, "", DT_FLOAT16, g->v[o].ndim, g->v[o].dims);
        ni = c < 0 ? -1 : atc_node_new(g, "Cast", "", 1, 1);
        renamed = malloc(strlen(g->v[o].name) + 8);
        if (ni < 0 || !renamed) {
            free(renamed);
            return atc_fail(e, "out of memory");
        }
        /* the model output keeps its name; the fp32 value is renamed */
        sprintf(renamed, "%s/fp32", g->v[o].name);
        name = g->v[o].name;
        g->v[o].name = renamed;
        free(g->v[c].name);
        g->v[c].name = name;
        free(g->n[ni].name);
        g->n[ni].name = strdup(name);
        if (!g->n[ni].name || atc_attr_set_ints(&g->n[ni], "to", &to, 1)) {
            return atc_fail(e, "out of memory");
        }
        g->n[ni].in[0] = o;
        g->n[ni].out[0] = c;
        g->v[c].producer = ni;
        g->v[o].graph_output = false;
        g->v[c].graph_output = true;
        g->outputs[i] = c;
    }
    return 0;
}

/* Optional outputs nothing reads are not computed (MaxPool's Indices,
 * LayerNormalization's statistics). */
static int trim_outputs(struct atc_graph *g, struct atc_err *e)
{
    int *uses = malloc(sizeof(int) * (g->nv ? g->nv : 1));

    if (!uses) {
        return atc_fail(e, "out of memory");
    }
    atc_count_uses(g, uses);
    for (int i = 0; i < g->nn; i++) {
        struct atc_node *n = &g->n[i];
        if (n->dead || n->kind != ATC_NODE_OP ||
            (strcmp(n->op_type, "MaxPool") &&
             strcmp(n->op_type, "LayerNormalization"))) {
            continue;
        }
        while (n->nout > 1) {
            int o = n->out[n->nout - 1];
            if (o >= 0 && (uses[o] || g->v[o].graph_output)) {
                break;
            }
            n->nout--;
        }
    }
    free(uses);
    return 0;
}

int atc_lower(struct atc_graph *g, const struct atc_opts *o,
              struct atc_err *e)
{
    int n_live;

    if (o->output_type && !strcmp(o->output_type, "FP16") &&
        outputs_to_fp16(g, e)) {
        return -1;
    }
    n_live = g->nn;
    for (int i = 0; i < n_live; i++) {
        struct atc_node *n = &g->n[i];
        const struct atc_op_rule *r;
        if (n->dead) {
            continue;
        }
        r = atc_op_rule(n->op_type);
        if (n->kind == ATC_NODE_VIEW || (r && (r->flags & ATC_R_VIEW))) {
            n->kind = ATC_NODE_VIEW;
            g->views++;
            continue;
        }
        if (!r || !(r->flags & ATC_R_DEVICE)) {
            return atc_node_fail(e, n, "no task for this op (it should have "
                                 "been folded)");
        }
        if ((!strcmp(n->op_type, "Softmax") ||
             !strcmp(n->op_type, "LogSoftmax")) && lower_softmax(g, i, e)) {
            return -1;
        }
        if (!strcmp(n->op_type, "Relu") && n->nin == 1 && n->in[0] >= 0 &&
            g->v[n->in[0]].dtype == DT_FLOAT && relu_as_max(g, i, e)) {
            return -1;
        }
        n = &g->n[i];
        n->kind = ATC_NODE_OP;
        n->op_id = atc_op_id(n);
        if (!n->op_id) {
            return atc_node_fail(e, n, "not in the op table");
        }
        for (int k = 0; k < n->nattr; k++) {
            if (n->attr[k].type > OM_ATTR_STRING) {
                return atc_node_fail(e, n, "attribute '%s' cannot be passed "
                                     "to the device", n->attr[k].name);
            }
        }
    }
    return trim_outputs(g, e) ? -1 : atc_order(g, e);
}
