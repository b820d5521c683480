/* SPDX-License-Identifier: MIT */
/*
 * Randomised tests: every op, per dtype, on shapes chosen for edge cases
 * (ones, primes, broadcasting, strided views, sizes that span many tiles),
 * run through the fast path with 3 threads and through the reference path
 * with 1, and compared. Sums over K terms (matmul, conv) are allowed K-ish
 * more rounding (see cross()). Deterministic: a fixed seed.
 */
#include <stdint.h>

#include "ops_test.h"
#include "tap.h"

#define MAXIO 8

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double urand(double lo, double hi)
{
    return lo + (hi - lo) * (double)(rnd() >> 11) / (double)(1ull << 53);
}

static void fill(struct aop_tensor *t, double lo, double hi)
{
    int64_t n = aop_shape_elems(t->ndim, t->dims);

    for (int64_t i = 0; i < n; i++) {
        double v = urand(lo, hi);
        switch (t->dtype) {
        case AOP_DT_FLOAT: ((float *)t->data)[i] = (float)v; break;
        case AOP_DT_DOUBLE: ((double *)t->data)[i] = v; break;
        case AOP_DT_FLOAT16:
            ((uint16_t *)t->data)[i] = aop_f32_to_f16((float)v);
            break;
        case AOP_DT_BF16:
            ((uint16_t *)t->data)[i] = aop_f32_to_bf16((float)v);
            break;
        case AOP_DT_INT8: ((int8_t *)t->data)[i] = (int8_t)v; break;
        case AOP_DT_UINT8: ((uint8_t *)t->data)[i] = (uint8_t)(v < 0 ? -v : v);
            break;
        case AOP_DT_INT32: ((int32_t *)t->data)[i] = (int32_t)v; break;
        case AOP_DT_INT64: ((int64_t *)t->data)[i] = (int64_t)v; break;
        case AOP_DT_BOOL: ((uint8_t *)t->data)[i] = v > 0; break;
        default: break;
        }
    }
}

/* A random tensor of @ndim dims given as varargs. */
static struct aop_tensor T(uint32_t dt, double lo, double hi, uint32_t ndim,
                           ...)
{
    struct aop_tensor t;
    int64_t d[AOP_MAX_DIMS];
    va_list ap;

    va_start(ap, ndim);
    for (uint32_t i = 0; i < ndim; i++) {
        d[i] = va_arg(ap, int);
    }
    va_end(ap);
    tens_alloc(&t, dt, ndim, d);
    fill(&t, lo, hi);
    return t;
}

/* An int64 parameter tensor. */
static struct aop_tensor P(uint32_t n, const int64_t *v)
{
    struct aop_tensor t;
    int64_t d = n;

    tens_alloc(&t, AOP_DT_INT64, 1, &d);
    memcpy(t.data, v, n * sizeof(int64_t));
    return t;
}

static struct aop_tensor S(uint32_t dt, uint32_t ndim, ...)
{
    struct aop_tensor t;
    va_list ap;

    memset(&t, 0, sizeof(t));
    t.dtype = dt;
    t.format = AOP_FMT_ND;
    t.ndim = ndim;
    va_start(ap, ndim);
    for (uint32_t i = 0; i < ndim; i++) {
        t.dims[i] = va_arg(ap, int);
    }
    va_end(ap);
    return t;
}

/*
 * Run op @name on @in, outputs shaped like @shape (their data is
 * allocated here), fast (3 threads, however small) and reference (1
 * thread), compare.
 * @scale widens the fp tolerance (sums of many terms).
 */
static void cross(const char *name, struct aop_tensor *in, uint32_t nin,
                  const struct aop_tensor *shape, uint32_t nout,
                  const struct aop_attr *attrs, uint32_t nattrs, double scale,
                  const char *what)
{
    uint32_t id = aop_find_cann(name);
    struct aop_tensor f[MAXIO], r[MAXIO];
    /* grain 1: every launch spreads, so the parallel paths are tested */
    struct aop_ctx fast = { .threads = 3, .reference = false, .grain_ns = 1 };
    struct aop_ctx ref = { .threads = 1, .reference = true };
    struct aop_error ef, er;
    char why[160] = "";
    int rf, rr;
    int64_t bad = 0;

    for (uint32_t i = 0; i < nout; i++) {
        tens_alloc(&f[i], shape[i].dtype, shape[i].ndim, shape[i].dims);
        tens_alloc(&r[i], shape[i].dtype, shape[i].ndim, shape[i].dims);
        f[i].format = r[i].format = shape[i].format;
    }
    rf = aop_run(&fast, id, in, nin, f, nout, attrs, nattrs, &ef);
    rr = aop_run(&ref, id, in, nin, r, nout, attrs, nattrs, &er);
    for (uint32_t i = 0; i < nout && !rf && !rr && !bad; i++) {
        bad = compare(f[i].data, r[i].data, f[i].dtype,
                      aop_shape_elems(f[i].ndim, f[i].dims),
                      tol_for(f[i].dtype, scale), why, sizeof(why));
    }
    TAP_CHECK(!rf && !rr && !bad, "random %s %s%s%s", name, what,
              rf ? ef.msg : rr ? er.msg : "", bad ? why : "");
    for (uint32_t i = 0; i < nout; i++) {
        tens_free(&f[i]);
        tens_free(&r[i]);
    }
}

static void free_all(struct aop_tensor *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        tens_free(&t[i]);
    }
}

static const uint32_t float_dts[] = { AOP_DT_FLOAT, AOP_DT_FLOAT16,
                                      AOP_DT_BF16 };

static void test_binary(void)
{
    static const char *const ops[] = {
        "Add", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow",
        "Equal", "Greater", "Less",
    };
    static const uint32_t dts[] = { AOP_DT_FLOAT, AOP_DT_FLOAT16, AOP_DT_BF16,
                                    AOP_DT_INT32, AOP_DT_INT64, AOP_DT_INT8 };
    char what[96];

    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        bool cmp = o >= 7, pow_op = o == 6;
        for (size_t d = 0; d < sizeof(dts) / sizeof(dts[0]); d++) {
            uint32_t dt = dts[d], odt = cmp ? AOP_DT_BOOL : dt;
            double lo = pow_op ? 0.5 : -50, hi = pow_op ? 3 : 50;
            struct aop_tensor in[2], sh;
            /* same shape, primes */
            in[0] = T(dt, lo, hi, 3, 7, 13, 3);
            in[1] = T(dt, lo, hi, 3, 7, 13, 3);
            sh = S(odt, 3, 7, 13, 3);
            snprintf(what, sizeof(what), "%s 7x13x3", aop_dtype_name(dt));
            cross(ops[o], in, 2, &sh, 1, NULL, 0, 1, what);
            free_all(in, 2);
            /* broadcasting both ways */
            in[0] = T(dt, lo, hi, 3, 5, 1, 7);
            in[1] = T(dt, lo, hi, 2, 3, 1);
            sh = S(odt, 3, 5, 3, 7);
            snprintf(what, sizeof(what), "%s [5,1,7]x[3,1]",
                     aop_dtype_name(dt));
            cross(ops[o], in, 2, &sh, 1, NULL, 0, 1, what);
            free_all(in, 2);
            /* scalar with a big tensor: many tiles */
            in[0] = T(dt, lo, hi, 1, 300007);
            in[1] = T(dt, lo, hi, 0);
            sh = S(odt, 1, 300007);
            snprintf(what, sizeof(what), "%s [300007]x[]", aop_dtype_name(dt));
            cross(ops[o], in, 2, &sh, 1, NULL, 0, 1, what);
            free_all(in, 2);
        }
    }
    {
        /* a strided input: the transpose of a [4,6] view */
        struct aop_tensor in[2], sh;
        in[0] = T(AOP_DT_FLOAT, -1, 1, 2, 6, 4);
        in[0].flags = AOP_TENSOR_STRIDED;
        in[0].strides[0] = 1;
        in[0].strides[1] = 6;
        in[1] = T(AOP_DT_FLOAT, -1, 1, 2, 6, 4);
        sh = S(AOP_DT_FLOAT, 2, 6, 4);
        cross("Add", in, 2, &sh, 1, NULL, 0, 1, "fp32 strided input");
        free_all(in, 2);
        /* variadic Max: 3 inputs */
        struct aop_tensor v[3];
        v[0] = T(AOP_DT_FLOAT, -1, 1, 2, 3, 5);
        v[1] = T(AOP_DT_FLOAT, -1, 1, 1, 5);
        v[2] = T(AOP_DT_FLOAT, -1, 1, 2, 3, 1);
        sh = S(AOP_DT_FLOAT, 2, 3, 5);
        cross("Maximum", v, 3, &sh, 1, NULL, 0, 1, "fp32 3 inputs");
        free_all(v, 3);
        /* big enough for streaming stores (> 32 MiB out) */
        in[0] = T(AOP_DT_FLOAT, -1, 1, 1, 9 << 20);
        in[1] = T(AOP_DT_FLOAT, -1, 1, 1, 9 << 20);
        sh = S(AOP_DT_FLOAT, 1, 9 << 20);
        cross("Add", in, 2, &sh, 1, NULL, 0, 1, "fp32 36 MiB (streaming)");
        free_all(in, 2);
    }
    {
        struct aop_tensor w[3], sh;
        w[0] = T(AOP_DT_BOOL, -1, 1, 2, 4, 1);
        w[1] = T(AOP_DT_FLOAT16, -1, 1, 2, 4, 9);
        w[2] = T(AOP_DT_FLOAT16, -1, 1, 1, 9);
        sh = S(AOP_DT_FLOAT16, 2, 4, 9);
        cross("Select", w, 3, &sh, 1, NULL, 0, 1, "fp16 broadcast");
        free_all(w, 3);
    }
}

static void test_unary(void)
{
    static const char *const ops[] = {
        "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Gelu", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Abs", "Neg",
    };
    char what[64];

    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        bool pos = o >= 9 && o <= 11;   /* Log, Sqrt, Reciprocal */
        for (size_t d = 0; d < 3; d++) {
            uint32_t dt = float_dts[d];
            struct aop_tensor in = T(dt, pos ? 0.1 : -6, 6, 2, 61, 1009);
            struct aop_tensor sh = S(dt, 2, 61, 1009);
            snprintf(what, sizeof(what), "%s 61x1009", aop_dtype_name(dt));
            cross(ops[o], &in, 1, &sh, 1, NULL, 0, 1, what);
            tens_free(&in);
        }
        if (o == 0 || o >= 12) {
            struct aop_tensor in = T(AOP_DT_INT32, -100, 100, 1, 1000);
            struct aop_tensor sh = S(AOP_DT_INT32, 1, 1000);
            cross(ops[o], &in, 1, &sh, 1, NULL, 0, 1, "int32");
            tens_free(&in);
        }
    }
    {
        struct aop_tensor in[3], sh;
        float lo = -0.5f, hi = 0.25f;
        in[0] = T(AOP_DT_FLOAT16, -1, 1, 2, 17, 3);
        aop_tensor_init(&in[1], NULL, AOP_DT_FLOAT16, 0, NULL);
        in[1].data = calloc(1, 2);
        *(uint16_t *)in[1].data = aop_f32_to_f16(lo);
        aop_tensor_init(&in[2], NULL, AOP_DT_FLOAT16, 0, NULL);
        in[2].data = calloc(1, 2);
        *(uint16_t *)in[2].data = aop_f32_to_f16(hi);
        sh = S(AOP_DT_FLOAT16, 2, 17, 3);
        cross("ClipByValue", in, 3, &sh, 1, NULL, 0, 1, "fp16 min max");
        free_all(in, 3);
    }
}

static void test_matmul(void)
{
    char what[96];

    for (size_t d = 0; d < 3; d++) {
        uint32_t dt = float_dts[d];
        struct aop_tensor in[3], sh;
        int64_t t1 = 1;
        struct aop_attr at[2] = { attr_ints("transpose_x1", &t1, 1),
                                  attr_ints("transpose_x2", &t1, 1) };
        in[0] = T(dt, -1, 1, 2, 1, 1);
        in[1] = T(dt, -1, 1, 2, 1, 1);
        sh = S(dt, 2, 1, 1);
        snprintf(what, sizeof(what), "%s 1x1x1", aop_dtype_name(dt));
        cross("MatMul", in, 2, &sh, 1, NULL, 0, 1, what);
        free_all(in, 2);
        in[0] = T(dt, -1, 1, 2, 67, 301);
        in[1] = T(dt, -1, 1, 2, 301, 71);
        in[2] = T(dt, -1, 1, 1, 71);
        sh = S(dt, 2, 67, 71);
        snprintf(what, sizeof(what), "%s 67x301x71 + bias",
                 aop_dtype_name(dt));
        cross("MatMul", in, 3, &sh, 1, NULL, 0, 30, what);
        free_all(in, 3);
        in[0] = T(dt, -1, 1, 4, 2, 1, 13, 5);
        in[1] = T(dt, -1, 1, 3, 3, 7, 13);
        sh = S(dt, 4, 2, 3, 5, 7);
        snprintf(what, sizeof(what), "%s batch broadcast, both transposed",
                 aop_dtype_name(dt));
        cross("BatchMatMul", in, 2, &sh, 1, at, 2, 5, what);
        free_all(in, 2);
        in[0] = T(dt, -1, 1, 1, 13);
        in[1] = T(dt, -1, 1, 3, 2, 13, 6);
        sh = S(dt, 2, 2, 6);
        snprintf(what, sizeof(what), "%s 1-D x batch", aop_dtype_name(dt));
        cross("MatMul", in, 2, &sh, 1, NULL, 0, 5, what);
        free_all(in, 2);
    }
    {
        struct aop_tensor in[3], sh;
        int64_t t1 = 1;
        struct aop_attr at = attr_ints("transpose_x2", &t1, 1);
        in[0] = T(AOP_DT_INT8, -128, 127, 3, 3, 37, 129);
        in[1] = T(AOP_DT_INT8, -128, 127, 2, 41, 129);
        sh = S(AOP_DT_INT32, 3, 3, 37, 41);
        cross("MatMul", in, 2, &sh, 1, &at, 1, 1, "int8 -> int32, B^T");
        free_all(in, 2);
        in[0] = T(AOP_DT_INT8, -128, 127, 2, 19, 77);
        in[1] = T(AOP_DT_INT8, -128, 127, 2, 77, 29);
        in[2] = T(AOP_DT_INT32, -1000, 1000, 1, 29);
        sh = S(AOP_DT_INT32, 2, 19, 29);
        cross("MatMul", in, 3, &sh, 1, NULL, 0, 1, "int8 -> int32 + bias");
        free_all(in, 3);
    }
    for (size_t d = 0; d < 3; d++) {
        uint32_t dt = float_dts[d];
        struct aop_tensor in[3], sh;
        int64_t one = 1;
        float alpha = 0.5f, beta = -2.0f;
        struct aop_attr at[4] = { attr_ints("transA", &one, 1),
                                  attr_ints("transB", &one, 1),
                                  attr_floats("alpha", &alpha, 1),
                                  attr_floats("beta", &beta, 1) };
        in[0] = T(dt, -1, 1, 2, 40, 23);
        in[1] = T(dt, -1, 1, 2, 19, 40);
        in[2] = T(dt, -1, 1, 2, 23, 1);
        sh = S(dt, 2, 23, 19);
        snprintf(what, sizeof(what), "%s transposed, C [M,1]",
                 aop_dtype_name(dt));
        cross("GEMM", in, 3, &sh, 1, at, 4, 10, what);
        free_all(in, 3);
    }
}

static void test_conv(void)
{
    char what[96];

    for (size_t d = 0; d < 3; d++) {
        uint32_t dt = float_dts[d];
        struct aop_tensor in[3], sh;
        int64_t str[2] = { 2, 1 }, dil[2] = { 1, 2 }, pads[4] = { 1, 0, 2, 1 };
        int64_t g = 3;
        struct aop_attr at[4] = { attr_ints("strides", str, 2),
                                  attr_ints("dilations", dil, 2),
                                  attr_ints("pads", pads, 4),
                                  attr_ints("group", &g, 1) };
        /* grouped, strided, dilated, asymmetric pads, bias */
        in[0] = T(dt, -1, 1, 4, 2, 6, 11, 9);
        in[1] = T(dt, -1, 1, 4, 9, 2, 3, 3);
        in[2] = T(dt, -1, 1, 1, 9);
        /* H: (11+1+2-3)/2+1 = 6; W: (9+0+1-5)/1+1 = 6 */
        sh = S(dt, 4, 2, 9, 6, 6);
        snprintf(what, sizeof(what), "%s grouped dilated asym", aop_dtype_name(dt));
        cross("Conv2D", in, 3, &sh, 1, at, 4, 20, what);
        free_all(in, 3);
    }
    {
        /* depthwise NHWC, SAME_UPPER */
        struct aop_tensor in[2], sh;
        int64_t g = 8;
        struct aop_attr at[2] = { attr_ints("group", &g, 1),
                                  attr_str("auto_pad", "SAME_UPPER") };
        in[0] = T(AOP_DT_FLOAT, -1, 1, 4, 1, 10, 7, 8);
        in[0].format = AOP_FMT_NHWC;
        in[1] = T(AOP_DT_FLOAT, -1, 1, 4, 8, 1, 3, 3);
        sh = S(AOP_DT_FLOAT, 4, 1, 10, 7, 8);
        sh.format = AOP_FMT_NHWC;
        cross("Conv2D", in, 2, &sh, 1, at, 2, 10, "fp32 depthwise NHWC SAME");
        free_all(in, 2);
        /* 1-D */
        int64_t s3 = 3;
        struct aop_attr a1 = attr_ints("strides", &s3, 1);
        in[0] = T(AOP_DT_FLOAT, -1, 1, 3, 3, 4, 50);
        in[1] = T(AOP_DT_FLOAT, -1, 1, 3, 5, 4, 7);
        sh = S(AOP_DT_FLOAT, 3, 3, 5, 15);
        cross("Conv1D", in, 2, &sh, 1, &a1, 1, 10, "fp32 1-D stride 3");
        free_all(in, 2);
        /* ResNet-like 3x3 */
        int64_t p1[4] = { 1, 1, 1, 1 };
        struct aop_attr a2 = attr_ints("pads", p1, 4);
        in[0] = T(AOP_DT_FLOAT, -1, 1, 4, 1, 32, 28, 28);
        in[1] = T(AOP_DT_FLOAT, -1, 1, 4, 32, 32, 3, 3);
        sh = S(AOP_DT_FLOAT, 4, 1, 32, 28, 28);
        cross("Conv2D", in, 2, &sh, 1, &a2, 1, 30, "fp32 32ch 3x3 pad 1");
        free_all(in, 2);
    }
    for (size_t d = 0; d < 2; d++) {
        uint32_t dt = float_dts[d];
        struct aop_tensor in[3], sh;
        int64_t str[2] = { 2, 3 }, pads[4] = { 1, 0, 0, 2 }, op[2] = { 1, 0 };
        int64_t g = 2;
        struct aop_attr at[4] = { attr_ints("strides", str, 2),
                                  attr_ints("pads", pads, 4),
                                  attr_ints("output_padding", op, 2),
                                  attr_ints("group", &g, 1) };
        in[0] = T(dt, -1, 1, 4, 2, 4, 5, 6);
        in[1] = T(dt, -1, 1, 4, 4, 3, 3, 4);
        in[2] = T(dt, -1, 1, 1, 6);
        /* H: 2*4+1+3-1-0 = 11; W: 3*5+0+4-0-2 = 17 */
        sh = S(dt, 4, 2, 6, 11, 17);
        snprintf(what, sizeof(what), "%s grouped strided out_pad",
                 aop_dtype_name(dt));
        cross("Conv2DTranspose", in, 3, &sh, 1, at, 4, 10, what);
        free_all(in, 3);
    }
}

static void test_pool(void)
{
    int64_t k[2] = { 3, 3 }, s[2] = { 2, 2 }, p[4] = { 1, 1, 0, 1 };
    int64_t one = 1, dl[2] = { 2, 1 };
    char what[96];

    for (int cip = 0; cip < 2; cip++) {
        for (int ceil = 0; ceil < 2; ceil++) {
            int64_t c = ceil, ci = cip;
            struct aop_attr at[5] = { attr_ints("kernel_shape", k, 2),
                                      attr_ints("strides", s, 2),
                                      attr_ints("pads", p, 4),
                                      attr_ints("ceil_mode", &c, 1),
                                      attr_ints("count_include_pad", &ci, 1) };
            struct aop_tensor in = T(AOP_DT_FLOAT, -5, 5, 4, 2, 3, 13, 11);
            int64_t oh = ceil ? 7 : 6, ow = 6;
            struct aop_tensor sh = S(AOP_DT_FLOAT, 4, 2, 3, (int)oh, (int)ow);
            snprintf(what, sizeof(what), "avg include_pad=%d ceil=%d", cip,
                     ceil);
            cross("AvgPool", &in, 1, &sh, 1, at, 5, 1, what);
            snprintf(what, sizeof(what), "max ceil=%d", ceil);
            cross("MaxPool", &in, 1, &sh, 1, at, 4, 1, what);
            tens_free(&in);
            /* channels last (our own loop): 6 channels, SSE and a tail */
            in = T(AOP_DT_FLOAT, -5, 5, 4, 2, 13, 11, 6);
            in.format = AOP_FMT_NHWC;
            sh = S(AOP_DT_FLOAT, 4, 2, (int)oh, (int)ow, 6);
            sh.format = AOP_FMT_NHWC;
            snprintf(what, sizeof(what), "NHWC avg include_pad=%d ceil=%d",
                     cip, ceil);
            cross("AvgPool", &in, 1, &sh, 1, at, 5, 1, what);
            snprintf(what, sizeof(what), "NHWC max ceil=%d", ceil);
            cross("MaxPool", &in, 1, &sh, 1, at, 4, 1, what);
            tens_free(&in);
        }
    }
    {
        /* channels last, dilated, a NaN that must win and stay */
        struct aop_attr at[2] = { attr_ints("kernel_shape", k, 2),
                                  attr_ints("dilations", dl, 2) };
        struct aop_tensor in = T(AOP_DT_FLOAT, -5, 5, 4, 1, 9, 8, 9);
        struct aop_tensor sh = S(AOP_DT_FLOAT, 4, 1, 5, 6, 9);

        in.format = sh.format = AOP_FMT_NHWC;
        ((float *)in.data)[(2 * 8 + 3) * 9 + 5] = NAN;
        cross("MaxPool", &in, 1, &sh, 1, at, 2, 1, "NHWC dilated with a NaN");
        tens_free(&in);
    }
    {
        struct aop_attr at[3] = { attr_ints("kernel_shape", k, 2),
                                  attr_ints("dilations", dl, 2),
                                  attr_ints("strides", &one, 1) };
        struct aop_tensor in = T(AOP_DT_FLOAT16, -5, 5, 4, 1, 2, 9, 8);
        struct aop_tensor sh = S(AOP_DT_FLOAT16, 4, 1, 2, 5, 6);
        at[2] = attr_ints("strides", s + 0, 0);
        cross("MaxPool", &in, 1, &sh, 1, at, 2, 1, "fp16 dilated");
        tens_free(&in);
    }
    {
        struct aop_tensor in = T(AOP_DT_FLOAT, -5, 5, 4, 3, 5, 7, 9);
        struct aop_tensor sh = S(AOP_DT_FLOAT, 4, 3, 5, 1, 1);
        cross("GlobalAveragePool", &in, 1, &sh, 1, NULL, 0, 1, "fp32");
        cross("GlobalMaxPool", &in, 1, &sh, 1, NULL, 0, 1, "fp32");
        tens_free(&in);
    }
}

static void test_softmax_norm(void)
{
    char what[96];

    for (size_t d = 0; d < 3; d++) {
        uint32_t dt = float_dts[d];
        for (int64_t axis = -3; axis < 3; axis += 2) {
            struct aop_attr at = attr_ints("axis", &axis, 1);
            struct aop_tensor in = T(dt, -10, 10, 3, 5, 31, 17);
            struct aop_tensor sh = S(dt, 3, 5, 31, 17);
            snprintf(what, sizeof(what), "%s axis %lld", aop_dtype_name(dt),
                     (long long)axis);
            cross("SoftmaxV2", &in, 1, &sh, 1, &at, 1, 2, what);
            cross("LogSoftmaxV2", &in, 1, &sh, 1, &at, 1, 2, what);
            tens_free(&in);
        }
        {
            struct aop_tensor in[5], sh;
            in[0] = T(dt, -3, 3, 4, 2, 7, 5, 3);
            in[1] = T(dt, -1, 1, 1, 7);
            in[2] = T(dt, -1, 1, 1, 7);
            in[3] = T(dt, -1, 1, 1, 7);
            in[4] = T(dt, 0.1, 2, 1, 7);
            sh = S(dt, 4, 2, 7, 5, 3);
            snprintf(what, sizeof(what), "%s", aop_dtype_name(dt));
            cross("BatchNorm", in, 5, &sh, 1, NULL, 0, 2, what);
            free_all(in, 5);
        }
        {
            int64_t axis = 1;
            struct aop_attr at = attr_ints("axis", &axis, 1);
            struct aop_tensor in[3], sh[3];
            in[0] = T(dt, -3, 3, 3, 4, 6, 5);
            in[1] = T(dt, -1, 1, 2, 6, 5);
            in[2] = T(dt, -1, 1, 2, 6, 5);
            sh[0] = S(dt, 3, 4, 6, 5);
            sh[1] = S(AOP_DT_FLOAT, 3, 4, 1, 1);
            sh[2] = S(AOP_DT_FLOAT, 3, 4, 1, 1);
            snprintf(what, sizeof(what), "%s axis 1 + stats",
                     aop_dtype_name(dt));
            cross("LayerNorm", in, 3, sh, 3, &at, 1, 1, what);
            free_all(in, 3);
            in[0] = T(dt, -3, 3, 4, 2, 3, 4, 5);
            in[1] = T(dt, -1, 1, 1, 3);
            in[2] = T(dt, -1, 1, 1, 3);
            sh[0] = S(dt, 4, 2, 3, 4, 5);
            cross("InstanceNorm", in, 3, sh, 1, NULL, 0, 1, what);
            free_all(in, 3);
        }
    }
}

static void test_reduce_cast(void)
{
    static const char *const ops[] = { "ReduceSum", "ReduceMean",
                                       "ReduceMax", "ReduceMin" };
    static const uint32_t dts[] = { AOP_DT_FLOAT, AOP_DT_FLOAT16, AOP_DT_BF16,
                                    AOP_DT_INT32, AOP_DT_INT64, AOP_DT_INT8,
                                    AOP_DT_UINT8, AOP_DT_BOOL, AOP_DT_DOUBLE };
    int64_t axes[2] = { 0, -1 }, zero = 0;
    struct aop_attr at[2] = { attr_ints("axes", axes, 2),
                              attr_ints("keepdims", &zero, 1) };
    char what[96];

    for (size_t o = 0; o < 4; o++) {
        for (size_t d = 0; d < 5; d++) {
            struct aop_tensor in = T(dts[d], -20, 20, 3, 6, 5, 7);
            struct aop_tensor sh = S(dts[d], 1, 5);
            snprintf(what, sizeof(what), "%s axes {0,-1}",
                     aop_dtype_name(dts[d]));
            cross(ops[o], &in, 1, &sh, 1, at, 2, 2, what);
            tens_free(&in);
        }
    }
    for (size_t a = 0; a < 9; a++) {
        for (size_t b = 0; b < 9; b++) {
            struct aop_tensor in = T(dts[a], -300, 300, 2, 33, 65);
            struct aop_tensor sh = S(dts[b], 2, 33, 65);
            snprintf(what, sizeof(what), "%s -> %s", aop_dtype_name(dts[a]),
                     aop_dtype_name(dts[b]));
            cross("Cast", &in, 1, &sh, 1, NULL, 0, 1, what);
            tens_free(&in);
        }
    }
}

static void test_data(void)
{
    int64_t perm[4] = { 2, 0, 3, 1 };
    struct aop_attr ap = attr_ints("perm", perm, 4);
    struct aop_tensor in[5], sh[3];

    in[0] = T(AOP_DT_FLOAT16, -1, 1, 4, 3, 5, 7, 2);
    sh[0] = S(AOP_DT_FLOAT16, 4, 7, 3, 2, 5);
    cross("Transpose", in, 1, sh, 1, &ap, 1, 1, "fp16 perm 2031");
    free_all(in, 1);
    {
        int64_t axis = 1;
        struct aop_attr a = attr_ints("axis", &axis, 1);
        int64_t split[3] = { 1, 4, 2 };
        struct aop_attr as[2] = { a, attr_ints("split", split, 3) };
        in[0] = T(AOP_DT_INT64, -9, 9, 3, 4, 1, 3);
        in[1] = T(AOP_DT_INT64, -9, 9, 3, 4, 4, 3);
        in[2] = T(AOP_DT_INT64, -9, 9, 3, 4, 2, 3);
        sh[0] = S(AOP_DT_INT64, 3, 4, 7, 3);
        cross("ConcatD", in, 3, sh, 1, &a, 1, 1, "int64 axis 1");
        free_all(in, 3);
        in[0] = T(AOP_DT_FLOAT, -9, 9, 3, 4, 7, 3);
        sh[0] = S(AOP_DT_FLOAT, 3, 4, 1, 3);
        sh[1] = S(AOP_DT_FLOAT, 3, 4, 4, 3);
        sh[2] = S(AOP_DT_FLOAT, 3, 4, 2, 3);
        cross("SplitD", in, 1, sh, 3, as, 2, 1, "fp32 1/4/2");
        free_all(in, 1);
    }
    {
        int64_t st[2] = { -2, 1 }, en[2] = { -100, 9 }, ax[2] = { 0, 2 };
        int64_t sp[2] = { -3, 2 };
        in[0] = T(AOP_DT_FLOAT, -9, 9, 3, 11, 3, 10);
        in[1] = P(2, st);
        in[2] = P(2, en);
        in[3] = P(2, ax);
        in[4] = P(2, sp);
        sh[0] = S(AOP_DT_FLOAT, 3, 4, 3, 4);
        cross("StridedSliceV2", in, 5, sh, 1, NULL, 0, 1, "negative steps");
        free_all(in, 5);
    }
    {
        static const char *const modes[] = { "constant", "reflect", "edge" };
        int64_t pads[6] = { 1, 0, 3, 2, -1, 2 };
        for (int m = 0; m < 3; m++) {
            struct aop_attr a = attr_str("mode", modes[m]);
            in[0] = T(AOP_DT_BF16, -9, 9, 3, 4, 5, 6);
            in[1] = P(6, pads);
            sh[0] = S(AOP_DT_BF16, 3, 7, 4, 11);
            cross("PadV3", in, 2, sh, 1, &a, 1, 1, modes[m]);
            free_all(in, 2);
        }
    }
    {
        int64_t idx[6] = { 0, -1, 3, 3, 1, -4 };
        int64_t axis = 1;
        struct aop_attr a = attr_ints("axis", &axis, 1);
        in[0] = T(AOP_DT_FLOAT, -9, 9, 3, 2, 4, 5);
        in[1] = P(6, idx);
        in[1].ndim = 2;
        in[1].dims[0] = 2;
        in[1].dims[1] = 3;
        sh[0] = S(AOP_DT_FLOAT, 4, 2, 2, 3, 5);
        cross("GatherV2", in, 2, sh, 1, &a, 1, 1, "2-D indices, negatives");
        free_all(in, 2);
    }
    {
        int64_t shape[3] = { 4, 1, 6 }, rep[3] = { 2, 1, 3 };
        in[0] = T(AOP_DT_INT32, -9, 9, 2, 3, 1);
        in[1] = P(3, shape);
        sh[0] = S(AOP_DT_INT32, 3, 4, 3, 6);
        cross("Expand", in, 2, sh, 1, NULL, 0, 1, "int32 bidirectional");
        free_all(in, 2);
        in[0] = T(AOP_DT_FLOAT16, -9, 9, 3, 2, 3, 1);
        in[1] = P(3, rep);
        sh[0] = S(AOP_DT_FLOAT16, 3, 4, 3, 3);
        cross("Tile", in, 2, sh, 1, NULL, 0, 1, "fp16");
        free_all(in, 2);
    }
    {
        static const char *const cts[] = { "half_pixel", "align_corners",
                                           "asymmetric" };
        for (int c = 0; c < 3; c++) {
            struct aop_attr a[2] = { attr_str("mode", "linear"),
                                     attr_str("coordinate_transformation_mode",
                                              cts[c]) };
            int64_t sizes[4] = { 1, 2, 13, 5 };
            struct aop_tensor none;
            memset(&none, 0, sizeof(none));
            none.dtype = AOP_DT_NONE;
            in[0] = T(AOP_DT_FLOAT, -9, 9, 4, 1, 2, 6, 8);
            in[1] = none;
            in[2] = none;
            in[3] = P(4, sizes);
            sh[0] = S(AOP_DT_FLOAT, 4, 1, 2, 13, 5);
            cross("Resize", in, 4, sh, 1, a, 2, 1, cts[c]);
            tens_free(&in[0]);
            tens_free(&in[3]);
        }
    }
}

int main(void)
{
    test_binary();
    test_unary();
    test_matmul();
    test_conv();
    test_pool();
    test_softmax_norm();
    test_reduce_cast();
    test_data();
    return tap_done();
}
