/* SPDX-License-Identifier: MIT */
/*
 * Writing the .om: one base tensor per storage class (with the dims of the
 * class's primary value: the model input or output it is, or the root),
 * views for the other values of the class, the tasks in execution order,
 * the weights. Then the file is checked the way the device will check it:
 * parsed, loaded by the model runner, and every task prepared by the
 * operator library against zero-filled buffers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdl.h"
#include "atc.h"
#include "atc_ops.h"

#define FMT_NCHW    0u
#define FMT_NHWC    1u
#define FMT_ND      2u

static int root_of(const struct atc_graph *g, int vi)
{
    return g->v[vi].view_of >= 0 ? g->v[vi].view_of : vi;
}

static void fill_shape(struct om_tensor *t, const struct atc_value *v)
{
    t->dtype = v->dtype;
    t->format = FMT_ND;
    t->ndim = v->ndim;
    memcpy(t->dims, v->dims, v->ndim * sizeof(int64_t));
    if (v->nhwc) {
        /* stored [N,H,W,C]: the tensor says it in its dims and format */
        t->format = FMT_NHWC;
        t->dims[1] = v->dims[2];
        t->dims[2] = v->dims[3];
        t->dims[3] = v->dims[1];
    }
    t->size = (uint64_t)atc_elems(v->ndim, v->dims) * atc_dtype_size(v->dtype);
}

/* The class's base tensor, created on first use. */
static uint32_t base_tensor(struct atc_graph *g, struct om_builder *b, int r,
                            struct atc_err *e)
{
    struct atc_value *rv = &g->v[r];
    int p = rv->primary >= 0 ? rv->primary : r;
    struct om_tensor t = { 0 };
    uint32_t ti;

    if (g->v[p].tensor != OM_NO_TENSOR) {
        return g->v[p].tensor;
    }
    fill_shape(&t, &g->v[p]);
    t.name_off = om_b_string(b, g->v[p].name);
    t.placement = rv->placement;
    t.base = OM_NO_TENSOR;
    switch (rv->placement) {
    case OM_PLACE_INPUT:
    case OM_PLACE_OUTPUT:
        t.index = rv->io_index;
        break;
    case OM_PLACE_WEIGHT:
        if (om_b_weights(b, rv->data, rv->nbytes, &t.offset)) {
            atc_fail(e, "out of memory (weights)");
            return OM_NO_TENSOR;
        }
        break;
    case OM_PLACE_WORKSPACE:
        t.offset = rv->offset;
        break;
    default:
        atc_fail(e, "value '%s' has no storage (internal error)", rv->name);
        return OM_NO_TENSOR;
    }
    ti = om_b_tensor(b, &t);
    if (ti == OM_NO_TENSOR) {
        atc_fail(e, "out of memory (tensors)");
    }
    g->v[p].tensor = ti;
    return ti;
}

static uint32_t tensor_of(struct atc_graph *g, struct om_builder *b, int vi,
                          struct atc_err *e)
{
    uint32_t base, ti;
    struct om_tensor t = { 0 };
    const struct om_tensor *bt;

    if (vi < 0) {
        return OM_NO_TENSOR;
    }
    if (g->v[vi].tensor != OM_NO_TENSOR) {
        return g->v[vi].tensor;
    }
    base = base_tensor(g, b, root_of(g, vi), e);
    if (base == OM_NO_TENSOR || g->v[vi].tensor != OM_NO_TENSOR) {
        return base == OM_NO_TENSOR ? base : g->v[vi].tensor;
    }
    bt = om_b_tensor_at(b, base);
    fill_shape(&t, &g->v[vi]);
    t.name_off = om_b_string(b, g->v[vi].name);
    t.placement = bt->placement;
    t.index = bt->index;
    t.offset = bt->offset;
    t.base = base;
    ti = om_b_tensor(b, &t);
    if (ti == OM_NO_TENSOR) {
        atc_fail(e, "out of memory (tensors)");
    }
    g->v[vi].tensor = ti;
    return ti;
}

static uint32_t io_format(const struct atc_opts *o, const struct atc_value *v,
                          bool input)
{
    if (input && o->input_format) {
        return !strcmp(o->input_format, "NHWC") ? 1 :
               !strcmp(o->input_format, "NCHW") ? 0 : 2;
    }
    return v->ndim == 4 ? FMT_NCHW : FMT_ND;
}

static int add_io(struct atc_graph *g, struct om_builder *b, int vi,
                  bool input, const struct atc_opts *o, struct atc_err *e)
{
    struct om_io io = { 0 };
    const struct atc_value *v = &g->v[vi];

    io.name_off = om_b_string(b, v->name);
    io.dtype = v->dtype;
    io.format = io_format(o, v, input);
    io.ndim = v->ndim;
    memcpy(io.dims, v->dims, v->ndim * sizeof(int64_t));
    io.size = (uint64_t)atc_elems(v->ndim, v->dims) * atc_dtype_size(v->dtype);
    io.tensor = tensor_of(g, b, vi, e);
    if (io.tensor == OM_NO_TENSOR) {
        return -1;
    }
    return input ? om_b_input(b, &io) : om_b_output(b, &io);
}

int atc_emit(struct atc_graph *g, const struct atc_opts *o, void **buf,
             size_t *len, struct atc_err *e)
{
    struct om_builder *b = om_builder_new();
    int ntasks = 0, rc = -1;

    *buf = NULL;
    if (!b) {
        return atc_fail(e, "out of memory");
    }
    for (int i = 0; i < g->nv; i++) {
        g->v[i].tensor = OM_NO_TENSOR;
    }
    om_b_set_name(b, g->name);
    om_b_set_soc(b, o->soc_version);
    om_b_set_workspace(b, g->ws_planned);
    /* model inputs and outputs first: their tensors come first too */
    for (int i = 0; i < g->ninputs; i++) {
        if (add_io(g, b, g->inputs[i], true, o, e)) {
            goto out;
        }
    }
    for (int i = 0; i < g->noutputs; i++) {
        if (add_io(g, b, g->outputs[i], false, o, e)) {
            goto out;
        }
    }
    for (int k = 0; k < g->norder; k++) {
        struct atc_node *n = &g->n[g->order[k]];
        uint32_t in[OM_MAX_TASK_OPERANDS], out[OM_MAX_TASK_OPERANDS];
        struct om_b_attr at[64];
        uint32_t na = 0;
        if (n->kind != ATC_NODE_OP) {
            continue;
        }
        if (n->nin + n->nout > (int)OM_MAX_TASK_OPERANDS || n->nattr > 64) {
            atc_node_fail(e, n, "too many operands or attributes");
            goto out;
        }
        for (int j = 0; j < n->nin; j++) {
            in[j] = tensor_of(g, b, n->in[j], e);
            if (in[j] == OM_NO_TENSOR && n->in[j] >= 0) {
                goto out;
            }
        }
        for (int j = 0; j < n->nout; j++) {
            out[j] = tensor_of(g, b, n->out[j], e);
            if (out[j] == OM_NO_TENSOR) {
                goto out;
            }
        }
        for (int j = 0; j < n->nattr; j++) {
            if (n->attr[j].type > OM_ATTR_STRING) {
                continue;
            }
            at[na].name = n->attr[j].name;
            at[na].type = n->attr[j].type;
            at[na].count = n->attr[j].count;
            at[na].data = n->attr[j].data;
            na++;
        }
        if (om_b_task(b, n->op_id, n->name, in, (uint32_t)n->nin, out,
                      (uint32_t)n->nout, at, na)) {
            atc_fail(e, "out of memory (tasks)");
            goto out;
        }
        ntasks++;
    }
    if (om_b_finish(b, buf, len)) {
        atc_fail(e, "out of memory, or the model exceeds the .om limits");
        goto out;
    }
    ATC_INFO("wrote %d tasks, %u tensors, %zu bytes", ntasks,
             om_b_num_tensors(b), *len);
    rc = 0;
out:
    om_builder_free(b);
    return rc;
}

int atc_check_om(const void *buf, size_t len, struct atc_err *e)
{
    struct amdl_model *m;
    struct amdl_error err;
    struct amdl_buffer *in = NULL, *out = NULL;
    struct amdl_exec x = { 0 };
    struct aop_ctx ctx = { .threads = 1, .reference = false };
    uint64_t woff, wsize;
    void *ws = NULL;
    int rc = -1;

    if (amdl_load(buf, len, &m, &err)) {
        return atc_fail(e, "the written model does not load: %s", err.msg);
    }
    in = calloc(amdl_num_inputs(m) + 1, sizeof(*in));
    out = calloc(amdl_num_outputs(m) + 1, sizeof(*out));
    if (!in || !out) {
        atc_fail(e, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < amdl_num_inputs(m); i++) {
        in[i].size = amdl_input(m, i)->size;
        in[i].data = aligned_alloc(64, (in[i].size + 64) / 64 * 64);
        if (!in[i].data) {
            atc_fail(e, "out of memory");
            goto out;
        }
        memset(in[i].data, 0, in[i].size);
    }
    for (uint32_t i = 0; i < amdl_num_outputs(m); i++) {
        out[i].size = amdl_output(m, i)->size;
        out[i].data = aligned_alloc(64, (out[i].size + 64) / 64 * 64);
        if (!out[i].data) {
            atc_fail(e, "out of memory");
            goto out;
        }
    }
    if (amdl_workspace_size(m)) {
        ws = aligned_alloc(64, (amdl_workspace_size(m) + 63) / 64 * 64);
        if (!ws) {
            atc_fail(e, "out of memory (workspace)");
            goto out;
        }
        memset(ws, 0, amdl_workspace_size(m));
    }
    amdl_weights_span(m, &woff, &wsize);
    x.inputs = in;
    x.num_inputs = amdl_num_inputs(m);
    x.outputs = out;
    x.num_outputs = amdl_num_outputs(m);
    x.weights = wsize ? (const uint8_t *)buf + woff : NULL;
    x.weights_size = wsize;
    x.workspace = ws;
    x.workspace_size = amdl_workspace_size(m);
    if (amdl_check(m, &ctx, &x, &err)) {
        atc_fail(e, "the op library refuses the compiled model: %s", err.msg);
        goto out;
    }
    rc = 0;
out:
    for (uint32_t i = 0; in && i < amdl_num_inputs(m); i++) {
        free(in[i].data);
    }
    for (uint32_t i = 0; out && i < amdl_num_outputs(m); i++) {
        free(out[i].data);
    }
    free(in);
    free(out);
    free(ws);
    amdl_free(m);
    return rc;
}
