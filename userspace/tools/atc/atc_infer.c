/* SPDX-License-Identifier: MIT */
/*
 * Shape and dtype inference: the table of ops atc knows (rules in
 * atc_shape.c), and the pass that runs them in execution order and folds
 * every node whose inputs are constant. Shapes are static: a shape that
 * depends on a value only known at run time is an error that says so.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"
#include "atc_shape.h"
#include "onnx_reader.h"

/* Folded constants above this stay computed at run time. */
#define FOLD_MAX_BYTES  (64u << 20)

int atc_node_fail(struct atc_err *e, const struct atc_node *n,
                  const char *fmt, ...)
{
    va_list ap;
    int o = snprintf(e->msg, sizeof(e->msg), "node '%.200s' (%.64s): ",
                     n->name, n->op_type);

    va_start(ap, fmt);
    vsnprintf(e->msg + o, sizeof(e->msg) - o, fmt, ap);
    va_end(ap);
    return -1;
}

#define DEV     ATC_R_DEVICE
#define VIEW    ATC_R_VIEW
#define COMP    ATC_R_COMPILE
#define REWR    ATC_R_REWRITE

static const struct atc_op_rule rules[] = {
    { "Add", r_binary, DEV }, { "Sub", r_binary, DEV },
    { "Mul", r_binary, DEV }, { "Div", r_binary, DEV },
    { "Pow", r_binary, DEV }, { "Max", r_binary, DEV },
    { "Min", r_binary, DEV }, { "Equal", r_binary, DEV },
    { "Greater", r_binary, DEV }, { "Less", r_binary, DEV },
    { "Where", r_binary, DEV },
    { "Relu", r_same, DEV }, { "LeakyRelu", r_same, DEV },
    { "Sigmoid", r_same, DEV }, { "HardSigmoid", r_same, DEV },
    { "HardSwish", r_same, DEV }, { "Tanh", r_same, DEV },
    { "Gelu", r_same, DEV }, { "Erf", r_same, DEV }, { "Exp", r_same, DEV },
    { "Log", r_same, DEV }, { "Sqrt", r_same, DEV },
    { "Reciprocal", r_same, DEV }, { "Abs", r_same, DEV },
    { "Neg", r_same, DEV }, { "Clip", r_same, DEV },
    { "MatMul", r_matmul, DEV }, { "Gemm", r_gemm, DEV },
    { "Conv", r_conv, DEV }, { "ConvTranspose", r_convt, DEV },
    { "MaxPool", r_pool, DEV }, { "AveragePool", r_pool, DEV },
    { "GlobalAveragePool", r_gpool, DEV }, { "GlobalMaxPool", r_gpool, DEV },
    { "Softmax", r_same, DEV }, { "LogSoftmax", r_same, DEV },
    { "BatchNormalization", r_batchnorm, DEV },
    { "LayerNormalization", r_layernorm, DEV },
    { "InstanceNormalization", r_same, DEV },
    { "ReduceSum", r_reduce, DEV }, { "ReduceMean", r_reduce, DEV },
    { "ReduceMax", r_reduce, DEV }, { "ReduceMin", r_reduce, DEV },
    { "Cast", r_cast, DEV }, { "Transpose", r_transpose, DEV },
    { "Concat", r_concat, DEV }, { "Split", r_split, DEV },
    { "Slice", r_slice, DEV }, { "Pad", r_pad, DEV },
    { "Resize", r_resize, DEV }, { "Gather", r_gather, DEV },
    { "Expand", r_expand, DEV }, { "Tile", r_tile, DEV },
    { "Reshape", r_reshape, VIEW }, { "Flatten", r_flatten, VIEW },
    { "Squeeze", r_squeeze, VIEW }, { "Unsqueeze", r_unsqueeze, VIEW },
    { "Identity", r_same, VIEW }, { "Dropout", r_dropout, VIEW },
    { "Shape", r_shape, COMP }, { "Size", r_size, COMP },
    { "ConstantOfShape", r_constantofshape, COMP },
    { "Range", r_range, COMP },
    /* atc_rewrite.c replaces these with the ops above */
    { "PRelu", NULL, REWR }, { "Elu", NULL, REWR }, { "Selu", NULL, REWR },
    { "Softplus", NULL, REWR }, { "Softsign", NULL, REWR },
    { "Sign", NULL, REWR }, { "Shrink", NULL, REWR },
    { "Sum", NULL, REWR }, { "Mean", NULL, REWR },
    { "Upsample", NULL, REWR },
};

const struct atc_op_rule *atc_op_rule(const char *op_type)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        if (strcmp(rules[i].onnx, op_type) == 0) {
            return &rules[i];
        }
    }
    return NULL;
}

bool atc_op_supported(const char *op_type)
{
    const struct atc_op_rule *r = atc_op_rule(op_type);

    if (!r) {
        return false;
    }
    /* a device op must also be in the op table */
    return !(r->flags & ATC_R_DEVICE) || aop_find_onnx(op_type) != 0;
}

bool atc_is_view_op(const char *op_type)
{
    const struct atc_op_rule *r = atc_op_rule(op_type);

    return r && (r->flags & ATC_R_VIEW);
}

uint32_t atc_op_id(const struct atc_node *n)
{
    return aop_find_onnx(n->op_type);
}

/* Folding a view: the same bytes, other dims. */
static int fold_view(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct atc_value *x = atc_in(g, ni, 0), *o = &g->v[n->out[0]];
    void *copy = malloc(x->nbytes ? x->nbytes : 1);

    if (!copy) {
        return atc_fail(e, "out of memory");
    }
    memcpy(copy, x->data, x->nbytes);
    atc_value_set_const(o, o->dtype, o->ndim, o->dims, copy);
    return 0;
}

int atc_infer_node(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    const struct atc_op_rule *r = atc_op_rule(n->op_type);
    bool all_const = true;
    uint64_t out_bytes = 0;

    if (!r || !r->infer) {
        return atc_node_fail(e, n, "op not supported");
    }
    for (int k = 0; k < n->nin; k++) {
        struct atc_value *v = atc_in(g, ni, k);
        if (!v) {
            continue;
        }
        if (!v->known) {
            return atc_node_fail(e, n, "input %d '%s' has no known shape", k,
                                 v->name);
        }
        all_const &= v->is_const;
    }
    if (!n->nin || !atc_in(g, ni, 0)) {
        if (!(r->flags & ATC_R_COMPILE) && strcmp(n->op_type, "Range")) {
            return atc_node_fail(e, n, "input 0 missing");
        }
    }
    for (int k = 0; k < n->nattr; k++) {
        if (n->attr[k].type == ATC_ATTR_OTHER) {
            return atc_node_fail(e, n, "attribute '%s': graphs and string "
                                 "lists are not supported", n->attr[k].name);
        }
    }
    if (r->infer(g, ni, e)) {
        return -1;
    }
    n = &g->n[ni];
    for (int k = 0; k < n->nout; k++) {
        struct atc_value *o = n->out[k] >= 0 ? &g->v[n->out[k]] : NULL;
        int64_t cnt;
        if (!o || o->is_const) {
            continue;
        }
        cnt = atc_elems(o->ndim, o->dims);
        if (!o->known || cnt < 0) {
            return atc_node_fail(e, n, "output %d: shape not inferred", k);
        }
        out_bytes += (uint64_t)cnt * atc_dtype_size(o->dtype);
    }
    if (r->flags & ATC_R_COMPILE) {
        for (int k = 0; k < n->nout; k++) {
            if (n->out[k] >= 0 && !g->v[n->out[k]].is_const) {
                return atc_node_fail(e, n, "output %d cannot be computed at "
                                     "compile time", k);
            }
        }
    } else if (all_const && out_bytes <= FOLD_MAX_BYTES &&
               atc_in(g, ni, 0) &&
               !((!strcmp(n->op_type, "Softmax") ||
                  !strcmp(n->op_type, "LogSoftmax")) && g->opset < 13)) {
        if (r->flags & ATC_R_VIEW) {
            if (fold_view(g, ni, e)) {
                return -1;
            }
        } else if (atc_fold_node(g, ni, e)) {
            return -1;
        }
    } else {
        return 0;
    }
    /* folded: its outputs are constants now */
    n = &g->n[ni];
    for (int k = 0; k < n->nout; k++) {
        if (n->out[k] >= 0) {
            g->v[n->out[k]].producer = -1;
        }
    }
    n->dead = true;
    g->folded++;
    ATC_DEBUG("folded node '%s' (%s)", n->name, n->op_type);
    return 0;
}

int atc_infer(struct atc_graph *g, struct atc_err *e)
{
    int64_t done = 0;

    if (atc_order(g, e)) {
        return -1;
    }
    for (int i = 0; i < g->norder; i++) {
        int ni = g->order[i];
        const struct atc_op_rule *r = atc_op_rule(g->n[ni].op_type);
        int rc = r && (r->flags & ATC_R_REWRITE) ?
                 atc_rewrite_node(g, ni, e) : atc_infer_node(g, ni, e);
        if (rc) {
            return -1;
        }
        if (++done % 500 == 0) {
            ATC_INFO("shape inference: %" PRId64 " of %d nodes", done,
                     g->norder);
        }
    }
    for (int i = 0; i < g->noutputs; i++) {
        if (!g->v[g->outputs[i]].known) {
            return atc_fail(e, "graph output '%s': shape not inferred",
                            g->v[g->outputs[i]].name);
        }
    }
    ATC_INFO("shape inference done: %d nodes folded into constants",
             g->folded);
    return 0;
}
