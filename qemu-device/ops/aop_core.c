/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop core: launch lifecycle, operand and attribute checks, the n-d
 * iterator and the tile spreader. Nothing op-specific lives here.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "aop_internal.h"

/* ---- names ---- */

const char *aop_status_name(int status)
{
    static const char *const names[] = {
        [AOP_OK] = "ok",
        [AOP_E_UNKNOWN_OP] = "unknown op",
        [AOP_E_OPERANDS] = "bad operand count",
        [AOP_E_DTYPE] = "bad dtype",
        [AOP_E_FORMAT] = "bad format",
        [AOP_E_SHAPE] = "bad shape",
        [AOP_E_ATTR] = "bad attribute",
        [AOP_E_SIZE] = "bad size",
        [AOP_E_VALUE] = "bad value",
        [AOP_E_UNSUPPORTED] = "unsupported",
        [AOP_E_NOMEM] = "out of memory",
        [AOP_E_INTERNAL] = "internal error",
    };
    if (status < 0 || (size_t)status >= sizeof(names) / sizeof(names[0]) ||
        !names[status]) {
        return "?";
    }
    return names[status];
}

const char *aop_dtype_name(uint32_t dt)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        return "float32";
    case AOP_DT_FLOAT16:
        return "float16";
    case AOP_DT_INT8:
        return "int8";
    case AOP_DT_INT32:
        return "int32";
    case AOP_DT_UINT8:
        return "uint8";
    case AOP_DT_INT16:
        return "int16";
    case AOP_DT_UINT16:
        return "uint16";
    case AOP_DT_UINT32:
        return "uint32";
    case AOP_DT_INT64:
        return "int64";
    case AOP_DT_UINT64:
        return "uint64";
    case AOP_DT_DOUBLE:
        return "double";
    case AOP_DT_BOOL:
        return "bool";
    case AOP_DT_BF16:
        return "bfloat16";
    case AOP_DT_NONE:
        return "none";
    default:
        return "unknown";
    }
}

size_t aop_dtype_size(uint32_t dt)
{
    switch (dt) {
    case AOP_DT_INT8: case AOP_DT_UINT8: case AOP_DT_BOOL:
        return 1;
    case AOP_DT_FLOAT16: case AOP_DT_BF16: case AOP_DT_INT16:
    case AOP_DT_UINT16:
        return 2;
    case AOP_DT_FLOAT: case AOP_DT_INT32: case AOP_DT_UINT32:
        return 4;
    case AOP_DT_INT64: case AOP_DT_UINT64: case AOP_DT_DOUBLE:
        return 8;
    default:
        return 0;
    }
}

int64_t aop_shape_elems(uint32_t ndim, const int64_t *dims)
{
    int64_t n = 1;
    if (ndim > AOP_MAX_DIMS) {
        return -1;
    }
    for (uint32_t i = 0; i < ndim; i++) {
        if (dims[i] < 0) {
            return -1;
        }
        if (dims[i] == 0) {
            n = 0;
            continue;
        }
        if (n > INT64_MAX / dims[i]) {
            return -1;
        }
        n *= dims[i];
    }
    return n;
}

void aop_tensor_init(struct aop_tensor *t, void *data, uint32_t dtype,
                     uint32_t ndim, const int64_t *dims)
{
    int64_t n;

    memset(t, 0, sizeof(*t));
    t->data = data;
    t->dtype = dtype;
    t->format = AOP_FMT_ND;
    t->ndim = ndim > AOP_MAX_DIMS ? AOP_MAX_DIMS : ndim;
    for (uint32_t i = 0; i < t->ndim; i++) {
        t->dims[i] = dims[i];
    }
    n = aop_shape_elems(t->ndim, t->dims);
    if (n >= 0 && aop_dtype_size(dtype) &&
        (uint64_t)n <= UINT64_MAX / aop_dtype_size(dtype)) {
        t->size = (uint64_t)n * aop_dtype_size(dtype);
    }
}

const char *aop_shape_str(uint32_t ndim, const int64_t *dims, char *buf,
                          size_t len)
{
    size_t o = 0;
    int w;

    if (len == 0) {
        return buf;
    }
    buf[0] = 0;
    w = snprintf(buf, len, "[");
    o = w > 0 ? (size_t)w : 0;
    for (uint32_t i = 0; i < ndim && i < AOP_MAX_DIMS && o < len; i++) {
        w = snprintf(buf + o, len - o, "%s%" PRId64, i ? "," : "", dims[i]);
        if (w < 0) {
            break;
        }
        o += (size_t)w;
    }
    if (o < len) {
        snprintf(buf + o, len - o, "]");
    }
    return buf;
}

const char *aop_operand_str(int operand, char *buf, size_t len)
{
    if (operand == AOP_OPERAND_NONE) {
        snprintf(buf, len, "op");
    } else if (operand >= AOP_OPERAND_OUT) {
        snprintf(buf, len, "output %d", operand - AOP_OPERAND_OUT);
    } else {
        snprintf(buf, len, "input %d", operand);
    }
    return buf;
}

int aop_fail(struct aop_launch *l, int status, int operand, const char *fmt,
             ...)
{
    char what[32];
    size_t o;
    va_list ap;
    int w;

    l->err.status = status;
    l->err.operand = operand;
    w = snprintf(l->err.msg, sizeof(l->err.msg), "%s: ", l->name);
    if (operand != AOP_OPERAND_NONE && w > 0 &&
        (size_t)w < sizeof(l->err.msg)) {
        w += snprintf(l->err.msg + w, sizeof(l->err.msg) - (size_t)w, "%s: ",
                      aop_operand_str(operand, what, sizeof(what)));
    }
    o = w > 0 ? (size_t)w : 0;
    if (o < sizeof(l->err.msg)) {
        va_start(ap, fmt);
        vsnprintf(l->err.msg + o, sizeof(l->err.msg) - o, fmt, ap);
        va_end(ap);
    }
    return status;
}

static void set_err(struct aop_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(struct aop_error *err, int status, const char *fmt, ...)
{
    va_list ap;

    if (!err) {
        return;
    }
    err->status = status;
    err->operand = AOP_OPERAND_NONE;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

/* ---- attributes ---- */

static int attr_find(struct aop_launch *l, const char *name,
                     const char *alias)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *want = pass ? alias : name;
        if (!want) {
            continue;
        }
        for (uint32_t i = 0; i < l->nattrs; i++) {
            if (strcmp(l->attrs[i].name, want) == 0) {
                l->attr_used |= 1ull << i;
                return (int)i;
            }
        }
    }
    return -1;
}

bool aop_attr_has(const struct aop_launch *l, const char *name)
{
    for (uint32_t i = 0; i < l->nattrs; i++) {
        if (strcmp(l->attrs[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static int attr_bad(struct aop_launch *l, const struct aop_attr *a,
                    const char *why)
{
    return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE, "attribute '%s': %s",
                    a->name, why);
}

int aop_attr_int(struct aop_launch *l, const char *name, const char *alias,
                 int64_t def, int64_t *out)
{
    int i = attr_find(l, name, alias);
    const struct aop_attr *a;

    *out = def;
    if (i < 0) {
        return AOP_OK;
    }
    a = &l->attrs[i];
    if (a->count != 1) {
        return attr_bad(l, a, "expected one value");
    }
    if (a->type == AOP_ATTR_INT) {
        *out = ((const int64_t *)a->data)[0];
    } else if (a->type == AOP_ATTR_BOOL) {
        *out = ((const uint8_t *)a->data)[0] != 0;
    } else {
        return attr_bad(l, a, "expected an int");
    }
    return AOP_OK;
}

int aop_attr_float(struct aop_launch *l, const char *name, const char *alias,
                   float def, float *out)
{
    int i = attr_find(l, name, alias);
    const struct aop_attr *a;

    *out = def;
    if (i < 0) {
        return AOP_OK;
    }
    a = &l->attrs[i];
    if (a->count != 1) {
        return attr_bad(l, a, "expected one value");
    }
    if (a->type == AOP_ATTR_FLOAT) {
        *out = ((const float *)a->data)[0];
    } else if (a->type == AOP_ATTR_INT) {
        *out = (float)((const int64_t *)a->data)[0];
    } else {
        return attr_bad(l, a, "expected a float");
    }
    return AOP_OK;
}

int aop_attr_ints(struct aop_launch *l, const char *name, const char *alias,
                  int64_t *out, uint32_t max, uint32_t *count)
{
    int i = attr_find(l, name, alias);
    const struct aop_attr *a;

    *count = 0;
    if (i < 0) {
        return AOP_OK;
    }
    a = &l->attrs[i];
    if (a->type != AOP_ATTR_INT && a->type != AOP_ATTR_BOOL) {
        return attr_bad(l, a, "expected ints");
    }
    if (a->count > max) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute '%s': %u values, at most %u", a->name,
                        a->count, max);
    }
    for (uint32_t k = 0; k < a->count; k++) {
        out[k] = a->type == AOP_ATTR_INT ? ((const int64_t *)a->data)[k]
                                         : ((const uint8_t *)a->data)[k] != 0;
    }
    *count = a->count;
    return AOP_OK;
}

int aop_attr_floats(struct aop_launch *l, const char *name, const char *alias,
                    float *out, uint32_t max, uint32_t *count)
{
    int i = attr_find(l, name, alias);
    const struct aop_attr *a;

    *count = 0;
    if (i < 0) {
        return AOP_OK;
    }
    a = &l->attrs[i];
    if (a->type != AOP_ATTR_FLOAT && a->type != AOP_ATTR_INT) {
        return attr_bad(l, a, "expected floats");
    }
    if (a->count > max) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute '%s': %u values, at most %u", a->name,
                        a->count, max);
    }
    for (uint32_t k = 0; k < a->count; k++) {
        out[k] = a->type == AOP_ATTR_FLOAT ? ((const float *)a->data)[k]
                 : (float)((const int64_t *)a->data)[k];
    }
    *count = a->count;
    return AOP_OK;
}

int aop_attr_string(struct aop_launch *l, const char *name, const char *alias,
                    char *buf, size_t len, const char *def)
{
    int i = attr_find(l, name, alias);
    const struct aop_attr *a;
    size_t n;

    if (i < 0) {
        snprintf(buf, len, "%s", def);
        return AOP_OK;
    }
    a = &l->attrs[i];
    if (a->type != AOP_ATTR_STRING) {
        return attr_bad(l, a, "expected a string");
    }
    n = a->count;
    /* Strings may arrive NUL-padded: stop at the first NUL. */
    n = strnlen(a->data, n);
    if (n >= len) {
        return attr_bad(l, a, "string too long");
    }
    memcpy(buf, a->data, n);
    buf[n] = 0;
    return AOP_OK;
}

/* ---- operands ---- */

const struct aop_tensor *aop_operand(const struct aop_launch *l, int operand)
{
    if (operand >= AOP_OPERAND_OUT) {
        return &l->out[operand - AOP_OPERAND_OUT];
    }
    return &l->in[operand];
}

int aop_want_dtype(struct aop_launch *l, int operand, uint64_t mask)
{
    const struct aop_tensor *t = aop_operand(l, operand);

    if (!aop_dt_in(t->dtype, mask)) {
        return aop_fail(l, AOP_E_DTYPE, operand, "dtype %s not supported",
                        aop_dtype_name(t->dtype));
    }
    return AOP_OK;
}

int aop_want_same_dtype(struct aop_launch *l, int a, int b)
{
    const struct aop_tensor *ta = aop_operand(l, a);
    const struct aop_tensor *tb = aop_operand(l, b);
    char what[32];

    if (ta->dtype != tb->dtype) {
        return aop_fail(l, AOP_E_DTYPE, b, "dtype %s differs from %s's %s",
                        aop_dtype_name(tb->dtype),
                        aop_operand_str(a, what, sizeof(what)),
                        aop_dtype_name(ta->dtype));
    }
    return AOP_OK;
}

int aop_want_out_shape(struct aop_launch *l, uint32_t i, uint32_t ndim,
                       const int64_t *dims)
{
    const struct aop_tensor *t = &l->out[i];
    char have[96], want[96];
    bool same = t->ndim == ndim;

    for (uint32_t k = 0; same && k < ndim; k++) {
        same = t->dims[k] == dims[k];
    }
    if (!same) {
        return aop_fail(l, AOP_E_SHAPE, AOP_OUT(i),
                        "shape %s, but the op produces %s",
                        aop_shape_str(t->ndim, t->dims, have, sizeof(have)),
                        aop_shape_str(ndim, dims, want, sizeof(want)));
    }
    return AOP_OK;
}

int aop_want_contiguous(struct aop_launch *l, int operand)
{
    if (aop_operand(l, operand)->flags & AOP_TENSOR_STRIDED) {
        return aop_fail(l, AOP_E_FORMAT, operand,
                        "must be contiguous for this op");
    }
    return AOP_OK;
}

int aop_want_rank(struct aop_launch *l, int operand, uint32_t lo, uint32_t hi)
{
    const struct aop_tensor *t = aop_operand(l, operand);

    if (t->ndim < lo || t->ndim > hi) {
        if (lo == hi) {
            return aop_fail(l, AOP_E_SHAPE, operand, "rank %u, expected %u",
                            t->ndim, lo);
        }
        return aop_fail(l, AOP_E_SHAPE, operand, "rank %u, expected %u..%u",
                        t->ndim, lo, hi);
    }
    return AOP_OK;
}

int aop_axis(struct aop_launch *l, const char *what, int64_t a, uint32_t rank,
             uint32_t *out)
{
    int64_t r = rank;

    if (a < -r || a >= r || (r == 0)) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "%s %" PRId64 " out of range for rank %u", what, a,
                        rank);
    }
    *out = (uint32_t)(a < 0 ? a + r : a);
    return AOP_OK;
}

int aop_read_ints(struct aop_launch *l, int operand, int64_t *out,
                  uint32_t max, uint32_t *count)
{
    const struct aop_tensor *t = aop_operand(l, operand);
    int64_t n;

    if (t->dtype != AOP_DT_INT64 && t->dtype != AOP_DT_INT32) {
        return aop_fail(l, AOP_E_DTYPE, operand,
                        "dtype %s, expected int32 or int64",
                        aop_dtype_name(t->dtype));
    }
    if (t->ndim > 1) {
        return aop_fail(l, AOP_E_SHAPE, operand, "rank %u, expected 0 or 1",
                        t->ndim);
    }
    if (t->flags & AOP_TENSOR_STRIDED) {
        return aop_want_contiguous(l, operand);
    }
    n = aop_numel(t);
    if (n > max) {
        return aop_fail(l, AOP_E_SHAPE, operand,
                        "%" PRId64 " values, at most %u", n, max);
    }
    for (int64_t i = 0; i < n; i++) {
        out[i] = aop_ld_i(t->data, i, t->dtype);
    }
    *count = (uint32_t)n;
    return AOP_OK;
}

int aop_read_scalar(struct aop_launch *l, int operand, double *out)
{
    const struct aop_tensor *t = aop_operand(l, operand);

    if (aop_numel(t) != 1) {
        return aop_fail(l, AOP_E_SHAPE, operand,
                        "%" PRId64 " elements, expected one", aop_numel(t));
    }
    if (t->flags & AOP_TENSOR_STRIDED) {
        return aop_want_contiguous(l, operand);
    }
    *out = aop_ld_d(t->data, 0, t->dtype);
    return AOP_OK;
}

/* The checks every operand gets before the op's own. */
static int check_tensor(struct aop_launch *l, int operand,
                        const struct aop_tensor *t)
{
    char buf[96];
    size_t es;
    int64_t n;
    uint64_t reach;

    if (t->dtype == AOP_DT_NONE) {
        return AOP_OK;  /* omitted; the op decides whether it may be */
    }
    es = aop_dtype_size(t->dtype);
    if (!es) {
        return aop_fail(l, AOP_E_DTYPE, operand, "unknown dtype %u",
                        t->dtype);
    }
    if (t->format != AOP_FMT_NCHW && t->format != AOP_FMT_NHWC &&
        t->format != AOP_FMT_ND && t->format != AOP_FMT_UNDEFINED) {
        return aop_fail(l, AOP_E_FORMAT, operand,
                        "format %u not supported (NCHW, NHWC, ND only)",
                        t->format);
    }
    if (t->ndim > AOP_MAX_DIMS) {
        return aop_fail(l, AOP_E_SHAPE, operand, "rank %u above %d", t->ndim,
                        AOP_MAX_DIMS);
    }
    if (t->flags & ~AOP_TENSOR_STRIDED) {
        return aop_fail(l, AOP_E_FORMAT, operand, "unknown flags 0x%x",
                        t->flags);
    }
    for (uint32_t i = 0; i < t->ndim; i++) {
        if (t->dims[i] < 0) {
            return aop_fail(l, AOP_E_SHAPE, operand,
                            "dims[%u] is %" PRId64 ", negative", i,
                            t->dims[i]);
        }
        if (t->dims[i] == 0 && !(l->op->flags & AOP_OPF_EMPTY_OK) &&
            !(operand > 0 && operand < AOP_OPERAND_OUT &&
              (l->op->flags & AOP_OPF_EMPTY_PARAMS))) {
            return aop_fail(l, AOP_E_SHAPE, operand,
                            "dims[%u] is 0: empty tensors are not supported "
                            "by this op", i);
        }
    }
    n = aop_shape_elems(t->ndim, t->dims);
    if (n < 0 || n > AOP_MAX_ELEMS) {
        return aop_fail(l, AOP_E_SIZE, operand,
                        "shape %s has too many elements (limit 2^40)",
                        aop_shape_str(t->ndim, t->dims, buf, sizeof(buf)));
    }
    if (t->flags & AOP_TENSOR_STRIDED) {
        bool output = operand >= AOP_OPERAND_OUT;
        if (output || !(l->op->flags & AOP_OPF_STRIDED_OK)) {
            return aop_fail(l, AOP_E_FORMAT, operand,
                            "strided tensors are not supported here");
        }
        /* Furthest element reached, checked against size below. */
        reach = 0;
        for (uint32_t i = 0; i < t->ndim && n > 0; i++) {
            if (t->strides[i] < 0 || t->strides[i] > AOP_MAX_ELEMS) {
                return aop_fail(l, AOP_E_FORMAT, operand,
                                "strides[%u] is %" PRId64 ", out of range",
                                i, t->strides[i]);
            }
            reach += (uint64_t)(t->dims[i] - 1) * (uint64_t)t->strides[i];
        }
        reach = n > 0 ? reach + 1 : 0;
    } else {
        reach = (uint64_t)n;
    }
    /* reach <= 2^40 * 2^8 and es <= 8: no overflow */
    if (reach * es > t->size) {
        return aop_fail(l, AOP_E_SIZE, operand,
                        "%" PRIu64 " bytes needed for shape %s of %s, buffer "
                        "has %" PRIu64, reach * es,
                        aop_shape_str(t->ndim, t->dims, buf, sizeof(buf)),
                        aop_dtype_name(t->dtype), t->size);
    }
    if (reach && !t->data) {
        return aop_fail(l, AOP_E_SIZE, operand, "no data");
    }
    return AOP_OK;
}

/* ---- launch ---- */

/* Bytes of every operand present: what a streaming op reads and writes. */
static uint64_t operand_bytes(const struct aop_launch *l)
{
    uint64_t n = 0;

    for (uint32_t i = 0; i < l->nin; i++) {
        n += l->in[i].size;
    }
    for (uint32_t i = 0; i < l->nout; i++) {
        n += l->out[i].size;
    }
    return n;
}

void aop_set_work(struct aop_launch *l, uint64_t work_ns)
{
    uint64_t grain = l->ctx.grain_ns ? l->ctx.grain_ns : AOP_GRAIN_NS;
    uint64_t t = work_ns / grain;

    l->work_ns = work_ns ? work_ns : 1;
    if (t > l->ctx.threads) {
        t = l->ctx.threads;
    }
    l->threads = t < 1 ? 1 : (uint32_t)t;
}

int aop_prepare(const struct aop_ctx *ctx, uint32_t op_id,
                const struct aop_tensor *in, uint32_t nin,
                const struct aop_tensor *out, uint32_t nout,
                const struct aop_attr *attrs, uint32_t nattrs,
                struct aop_launch **launch, struct aop_error *err)
{
    const struct aop_op *op = aop_op_find(op_id);
    struct aop_launch *l;
    int rc;

    *launch = NULL;
    if (!op) {
        set_err(err, AOP_E_UNKNOWN_OP, "op id %u: no such op", op_id);
        return AOP_E_UNKNOWN_OP;
    }
    if (!ctx || ctx->threads < 1 || ctx->threads > AOP_MAX_THREADS) {
        set_err(err, AOP_E_UNSUPPORTED, "%s: thread count %u not in 1..%d",
                op->info.cann, ctx ? ctx->threads : 0, AOP_MAX_THREADS);
        return AOP_E_UNSUPPORTED;
    }
    if (nin + nout > AOP_MAX_TENSORS || nin > AOP_MAX_TENSORS ||
        nout > AOP_MAX_TENSORS) {
        set_err(err, AOP_E_OPERANDS, "%s: %u inputs + %u outputs, at most %d",
                op->info.cann, nin, nout, AOP_MAX_TENSORS);
        return AOP_E_OPERANDS;
    }
    if (nattrs > AOP_MAX_ATTRS) {
        set_err(err, AOP_E_ATTR, "%s: %u attributes, at most %d",
                op->info.cann, nattrs, AOP_MAX_ATTRS);
        return AOP_E_ATTR;
    }
    l = calloc(1, sizeof(*l));
    if (!l) {
        set_err(err, AOP_E_NOMEM, "%s: out of memory", op->info.cann);
        return AOP_E_NOMEM;
    }
    l->op = op;
    l->ctx = *ctx;
    l->name = op->info.cann;
    l->reference = ctx->reference;
    l->nin = nin;
    l->nout = nout;
    if (nin) {
        memcpy(l->in, in, nin * sizeof(*in));
    }
    if (nout) {
        memcpy(l->out, out, nout * sizeof(*out));
    }
    l->attrs = attrs;
    l->nattrs = nattrs;
    l->tiles = 1;

    if (nin < op->min_in || nin > op->max_in) {
        rc = aop_fail(l, AOP_E_OPERANDS, AOP_OPERAND_NONE,
                      "%u inputs, expected %u..%u", nin, op->min_in,
                      op->max_in);
        goto fail;
    }
    if (nout < op->min_out || nout > op->max_out) {
        rc = aop_fail(l, AOP_E_OPERANDS, AOP_OPERAND_NONE,
                      "%u outputs, expected %u..%u", nout, op->min_out,
                      op->max_out);
        goto fail;
    }
    for (uint32_t i = 0; i < nattrs; i++) {
        if (!attrs[i].name || (attrs[i].count && !attrs[i].data)) {
            rc = aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                          "attribute %u has no name or data", i);
            goto fail;
        }
        if (attrs[i].type < AOP_ATTR_INT || attrs[i].type > AOP_ATTR_STRING) {
            rc = aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                          "attribute '%s': unknown type %u", attrs[i].name,
                          attrs[i].type);
            goto fail;
        }
    }
    for (uint32_t i = 0; i < nin; i++) {
        rc = check_tensor(l, AOP_IN(i), &l->in[i]);
        if (rc) {
            goto fail;
        }
    }
    for (uint32_t i = 0; i < nout; i++) {
        if (l->out[i].dtype == AOP_DT_NONE) {
            continue;   /* an optional output not wanted */
        }
        rc = check_tensor(l, AOP_OUT(i), &l->out[i]);
        if (rc) {
            goto fail;
        }
    }
    /* Mandatory inputs must be present. */
    for (uint32_t i = 0; i < op->min_in && i < nin; i++) {
        if (l->in[i].dtype == AOP_DT_NONE) {
            rc = aop_fail(l, AOP_E_OPERANDS, AOP_IN(i), "required, omitted");
            goto fail;
        }
    }
    if (nout && l->out[0].dtype == AOP_DT_NONE) {
        rc = aop_fail(l, AOP_E_OPERANDS, AOP_OUT(0), "required, omitted");
        goto fail;
    }
    /* A streaming op's cost; ops that compute more per byte say so. */
    aop_set_work(l, operand_bytes(l) / AOP_BYTES_PER_NS);
    rc = op->impl->prepare(l);
    if (rc) {
        goto fail;
    }
    for (uint32_t i = 0; i < nattrs; i++) {
        if (!(l->attr_used & (1ull << i))) {
            rc = aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                          "unknown attribute '%s'", attrs[i].name);
            goto fail;
        }
    }
    if (l->tiles < 1 || l->tiles > AOP_MAX_TILES) {
        rc = aop_fail(l, AOP_E_INTERNAL, AOP_OPERAND_NONE, "%u tiles",
                      l->tiles);
        goto fail;
    }
    if (!l->self_threaded && l->threads > l->tiles) {
        l->threads = l->tiles;
    }
    l->attrs = NULL;
    l->nattrs = 0;
    *launch = l;
    if (err) {
        memset(err, 0, sizeof(*err));
        err->operand = AOP_OPERAND_NONE;
    }
    return AOP_OK;

fail:
    if (err) {
        *err = l->err;
    }
    aop_launch_free(l);
    return rc;
}

uint32_t aop_launch_tiles(const struct aop_launch *l)
{
    return l->tiles;
}

bool aop_launch_self_threaded(const struct aop_launch *l)
{
    return l->self_threaded;
}

uint32_t aop_launch_threads(const struct aop_launch *l)
{
    return l->threads;
}

bool aop_launch_is_reference(const struct aop_launch *l)
{
    return l->reference;
}

int aop_launch_run(struct aop_launch *l, uint32_t first, uint32_t count,
                   struct aop_error *err)
{
    int rc;

    if (first > l->tiles || count > l->tiles - first) {
        set_err(err, AOP_E_INTERNAL, "%s: tiles %u+%u outside 0..%u",
                l->name, first, count, l->tiles);
        return AOP_E_INTERNAL;
    }
    if (!count) {
        return AOP_OK;
    }
    rc = l->op->impl->run(l, first, first + count);
    if (rc && err) {
        /*
         * Runs may race on l->err: only a failing run copies it, and every
         * run that fails writes the same kind of message.
         */
        *err = l->err;
    }
    return rc;
}

void aop_launch_free(struct aop_launch *l)
{
    if (!l) {
        return;
    }
    if (l->op && l->op->impl->cleanup) {
        l->op->impl->cleanup(l);
    }
    free(l->priv);
    free(l);
}

struct run_all {
    struct aop_launch *l;
};

static int run_range(void *arg, uint32_t first, uint32_t end)
{
    struct run_all *ra = arg;

    return ra->l->op->impl->run(ra->l, first, end);
}

int aop_run(const struct aop_ctx *ctx, uint32_t op_id,
            const struct aop_tensor *in, uint32_t nin,
            const struct aop_tensor *out, uint32_t nout,
            const struct aop_attr *attrs, uint32_t nattrs,
            struct aop_error *err)
{
    struct aop_launch *l;
    struct run_all ra;
    int rc;

    rc = aop_prepare(ctx, op_id, in, nin, out, nout, attrs, nattrs, &l, err);
    if (rc) {
        return rc;
    }
    ra.l = l;
    if (l->self_threaded || l->tiles == 1 || l->threads == 1) {
        rc = l->op->impl->run(l, 0, l->tiles);
    } else {
        rc = aop_parallel(l->threads, l->tiles, run_range, &ra);
    }
    if (rc && err) {
        *err = l->err;
    }
    aop_launch_free(l);
    return rc;
}

/* ---- threads ---- */

struct par_job {
    aop_range_fn fn;
    void *arg;
    uint32_t first, end;
    int rc;
};

static void *par_thread(void *p)
{
    struct par_job *j = p;

    j->rc = j->fn(j->arg, j->first, j->end);
    return NULL;
}

int aop_parallel(uint32_t threads, uint32_t n, aop_range_fn fn, void *arg)
{
    struct par_job jobs[AOP_MAX_THREADS];
    pthread_t tid[AOP_MAX_THREADS];
    bool started[AOP_MAX_THREADS] = { false };
    uint32_t t, k;
    int rc = AOP_OK;

    if (threads > n) {
        threads = n;
    }
    if (threads > AOP_MAX_THREADS) {
        threads = AOP_MAX_THREADS;
    }
    if (threads <= 1) {
        return n ? fn(arg, 0, n) : AOP_OK;
    }
    for (t = 0; t < threads; t++) {
        jobs[t].fn = fn;
        jobs[t].arg = arg;
        jobs[t].first = (uint32_t)((uint64_t)n * t / threads);
        jobs[t].end = (uint32_t)((uint64_t)n * (t + 1) / threads);
        jobs[t].rc = AOP_OK;
    }
    /* Thread 0's share runs here; a thread that cannot start runs here too. */
    for (k = 1; k < threads; k++) {
        started[k] = pthread_create(&tid[k], NULL, par_thread, &jobs[k]) == 0;
    }
    par_thread(&jobs[0]);
    for (k = 1; k < threads; k++) {
        if (started[k]) {
            pthread_join(tid[k], NULL);
        } else {
            par_thread(&jobs[k]);
        }
    }
    for (t = 0; t < threads; t++) {
        if (jobs[t].rc && !rc) {
            rc = jobs[t].rc;
        }
    }
    return rc;
}

/* ---- n-d iteration ---- */

void aop_nd_set(struct aop_nd *nd, uint32_t k, const struct aop_tensor *t)
{
    int64_t s = 1;
    uint32_t off = nd->ndim - t->ndim;

    for (uint32_t i = 0; i < nd->ndim; i++) {
        nd->strides[k][i] = 0;
    }
    for (int i = (int)t->ndim - 1; i >= 0; i--) {
        int64_t st = (t->flags & AOP_TENSOR_STRIDED) ? t->strides[i] : s;
        nd->strides[k][off + (uint32_t)i] = t->dims[i] == 1 ? 0 : st;
        s *= t->dims[i];
    }
}

void aop_nd_coalesce(struct aop_nd *nd)
{
    uint32_t o = 0;

    /* Drop size-1 dims, then merge neighbours contiguous for all operands. */
    for (uint32_t i = 0; i < nd->ndim; i++) {
        if (nd->dims[i] == 1 && nd->ndim > 1) {
            continue;
        }
        nd->dims[o] = nd->dims[i];
        for (uint32_t k = 0; k < nd->nops; k++) {
            nd->strides[k][o] = nd->strides[k][i];
        }
        o++;
    }
    if (o == 0) {
        nd->dims[0] = 1;
        for (uint32_t k = 0; k < nd->nops; k++) {
            nd->strides[k][0] = 0;
        }
        o = 1;
    }
    nd->ndim = o;
    o = 0;
    for (uint32_t i = 1; i < nd->ndim; i++) {
        bool merge = true;
        for (uint32_t k = 0; k < nd->nops; k++) {
            if (nd->strides[k][o] != nd->strides[k][i] * nd->dims[i]) {
                merge = false;
                break;
            }
        }
        if (merge) {
            nd->dims[o] *= nd->dims[i];
            for (uint32_t k = 0; k < nd->nops; k++) {
                nd->strides[k][o] = nd->strides[k][i];
            }
        } else {
            o++;
            nd->dims[o] = nd->dims[i];
            for (uint32_t k = 0; k < nd->nops; k++) {
                nd->strides[k][o] = nd->strides[k][i];
            }
        }
    }
    nd->ndim = o + 1;
}

void aop_nd_walk(const struct aop_nd *nd, int64_t begin, int64_t end,
                 aop_row_fn fn, void *arg)
{
    int64_t coord[AOP_MAX_DIMS];
    int64_t offs[AOP_ND_MAX_OPS];
    uint32_t last;
    int64_t rem, pos;

    if (begin >= end || nd->ndim == 0) {
        if (begin < end) {
            for (uint32_t k = 0; k < nd->nops; k++) {
                offs[k] = 0;
            }
            fn(arg, offs, end - begin);
        }
        return;
    }
    last = nd->ndim - 1;
    rem = begin;
    for (int i = (int)last; i >= 0; i--) {
        coord[i] = rem % nd->dims[i];
        rem /= nd->dims[i];
    }
    pos = begin;
    while (pos < end) {
        int64_t n = nd->dims[last] - coord[last];
        if (n > end - pos) {
            n = end - pos;
        }
        for (uint32_t k = 0; k < nd->nops; k++) {
            int64_t o = 0;
            for (uint32_t i = 0; i <= last; i++) {
                o += coord[i] * nd->strides[k][i];
            }
            offs[k] = o;
        }
        fn(arg, offs, n);
        pos += n;
        coord[last] += n;
        for (int i = (int)last; i > 0 && coord[i] >= nd->dims[i]; i--) {
            coord[i] = 0;
            coord[i - 1]++;
        }
    }
}

int aop_broadcast(struct aop_launch *l, const int *ops, uint32_t nops,
                  int64_t *dims, uint32_t *ndim)
{
    uint32_t nd = 0;
    char a[96], b[96];

    for (uint32_t k = 0; k < nops; k++) {
        const struct aop_tensor *t = aop_operand(l, ops[k]);
        if (t->ndim > nd) {
            nd = t->ndim;
        }
    }
    for (uint32_t i = 0; i < nd; i++) {
        dims[i] = 1;
    }
    for (uint32_t k = 0; k < nops; k++) {
        const struct aop_tensor *t = aop_operand(l, ops[k]);
        uint32_t off = nd - t->ndim;
        for (uint32_t i = 0; i < t->ndim; i++) {
            int64_t d = t->dims[i];
            int64_t *o = &dims[off + i];
            if (d == *o || d == 1) {
                continue;
            }
            if (*o == 1) {
                *o = d;
                continue;
            }
            return aop_fail(l, AOP_E_SHAPE, ops[k],
                            "shape %s does not broadcast with %s",
                            aop_shape_str(t->ndim, t->dims, a, sizeof(a)),
                            aop_shape_str(nd, dims, b, sizeof(b)));
        }
    }
    *ndim = nd;
    return AOP_OK;
}

uint32_t aop_flat_tiles(int64_t n)
{
    int64_t t = (n + AOP_TILE_ELEMS - 1) / AOP_TILE_ELEMS;

    if (t < 1) {
        t = 1;
    }
    if (t > AOP_MAX_TILES) {
        t = AOP_MAX_TILES;
    }
    return (uint32_t)t;
}

void aop_flat_range(int64_t n, uint32_t tiles, uint32_t t, int64_t *begin,
                    int64_t *end)
{
    /* n <= 2^40, tiles <= 2^12: the products fit. */
    *begin = n * t / tiles;
    *end = n * (t + 1) / tiles;
}
