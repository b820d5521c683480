/* SPDX-License-Identifier: MIT */
/*
 * Constant folding through the operator library: a node whose inputs are
 * all constant is run once here, on the host, by the same code the device
 * runs, and its outputs become constants. No second implementation of any
 * op to keep in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aop.h"
#include "atc.h"
#include "atc_ops.h"

int atc_fold_node(struct atc_graph *g, int ni, struct atc_err *e)
{
    struct atc_node *n = &g->n[ni];
    struct aop_tensor in[AOP_MAX_TENSORS], out[AOP_MAX_TENSORS];
    struct aop_attr attrs[64];
    struct aop_ctx ctx = { .threads = 1, .reference = false };
    struct aop_error err;
    uint32_t id = atc_op_id(n), na = 0;
    int rc;

    if (!id) {
        return atc_node_fail(e, n, "no op in the op table to fold it with");
    }
    if (n->nin > AOP_MAX_TENSORS || n->nout > AOP_MAX_TENSORS ||
        n->nattr > 64) {
        return atc_node_fail(e, n, "too many operands or attributes");
    }
    memset(out, 0, sizeof(out[0]) * n->nout);
    for (int k = 0; k < n->nin; k++) {
        struct atc_value *v = n->in[k] >= 0 ? &g->v[n->in[k]] : NULL;
        memset(&in[k], 0, sizeof(in[k]));
        if (!v) {
            in[k].dtype = AOP_DT_NONE;
            in[k].format = AOP_FMT_ND;
            continue;
        }
        aop_tensor_init(&in[k], v->data, v->dtype, v->ndim, v->dims);
    }
    for (int k = 0; k < n->nout; k++) {
        struct atc_value *v = &g->v[n->out[k]];
        size_t bytes = (size_t)atc_elems(v->ndim, v->dims) *
                       atc_dtype_size(v->dtype);
        void *d = malloc(bytes ? bytes : 1);
        if (!d) {
            for (int j = 0; j < k; j++) {
                free(out[j].data);
            }
            return atc_fail(e, "out of memory");
        }
        aop_tensor_init(&out[k], d, v->dtype, v->ndim, v->dims);
    }
    for (int k = 0; k < n->nattr; k++) {
        const struct atc_attr *a = &n->attr[k];
        if (a->type > OM_ATTR_STRING) {
            continue;
        }
        attrs[na].name = a->name;
        attrs[na].type = a->type;
        attrs[na].count = a->count;
        attrs[na].data = a->data;
        na++;
    }
    rc = aop_run(&ctx, id, in, (uint32_t)n->nin, out, (uint32_t)n->nout,
                 attrs, na, &err);
    if (rc) {
        for (int k = 0; k < n->nout; k++) {
            free(out[k].data);
        }
        return atc_node_fail(e, n, "constant folding: %s", err.msg);
    }
    for (int k = 0; k < n->nout; k++) {
        struct atc_value *v = &g->v[n->out[k]];
        atc_value_set_const(v, v->dtype, v->ndim, v->dims, out[k].data);
    }
    return 0;
}
