/* SPDX-License-Identifier: MIT */
/*
 * Memory planning. Values that share bytes form a class: a root (a model
 * input, a constant, or a task's output) and the views of it. Each class
 * is placed once:
 *
 *   a model input's class      in the caller's input buffer
 *   a model output's class     in the caller's output buffer: the task that
 *                              computes it writes there directly, even
 *                              through views (BlazeFace's Transpose writes
 *                              into the output its Reshape names)
 *   a constant's class         in the weights
 *   everything else            in the workspace, at an offset chosen by
 *                              lifetime: classes whose lifetimes (first
 *                              write .. last read, in task order) overlap
 *                              get disjoint bytes, others may share.
 *
 * Placement is greedy by size (largest class first, lowest offset that
 * fits beside the placed classes it lives alongside), the arena planner
 * TFLite and others use. An output that cannot be written in place (it is
 * a model input or a constant, or the same bytes as another output) gets a
 * copy task.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"

static int root_of(const struct atc_graph *g, int vi)
{
    return g->v[vi].view_of >= 0 ? g->v[vi].view_of : vi;
}

static uint64_t align_up(uint64_t x)
{
    return (x + OM_DATA_ALIGN - 1) / OM_DATA_ALIGN * OM_DATA_ALIGN;
}

static void resolve_views(struct atc_graph *g)
{
    for (int i = 0; i < g->nv; i++) {
        g->v[i].view_of = -1;
    }
    for (int k = 0; k < g->norder; k++) {
        struct atc_node *n = &g->n[g->order[k]];
        if (n->kind == ATC_NODE_VIEW) {
            g->v[n->out[0]].view_of = root_of(g, n->in[0]);
        }
    }
}

/* A copy task (Cast to the same type) so output @i has bytes of its own. */
static int add_copy(struct atc_graph *g, int i, struct atc_err *e)
{
    int o = g->outputs[i], c, ni;
    int64_t dt;
    char *renamed, *name;

    c = atc_value_new(g, "");
    ni = c < 0 ? -1 : atc_node_new(g, "Cast", "", 1, 1);
    renamed = malloc(strlen(g->v[o].name) + 8);
    if (ni < 0 || !renamed) {
        free(renamed);
        return atc_fail(e, "out of memory");
    }
    g->v[c].known = true;
    g->v[c].dtype = g->v[o].dtype;
    g->v[c].ndim = g->v[o].ndim;
    memcpy(g->v[c].dims, g->v[o].dims, sizeof(g->v[c].dims));
    /* the output keeps its name; the value it copies is renamed */
    sprintf(renamed, "%s/src", g->v[o].name);
    name = g->v[o].name;
    g->v[o].name = renamed;
    free(g->v[c].name);
    g->v[c].name = name;
    free(g->n[ni].name);
    g->n[ni].name = malloc(strlen(name) + 8);
    if (!g->n[ni].name) {
        return atc_fail(e, "out of memory");
    }
    sprintf(g->n[ni].name, "%s/copy", name);
    dt = g->v[o].dtype;
    if (atc_attr_set_ints(&g->n[ni], "dst_type", &dt, 1)) {
        return atc_fail(e, "out of memory");
    }
    g->n[ni].in[0] = o;
    g->n[ni].out[0] = c;
    g->n[ni].kind = ATC_NODE_OP;
    g->n[ni].op_id = aop_find_cann("Cast");
    g->v[c].producer = ni;
    g->v[c].graph_output = true;
    g->outputs[i] = c;
    g->copies++;
    return 0;
}

struct cls {
    int root;
    uint64_t size;
    int def, last;
};

static int cmp_cls(const void *a, const void *b)
{
    const struct cls *x = a, *y = b;

    if (x->size != y->size) {
        return x->size < y->size ? 1 : -1;
    }
    return x->def - y->def;
}

static int cmp_placed(const void *a, const void *b)
{
    const struct atc_value *const *x = a, *const *y = b;

    return (*x)->offset < (*y)->offset ? -1 : (*x)->offset > (*y)->offset;
}

int atc_plan(struct atc_graph *g, struct atc_err *e)
{
    struct cls *cl = NULL;
    struct atc_value **near = NULL;
    int ncl = 0, ntasks = 0, rc = -1;
    uint64_t ws = 0;

    resolve_views(g);
    /* outputs: in place where possible, a copy otherwise */
    for (int i = 0; i < g->nv; i++) {
        g->v[i].placement = 0;
        g->v[i].primary = -1;
    }
    for (int i = 0; i < g->noutputs; i++) {
        int o = g->outputs[i], r = root_of(g, o);
        struct atc_value *rv = &g->v[r];
        if (rv->is_const || rv->graph_input >= 0 ||
            rv->placement == OM_PLACE_OUTPUT) {
            if (add_copy(g, i, e)) {
                return -1;
            }
            o = g->outputs[i];
            r = o;
            rv = &g->v[r];
        }
        rv->placement = OM_PLACE_OUTPUT;
        rv->io_index = (uint32_t)i;
        rv->primary = o;
    }
    if (atc_order(g, e)) {
        return -1;
    }
    resolve_views(g);
    for (int i = 0; i < g->nv; i++) {
        struct atc_value *v = &g->v[i];
        v->def = -1;
        v->last = -1;
        if (v->view_of >= 0 || v->placement == OM_PLACE_OUTPUT) {
            continue;
        }
        v->primary = i;
        v->placement = v->graph_input >= 0 ? OM_PLACE_INPUT :
                       v->is_const ? OM_PLACE_WEIGHT : OM_PLACE_WORKSPACE;
        if (v->graph_input >= 0) {
            v->io_index = (uint32_t)v->graph_input;
        }
    }
    /* lifetimes in task positions */
    for (int k = 0; k < g->norder; k++) {
        struct atc_node *n = &g->n[g->order[k]];
        if (n->kind != ATC_NODE_OP) {
            continue;
        }
        for (int j = 0; j < n->nin; j++) {
            if (n->in[j] >= 0) {
                g->v[root_of(g, n->in[j])].last = ntasks;
            }
        }
        for (int j = 0; j < n->nout; j++) {
            struct atc_value *r = &g->v[root_of(g, n->out[j])];
            r->def = ntasks;
            if (r->last < ntasks) {
                r->last = ntasks;
            }
        }
        ntasks++;
    }
    cl = calloc(g->nv ? g->nv : 1, sizeof(*cl));
    near = calloc(g->nv ? g->nv : 1, sizeof(*near));
    if (!cl || !near) {
        atc_fail(e, "out of memory");
        goto out;
    }
    g->ws_naive = 0;
    for (int i = 0; i < g->nv; i++) {
        struct atc_value *v = &g->v[i];
        if (v->view_of >= 0 || v->placement != OM_PLACE_WORKSPACE ||
            v->def < 0) {
            continue;
        }
        v->nbytes = (size_t)atc_elems(v->ndim, v->dims) *
                    atc_dtype_size(v->dtype);
        cl[ncl].root = i;
        cl[ncl].size = align_up(v->nbytes);
        cl[ncl].def = v->def;
        cl[ncl].last = v->last;
        g->ws_naive += cl[ncl].size;
        ncl++;
    }
    qsort(cl, ncl, sizeof(*cl), cmp_cls);
    for (int i = 0; i < ncl; i++) {
        struct atc_value *v = &g->v[cl[i].root];
        uint64_t at = 0;
        int nn = 0;
        for (int j = 0; j < i; j++) {
            if (cl[j].def <= cl[i].last && cl[i].def <= cl[j].last &&
                cl[j].size) {
                near[nn++] = &g->v[cl[j].root];
            }
        }
        qsort(near, nn, sizeof(*near), cmp_placed);
        for (int j = 0; j < nn; j++) {
            uint64_t end = align_up(near[j]->offset + near[j]->nbytes);
            if (at + cl[i].size <= near[j]->offset) {
                break;
            }
            if (end > at) {
                at = end;
            }
        }
        v->offset = at;
        if (at + cl[i].size > ws) {
            ws = at + cl[i].size;
        }
    }
    g->ws_planned = ws;
    ATC_INFO("memory plan: %d intermediates, %" PRIu64 " bytes without "
             "reuse, %" PRIu64 " bytes planned (%.1f%% saved); %d views, %d "
             "output copies", ncl, g->ws_naive, ws,
             g->ws_naive ? 100.0 * (double)(g->ws_naive - ws) /
             (double)g->ws_naive : 0.0, g->views, g->copies);
    rc = 0;
out:
    free(cl);
    free(near);
    return rc;
}
