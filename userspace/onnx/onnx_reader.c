/* SPDX-License-Identifier: MIT */
/*
 * onnx_reader: see onnx_reader.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx_reader.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

uint32_t onnx_dtype_to_acl(int32_t t)
{
    switch (t) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: return 0;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: return 1;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8: return 2;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: return 3;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8: return 4;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16: return 6;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: return 7;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32: return 8;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: return 9;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64: return 10;
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: return 11;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: return 12;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16: return 27;
    default: return ONNX_DT_NONE;
    }
}

size_t onnx_acl_dtype_size(uint32_t dt)
{
    switch (dt) {
    case 2: case 4: case 12: return 1;
    case 1: case 6: case 7: case 27: return 2;
    case 0: case 3: case 8: return 4;
    case 9: case 10: case 11: return 8;
    default: return 0;
    }
}

static const char *onnx_type_name(int32_t t)
{
    static const char *const names[] = {
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
        "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64",
        "COMPLEX64", "COMPLEX128", "BFLOAT16",
    };

    if (t < 0 || (size_t)t >= sizeof(names) / sizeof(names[0])) {
        return "unknown";
    }
    return names[t];
}

void onnx_tensor_free(struct onnx_tensor *t)
{
    if (!t) {
        return;
    }
    free(t->name);
    free(t->data);
    memset(t, 0, sizeof(*t));
}

int onnx_tensor_from_proto(const Onnx__TensorProto *tp, struct onnx_tensor *t,
                           char *err, size_t errlen)
{
    size_t es, have = 0;
    int64_t n = 1;
    int32_t ty;

    memset(t, 0, sizeof(*t));
    if (!tp) {
        return fail(err, errlen, "no tensor");
    }
    if (!tp->has_data_type) {
        return fail(err, errlen, "tensor has no data_type");
    }
    ty = tp->data_type;
    t->onnx_type = ty;
    t->dtype = onnx_dtype_to_acl(ty);
    es = onnx_acl_dtype_size(t->dtype);
    if (t->dtype == ONNX_DT_NONE || !es) {
        return fail(err, errlen, "data_type %d (%s) not supported", ty,
                    onnx_type_name(ty));
    }
    if (tp->n_dims > ONNX_MAX_DIMS) {
        return fail(err, errlen, "rank %zu above %d", tp->n_dims,
                    ONNX_MAX_DIMS);
    }
    if (tp->segment) {
        return fail(err, errlen, "segmented tensors not supported");
    }
    if (tp->has_data_location &&
        tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
        return fail(err, errlen, "external data not supported");
    }
    t->ndim = (uint32_t)tp->n_dims;
    for (size_t i = 0; i < tp->n_dims; i++) {
        int64_t d = tp->dims[i];
        if (d < 0) {
            return fail(err, errlen, "dims[%zu] is %lld", i, (long long)d);
        }
        t->dims[i] = d;
        if (d && n > ONNX_MAX_ELEMS / d) {
            return fail(err, errlen, "too many elements");
        }
        n *= d;
    }
    t->nelems = n;
    t->nbytes = (size_t)n * es;
    /* Which field carries the data, and how many elements it has. */
    if (tp->has_raw_data) {
        if (tp->raw_data.len != t->nbytes) {
            return fail(err, errlen, "raw_data has %zu bytes, shape needs %zu",
                        tp->raw_data.len, t->nbytes);
        }
    } else {
        switch (ty) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
            have = tp->n_float_data;
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
            have = tp->n_int64_data;
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
            have = tp->n_double_data;
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32:
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
            have = tp->n_uint64_data;
            break;
        default:
            have = tp->n_int32_data;
            break;
        }
        if (have != (size_t)n) {
            return fail(err, errlen, "%zu %s values, shape needs %lld", have,
                        onnx_type_name(ty), (long long)n);
        }
    }
    t->name = strdup(tp->name ? tp->name : "");
    t->data = t->nbytes ? malloc(t->nbytes) : NULL;
    if (!t->name || (t->nbytes && !t->data)) {
        onnx_tensor_free(t);
        return fail(err, errlen, "out of memory");
    }
    if (tp->has_raw_data) {
        if (t->nbytes) {
            memcpy(t->data, tp->raw_data.data, t->nbytes);
        }
        return 0;
    }
    for (int64_t i = 0; i < n; i++) {
        char *d = (char *)t->data + (size_t)i * es;
        switch (ty) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
            memcpy(d, &tp->float_data[i], 4);
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
            memcpy(d, &tp->int64_data[i], 8);
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
            memcpy(d, &tp->double_data[i], 8);
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32: {
            uint32_t v = (uint32_t)tp->uint64_data[i];
            memcpy(d, &v, 4);
            break;
        }
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
            memcpy(d, &tp->uint64_data[i], 8);
            break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
            memcpy(d, &tp->int32_data[i], 4);
            break;
        default: {
            /* narrow types in int32_data: the low bits (fp16/bf16 bits) */
            uint32_t v = (uint32_t)tp->int32_data[i];
            if (es == 1) {
                uint8_t b = (uint8_t)v;
                if (ty == ONNX__TENSOR_PROTO__DATA_TYPE__BOOL) {
                    b = v != 0;
                }
                memcpy(d, &b, 1);
            } else {
                uint16_t h = (uint16_t)v;
                memcpy(d, &h, 2);
            }
            break;
        }
        }
    }
    return 0;
}

int onnx_tensor_parse(const void *buf, size_t len, struct onnx_tensor *t,
                      char *err, size_t errlen)
{
    Onnx__TensorProto *tp;
    int rc;

    memset(t, 0, sizeof(*t));
    if (len > ONNX_MAX_FILE) {
        return fail(err, errlen, "%zu bytes, above the %u limit", len,
                    ONNX_MAX_FILE);
    }
    tp = onnx__tensor_proto__unpack(NULL, len, buf);
    if (!tp) {
        return fail(err, errlen, "not a valid TensorProto");
    }
    rc = onnx_tensor_from_proto(tp, t, err, errlen);
    onnx__tensor_proto__free_unpacked(tp, NULL);
    return rc;
}

void *onnx_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    void *buf;

    if (!f) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
        st.st_size > (off_t)ONNX_MAX_FILE) {
        fclose(f);
        fail(err, errlen, "%s: not a regular file of at most %u bytes", path,
             ONNX_MAX_FILE);
        return NULL;
    }
    buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!buf) {
        fclose(f);
        fail(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(buf);
        fclose(f);
        fail(err, errlen, "%s: short read", path);
        return NULL;
    }
    fclose(f);
    *len = (size_t)st.st_size;
    return buf;
}

int onnx_tensor_load(const char *path, struct onnx_tensor *t, char *err,
                     size_t errlen)
{
    size_t len;
    void *buf = onnx_read_file(path, &len, err, errlen);
    int rc;

    memset(t, 0, sizeof(*t));
    if (!buf) {
        return -1;
    }
    rc = onnx_tensor_parse(buf, len, t, err, errlen);
    free(buf);
    return rc;
}

struct onnx_model {
    Onnx__ModelProto *proto;
};

static int check_node(const Onnx__NodeProto *n, size_t idx, char *err,
                      size_t errlen)
{
    if (!n || !n->op_type || !n->op_type[0]) {
        return fail(err, errlen, "node %zu has no op_type", idx);
    }
    for (size_t i = 0; i < n->n_input; i++) {
        if (!n->input[i]) {
            return fail(err, errlen, "node %zu: input %zu missing", idx, i);
        }
    }
    for (size_t i = 0; i < n->n_output; i++) {
        if (!n->output[i]) {
            return fail(err, errlen, "node %zu: output %zu missing", idx, i);
        }
    }
    for (size_t i = 0; i < n->n_attribute; i++) {
        const Onnx__AttributeProto *a = n->attribute[i];
        if (!a || !a->name || !a->name[0]) {
            return fail(err, errlen, "node %zu: attribute %zu has no name",
                        idx, i);
        }
        if (a->has_s && a->s.len && !a->s.data) {
            return fail(err, errlen, "node %zu: attribute %s: bad string",
                        idx, a->name);
        }
    }
    return 0;
}

struct onnx_model *onnx_model_parse(const void *buf, size_t len, char *err,
                                    size_t errlen)
{
    struct onnx_model *m;
    const Onnx__GraphProto *g;

    if (len > ONNX_MAX_FILE) {
        fail(err, errlen, "%zu bytes, above the %u limit", len,
             ONNX_MAX_FILE);
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    m->proto = onnx__model_proto__unpack(NULL, len, buf);
    if (!m->proto) {
        fail(err, errlen, "not a valid ModelProto");
        goto bad;
    }
    g = m->proto->graph;
    if (!g) {
        fail(err, errlen, "model has no graph");
        goto bad;
    }
    for (size_t i = 0; i < g->n_node; i++) {
        if (check_node(g->node[i], i, err, errlen)) {
            goto bad;
        }
    }
    for (size_t i = 0; i < g->n_input; i++) {
        if (!g->input[i] || !g->input[i]->name) {
            fail(err, errlen, "graph input %zu has no name", i);
            goto bad;
        }
    }
    for (size_t i = 0; i < g->n_output; i++) {
        if (!g->output[i] || !g->output[i]->name) {
            fail(err, errlen, "graph output %zu has no name", i);
            goto bad;
        }
    }
    for (size_t i = 0; i < m->proto->n_opset_import; i++) {
        if (!m->proto->opset_import[i]) {
            fail(err, errlen, "opset_import %zu empty", i);
            goto bad;
        }
    }
    return m;
bad:
    onnx_model_free(m);
    return NULL;
}

struct onnx_model *onnx_model_load(const char *path, char *err,
                                   size_t errlen)
{
    size_t len;
    void *buf = onnx_read_file(path, &len, err, errlen);
    struct onnx_model *m;

    if (!buf) {
        return NULL;
    }
    m = onnx_model_parse(buf, len, err, errlen);
    free(buf);
    return m;
}

void onnx_model_free(struct onnx_model *m)
{
    if (!m) {
        return;
    }
    if (m->proto) {
        onnx__model_proto__free_unpacked(m->proto, NULL);
    }
    free(m);
}

const Onnx__ModelProto *onnx_model_proto(const struct onnx_model *m)
{
    return m->proto;
}

const Onnx__GraphProto *onnx_model_graph(const struct onnx_model *m)
{
    return m->proto->graph;
}

int64_t onnx_model_opset(const struct onnx_model *m, const char *domain)
{
    const char *want = domain ? domain : "";

    for (size_t i = 0; i < m->proto->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = m->proto->opset_import[i];
        const char *d = o->domain ? o->domain : "";
        if (strcmp(d, want) == 0 ||
            (!want[0] && strcmp(d, "ai.onnx") == 0)) {
            return o->has_version ? o->version : -1;
        }
    }
    return -1;
}

const Onnx__AttributeProto *onnx_node_attr(const Onnx__NodeProto *node,
                                           const char *name)
{
    for (size_t i = 0; i < node->n_attribute; i++) {
        if (strcmp(node->attribute[i]->name, name) == 0) {
            return node->attribute[i];
        }
    }
    return NULL;
}

const char *onnx_attr_type_name(int type)
{
    switch (type) {
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return "FLOAT";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return "INT";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: return "STRING";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: return "TENSOR";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH: return "GRAPH";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS: return "FLOATS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return "INTS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS: return "STRINGS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSORS: return "TENSORS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPHS: return "GRAPHS";
    default: return "UNDEFINED";
    }
}
