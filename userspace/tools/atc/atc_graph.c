/* SPDX-License-Identifier: MIT */
/*
 * The converter's graph: values, nodes, attributes, lookups, ordering.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atc.h"

int atc_log_level = ATC_LOG_WARNING;

void atc_log(int level, const char *fmt, ...)
{
    static const char *const tag[] = { "", "ERROR", "WARNING", "INFO",
                                       "DEBUG" };
    va_list ap;

    if (level > atc_log_level) {
        return;
    }
    fprintf(stderr, "atc: [%s] ", tag[level]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int atc_fail(struct atc_err *e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

static void attr_free(struct atc_attr *a)
{
    free(a->name);
    free(a->data);
}

void atc_graph_free(struct atc_graph *g)
{
    for (int i = 0; i < g->nv; i++) {
        free(g->v[i].name);
        free(g->v[i].data);
    }
    for (int i = 0; i < g->nn; i++) {
        struct atc_node *n = &g->n[i];
        free(n->name);
        free(n->op_type);
        free(n->domain);
        free(n->in);
        free(n->out);
        for (int k = 0; k < n->nattr; k++) {
            attr_free(&n->attr[k]);
        }
        free(n->attr);
    }
    free(g->v);
    free(g->n);
    free(g->inputs);
    free(g->outputs);
    free(g->order);
    free(g->hash);
    free(g->name);
    memset(g, 0, sizeof(*g));
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s) {
        h = (h ^ (uint8_t)*s++) * 16777619u;
    }
    return h;
}

static int hash_insert(struct atc_graph *g, int vi)
{
    uint32_t j;

    if (g->nv * 2 >= g->hash_cap) {
        int cap = g->hash_cap ? g->hash_cap * 2 : 1024;
        int *t = malloc(sizeof(int) * cap);
        if (!t) {
            return -1;
        }
        for (int i = 0; i < cap; i++) {
            t[i] = -1;
        }
        free(g->hash);
        g->hash = t;
        g->hash_cap = cap;
        for (int i = 0; i < g->nv; i++) {
            if (i != vi && g->v[i].name[0]) {
                j = hash_str(g->v[i].name) & (cap - 1);
                while (t[j] >= 0) {
                    j = (j + 1) & (cap - 1);
                }
                t[j] = i;
            }
        }
    }
    if (!g->v[vi].name[0]) {
        return 0;
    }
    j = hash_str(g->v[vi].name) & (g->hash_cap - 1);
    while (g->hash[j] >= 0) {
        j = (j + 1) & (g->hash_cap - 1);
    }
    g->hash[j] = vi;
    return 0;
}

int atc_value_find(const struct atc_graph *g, const char *name)
{
    uint32_t j;

    if (!g->hash_cap || !name[0]) {
        return -1;
    }
    j = hash_str(name) & (g->hash_cap - 1);
    while (g->hash[j] >= 0) {
        if (strcmp(g->v[g->hash[j]].name, name) == 0) {
            return g->hash[j];
        }
        j = (j + 1) & (g->hash_cap - 1);
    }
    return -1;
}

int atc_value_new(struct atc_graph *g, const char *name)
{
    struct atc_value *v;

    if (g->nv == g->cap_v) {
        int cap = g->cap_v ? g->cap_v * 2 : 256;
        struct atc_value *p = realloc(g->v, sizeof(*p) * cap);
        if (!p) {
            return -1;
        }
        g->v = p;
        g->cap_v = cap;
    }
    v = &g->v[g->nv];
    memset(v, 0, sizeof(*v));
    v->name = strdup(name ? name : "");
    if (!v->name) {
        return -1;
    }
    v->producer = -1;
    v->graph_input = -1;
    v->view_of = -1;
    v->primary = -1;
    v->tensor = OM_NO_TENSOR;
    g->nv++;
    if (hash_insert(g, g->nv - 1)) {
        return -1;
    }
    return g->nv - 1;
}

int atc_node_new(struct atc_graph *g, const char *op_type, const char *name,
                 int nin, int nout)
{
    struct atc_node *n;

    if (g->nn == g->cap_n) {
        int cap = g->cap_n ? g->cap_n * 2 : 256;
        struct atc_node *p = realloc(g->n, sizeof(*p) * cap);
        if (!p) {
            return -1;
        }
        g->n = p;
        g->cap_n = cap;
    }
    n = &g->n[g->nn];
    memset(n, 0, sizeof(*n));
    n->op_type = strdup(op_type);
    n->name = strdup(name ? name : "");
    n->domain = strdup("");
    n->in = calloc(nin ? nin : 1, sizeof(int));
    n->out = calloc(nout ? nout : 1, sizeof(int));
    if (!n->op_type || !n->name || !n->domain || !n->in || !n->out) {
        return -1;
    }
    for (int i = 0; i < nin; i++) {
        n->in[i] = -1;
    }
    for (int i = 0; i < nout; i++) {
        n->out[i] = -1;
    }
    n->nin = nin;
    n->nout = nout;
    n->seq = g->nn;
    g->nn++;
    return g->nn - 1;
}

struct atc_attr *atc_attr_get(const struct atc_node *n, const char *name)
{
    for (int i = 0; i < n->nattr; i++) {
        if (strcmp(n->attr[i].name, name) == 0) {
            return &n->attr[i];
        }
    }
    return NULL;
}

void atc_attr_remove(struct atc_node *n, const char *name)
{
    for (int i = 0; i < n->nattr; i++) {
        if (strcmp(n->attr[i].name, name) == 0) {
            attr_free(&n->attr[i]);
            memmove(&n->attr[i], &n->attr[i + 1],
                    sizeof(n->attr[0]) * (n->nattr - i - 1));
            n->nattr--;
            return;
        }
    }
}

static int attr_set(struct atc_node *n, const char *name, uint32_t type,
                    const void *data, uint32_t count, size_t bytes)
{
    struct atc_attr *a = atc_attr_get(n, name);
    void *copy = malloc(bytes + 1);

    if (!copy) {
        return -1;
    }
    if (bytes) {
        memcpy(copy, data, bytes);
    }
    ((char *)copy)[bytes] = 0;
    if (!a) {
        struct atc_attr *p = realloc(n->attr, sizeof(*p) * (n->nattr + 1));
        if (!p) {
            free(copy);
            return -1;
        }
        n->attr = p;
        a = &n->attr[n->nattr++];
        memset(a, 0, sizeof(*a));
        a->name = strdup(name);
        if (!a->name) {
            free(copy);
            n->nattr--;
            return -1;
        }
    } else {
        free(a->data);
    }
    a->type = type;
    a->count = count;
    a->data = copy;
    return 0;
}

int atc_attr_set_ints(struct atc_node *n, const char *name, const int64_t *v,
                      uint32_t count)
{
    return attr_set(n, name, OM_ATTR_INT, v, count, count * sizeof(int64_t));
}

int atc_attr_set_floats(struct atc_node *n, const char *name, const float *v,
                        uint32_t count)
{
    return attr_set(n, name, OM_ATTR_FLOAT, v, count, count * sizeof(float));
}

int atc_attr_set_string(struct atc_node *n, const char *name, const char *s)
{
    return attr_set(n, name, OM_ATTR_STRING, s, (uint32_t)strlen(s),
                    strlen(s));
}

int64_t atc_attr_int(const struct atc_node *n, const char *name, int64_t def)
{
    const struct atc_attr *a = atc_attr_get(n, name);

    if (!a || a->type != OM_ATTR_INT || a->count < 1) {
        return def;
    }
    return ((const int64_t *)a->data)[0];
}

float atc_attr_float(const struct atc_node *n, const char *name, float def)
{
    const struct atc_attr *a = atc_attr_get(n, name);

    if (!a || a->type != OM_ATTR_FLOAT || a->count < 1) {
        return def;
    }
    return ((const float *)a->data)[0];
}

const char *atc_attr_str(const struct atc_node *n, const char *name,
                         const char *def)
{
    const struct atc_attr *a = atc_attr_get(n, name);

    if (!a || a->type != OM_ATTR_STRING) {
        return def;
    }
    return a->data;
}

size_t atc_dtype_size(uint32_t dtype)
{
    return om_dtype_size(dtype);
}

int64_t atc_elems(uint32_t ndim, const int64_t *dims)
{
    int64_t n = 1;

    for (uint32_t i = 0; i < ndim; i++) {
        if (dims[i] < 0 || (dims[i] && n > OM_MAX_ELEMS / dims[i])) {
            return -1;
        }
        n *= dims[i];
    }
    return n;
}

void atc_value_set_const(struct atc_value *v, uint32_t dtype, uint32_t ndim,
                         const int64_t *dims, void *data)
{
    int64_t d[ATC_MAX_DIMS] = { 0 };

    if (ndim) {
        memcpy(d, dims, ndim * sizeof(int64_t));    /* may be v->dims */
    }
    if (v->data != data) {
        free(v->data);
    }
    v->dtype = dtype;
    v->ndim = ndim;
    memcpy(v->dims, d, sizeof(v->dims));
    v->known = true;
    v->is_const = true;
    v->data = data;
    v->nbytes = (size_t)atc_elems(ndim, dims) * atc_dtype_size(dtype);
}

const char *atc_shape_str(uint32_t ndim, const int64_t *dims, char *buf,
                          size_t len)
{
    size_t o = 0;

    o += snprintf(buf + o, len - o, "[");
    for (uint32_t i = 0; i < ndim && o < len; i++) {
        o += snprintf(buf + o, len - o, "%s%" PRId64, i ? "," : "", dims[i]);
    }
    if (o < len) {
        snprintf(buf + o, len - o, "]");
    }
    return buf;
}

int atc_const_ints(const struct atc_value *v, int64_t *out, int64_t max,
                   int64_t *count)
{
    int64_t n;

    if (!v->is_const || !v->known) {
        return -1;
    }
    n = atc_elems(v->ndim, v->dims);
    if (n < 0 || n > max) {
        return -1;
    }
    for (int64_t i = 0; i < n; i++) {
        if (v->dtype == 9) {
            memcpy(&out[i], (const char *)v->data + i * 8, 8);
        } else if (v->dtype == 3) {
            int32_t x;
            memcpy(&x, (const char *)v->data + i * 4, 4);
            out[i] = x;
        } else {
            return -1;
        }
    }
    *count = n;
    return 0;
}

void atc_count_uses(const struct atc_graph *g, int *uses)
{
    memset(uses, 0, sizeof(int) * g->nv);
    for (int i = 0; i < g->nn; i++) {
        const struct atc_node *n = &g->n[i];
        if (n->dead) {
            continue;
        }
        for (int k = 0; k < n->nin; k++) {
            if (n->in[k] >= 0) {
                uses[n->in[k]]++;
            }
        }
    }
}

/*
 * Depth-first from each node in array order, producers first, with an
 * explicit stack: a valid order that keeps the ONNX file's order where it
 * already was one.
 */
int atc_order(struct atc_graph *g, struct atc_err *e)
{
    uint8_t *state = calloc(g->nn ? g->nn : 1, 1);   /* 0 new 1 open 2 done */
    int *stack = malloc(sizeof(int) * (g->nn ? g->nn : 1));
    int *pos = malloc(sizeof(int) * (g->nn ? g->nn : 1));
    int sp = 0;

    free(g->order);
    g->order = malloc(sizeof(int) * (g->nn ? g->nn : 1));
    g->norder = 0;
    if (!state || !stack || !pos || !g->order) {
        free(state);
        free(stack);
        free(pos);
        return atc_fail(e, "out of memory");
    }
    for (int root = 0; root < g->nn; root++) {
        if (g->n[root].dead || state[root]) {
            continue;
        }
        stack[sp] = root;
        pos[sp++] = 0;
        state[root] = 1;
        while (sp) {
            int ni = stack[sp - 1];
            struct atc_node *n = &g->n[ni];
            bool pushed = false;
            while (pos[sp - 1] < n->nin) {
                int vi = n->in[pos[sp - 1]++];
                int p = vi >= 0 ? g->v[vi].producer : -1;
                if (p < 0 || g->n[p].dead || state[p] == 2) {
                    continue;
                }
                if (state[p] == 1) {
                    free(state);
                    free(stack);
                    free(pos);
                    return atc_fail(e, "the graph has a cycle through node "
                                    "'%s' (%s) and value '%s'", n->name,
                                    n->op_type, g->v[vi].name);
                }
                state[p] = 1;
                stack[sp] = p;
                pos[sp++] = 0;
                pushed = true;
                break;
            }
            if (!pushed) {
                state[ni] = 2;
                g->order[g->norder++] = ni;
                sp--;
            }
        }
    }
    free(state);
    free(stack);
    free(pos);
    return 0;
}
