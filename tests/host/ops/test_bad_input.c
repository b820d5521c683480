/* SPDX-License-Identifier: MIT */
/*
 * Bad input: every kind of refusal the library's checks make, each with
 * the status, the operand at fault and a word of the message expected.
 * Under ASan a check that reads past a buffer fails here too.
 */
#include "ops_test.h"
#include "tap.h"

static struct aop_ctx ctx = { .threads = 2, .reference = false };

static void expect(const char *what, const char *op, struct aop_tensor *in,
                   uint32_t nin, struct aop_tensor *out, uint32_t nout,
                   const struct aop_attr *attrs, uint32_t nattrs, int status,
                   int operand, const char *word)
{
    uint32_t id = aop_find_cann(op);
    struct aop_error err;
    int rc;

    memset(&err, 0, sizeof(err));
    rc = aop_run(&ctx, id ? id : 0xdead, in, nin, out, nout, attrs, nattrs,
                 &err);
    TAP_CHECK(rc == status && err.status == status &&
              (operand == -2 || err.operand == operand) &&
              strstr(err.msg, word) != NULL,
              "bad input: %s -> %s (%s) [%s]", what, aop_status_name(rc),
              aop_status_name(status), err.msg);
}

/* A tensor over a static buffer big enough for the small shapes here. */
static float buf[8][4096];
static int nbuf;

static struct aop_tensor V(uint32_t dt, uint32_t ndim, ...)
{
    struct aop_tensor t;
    int64_t d[AOP_MAX_DIMS];
    va_list ap;

    va_start(ap, ndim);
    for (uint32_t i = 0; i < ndim; i++) {
        d[i] = va_arg(ap, int);
    }
    va_end(ap);
    aop_tensor_init(&t, buf[nbuf++ % 8], dt, ndim, d);
    return t;
}

static void basics(void)
{
    struct aop_tensor in[3], out[2];
    struct aop_ctx bad = { .threads = 0 };
    struct aop_error err;
    int64_t one = 1;
    struct aop_attr a;
    int rc;

    in[0] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    out[0] = V(AOP_DT_FLOAT, 2, 2, 3);

    rc = aop_run(&ctx, 0x7777, in, 2, out, 1, NULL, 0, &err);
    TAP_CHECK(rc == AOP_E_UNKNOWN_OP && strstr(err.msg, "no such op"),
              "bad input: unknown op id [%s]", err.msg);
    rc = aop_run(&bad, aop_find_cann("Add"), in, 2, out, 1, NULL, 0, &err);
    TAP_CHECK(rc == AOP_E_UNSUPPORTED && strstr(err.msg, "thread"),
              "bad input: zero threads [%s]", err.msg);
    TAP_CHECK(aop_find_cann("NoSuchOp") == 0 && aop_find_onnx("Conv2D") == 0,
              "names: unknown CANN name and a CANN-only name as ONNX fail");
    TAP_CHECK(aop_find_cann("Div") == aop_find_cann("RealDiv") &&
              aop_find_onnx("Div") == aop_find_cann("RealDiv"),
              "names: aliases resolve to one op");

    expect("one input to Add", "Add", in, 1, out, 1, NULL, 0, AOP_E_OPERANDS,
           AOP_OPERAND_NONE, "1 inputs");
    expect("two outputs from Add", "Add", in, 2, out, 2, NULL, 0,
           AOP_E_OPERANDS, AOP_OPERAND_NONE, "2 outputs");
    in[1].dtype = 99;
    expect("unknown dtype", "Add", in, 2, out, 1, NULL, 0, AOP_E_DTYPE,
           AOP_IN(1), "unknown dtype");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].format = 3;   /* NC1HWC0 */
    expect("5HD format", "Add", in, 2, out, 1, NULL, 0, AOP_E_FORMAT,
           AOP_IN(1), "format 3");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].ndim = 9;
    expect("rank 9", "Add", in, 2, out, 1, NULL, 0, AOP_E_SHAPE, AOP_IN(1),
           "rank 9");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].dims[0] = -2;
    expect("negative dim", "Add", in, 2, out, 1, NULL, 0, AOP_E_SHAPE,
           AOP_IN(1), "negative");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].ndim = 4;
    in[1].dims[0] = in[1].dims[1] = in[1].dims[2] = in[1].dims[3] = 1 << 20;
    expect("element count overflows", "Add", in, 2, out, 1, NULL, 0,
           AOP_E_SIZE, AOP_IN(1), "too many elements");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].size = 23;
    expect("buffer smaller than the shape", "Add", in, 2, out, 1, NULL, 0,
           AOP_E_SIZE, AOP_IN(1), "24 bytes needed");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].data = NULL;
    expect("no data", "Add", in, 2, out, 1, NULL, 0, AOP_E_SIZE, AOP_IN(1),
           "no data");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1].flags = AOP_TENSOR_STRIDED;
    in[1].strides[0] = 1000;
    in[1].strides[1] = 1;
    expect("strides reach past the buffer", "Add", in, 2, out, 1, NULL, 0,
           AOP_E_SIZE, AOP_IN(1), "bytes needed");
    in[1].strides[0] = -1;
    expect("negative stride", "Add", in, 2, out, 1, NULL, 0, AOP_E_FORMAT,
           AOP_IN(1), "strides[0]");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    out[0].flags = AOP_TENSOR_STRIDED;
    expect("strided output", "Add", in, 2, out, 1, NULL, 0, AOP_E_FORMAT,
           AOP_OUT(0), "strided");
    out[0] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1] = V(AOP_DT_FLOAT, 2, 2, 4);
    expect("shapes do not broadcast", "Add", in, 2, out, 1, NULL, 0,
           AOP_E_SHAPE, AOP_IN(1), "does not broadcast");
    in[1] = V(AOP_DT_FLOAT16, 2, 2, 3);
    expect("mixed dtypes", "Add", in, 2, out, 1, NULL, 0, AOP_E_DTYPE,
           AOP_IN(1), "differs");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    out[0] = V(AOP_DT_FLOAT, 2, 3, 2);
    expect("wrong output shape", "Add", in, 2, out, 1, NULL, 0, AOP_E_SHAPE,
           AOP_OUT(0), "the op produces [2,3]");
    out[0] = V(AOP_DT_FLOAT, 2, 2, 3);
    expect("Equal into fp32", "Equal", in, 2, out, 1, NULL, 0, AOP_E_DTYPE,
           AOP_OUT(0), "float32");
    in[0] = V(AOP_DT_BOOL, 1, 3);
    in[1] = V(AOP_DT_BOOL, 1, 3);
    out[0] = V(AOP_DT_BOOL, 1, 3);
    expect("Add of bools", "Add", in, 2, out, 1, NULL, 0, AOP_E_DTYPE,
           AOP_IN(0), "bool");
    in[0] = V(AOP_DT_FLOAT, 2, 2, 3);
    in[1] = V(AOP_DT_FLOAT, 2, 2, 3);
    out[0] = V(AOP_DT_FLOAT, 2, 2, 3);
    a = attr_ints("bogus", &one, 1);
    expect("unknown attribute", "Add", in, 2, out, 1, &a, 1, AOP_E_ATTR,
           AOP_OPERAND_NONE, "unknown attribute 'bogus'");
    a = attr_str("alpha", "x");
    in[1] = in[0];
    expect("attribute of the wrong type", "LeakyRelu", in, 1, out, 1, &a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "expected a float");
    {
        int64_t two[2] = { 1, 2 };
        a = attr_ints("group", two, 2);
    }
    in[1] = V(AOP_DT_FLOAT, 4, 1, 1, 1, 1);
    in[0] = V(AOP_DT_FLOAT, 4, 1, 1, 3, 3);
    out[0] = V(AOP_DT_FLOAT, 4, 1, 1, 3, 3);
    expect("attribute with two values", "Conv2D", in, 2, out, 1, &a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "one value");
    {
        char longs[100];
        memset(longs, 'A', sizeof(longs) - 1);
        longs[99] = 0;
        a = attr_str("auto_pad", longs);
        expect("string too long", "Conv2D", in, 2, out, 1, &a, 1, AOP_E_ATTR,
               AOP_OPERAND_NONE, "too long");
    }
    {
        struct aop_tensor e = V(AOP_DT_FLOAT, 4, 1, 0, 3, 3);
        in[0] = e;
        expect("zero dim on Conv2D", "Conv2D", in, 2, out, 1, NULL, 0,
               AOP_E_SHAPE, AOP_IN(0), "empty tensors");
    }
}

static void ops(void)
{
    struct aop_tensor in[6], out[3];
    int64_t v[8];
    struct aop_attr a[4];

    in[0] = V(AOP_DT_FLOAT, 2, 3, 4);
    in[1] = V(AOP_DT_FLOAT, 2, 5, 6);
    out[0] = V(AOP_DT_FLOAT, 2, 3, 6);
    expect("MatMul K mismatch", "MatMul", in, 2, out, 1, NULL, 0, AOP_E_SHAPE,
           AOP_IN(1), "K is 5");
    in[0] = V(AOP_DT_INT8, 2, 3, 4);
    in[1] = V(AOP_DT_INT8, 2, 4, 6);
    expect("int8 MatMul into fp32", "MatMul", in, 2, out, 1, NULL, 0,
           AOP_E_DTYPE, AOP_OUT(0), "float32");
    in[0] = V(AOP_DT_FLOAT, 3, 2, 3, 4);
    in[1] = V(AOP_DT_FLOAT, 3, 3, 4, 6);
    out[0] = V(AOP_DT_FLOAT, 3, 2, 3, 6);
    expect("batch dims do not broadcast", "BatchMatMul", in, 2, out, 1, NULL,
           0, AOP_E_SHAPE, AOP_IN(1), "batch dims");
    in[0] = V(AOP_DT_FLOAT, 2, 3, 4);
    in[1] = V(AOP_DT_FLOAT, 2, 4, 5);
    in[2] = V(AOP_DT_FLOAT, 1, 4);
    out[0] = V(AOP_DT_FLOAT, 2, 3, 5);
    expect("Gemm C does not broadcast", "GEMM", in, 3, out, 1, NULL, 0,
           AOP_E_SHAPE, AOP_IN(2), "C shape");

    /* Conv */
    in[0] = V(AOP_DT_FLOAT, 4, 1, 4, 5, 5);
    in[1] = V(AOP_DT_FLOAT, 4, 6, 3, 3, 3);
    out[0] = V(AOP_DT_FLOAT, 4, 1, 6, 3, 3);
    expect("Conv filter channels", "Conv2D", in, 2, out, 1, NULL, 0,
           AOP_E_SHAPE, AOP_IN(1), "C/group = 4");
    v[0] = 3;
    a[0] = attr_ints("group", v, 1);
    in[1] = V(AOP_DT_FLOAT, 4, 6, 1, 3, 3);
    expect("Conv group does not divide C", "Conv2D", in, 2, out, 1, a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "does not divide");
    in[1] = V(AOP_DT_FLOAT, 4, 6, 4, 7, 7);
    expect("Conv window larger than the input", "Conv2D", in, 2, out, 1, NULL,
           0, AOP_E_SHAPE, AOP_IN(0), "window larger");
    in[1] = V(AOP_DT_FLOAT, 4, 6, 4, 3, 3);
    in[2] = V(AOP_DT_FLOAT, 1, 5);
    expect("Conv bias size", "Conv2D", in, 3, out, 1, NULL, 0, AOP_E_SHAPE,
           AOP_IN(2), "bias");
    v[0] = 0;
    v[1] = 1;
    a[0] = attr_ints("strides", v, 2);
    expect("Conv stride 0", "Conv2D", in, 2, out, 1, a, 1, AOP_E_ATTR,
           AOP_OPERAND_NONE, "strides");
    in[0].flags = AOP_TENSOR_STRIDED;
    in[0].strides[3] = 1;
    expect("Conv strided input", "Conv2D", in, 2, out, 1, NULL, 0,
           AOP_E_FORMAT, AOP_IN(0), "strided");
    in[0] = V(AOP_DT_FLOAT, 4, 1, 4, 5, 5);
    in[0].format = AOP_FMT_NHWC;
    expect("Conv NHWC with NCHW-shaped data", "Conv2D", in, 2, out, 1, NULL, 0,
           AOP_E_SHAPE, -2, "");

    /* Pool */
    in[0] = V(AOP_DT_FLOAT, 4, 1, 2, 5, 5);
    out[0] = V(AOP_DT_FLOAT, 4, 1, 2, 4, 4);
    expect("MaxPool without kernel_shape", "MaxPool", in, 1, out, 1, NULL, 0,
           AOP_E_ATTR, AOP_OPERAND_NONE, "kernel_shape");
    v[0] = v[1] = 2;
    v[2] = 2;
    a[0] = attr_ints("kernel_shape", v, 2);
    a[1] = attr_ints("storage_order", v + 2, 1);
    expect("MaxPool storage_order 2", "MaxPool", in, 1, out, 1, a, 2,
           AOP_E_ATTR, AOP_OPERAND_NONE, "storage_order");
    a[1] = attr_str("auto_pad", "WHATEVER");
    expect("AvgPool bad auto_pad", "AvgPool", in, 1, out, 1, a, 2, AOP_E_ATTR,
           AOP_OPERAND_NONE, "auto_pad");

    /* Softmax, norms, reduce, cast */
    in[0] = V(AOP_DT_FLOAT, 2, 3, 4);
    out[0] = V(AOP_DT_FLOAT, 2, 3, 4);
    v[0] = 2;
    a[0] = attr_ints("axis", v, 1);
    expect("Softmax axis out of range", "SoftmaxV2", in, 1, out, 1, a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "out of range");
    v[0] = 1;
    a[0] = attr_ints("training_mode", v, 1);
    for (int i = 1; i < 5; i++) {
        in[i] = V(AOP_DT_FLOAT, 1, 4);
    }
    expect("BatchNorm training", "BatchNorm", in, 5, out, 1, a, 1,
           AOP_E_UNSUPPORTED, AOP_OPERAND_NONE, "inference only");
    in[4] = V(AOP_DT_FLOAT, 1, 3);
    expect("BatchNorm variance size", "BatchNorm", in, 5, out, 1, NULL, 0,
           AOP_E_SHAPE, AOP_IN(4), "expected [4]");
    in[1] = V(AOP_DT_FLOAT, 1, 3);
    expect("LayerNorm scale size", "LayerNorm", in, 2, out, 1, NULL, 0,
           AOP_E_SHAPE, AOP_IN(1), "normalised size 4");
    v[0] = 1;
    v[1] = -1;
    a[0] = attr_ints("axes", v, 2);
    out[0] = V(AOP_DT_FLOAT, 2, 3, 1);
    expect("Reduce repeated axis", "ReduceSum", in, 1, out, 1, a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "repeated");
    out[0] = V(AOP_DT_FLOAT16, 2, 3, 4);
    v[0] = 6;
    a[0] = attr_ints("to", v, 1);
    expect("Cast 'to' disagrees with the output", "Cast", in, 1, out, 1, a, 1,
           AOP_E_ATTR, AOP_OPERAND_NONE, "does not match");

    /* Data movement */
    out[0] = V(AOP_DT_FLOAT, 2, 4, 3);
    v[0] = v[1] = 0;
    a[0] = attr_ints("perm", v, 2);
    expect("Transpose perm not a permutation", "Transpose", in, 1, out, 1, a,
           1, AOP_E_ATTR, AOP_OPERAND_NONE, "permutation");
    in[1] = V(AOP_DT_FLOAT, 2, 2, 5);
    out[0] = V(AOP_DT_FLOAT, 2, 5, 4);
    v[0] = 0;
    a[0] = attr_ints("axis", v, 1);
    expect("Concat mismatched dims", "ConcatD", in, 2, out, 1, a, 1,
           AOP_E_SHAPE, AOP_IN(1), "dims[1] is 5");
    out[0] = V(AOP_DT_FLOAT, 2, 1, 4);
    out[1] = V(AOP_DT_FLOAT, 2, 1, 4);
    v[1] = 1;
    v[2] = 1;
    a[1] = attr_ints("split", v + 1, 2);
    expect("Split sizes do not add up", "SplitD", in, 1, out, 2, a, 2,
           AOP_E_ATTR, AOP_OPERAND_NONE, "add up to 2");
    {
        int64_t s0[1] = { 0 }, e0[1] = { 2 }, ax[1] = { 0 }, st[1] = { 0 };
        struct aop_tensor p[4];
        for (int i = 0; i < 4; i++) {
            int64_t d = 1;
            aop_tensor_init(&p[i], i == 0 ? s0 : i == 1 ? e0 : i == 2 ? ax
                                                                     : st,
                            AOP_DT_INT64, 1, &d);
        }
        in[1] = p[0];
        in[2] = p[1];
        in[3] = p[2];
        in[4] = p[3];
        out[0] = V(AOP_DT_FLOAT, 2, 2, 4);
        expect("Slice step 0", "StridedSliceV2", in, 5, out, 1, NULL, 0,
               AOP_E_VALUE, AOP_IN(4), "step 0 is 0");
        in[3].dtype = AOP_DT_FLOAT;
        expect("Slice float axes", "StridedSliceV2", in, 4, out, 1, NULL, 0,
               AOP_E_DTYPE, AOP_IN(3), "int32 or int64");
    }
    {
        int64_t pads[4] = { 0, 1, 0, 1 };
        struct aop_tensor p;
        int64_t d = 4;
        aop_tensor_init(&p, pads, AOP_DT_INT64, 1, &d);
        in[1] = p;
        out[0] = V(AOP_DT_FLOAT, 2, 3, 6);
        a[0] = attr_str("mode", "wrap");
        expect("Pad mode wrap", "PadV3", in, 2, out, 1, a, 1, AOP_E_ATTR,
               AOP_OPERAND_NONE, "wrap");
        pads[1] = -9;
        expect("Pad crops below zero", "PadV3", in, 2, out, 1, NULL, 0,
               AOP_E_VALUE, AOP_IN(1), "below zero");
    }
    {
        int64_t idx[2] = { 1, 3 };
        struct aop_tensor p;
        int64_t d = 2;
        aop_tensor_init(&p, idx, AOP_DT_INT64, 1, &d);
        in[1] = p;
        out[0] = V(AOP_DT_FLOAT, 2, 2, 4);
        expect("Gather index out of range", "GatherV2", in, 2, out, 1, NULL, 0,
               AOP_E_VALUE, AOP_IN(1), "index 3");
        idx[1] = 2;
        out[0] = V(AOP_DT_FLOAT, 2, 3, 2);
        v[0] = 1;
        a[0] = attr_ints("axis", v, 1);
        expect("Expand shape does not broadcast", "Expand", in, 2, out, 1,
               NULL, 0, AOP_E_SHAPE, AOP_IN(1), "does not broadcast");
        d = 1;
        aop_tensor_init(&in[1], idx, AOP_DT_INT64, 1, &d);
        expect("Tile repeats count", "Tile", in, 2, out, 1, NULL, 0,
               AOP_E_SHAPE, AOP_IN(1), "1 repeats for rank 2");
    }
    {
        struct aop_tensor none;
        memset(&none, 0, sizeof(none));
        none.dtype = AOP_DT_NONE;
        in[0] = V(AOP_DT_FLOAT, 4, 1, 1, 2, 2);
        in[1] = none;
        in[2] = none;
        out[0] = V(AOP_DT_FLOAT, 4, 1, 1, 4, 4);
        a[0] = attr_str("mode", "cubic");
        expect("Resize cubic", "Resize", in, 3, out, 1, a, 1,
               AOP_E_UNSUPPORTED, AOP_OPERAND_NONE, "cubic");
        expect("Resize without scales or sizes", "Resize", in, 3, out, 1,
               NULL, 0, AOP_E_OPERANDS, AOP_OPERAND_NONE, "neither");
        in[1] = in[0];
        in[0] = none;
        expect("required input omitted", "Add", in, 2, out, 1, NULL, 0,
               AOP_E_OPERANDS, AOP_IN(0), "omitted");
    }
}

static void launch_api(void)
{
    struct aop_tensor in[2], out[1];
    struct aop_launch *l = NULL;
    struct aop_error err;
    int rc;

    in[0] = V(AOP_DT_FLOAT, 1, 300000);
    in[1] = V(AOP_DT_FLOAT, 0);
    aop_tensor_init(&in[0], calloc(300000, 4), AOP_DT_FLOAT, 1,
                    (int64_t[]){ 300000 });
    aop_tensor_init(&out[0], calloc(300000, 4), AOP_DT_FLOAT, 1,
                    (int64_t[]){ 300000 });
    rc = aop_prepare(&ctx, aop_find_cann("Add"), in, 2, out, 1, NULL, 0, &l,
                     &err);
    TAP_CHECK(rc == AOP_OK && l && aop_launch_tiles(l) > 1 &&
              !aop_launch_self_threaded(l),
              "launch: a big Add splits into %u tiles",
              l ? aop_launch_tiles(l) : 0);
    if (l) {
        uint32_t t = aop_launch_tiles(l);
        rc = aop_launch_run(l, t - 1, 2, &err);
        TAP_CHECK(rc == AOP_E_INTERNAL && strstr(err.msg, "outside"),
                  "launch: tiles past the end refused [%s]", err.msg);
        rc = aop_launch_run(l, 0, t / 2, &err);
        rc |= aop_launch_run(l, t / 2, t - t / 2, &err);
        TAP_CHECK(rc == AOP_OK, "launch: two halves run");
        aop_launch_free(l);
    }
    free(in[0].data);
    free(out[0].data);

    /* The fast paths really are the libraries: self-threaded launches. */
    {
        static const char *const ops[] = { "Conv2D", "MatMul", "MaxPool",
                                           "SoftmaxV2" };
        int64_t k[2] = { 2, 2 };
        struct aop_attr ka = attr_ints("kernel_shape", k, 2);
        for (int i = 0; i < 4; i++) {
            struct aop_ctx rctx = { .threads = 2, .reference = true };
            bool conv = i == 0, mm = i == 1, pool = i == 2;
            in[0] = V(AOP_DT_FLOAT, mm ? 2 : 4, 1, 4, 6, 6);
            if (mm) {
                in[0] = V(AOP_DT_FLOAT, 2, 4, 6);
            }
            in[1] = conv ? V(AOP_DT_FLOAT, 4, 8, 4, 3, 3)
                         : V(AOP_DT_FLOAT, 2, 6, 5);
            out[0] = conv ? V(AOP_DT_FLOAT, 4, 1, 8, 4, 4)
                     : mm ? V(AOP_DT_FLOAT, 2, 4, 5)
                     : pool ? V(AOP_DT_FLOAT, 4, 1, 4, 5, 5)
                            : V(AOP_DT_FLOAT, 4, 1, 4, 6, 6);
            rc = aop_prepare(&ctx, aop_find_cann(ops[i]), in,
                             conv || mm ? 2 : 1, out, 1, pool ? &ka : NULL,
                             pool ? 1 : 0, &l, &err);
            TAP_CHECK(rc == AOP_OK && !aop_launch_is_reference(l) &&
                      aop_launch_self_threaded(l),
                      "launch: fp32 %s takes the library fast path", ops[i]);
            aop_launch_free(l);
            rc = aop_prepare(&rctx, aop_find_cann(ops[i]), in,
                             conv || mm ? 2 : 1, out, 1, pool ? &ka : NULL,
                             pool ? 1 : 0, &l, &err);
            TAP_CHECK(rc == AOP_OK && aop_launch_is_reference(l) &&
                      aop_launch_tiles(l) >= 1,
                      "launch: reference %s is tiled (%u tiles)", ops[i],
                      l ? aop_launch_tiles(l) : 0);
            aop_launch_free(l);
        }
    }
}

int main(void)
{
    basics();
    ops();
    launch_api();
    return tap_done();
}
