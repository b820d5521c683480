/* SPDX-License-Identifier: MIT */
/*
 * --singleop: CANN's single-operator description (a JSON array of OpDesc:
 * "op", optional "name", "input_desc" and "output_desc" arrays of
 * TensorDesc {format, shape, type, optional is_const + const_value}, an
 * optional "attr" array of {name, type, value}) into one .om per op: the
 * op's inputs and outputs are the model's, constant inputs its weights,
 * one task. The file is named "name".om, or as CANN names it:
 * <index>_<op>_ then dtype_format_dims per input and output, all joined
 * by '_' (0_Add_3_2_3_3_3_2_3_3_3_2_3_3.om for three int32 ND [3,3]).
 *
 * An input with "type": "UNDEFINED" (or "format": "RESERVED") is an
 * omitted optional input. Shapes are static (-1 dims are refused).
 * Operands and attributes are the op library's (docs/ops.md), which takes
 * the CANN spellings; the one CANN meaning translated here is the order
 * of 4-element pads.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aop.h"
#include "atc.h"
#include "atc_json.h"

#define MAX_OPERANDS    32
#define MAX_ATTRS       32

struct desc {
    bool omitted;
    uint32_t dtype, format, ndim;
    int64_t dims[ATC_MAX_DIMS];
    void *data;             /* const_value, converted */
    uint64_t size;
};

static const struct {
    const char *name;
    uint32_t dt;
} dtypes[] = {
    { "float", 0 }, { "float32", 0 }, { "float16", 1 }, { "int8", 2 },
    { "int32", 3 }, { "uint8", 4 }, { "int16", 6 }, { "uint16", 7 },
    { "uint32", 8 }, { "int64", 9 }, { "uint64", 10 }, { "double", 11 },
    { "bool", 12 }, { "bfloat16", 27 },
};

static int parse_dtype(const char *s, uint32_t *dt)
{
    for (size_t i = 0; i < sizeof(dtypes) / sizeof(dtypes[0]); i++) {
        if (!strcmp(s, dtypes[i].name)) {
            *dt = dtypes[i].dt;
            return 0;
        }
    }
    return -1;
}

/* A const_value element into @dt at @p. */
static void put_value(void *p, uint32_t dt, double v)
{
    switch (dt) {
    case 0: { float f = (float)v; memcpy(p, &f, 4); break; }
    case 1: { uint16_t h = aop_f32_to_f16((float)v); memcpy(p, &h, 2);
              break; }
    case 27: { uint16_t h = aop_f32_to_bf16((float)v); memcpy(p, &h, 2);
               break; }
    case 11: memcpy(p, &v, 8); break;
    case 2: { int8_t x = (int8_t)v; memcpy(p, &x, 1); break; }
    case 4: case 12: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
    case 6: case 7: { int16_t x = (int16_t)v; memcpy(p, &x, 2); break; }
    case 3: case 8: { int32_t x = (int32_t)v; memcpy(p, &x, 4); break; }
    default: { int64_t x = (int64_t)v; memcpy(p, &x, 8); break; }
    }
}

static int parse_desc(const struct json *j, const char *what, struct desc *d,
                      struct atc_err *e)
{
    const struct json *ty = json_get(j, "type"), *fm = json_get(j, "format");
    const struct json *sh = json_get(j, "shape"), *ic = json_get(j,
                                                                "is_const");
    const struct json *cv = json_get(j, "const_value");
    int64_t n;

    memset(d, 0, sizeof(*d));
    if (!j || j->type != JSON_OBJECT) {
        return atc_fail(e, "%s: not an object", what);
    }
    if ((ty && ty->type == JSON_STRING && !strcmp(ty->str, "UNDEFINED")) ||
        (fm && fm->type == JSON_STRING && !strcmp(fm->str, "RESERVED"))) {
        d->omitted = true;
        return 0;
    }
    if (!ty || ty->type != JSON_STRING || parse_dtype(ty->str, &d->dtype)) {
        return atc_fail(e, "%s.type: %s%s%s is not a data type (float, "
                        "float16, int32, ...)", what, ty && ty->str ? "'" : "",
                        ty && ty->str ? ty->str : "missing",
                        ty && ty->str ? "'" : "");
    }
    if (!fm || fm->type != JSON_STRING) {
        return atc_fail(e, "%s.format: missing", what);
    }
    if (!strcmp(fm->str, "NCHW")) {
        d->format = 0;
    } else if (!strcmp(fm->str, "NHWC")) {
        d->format = 1;
    } else if (!strcmp(fm->str, "ND")) {
        d->format = 2;
    } else {
        return atc_fail(e, "%s.format: '%s' not supported (NCHW, NHWC, ND)",
                        what, fm->str);
    }
    if (!sh || sh->type != JSON_ARRAY || sh->n > ATC_MAX_DIMS) {
        return atc_fail(e, "%s.shape: an array of at most %d dims", what,
                        ATC_MAX_DIMS);
    }
    d->ndim = (uint32_t)sh->n;
    for (size_t i = 0; i < sh->n; i++) {
        const struct json *v = &sh->items[i];
        if (v->type != JSON_NUMBER || !v->is_int || v->i < 0 ||
            v->i > (1LL << 40)) {
            return atc_fail(e, "%s.shape[%zu]: dims are integers >= 0 "
                            "(dynamic shapes are not supported)", what, i);
        }
        d->dims[i] = v->i;
    }
    n = atc_elems(d->ndim, d->dims);
    if (n < 0) {
        return atc_fail(e, "%s.shape: too many elements", what);
    }
    d->size = (uint64_t)n * atc_dtype_size(d->dtype);
    if (ic && ic->type == JSON_BOOL && ic->b) {
        if (!cv || cv->type != JSON_ARRAY || (int64_t)cv->n != n) {
            return atc_fail(e, "%s.const_value: %" PRId64 " numbers needed",
                            what, n);
        }
        d->data = calloc(1, d->size ? d->size : 1);
        if (!d->data) {
            return atc_fail(e, "out of memory");
        }
        for (int64_t i = 0; i < n; i++) {
            const struct json *v = &cv->items[i];
            if (v->type != JSON_NUMBER && v->type != JSON_BOOL) {
                return atc_fail(e, "%s.const_value[%" PRId64 "]: not a "
                                "number", what, i);
            }
            put_value((char *)d->data + i * atc_dtype_size(d->dtype),
                      d->dtype, v->type == JSON_BOOL ? v->b : v->num);
        }
    }
    return 0;
}

struct attr_buf {
    struct om_b_attr a[MAX_ATTRS];
    void *data[MAX_ATTRS];
    uint32_t n;
};

static int parse_attr(const struct json *j, size_t k, struct attr_buf *ab,
                      struct atc_err *e)
{
    const struct json *nm = json_get(j, "name"), *ty = json_get(j, "type");
    const struct json *v = json_get(j, "value");
    struct om_b_attr *a = &ab->a[ab->n];
    bool list;
    const char *base;
    size_t cnt;

    if (!nm || nm->type != JSON_STRING || !ty || ty->type != JSON_STRING ||
        !v) {
        return atc_fail(e, "attr[%zu]: needs name, type and value", k);
    }
    if (ab->n == MAX_ATTRS) {
        return atc_fail(e, "more than %d attributes", MAX_ATTRS);
    }
    list = !strncmp(ty->str, "list_", 5);
    base = list ? ty->str + 5 : ty->str;
    if (list && v->type != JSON_ARRAY) {
        return atc_fail(e, "attr '%s': %s needs an array", nm->str, ty->str);
    }
    cnt = list ? v->n : 1;
    a->name = nm->str;
    a->count = (uint32_t)cnt;
    if (!strcmp(base, "string") && !list) {
        if (v->type != JSON_STRING) {
            return atc_fail(e, "attr '%s': a string is needed", nm->str);
        }
        a->type = OM_ATTR_STRING;
        a->count = (uint32_t)strlen(v->str);
        a->data = v->str;
        ab->n++;
        return 0;
    }
    ab->data[ab->n] = calloc(cnt ? cnt : 1, 8);
    if (!ab->data[ab->n]) {
        return atc_fail(e, "out of memory");
    }
    a->data = ab->data[ab->n];
    for (size_t i = 0; i < cnt; i++) {
        const struct json *x = list ? &v->items[i] : v;
        if (!strcmp(base, "bool")) {
            if (x->type != JSON_BOOL) {
                return atc_fail(e, "attr '%s': true or false needed",
                                nm->str);
            }
            a->type = OM_ATTR_BOOL;
            ((uint8_t *)ab->data[ab->n])[i] = x->b;
        } else if (!strcmp(base, "int")) {
            if (x->type != JSON_NUMBER || !x->is_int) {
                return atc_fail(e, "attr '%s': integers needed", nm->str);
            }
            a->type = OM_ATTR_INT;
            ((int64_t *)ab->data[ab->n])[i] = x->i;
        } else if (!strcmp(base, "float")) {
            if (x->type != JSON_NUMBER) {
                return atc_fail(e, "attr '%s': numbers needed", nm->str);
            }
            a->type = OM_ATTR_FLOAT;
            ((float *)ab->data[ab->n])[i] = (float)x->num;
        } else if (!strcmp(base, "data_type")) {
            uint32_t dt;
            if (x->type != JSON_STRING || parse_dtype(x->str, &dt)) {
                return atc_fail(e, "attr '%s': a data type name needed",
                                nm->str);
            }
            a->type = OM_ATTR_INT;
            ((int64_t *)ab->data[ab->n])[i] = dt;
        } else {
            return atc_fail(e, "attr '%s': type '%s' not supported (bool, "
                            "int, float, string, data_type, list_ of the "
                            "first four)", nm->str, ty->str);
        }
    }
    if (!cnt) {
        a->type = !strcmp(base, "float") ? OM_ATTR_FLOAT :
                  !strcmp(base, "bool") ? OM_ATTR_BOOL : OM_ATTR_INT;
    }
    ab->n++;
    return 0;
}

/*
 * CANN's Conv2D, Conv2DTranspose and pooling ops give 4 pads as top,
 * bottom, left, right; the op library takes ONNX's order, all begins then
 * all ends (docs/ops.md): top, left, bottom, right.
 */
static void cann_pads(const char *op, struct om_b_attr *a)
{
    static const char *const ops[] = { "Conv2D", "Conv2DTranspose",
                                       "Deconvolution", "MaxPoolV3",
                                       "AvgPoolV2" };
    int64_t *p = (int64_t *)a->data, t;

    if (strcmp(a->name, "pads") || a->type != OM_ATTR_INT || a->count != 4) {
        return;
    }
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (!strcmp(op, ops[i])) {
            t = p[1];       /* t b l r -> t l b r */
            p[1] = p[2];
            p[2] = t;
            return;
        }
    }
}

static size_t name_desc(char *o, size_t len, const struct desc *d)
{
    size_t k = (size_t)snprintf(o, len, "_%u_%u", d->dtype, d->format);

    for (uint32_t i = 0; i < d->ndim && k < len; i++) {
        k += (size_t)snprintf(o + k, len - k, "_%" PRId64, d->dims[i]);
    }
    return k;
}

static int io_for(struct om_builder *b, const struct desc *d, uint32_t ti,
                  const char *name, bool input)
{
    struct om_io io = { 0 };

    io.name_off = om_b_string(b, name);
    io.dtype = d->dtype;
    io.format = d->format;
    io.ndim = d->ndim;
    memcpy(io.dims, d->dims, d->ndim * sizeof(int64_t));
    io.size = d->size;
    io.tensor = ti;
    return input ? om_b_input(b, &io) : om_b_output(b, &io);
}

static int one_op(const struct json *op, size_t index, const char *outdir,
                  const struct atc_opts *o, struct atc_err *e)
{
    const struct json *ty = json_get(op, "op"), *nm = json_get(op, "name");
    const struct json *ind = json_get(op, "input_desc");
    const struct json *outd = json_get(op, "output_desc");
    const struct json *at = json_get(op, "attr");
    struct desc in[MAX_OPERANDS], out[MAX_OPERANDS];
    uint32_t tin[MAX_OPERANDS], tout[MAX_OPERANDS], nin = 0, nout = 0;
    uint32_t nmin = 0, id;
    struct attr_buf ab = { .n = 0 };
    struct om_builder *b = NULL;
    char path[4096], what[64];
    size_t k;
    void *buf = NULL;
    size_t len;
    int rc = -1;

    memset(in, 0, sizeof(in));
    memset(out, 0, sizeof(out));
    if (!op || op->type != JSON_OBJECT || !ty || ty->type != JSON_STRING) {
        return atc_fail(e, "op %zu: an object with \"op\" is needed", index);
    }
    id = aop_find_cann(ty->str);
    if (!id) {
        return atc_fail(e, "op %zu: '%s' is not in the op table (CANN op "
                        "types such as Add, MatMulV2, Conv2D, SoftmaxV2)",
                        index, ty->str);
    }
    if (!ind || ind->type != JSON_ARRAY || !outd ||
        outd->type != JSON_ARRAY || ind->n > MAX_OPERANDS ||
        outd->n > MAX_OPERANDS || !outd->n) {
        return atc_fail(e, "op %zu (%s): input_desc and output_desc arrays "
                        "needed (1..%d outputs)", index, ty->str,
                        MAX_OPERANDS);
    }
    for (k = 0; k < ind->n; k++) {
        snprintf(what, sizeof(what), "op %zu input_desc[%zu]", index, k);
        if (parse_desc(&ind->items[k], what, &in[k], e)) {
            goto out;
        }
        nin++;
    }
    for (k = 0; k < outd->n; k++) {
        snprintf(what, sizeof(what), "op %zu output_desc[%zu]", index, k);
        if (parse_desc(&outd->items[k], what, &out[k], e)) {
            goto out;
        }
        nout++;
        if (out[k].omitted || out[k].data) {
            atc_fail(e, "%s: outputs cannot be omitted or constant", what);
            goto out;
        }
    }
    if (at && at->type != JSON_ARRAY) {
        atc_fail(e, "op %zu: attr must be an array", index);
        goto out;
    }
    for (k = 0; at && k < at->n; k++) {
        if (parse_attr(&at->items[k], k, &ab, e)) {
            goto out;
        }
        cann_pads(ty->str, &ab.a[ab.n - 1]);
    }
    b = om_builder_new();
    if (!b) {
        atc_fail(e, "out of memory");
        goto out;
    }
    om_b_set_name(b, ty->str);
    om_b_set_soc(b, o->soc_version);
    for (k = 0; k < nin; k++) {
        struct om_tensor t = { 0 };
        char iname[32];
        if (in[k].omitted) {
            tin[k] = OM_NO_TENSOR;
            continue;
        }
        snprintf(iname, sizeof(iname), "x%zu", k);
        t.name_off = om_b_string(b, iname);
        t.dtype = in[k].dtype;
        t.format = in[k].format;
        t.ndim = in[k].ndim;
        memcpy(t.dims, in[k].dims, in[k].ndim * sizeof(int64_t));
        t.size = in[k].size;
        t.base = OM_NO_TENSOR;
        if (in[k].data) {
            t.placement = OM_PLACE_WEIGHT;
            if (om_b_weights(b, in[k].data, in[k].size, &t.offset)) {
                atc_fail(e, "out of memory");
                goto out;
            }
        } else {
            t.placement = OM_PLACE_INPUT;
            t.index = nmin;
        }
        tin[k] = om_b_tensor(b, &t);
        if (!in[k].data && io_for(b, &in[k], tin[k], iname, true)) {
            atc_fail(e, "out of memory");
            goto out;
        }
        nmin += !in[k].data;
    }
    for (k = 0; k < nout; k++) {
        struct om_tensor t = { 0 };
        char oname[32];
        snprintf(oname, sizeof(oname), "y%zu", k);
        t.name_off = om_b_string(b, oname);
        t.dtype = out[k].dtype;
        t.format = out[k].format;
        t.ndim = out[k].ndim;
        memcpy(t.dims, out[k].dims, out[k].ndim * sizeof(int64_t));
        t.size = out[k].size;
        t.base = OM_NO_TENSOR;
        t.placement = OM_PLACE_OUTPUT;
        t.index = (uint32_t)k;
        tout[k] = om_b_tensor(b, &t);
        if (io_for(b, &out[k], tout[k], oname, false)) {
            atc_fail(e, "out of memory");
            goto out;
        }
    }
    if (om_b_task(b, id, nm && nm->type == JSON_STRING ? nm->str : ty->str,
                  tin, nin, tout, nout, ab.a, ab.n) ||
        om_b_finish(b, &buf, &len)) {
        atc_fail(e, "out of memory");
        goto out;
    }
    if (atc_check_om(buf, len, e)) {
        char pre[160];
        size_t pl = (size_t)snprintf(pre, sizeof(pre), "op %zu (%s): ",
                                     index, ty->str);
        size_t ml = strlen(e->msg);
        pl = pl < sizeof(pre) ? pl : sizeof(pre) - 1;
        if (ml > sizeof(e->msg) - 1 - pl) {
            ml = sizeof(e->msg) - 1 - pl;
        }
        memmove(e->msg + pl, e->msg, ml);
        memcpy(e->msg, pre, pl);
        e->msg[pl + ml] = 0;
        goto out;
    }
    if (nm && nm->type == JSON_STRING && nm->str[0]) {
        if (strchr(nm->str, '/')) {
            atc_fail(e, "op %zu: name '%s' must not hold '/'", index,
                     nm->str);
            goto out;
        }
        snprintf(path, sizeof(path), "%s/%s.om", outdir, nm->str);
    } else {
        size_t p = (size_t)snprintf(path, sizeof(path), "%s/%zu_%s", outdir,
                                    index, ty->str);
        for (k = 0; k < nin && p < sizeof(path); k++) {
            if (!in[k].omitted) {
                p += name_desc(path + p, sizeof(path) - p, &in[k]);
            }
        }
        for (k = 0; k < nout && p < sizeof(path); k++) {
            p += name_desc(path + p, sizeof(path) - p, &out[k]);
        }
        if (p + 4 >= sizeof(path)) {
            atc_fail(e, "op %zu: file name too long", index);
            goto out;
        }
        strcat(path, ".om");
    }
    if (om_write_file(path, buf, len, e->msg, sizeof(e->msg))) {
        goto out;
    }
    ATC_INFO("op %zu (%s): wrote %s", index, ty->str, path);
    rc = 0;
out:
    for (k = 0; k < MAX_OPERANDS; k++) {
        free(in[k].data);
    }
    for (k = 0; k < ab.n; k++) {
        free(ab.data[k]);
    }
    free(buf);
    om_builder_free(b);
    return rc;
}

int atc_singleop(const char *json_path, const char *outdir,
                 const struct atc_opts *o, struct atc_err *e)
{
    char why[256];
    size_t len;
    char *text = om_read_file(json_path, &len, why, sizeof(why));
    struct json *j;
    int rc = 0;

    if (!text) {
        return atc_fail(e, "--singleop: %s", why);
    }
    j = json_parse(text, len, why, sizeof(why));
    free(text);
    if (!j) {
        return atc_fail(e, "--singleop: %s: %s", json_path, why);
    }
    if (j->type != JSON_ARRAY || !j->n) {
        json_free(j);
        return atc_fail(e, "--singleop: %s: a non-empty array of op "
                        "descriptions is expected", json_path);
    }
    if (mkdir(outdir, 0755) && errno != EEXIST) {
        json_free(j);
        return atc_fail(e, "--output=%s: %s", outdir, strerror(errno));
    }
    for (size_t i = 0; i < j->n && !rc; i++) {
        rc = one_op(&j->items[i], i, outdir, o, e);
    }
    if (!rc) {
        ATC_INFO("%zu single-op models in %s", j->n, outdir);
    }
    json_free(j);
    return rc;
}
