/* SPDX-License-Identifier: MIT */
/*
 * ONNX -> graph. Initializers and Constant nodes become constant values;
 * graph inputs take their shapes from the model or --input_shape; every
 * node's attributes are copied into the graph's own form, with the
 * attributes old opsets carried that later ones dropped removed. Every
 * node whose op is not supported is collected, so one error lists them all.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atc.h"
#include "atc_ops.h"
#include "onnx_reader.h"

#define UNSUP_MAX   64

struct unsup {
    char *type;
    char *nodes;        /* "a, b, c" */
    size_t len;
    int count;
};

static const char *str_or(const char *s, const char *def)
{
    return s ? s : def;
}

static int attr_from_proto(struct atc_attr *a, const Onnx__AttributeProto *p,
                           struct atc_err *e)
{
    int type = p->has_type ? (int)p->type : 0;
    size_t bytes = 0;
    const void *src = NULL;

    memset(a, 0, sizeof(*a));
    if (!type) {
        /* IR < 3 files may leave the type out: the field set tells it */
        type = p->n_ints ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS :
               p->n_floats ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS :
               p->has_i ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT :
               p->has_f ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT :
               p->has_s ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING :
               p->t ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR : 0;
    }
    a->name = strdup(p->name);
    if (!a->name) {
        return atc_fail(e, "out of memory");
    }
    switch (type) {
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
        a->type = OM_ATTR_INT;
        a->count = 1;
        src = &p->i;
        bytes = 8;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
        a->type = OM_ATTR_INT;
        a->count = (uint32_t)p->n_ints;
        src = p->ints;
        bytes = p->n_ints * 8;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
        a->type = OM_ATTR_FLOAT;
        a->count = 1;
        src = &p->f;
        bytes = 4;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
        a->type = OM_ATTR_FLOAT;
        a->count = (uint32_t)p->n_floats;
        src = p->floats;
        bytes = p->n_floats * 4;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
        a->type = OM_ATTR_STRING;
        a->count = (uint32_t)p->s.len;
        src = p->s.data;
        bytes = p->s.len;
        break;
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: {
        struct onnx_tensor t;
        char why[ONNX_ERR_LEN];
        if (!p->t || onnx_tensor_from_proto(p->t, &t, why, sizeof(why))) {
            return atc_fail(e, "attribute '%s': %s", p->name,
                            p->t ? why : "no tensor");
        }
        a->type = ATC_ATTR_TENSOR;
        a->t_dtype = t.dtype;
        a->t_ndim = t.ndim;
        memcpy(a->t_dims, t.dims, sizeof(a->t_dims));
        a->count = (uint32_t)t.nelems;
        a->data = t.data ? t.data : malloc(1);
        t.data = NULL;
        onnx_tensor_free(&t);
        return a->data ? 0 : atc_fail(e, "out of memory");
    }
    default:
        a->type = ATC_ATTR_OTHER;
        a->data = malloc(1);
        return a->data ? 0 : atc_fail(e, "out of memory");
    }
    a->data = malloc(bytes + 1);
    if (!a->data) {
        return atc_fail(e, "out of memory");
    }
    if (bytes) {
        memcpy(a->data, src, bytes);
    }
    ((char *)a->data)[bytes] = 0;
    return 0;
}

static int add_unsupported(struct unsup *u, int *nu, const char *type,
                           const char *node)
{
    int i;

    for (i = 0; i < *nu; i++) {
        if (strcmp(u[i].type, type) == 0) {
            break;
        }
    }
    if (i == *nu) {
        if (*nu == UNSUP_MAX) {
            return 0;
        }
        u[i].type = strdup(type);
        u[i].nodes = NULL;
        u[i].len = 0;
        u[i].count = 0;
        (*nu)++;
    }
    u[i].count++;
    if (u[i].count <= 8) {
        size_t add = strlen(node) + 5;
        char *p = realloc(u[i].nodes, u[i].len + add);
        if (!p) {
            return -1;
        }
        u[i].nodes = p;
        u[i].len += snprintf(p + u[i].len, add, "%s'%s'",
                             u[i].count > 1 ? ", " : "", node);
    } else if (u[i].count == 9) {
        char *p = realloc(u[i].nodes, u[i].len + 8);
        if (!p) {
            return -1;
        }
        u[i].nodes = p;
        u[i].len += snprintf(p + u[i].len, 8, ", ...");
    }
    return 0;
}

/* "name:1,3,224,224;name2:5" -> the dims for @name, or 0 if absent. */
static int find_input_shape(const char *spec, const char *name,
                            int64_t *dims, uint32_t *ndim, bool *found,
                            struct atc_err *e)
{
    const char *p = spec;

    *found = false;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = NULL;
        for (size_t i = 0; i < len; i++) {
            if (p[i] == ':') {
                colon = p + i;      /* the last one: names may hold ':' */
            }
        }
        if (!colon) {
            return atc_fail(e, "--input_shape: '%.*s' is not name:dims",
                            (int)len, p);
        }
        if ((size_t)(colon - p) == strlen(name) &&
            strncmp(p, name, colon - p) == 0) {
            const char *d = colon + 1;
            *ndim = 0;
            *found = true;
            while (d < p + len) {
                char *q;
                long long v = strtoll(d, &q, 10);
                if (q == d || v < 0 || v > (1LL << 40)) {
                    return atc_fail(e, "--input_shape: bad dim in '%.*s' "
                                    "(dims are numbers >= 0; dynamic dims "
                                    "are not supported)", (int)len, p);
                }
                if (*ndim == ATC_MAX_DIMS) {
                    return atc_fail(e, "--input_shape: more than %d dims for "
                                    "'%s'", ATC_MAX_DIMS, name);
                }
                dims[(*ndim)++] = v;
                d = q;
                if (d < p + len && *d == ',') {
                    d++;
                } else if (d < p + len) {
                    return atc_fail(e, "--input_shape: bad separator in "
                                    "'%.*s'", (int)len, p);
                }
            }
            return 0;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* Every name in --input_shape must be a graph input. */
static int check_shape_names(const Onnx__GraphProto *gp, const char *spec,
                             struct atc_err *e)
{
    const char *p = spec;

    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = NULL;
        bool ok = false;
        for (size_t i = 0; i < len; i++) {
            if (p[i] == ':') {
                colon = p + i;
            }
        }
        for (size_t i = 0; colon && i < gp->n_input; i++) {
            const char *n = gp->input[i]->name;
            if (strlen(n) == (size_t)(colon - p) &&
                strncmp(n, p, colon - p) == 0) {
                ok = true;
            }
        }
        if (!ok) {
            return atc_fail(e, "--input_shape: '%.*s' names no input of the "
                            "model", colon ? (int)(colon - p) : (int)len, p);
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int add_input(struct atc_graph *g, const Onnx__ValueInfoProto *vi,
                     const struct atc_opts *o, struct atc_err *e)
{
    const Onnx__TypeProto__Tensor *tt;
    struct atc_value *v;
    int64_t dims[ATC_MAX_DIMS];
    uint32_t ndim = 0;
    bool found;
    int idx;

    if (!vi->type || vi->type->value_case !=
        ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !vi->type->tensor_type ||
        !vi->type->tensor_type->has_elem_type) {
        return atc_fail(e, "input '%s': not a tensor (sequences, maps and "
                        "optionals are not supported)", vi->name);
    }
    tt = vi->type->tensor_type;
    idx = atc_value_new(g, vi->name);
    if (idx < 0) {
        return atc_fail(e, "out of memory");
    }
    v = &g->v[idx];
    v->dtype = onnx_dtype_to_acl(tt->elem_type);
    if (v->dtype == ONNX_DT_NONE) {
        return atc_fail(e, "input '%s': element type %d not supported",
                        vi->name, (int)tt->elem_type);
    }
    if (find_input_shape(o->input_shape, vi->name, dims, &ndim, &found, e)) {
        return -1;
    }
    if (found) {
        v->ndim = ndim;
        memcpy(v->dims, dims, ndim * sizeof(int64_t));
    } else {
        char unknown[128] = "";
        if (!tt->shape) {
            return atc_fail(e, "input '%s' has no shape: give it with "
                            "--input_shape=\"%s:d0,d1,...\"", vi->name,
                            vi->name);
        }
        if (tt->shape->n_dim > ATC_MAX_DIMS) {
            return atc_fail(e, "input '%s': rank %zu above %d", vi->name,
                            tt->shape->n_dim, ATC_MAX_DIMS);
        }
        v->ndim = (uint32_t)tt->shape->n_dim;
        for (uint32_t i = 0; i < v->ndim; i++) {
            const Onnx__TensorShapeProto__Dimension *d = tt->shape->dim[i];
            bool has_value = d && d->value_case ==
                ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
            bool has_param = d && d->value_case ==
                ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
                d->dim_param;
            if (has_value && d->dim_value >= 0) {
                v->dims[i] = d->dim_value;
            } else {
                v->dims[i] = -1;
                if (!unknown[0]) {
                    snprintf(unknown, sizeof(unknown), "%s",
                             has_param ? d->dim_param : "?");
                }
            }
        }
        if (unknown[0]) {
            return atc_fail(e, "input '%s' has a dynamic dim '%s': give its "
                            "shape with --input_shape=\"%s:d0,d1,...\"",
                            vi->name, unknown, vi->name);
        }
    }
    if (atc_elems(v->ndim, v->dims) < 0) {
        return atc_fail(e, "input '%s': too many elements", vi->name);
    }
    v->known = true;
    v->graph_input = g->ninputs;
    g->inputs[g->ninputs++] = idx;
    return 0;
}

/* A Constant node is a value, not a node. */
static int add_constant(struct atc_graph *g, const Onnx__NodeProto *np,
                        struct atc_err *e)
{
    struct atc_attr a;
    int idx;
    void *data;
    int64_t one = 1;

    if (np->n_output != 1 || np->n_attribute != 1) {
        return atc_fail(e, "Constant node '%s': needs one output and one "
                        "attribute", str_or(np->name, ""));
    }
    if (attr_from_proto(&a, np->attribute[0], e)) {
        free(a.name);
        free(a.data);
        return -1;
    }
    idx = atc_value_new(g, np->output[0]);
    if (idx < 0) {
        free(a.name);
        free(a.data);
        return atc_fail(e, "out of memory");
    }
    data = a.data;
    if (strcmp(a.name, "value") == 0 && a.type == ATC_ATTR_TENSOR) {
        atc_value_set_const(&g->v[idx], a.t_dtype, a.t_ndim, a.t_dims, data);
    } else if (strcmp(a.name, "value_float") == 0 && a.type == OM_ATTR_FLOAT) {
        atc_value_set_const(&g->v[idx], 0, 0, &one, data);
    } else if (strcmp(a.name, "value_floats") == 0 &&
               a.type == OM_ATTR_FLOAT) {
        int64_t n = a.count;
        atc_value_set_const(&g->v[idx], 0, 1, &n, data);
    } else if (strcmp(a.name, "value_int") == 0 && a.type == OM_ATTR_INT) {
        atc_value_set_const(&g->v[idx], 9, 0, &one, data);
    } else if (strcmp(a.name, "value_ints") == 0 && a.type == OM_ATTR_INT) {
        int64_t n = a.count;
        atc_value_set_const(&g->v[idx], 9, 1, &n, data);
    } else {
        free(a.name);
        free(data);
        return atc_fail(e, "Constant node '%s': attribute '%s' not supported "
                        "(sparse and string constants are not)",
                        str_or(np->name, ""), np->attribute[0]->name);
    }
    free(a.name);
    return 0;
}

/* Attributes that older opsets carried and that mean nothing now. */
static void strip_legacy(struct atc_node *n)
{
    atc_attr_remove(n, "consumed_inputs");
    if (strcmp(n->op_type, "BatchNormalization") == 0 ||
        strcmp(n->op_type, "Dropout") == 0) {
        atc_attr_remove(n, "is_test");
    }
    if (strcmp(n->op_type, "Gemm") == 0) {
        atc_attr_remove(n, "broadcast");
    }
}

static int add_node(struct atc_graph *g, const Onnx__NodeProto *np, int index,
                    struct atc_err *e)
{
    char label[64];
    const char *name;
    struct atc_node *n;
    int ni;

    snprintf(label, sizeof(label), "#%d", index);
    name = np->name && np->name[0] ? np->name :
           np->n_output && np->output[0][0] ? np->output[0] : label;
    ni = atc_node_new(g, np->op_type, name, (int)np->n_input,
                      (int)np->n_output);
    if (ni < 0) {
        return atc_fail(e, "out of memory");
    }
    n = &g->n[ni];
    for (size_t i = 0; i < np->n_input; i++) {
        const char *in = np->input[i];
        if (!in[0]) {
            continue;   /* omitted optional input */
        }
        n->in[i] = atc_value_find(g, in);
        if (n->in[i] < 0) {
            return atc_fail(e, "node '%s' (%s) reads '%s', which no input, "
                            "initializer or earlier node produces", n->name,
                            n->op_type, in);
        }
    }
    for (size_t i = 0; i < np->n_output; i++) {
        const char *out = np->output[i];
        int vi;
        if (out[0] && atc_value_find(g, out) >= 0) {
            return atc_fail(e, "node '%s' (%s): output '%s' is already "
                            "defined", n->name, n->op_type, out);
        }
        vi = atc_value_new(g, out);
        if (vi < 0) {
            return atc_fail(e, "out of memory");
        }
        n = &g->n[ni];
        n->out[i] = vi;
        g->v[vi].producer = ni;
    }
    n->attr = calloc(np->n_attribute ? np->n_attribute : 1,
                     sizeof(struct atc_attr));
    if (!n->attr) {
        return atc_fail(e, "out of memory");
    }
    for (size_t i = 0; i < np->n_attribute; i++) {
        if (attr_from_proto(&n->attr[i], np->attribute[i], e)) {
            free(n->attr[i].name);
            free(n->attr[i].data);
            return -1;
        }
        n->nattr++;
    }
    strip_legacy(n);
    return 0;
}

/*
 * Nodes may come in any order in a file that is not sorted; ONNX requires
 * sorted graphs but reading them in two rounds costs nothing: a node whose
 * inputs are not yet defined waits for the next round.
 */
static bool inputs_ready(const struct atc_graph *g, const Onnx__NodeProto *np)
{
    for (size_t i = 0; i < np->n_input; i++) {
        if (np->input[i][0] && atc_value_find(g, np->input[i]) < 0) {
            return false;
        }
    }
    return true;
}

int atc_import(struct atc_graph *g, const char *path,
               const struct atc_opts *o, struct atc_err *e)
{
    char why[ONNX_ERR_LEN];
    struct onnx_model *m = onnx_model_load(path, why, sizeof(why));
    const Onnx__GraphProto *gp;
    struct unsup u[UNSUP_MAX];
    uint8_t *done = NULL;
    int nu = 0, rc = -1;
    size_t left;

    memset(g, 0, sizeof(*g));
    if (!m) {
        return atc_fail(e, "cannot read the ONNX model: %s", why);
    }
    gp = onnx_model_graph(m);
    g->opset = onnx_model_opset(m, "");
    if (g->opset < 1) {
        g->opset = 1;
    }
    g->name = strdup(gp->name ? gp->name : "model");
    g->inputs = calloc(gp->n_input + 1, sizeof(int));
    g->outputs = calloc(gp->n_output + 1, sizeof(int));
    done = calloc(gp->n_node + 1, 1);
    if (!g->name || !g->inputs || !g->outputs || !done) {
        atc_fail(e, "out of memory");
        goto out;
    }
    ATC_INFO("model %s: opset %" PRId64 ", %zu nodes, %zu initializers, %zu "
             "inputs, %zu outputs", path, g->opset, gp->n_node,
             gp->n_initializer, gp->n_input, gp->n_output);
    if (gp->n_sparse_initializer) {
        atc_fail(e, "sparse initializers are not supported");
        goto out;
    }
    for (size_t i = 0; i < gp->n_initializer; i++) {
        struct onnx_tensor t;
        int idx;
        const char *nm = gp->initializer[i]->name;
        if (!nm || !nm[0]) {
            atc_fail(e, "initializer %zu has no name", i);
            goto out;
        }
        if (onnx_tensor_from_proto(gp->initializer[i], &t, why,
                                   sizeof(why))) {
            atc_fail(e, "initializer '%s': %s", nm, why);
            goto out;
        }
        if (atc_value_find(g, nm) >= 0) {
            onnx_tensor_free(&t);
            atc_fail(e, "initializer '%s' defined twice", nm);
            goto out;
        }
        idx = atc_value_new(g, nm);
        if (idx < 0) {
            onnx_tensor_free(&t);
            atc_fail(e, "out of memory");
            goto out;
        }
        atc_value_set_const(&g->v[idx], t.dtype, t.ndim, t.dims,
                            t.data ? t.data : malloc(1));
        t.data = NULL;
        onnx_tensor_free(&t);
        if (!g->v[idx].data) {
            atc_fail(e, "out of memory");
            goto out;
        }
    }
    /* Unsupported ops first: one error for all of them. */
    for (size_t i = 0; i < gp->n_node; i++) {
        const Onnx__NodeProto *np = gp->node[i];
        const char *dom = np->domain ? np->domain : "";
        char label[64], type[160];
        snprintf(label, sizeof(label), "#%zu", i);
        if (dom[0] && strcmp(dom, "ai.onnx") != 0) {
            snprintf(type, sizeof(type), "%s (domain %s)", np->op_type, dom);
        } else if (!atc_op_supported(np->op_type) &&
                   strcmp(np->op_type, "Constant") != 0) {
            snprintf(type, sizeof(type), "%s", np->op_type);
        } else {
            continue;
        }
        if (add_unsupported(u, &nu, type, np->name && np->name[0] ? np->name :
                            np->n_output && np->output[0][0] ?
                            np->output[0] : label)) {
            atc_fail(e, "out of memory");
            goto out;
        }
    }
    if (nu) {
        size_t off = 0;
        off += snprintf(e->msg + off, sizeof(e->msg) - off,
                        "%d unsupported op type%s:", nu,
                        nu > 1 ? "s" : "");
        for (int i = 0; i < nu && off < sizeof(e->msg); i++) {
            off += snprintf(e->msg + off, sizeof(e->msg) - off,
                            "\n  %s (%d node%s: %s)", u[i].type, u[i].count,
                            u[i].count > 1 ? "s" : "",
                            u[i].nodes ? u[i].nodes : "");
        }
        goto out;
    }
    if (o->input_shape && check_shape_names(gp, o->input_shape, e)) {
        goto out;
    }
    /* Inputs with an initializer are constants (IR < 4 lists them). */
    for (size_t i = 0; i < gp->n_input; i++) {
        if (atc_value_find(g, gp->input[i]->name) >= 0) {
            continue;
        }
        if (add_input(g, gp->input[i], o, e)) {
            goto out;
        }
    }
    left = gp->n_node;
    while (left) {
        size_t before = left;
        for (size_t i = 0; i < gp->n_node; i++) {
            const Onnx__NodeProto *np = gp->node[i];
            if (done[i] || !inputs_ready(g, np)) {
                continue;
            }
            done[i] = 1;
            left--;
            if (strcmp(np->op_type, "Constant") == 0) {
                if (add_constant(g, np, e)) {
                    goto out;
                }
            } else if (add_node(g, np, (int)i, e)) {
                goto out;
            }
        }
        if (left == before) {
            for (size_t i = 0; i < gp->n_node; i++) {
                if (!done[i]) {
                    for (size_t k = 0; k < gp->node[i]->n_input; k++) {
                        const char *in = gp->node[i]->input[k];
                        if (in[0] && atc_value_find(g, in) < 0) {
                            atc_fail(e, "node '%s' (%s) reads '%s', which "
                                     "nothing produces (or a cycle)",
                                     str_or(gp->node[i]->name, ""),
                                     gp->node[i]->op_type, in);
                            goto out;
                        }
                    }
                }
            }
            atc_fail(e, "the graph's nodes cannot be ordered");
            goto out;
        }
    }
    for (size_t i = 0; i < gp->n_output; i++) {
        int vi = atc_value_find(g, gp->output[i]->name);
        if (vi < 0) {
            atc_fail(e, "graph output '%s' is produced by no node",
                     gp->output[i]->name);
            goto out;
        }
        g->outputs[g->noutputs++] = vi;
        g->v[vi].graph_output = true;
    }
    rc = 0;
out:
    for (int i = 0; i < nu; i++) {
        free(u[i].type);
        free(u[i].nodes);
    }
    free(done);
    onnx_model_free(m);
    return rc;
}
