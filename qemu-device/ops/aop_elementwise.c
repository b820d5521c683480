/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Elementwise binary ops with numpy broadcasting (Add, Sub, Mul, RealDiv,
 * Pow, Maximum, Minimum, Equal, Greater, Less) and Select/Where.
 *
 * Float dtypes compute in fp32 (fp16/bf16 inputs widened, the result
 * rounded once); integers in int64 and wrap to their width. Integer
 * division truncates toward zero; x / 0 is 0 (a guest's zero never traps
 * the host). Max/Min propagate NaN, like numpy.
 *
 * Reference: one element at a time through the n-d iterator. Fast: fp32
 * rows with unit or zero strides use AVX loops (non-temporal stores when
 * the output is far bigger than the caches); fp16/bf16 rows are converted
 * in chunks to fp32 and run through the same loops.
 */
#include <immintrin.h>
#include <stdlib.h>

#include "aop_internal.h"

/* Outputs larger than this are written with streaming stores. */
#define NT_STORE_BYTES  (32u << 20)
#define CHUNK           256

struct bin_plan {
    struct aop_nd nd;           /* operands: 0 out, 1 a, 2 b */
    int64_t n;
    uint32_t passes;            /* variadic Max/Min: one per extra input */
    uint32_t dt_a, dt_b, dt_o;
    bool stream;
};

struct bin_row {
    const struct aop_launch *l;
    const struct bin_plan *p;
    const struct aop_nd *nd;
    const char *a, *b;
    char *o;
    uint32_t dt_a, dt_b;
    bool fast;
};

/* ---- scalar semantics (the reference) ---- */

static float bin_f(int kind, float a, float b)
{
    switch (kind) {
    case AOP_BIN_ADD:
        return a + b;
    case AOP_BIN_SUB:
        return a - b;
    case AOP_BIN_MUL:
        return a * b;
    case AOP_BIN_DIV:
        return a / b;
    case AOP_BIN_POW:
        return powf(a, b);
    case AOP_BIN_MAX:
        return (a != a || b != b) ? NAN : (a > b ? a : b);
    case AOP_BIN_MIN:
        return (a != a || b != b) ? NAN : (a < b ? a : b);
    case AOP_BIN_EQUAL:
        return a == b;
    case AOP_BIN_GREATER:
        return a > b;
    case AOP_BIN_LESS:
        return a < b;
    default:
        return 0;
    }
}

static int64_t ipow(int64_t base, int64_t e)
{
    uint64_t r = 1, b = (uint64_t)base;

    if (e < 0) {
        /* Integer results of a negative power: 1, -1 or 0. */
        if (base == 1) {
            return 1;
        }
        if (base == -1) {
            return (e & 1) ? -1 : 1;
        }
        return 0;
    }
    while (e) {
        if (e & 1) {
            r *= b;
        }
        b *= b;
        e >>= 1;
    }
    return (int64_t)r;
}

static int64_t bin_i(int kind, int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

    switch (kind) {
    case AOP_BIN_ADD:
        return (int64_t)(ua + ub);
    case AOP_BIN_SUB:
        return (int64_t)(ua - ub);
    case AOP_BIN_MUL:
        return (int64_t)(ua * ub);
    case AOP_BIN_DIV:
        if (b == 0) {
            return 0;
        }
        if (a == INT64_MIN && b == -1) {
            return INT64_MIN;
        }
        return a / b;
    case AOP_BIN_POW:
        return ipow(a, b);
    case AOP_BIN_MAX:
        return a > b ? a : b;
    case AOP_BIN_MIN:
        return a < b ? a : b;
    case AOP_BIN_EQUAL:
        return a == b;
    case AOP_BIN_GREATER:
        return a > b;
    case AOP_BIN_LESS:
        return a < b;
    default:
        return 0;
    }
}

static void row_ref(const struct bin_row *r, const int64_t *offs, int64_t n)
{
    int kind = r->l->op->kind;
    const struct aop_nd *nd = r->nd;
    uint32_t last = nd->ndim - 1;
    int64_t so = nd->strides[0][last], sa = nd->strides[1][last];
    int64_t sb = nd->strides[2][last];
    uint32_t dt_o = r->p->dt_o;
    bool flt = aop_dt_is_float(r->dt_a);

    for (int64_t i = 0; i < n; i++) {
        int64_t io = offs[0] + i * so, ia = offs[1] + i * sa;
        int64_t ib = offs[2] + i * sb;
        if (flt) {
            float v = bin_f(kind, aop_ld_f(r->a, ia, r->dt_a),
                            aop_ld_f(r->b, ib, r->dt_b));
            aop_st_f(r->o, io, dt_o, v);
        } else if (kind == AOP_BIN_POW && aop_dt_is_float(r->dt_b)) {
            /* int base, float exponent: ONNX keeps the base's type */
            double v = pow((double)aop_ld_i(r->a, ia, r->dt_a),
                           aop_ld_d(r->b, ib, r->dt_b));
            aop_st_d(r->o, io, dt_o, v);
        } else {
            int64_t v = bin_i(kind, aop_ld_i(r->a, ia, r->dt_a),
                              aop_ld_i(r->b, ib, r->dt_b));
            aop_st_i(r->o, io, dt_o, v);
        }
    }
}

/* ---- fast fp32 loops ---- */

static bool have_avx2(void)
{
    /* Computed once per process; threads may race to store the same value. */
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);

    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") != 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

__attribute__((target("avx2")))
static inline __m256 v_op(int kind, __m256 a, __m256 b)
{
    __m256 nan, r;

    switch (kind) {
    case AOP_BIN_ADD:
        return _mm256_add_ps(a, b);
    case AOP_BIN_SUB:
        return _mm256_sub_ps(a, b);
    case AOP_BIN_MUL:
        return _mm256_mul_ps(a, b);
    case AOP_BIN_DIV:
        return _mm256_div_ps(a, b);
    case AOP_BIN_MAX:
    case AOP_BIN_MIN:
        /* max_ps returns b when either is NaN; put NaN back */
        r = kind == AOP_BIN_MAX ? _mm256_max_ps(a, b) : _mm256_min_ps(a, b);
        nan = _mm256_cmp_ps(a, b, _CMP_UNORD_Q);
        return _mm256_blendv_ps(r, _mm256_add_ps(a, b), nan);
    default:
        return a;
    }
}

/* o[i] = a[i*sa] op b[i*sb], sa and sb in {0, 1}. */
__attribute__((target("avx2")))
static void f32_avx(int kind, float *o, const float *a, int64_t sa,
                    const float *b, int64_t sb, int64_t n, bool stream)
{
    int64_t i = 0;
    __m256 va = _mm256_set1_ps(a[0]), vb = _mm256_set1_ps(b[0]);

    if (stream) {
        /* streaming stores need 32-byte alignment */
        for (; i < n && ((uintptr_t)(o + i) & 31); i++) {
            o[i] = bin_f(kind, a[i * sa], b[i * sb]);
        }
        for (; i + 8 <= n; i += 8) {
            if (sa) {
                va = _mm256_loadu_ps(a + i);
            }
            if (sb) {
                vb = _mm256_loadu_ps(b + i);
            }
            _mm256_stream_ps(o + i, v_op(kind, va, vb));
        }
        _mm_sfence();
    } else {
        for (; i + 8 <= n; i += 8) {
            if (sa) {
                va = _mm256_loadu_ps(a + i);
            }
            if (sb) {
                vb = _mm256_loadu_ps(b + i);
            }
            _mm256_storeu_ps(o + i, v_op(kind, va, vb));
        }
    }
    for (; i < n; i++) {
        o[i] = bin_f(kind, a[i * sa], b[i * sb]);
    }
}

static void f32_plain(int kind, float *o, const float *a, int64_t sa,
                      const float *b, int64_t sb, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        o[i] = bin_f(kind, a[i * sa], b[i * sb]);
    }
}

static bool fast_kind(int kind)
{
    return kind <= AOP_BIN_DIV || kind == AOP_BIN_MAX || kind == AOP_BIN_MIN;
}

static void f32_run(int kind, float *o, const float *a, int64_t sa,
                    const float *b, int64_t sb, int64_t n, bool stream)
{
    if (fast_kind(kind) && have_avx2()) {
        f32_avx(kind, o, a, sa, b, sb, n, stream);
    } else {
        f32_plain(kind, o, a, sa, b, sb, n);
    }
}

static void gather_f32(const char *p, uint32_t dt, int64_t s, float *dst,
                       int64_t n)
{
    size_t es = aop_dtype_size(dt);

    if (s == 1) {
        aop_to_f32_n(p, dt, dst, n);
    } else if (s == 0) {
        float v = aop_ld_f(p, 0, dt);
        for (int64_t i = 0; i < n; i++) {
            dst[i] = v;
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            dst[i] = aop_ld_f(p + (size_t)(i * s) * es, 0, dt);
        }
    }
}

static void row_fast(const struct bin_row *r, const int64_t *offs, int64_t n)
{
    int kind = r->l->op->kind;
    const struct aop_nd *nd = r->nd;
    uint32_t last = nd->ndim - 1;
    int64_t so = nd->strides[0][last], sa = nd->strides[1][last];
    int64_t sb = nd->strides[2][last];
    uint32_t dt = r->dt_a;
    size_t es = aop_dtype_size(dt);
    float ba[CHUNK], bb[CHUNK], bo[CHUNK];

    if (!aop_dt_is_float(dt) || r->dt_b != dt || r->p->dt_o != dt ||
        so != 1 || !fast_kind(kind)) {
        row_ref(r, offs, n);
        return;
    }
    if (dt == AOP_DT_FLOAT && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
        f32_run(kind, (float *)(void *)r->o + offs[0],
                (const float *)(const void *)r->a + offs[1], sa,
                (const float *)(const void *)r->b + offs[2], sb, n,
                r->p->stream);
        return;
    }
    for (int64_t i = 0; i < n; i += CHUNK) {
        int64_t m = n - i < CHUNK ? n - i : CHUNK;
        gather_f32(r->a + (size_t)(offs[1] + i * sa) * es, dt, sa, ba, m);
        gather_f32(r->b + (size_t)(offs[2] + i * sb) * es, dt, sb, bb, m);
        f32_run(kind, bo, ba, 1, bb, 1, m, false);
        aop_from_f32_n(bo, r->o + (size_t)(offs[0] + i) * es, dt, m);
    }
}

static void bin_row_cb(void *arg, const int64_t *offs, int64_t n)
{
    const struct bin_row *r = arg;

    if (r->fast) {
        row_fast(r, offs, n);
    } else {
        row_ref(r, offs, n);
    }
}

/* ---- prepare / run ---- */

static int bin_prepare(struct aop_launch *l)
{
    int kind = l->op->kind;
    bool variadic = kind == AOP_BIN_MAX || kind == AOP_BIN_MIN;
    bool cmp = kind >= AOP_BIN_EQUAL;
    uint64_t mask = AOP_DTM_FLOATS | AOP_DTM_INTS;
    struct bin_plan *p;
    int ops[AOP_MAX_TENSORS];
    int64_t dims[AOP_MAX_DIMS];
    uint32_t ndim;
    int rc;

    if (!variadic && l->nin != 2) {
        return aop_fail(l, AOP_E_OPERANDS, AOP_OPERAND_NONE,
                        "%u inputs, expected 2", l->nin);
    }
    if (kind == AOP_BIN_EQUAL) {
        mask |= AOP_DTM(AOP_DT_BOOL);
    }
    for (uint32_t i = 0; i < l->nin; i++) {
        if (!aop_has_in(l, i)) {
            return aop_fail(l, AOP_E_OPERANDS, AOP_IN(i), "omitted");
        }
        rc = aop_want_dtype(l, AOP_IN(i), mask);
        if (rc) {
            return rc;
        }
        if (i > 0 && kind != AOP_BIN_POW) {
            rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(i));
            if (rc) {
                return rc;
            }
        }
        ops[i] = AOP_IN(i);
    }
    rc = aop_want_dtype(l, AOP_OUT(0), cmp ? AOP_DTM(AOP_DT_BOOL)
                                           : AOP_DTM(l->in[0].dtype));
    if (rc) {
        return rc;
    }
    rc = aop_broadcast(l, ops, l->nin, dims, &ndim);
    if (rc) {
        return rc;
    }
    rc = aop_want_out_shape(l, 0, ndim, dims);
    if (rc) {
        return rc;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->n = aop_numel(&l->out[0]);
    p->passes = l->nin > 1 ? l->nin - 1 : 1;
    p->dt_a = l->in[0].dtype;
    p->dt_b = l->nin > 1 ? l->in[1].dtype : l->in[0].dtype;
    p->dt_o = l->out[0].dtype;
    p->stream = p->n * (int64_t)aop_dtype_size(p->dt_o) > NT_STORE_BYTES;
    l->tiles = aop_flat_tiles(p->n);
    return AOP_OK;
}

static int bin_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct bin_plan *p = l->priv;
    const struct aop_tensor *out = &l->out[0];

    for (uint32_t pass = 0; pass < p->passes; pass++) {
        /* Pass k > 0 of a variadic Max/Min folds input k+1 into out. */
        const struct aop_tensor *a = pass ? out : &l->in[0];
        const struct aop_tensor *b = l->nin > 1 ? &l->in[pass + 1]
                                                : &l->in[0];
        struct bin_row r = {
            .l = l, .p = p, .a = a->data, .b = b->data, .o = out->data,
            .dt_a = a->dtype, .dt_b = b->dtype, .fast = !l->reference,
        };
        struct aop_nd nd = { .ndim = out->ndim, .nops = 3 };

        memcpy(nd.dims, out->dims, sizeof(nd.dims));
        aop_nd_set(&nd, 0, out);
        aop_nd_set(&nd, 1, a);
        aop_nd_set(&nd, 2, b);
        if (l->nin == 1) {
            /* Max(x) = x: x op x is x for max and min */
            r.b = a->data;
        }
        aop_nd_coalesce(&nd);
        r.nd = &nd;
        for (uint32_t t = first; t < end; t++) {
            int64_t b0, b1;
            aop_flat_range(p->n, l->tiles, t, &b0, &b1);
            aop_nd_walk(&nd, b0, b1, bin_row_cb, &r);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_binary = {
    .prepare = bin_prepare,
    .run = bin_run,
};

/* ---- Select / Where ---- */

struct where_row {
    const struct aop_nd *nd;
    const uint8_t *c;
    const char *x, *y;
    char *o;
    size_t es;
};

static void where_row_cb(void *arg, const int64_t *offs, int64_t n)
{
    const struct where_row *r = arg;
    uint32_t last = r->nd->ndim - 1;
    int64_t so = r->nd->strides[0][last], sc = r->nd->strides[1][last];
    int64_t sx = r->nd->strides[2][last], sy = r->nd->strides[3][last];

    for (int64_t i = 0; i < n; i++) {
        bool c = r->c[offs[1] + i * sc] != 0;
        const char *src = c ? r->x + (size_t)(offs[2] + i * sx) * r->es
                            : r->y + (size_t)(offs[3] + i * sy) * r->es;
        memcpy(r->o + (size_t)(offs[0] + i * so) * r->es, src, r->es);
    }
}

static int where_prepare(struct aop_launch *l)
{
    int ops[3] = { AOP_IN(0), AOP_IN(1), AOP_IN(2) };
    int64_t dims[AOP_MAX_DIMS];
    uint32_t ndim;
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM(AOP_DT_BOOL));
    if (!rc) {
        rc = aop_want_dtype(l, AOP_IN(1), AOP_DTM_ALL);
    }
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(1), AOP_IN(2));
    }
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(1), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_broadcast(l, ops, 3, dims, &ndim);
    }
    if (!rc) {
        rc = aop_want_out_shape(l, 0, ndim, dims);
    }
    if (rc) {
        return rc;
    }
    l->tiles = aop_flat_tiles(aop_numel(&l->out[0]));
    return AOP_OK;
}

static int where_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct aop_tensor *out = &l->out[0];
    struct aop_nd nd = { .ndim = out->ndim, .nops = 4 };
    struct where_row r = {
        .nd = &nd, .c = l->in[0].data, .x = l->in[1].data,
        .y = l->in[2].data, .o = out->data,
        .es = aop_dtype_size(out->dtype),
    };
    int64_t n = aop_numel(out);

    memcpy(nd.dims, out->dims, sizeof(nd.dims));
    aop_nd_set(&nd, 0, out);
    for (uint32_t k = 0; k < 3; k++) {
        aop_nd_set(&nd, k + 1, &l->in[k]);
    }
    aop_nd_coalesce(&nd);
    for (uint32_t t = first; t < end; t++) {
        int64_t b0, b1;
        aop_flat_range(n, l->tiles, t, &b0, &b1);
        aop_nd_walk(&nd, b0, b1, where_row_cb, &r);
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_where = {
    .prepare = where_prepare,
    .run = where_run,
};
