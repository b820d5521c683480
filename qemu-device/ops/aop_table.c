/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The op table: one row per op. Op ids are stable and never reused: the
 * high byte is the family, the low byte the op within it (0x0101 Add). A
 * new op takes the next free low byte of its family; an op whose
 * behaviour changes keeps its id and bumps its version. docs/ops.md is
 * generated from this table (tests/host/ops: ops_table --markdown).
 */
#include "aop_internal.h"

#define F_EW    (AOP_OPF_EMPTY_OK | AOP_OPF_STRIDED_OK)
#define F_DATA  AOP_OPF_EMPTY_OK
#define F_PAR   AOP_OPF_EMPTY_PARAMS

#define DT_NUM  "fp32 fp16 bf16 int8 uint8 int32 int64"
#define DT_FLT  "fp32 fp16 bf16"
#define DT_ALL  "fp32 fp16 bf16 int8 uint8 int32 int64 bool"

#define ROW(id_, ver, cann_, alt, onnx_, fam, dt, at, fast_, impl_, kind_, \
            imin, imax, omin, omax, fl) \
    { .info = { .id = (id_), .version = (ver), .cann = (cann_), \
                .cann_alt = (alt), .onnx = (onnx_), .family = (fam), \
                .dtypes = (dt), .attrs = (at), .fast = (fast_) }, \
      .impl = &(impl_), .kind = (kind_), .min_in = (imin), .max_in = (imax), \
      .min_out = (omin), .max_out = (omax), .flags = (fl) }

#define BIN(id_, cann_, alt, onnx_, dt, kind_, imax) \
    ROW(id_, 1, cann_, alt, onnx_, "elementwise", dt, "-", \
        "AVX2 loops (fp32/fp16), tiled", aop_impl_binary, kind_, 1, imax, \
        1, 1, F_EW)

#define UN(id_, cann_, onnx_, dt, at, kind_) \
    ROW(id_, 1, cann_, "", onnx_, "unary", dt, at, \
        "vectorised fp32 loops, tiled", aop_impl_unary, kind_, 1, 1, 1, 1, \
        F_EW)

const struct aop_op aop_ops[] = {
    /* 0x01: elementwise binary, numpy broadcasting */
    BIN(0x0101, "Add", "AddV2", "Add", DT_NUM, AOP_BIN_ADD, 2),
    BIN(0x0102, "Sub", "", "Sub", DT_NUM, AOP_BIN_SUB, 2),
    BIN(0x0103, "Mul", "", "Mul", DT_NUM, AOP_BIN_MUL, 2),
    BIN(0x0104, "RealDiv", "Div", "Div", DT_NUM, AOP_BIN_DIV, 2),
    BIN(0x0105, "Pow", "", "Pow", DT_NUM " (exponent may differ)",
        AOP_BIN_POW, 2),
    BIN(0x0106, "Maximum", "", "Max", DT_NUM, AOP_BIN_MAX, 32),
    BIN(0x0107, "Minimum", "", "Min", DT_NUM, AOP_BIN_MIN, 32),
    BIN(0x0108, "Equal", "", "Equal", DT_ALL " -> bool", AOP_BIN_EQUAL, 2),
    BIN(0x0109, "Greater", "", "Greater", DT_NUM " -> bool", AOP_BIN_GREATER,
        2),
    BIN(0x010a, "Less", "", "Less", DT_NUM " -> bool", AOP_BIN_LESS, 2),
    ROW(0x010b, 1, "Select", "SelectV2", "Where", "elementwise",
        "bool cond; " DT_ALL, "-", "tiled loops", aop_impl_where, 0, 3, 3,
        1, 1, F_EW),

    /* 0x02: unary / activation */
    UN(0x0201, "Relu", "Relu", DT_NUM, "-", AOP_UN_RELU),
    UN(0x0202, "LeakyRelu", "LeakyRelu", DT_FLT,
       "alpha=0.01 (negative_slope)", AOP_UN_LEAKY_RELU),
    UN(0x0203, "Sigmoid", "Sigmoid", DT_FLT, "-", AOP_UN_SIGMOID),
    UN(0x0204, "HardSigmoid", "HardSigmoid", DT_FLT, "alpha=0.2 beta=0.5",
       AOP_UN_HARD_SIGMOID),
    UN(0x0205, "HardSwish", "HardSwish", DT_FLT, "-", AOP_UN_HARD_SWISH),
    UN(0x0206, "Tanh", "Tanh", DT_FLT, "-", AOP_UN_TANH),
    UN(0x0207, "Gelu", "Gelu", DT_FLT, "approximate=none|tanh",
       AOP_UN_GELU),
    UN(0x0208, "Erf", "Erf", DT_FLT, "-", AOP_UN_ERF),
    UN(0x0209, "Exp", "Exp", DT_FLT, "-", AOP_UN_EXP),
    UN(0x020a, "Log", "Log", DT_FLT, "-", AOP_UN_LOG),
    UN(0x020b, "Sqrt", "Sqrt", DT_FLT, "-", AOP_UN_SQRT),
    UN(0x020c, "Reciprocal", "Reciprocal", DT_FLT, "-", AOP_UN_RECIPROCAL),
    UN(0x020d, "Abs", "Abs", DT_NUM, "-", AOP_UN_ABS),
    UN(0x020e, "Neg", "Neg", DT_NUM, "-", AOP_UN_NEG),
    ROW(0x020f, 1, "ClipByValue", "", "Clip", "unary", DT_NUM,
        "inputs min, max (optional); attrs min, max (opset < 11)",
        "vectorised fp32 loops, tiled", aop_impl_clip, 0, 1, 3, 1, 1, F_EW),

    /* 0x03: matrix multiplication */
    ROW(0x0301, 1, "MatMul", "MatMulV2", "MatMul", "matmul",
        DT_FLT "; int8 x int8 -> int32",
        "transpose_x1=0 transpose_x2=0; optional bias input",
        "OpenBLAS sgemm (fp16/bf16 via fp32); oneDNN s8s8s32 gemm",
        aop_impl_matmul, AOP_MM_MATMUL, 2, 3, 1, 1, 0),
    ROW(0x0302, 1, "BatchMatMul", "BatchMatMulV2", "", "matmul",
        DT_FLT "; int8 x int8 -> int32", "adj_x1=0 adj_x2=0",
        "OpenBLAS sgemm per batch (fp16/bf16 via fp32)", aop_impl_matmul,
        AOP_MM_BATCH, 2, 3, 1, 1, 0),
    ROW(0x0303, 1, "GEMM", "", "Gemm", "matmul", DT_FLT,
        "alpha=1 beta=1 transA=0 transB=0; C broadcast to (M,N)",
        "OpenBLAS sgemm (fp16/bf16 via fp32)", aop_impl_gemm, 0, 2, 5, 1, 1,
        0),

    /* 0x04: convolution */
    ROW(0x0401, 1, "Conv2D", "Conv1D Conv3D", "Conv", "conv", DT_FLT,
        "strides dilations pads(begin..,end..) group(groups) auto_pad "
        "kernel_shape data_format=NCHW|NHWC",
        "oneDNN convolution (fp16/bf16 via fp32); 3-D: reference",
        aop_impl_conv, 0, 2, 3, 1, 1, 0),
    ROW(0x0402, 1, "Conv2DTranspose", "Deconvolution", "ConvTranspose",
        "conv", DT_FLT,
        "strides dilations pads group auto_pad kernel_shape output_padding "
        "output_shape; inputs x, filter, bias",
        "oneDNN deconvolution (fp16/bf16 via fp32); 3-D: reference",
        aop_impl_convt, 0, 2, 3, 1, 1, 0),

    /* 0x05: pooling */
    ROW(0x0501, 1, "MaxPool", "MaxPoolV3", "MaxPool", "pool",
        DT_FLT " int8 uint8",
        "kernel_shape(ksize) strides pads dilations auto_pad ceil_mode "
        "storage_order=0; optional Indices output",
        "oneDNN pooling (fp32)", aop_impl_pool, AOP_POOL_MAX, 1, 1, 1, 2, 0),
    ROW(0x0502, 1, "AvgPool", "AvgPoolV2", "AveragePool", "pool", DT_FLT,
        "kernel_shape(ksize) strides pads auto_pad ceil_mode "
        "count_include_pad=0",
        "oneDNN pooling (fp32)", aop_impl_pool, AOP_POOL_AVG, 1, 1, 1, 1, 0),
    ROW(0x0503, 1, "GlobalAveragePool", "", "GlobalAveragePool", "pool",
        DT_FLT, "-", "tiled loops over N*C", aop_impl_gpool, AOP_POOL_AVG,
        1, 1, 1, 1, 0),
    ROW(0x0504, 1, "GlobalMaxPool", "", "GlobalMaxPool", "pool", DT_FLT, "-",
        "tiled loops over N*C", aop_impl_gpool, AOP_POOL_MAX, 1, 1, 1, 1, 0),

    /* 0x06: softmax */
    ROW(0x0601, 1, "SoftmaxV2", "Softmax", "Softmax", "softmax", DT_FLT,
        "axis=-1 (axes)", "oneDNN softmax (fp32); tiled loops",
        aop_impl_softmax, AOP_SM_SOFTMAX, 1, 1, 1, 1, 0),
    ROW(0x0602, 1, "LogSoftmaxV2", "LogSoftmax", "LogSoftmax", "softmax",
        DT_FLT, "axis=-1 (axes)", "oneDNN logsoftmax (fp32); tiled loops",
        aop_impl_softmax, AOP_SM_LOGSOFTMAX, 1, 1, 1, 1, 0),

    /* 0x07: normalisation */
    ROW(0x0701, 1, "BatchNorm", "BNInfer", "BatchNormalization", "norm",
        DT_FLT, "epsilon=1e-5 momentum (ignored) training_mode=0 "
        "(is_training); inputs x scale bias mean var",
        "oneDNN batch normalization (fp32); tiled loops", aop_impl_batchnorm,
        0, 5, 5, 1, 3, 0),
    ROW(0x0702, 1, "LayerNorm", "", "LayerNormalization", "norm", DT_FLT,
        "axis=-1 (begin_norm_axis) epsilon=1e-5 stash_type=1; optional "
        "Mean, InvStdDev outputs", "tiled loops over rows",
        aop_impl_layernorm, 0, 2, 3, 1, 3, 0),
    ROW(0x0703, 1, "InstanceNorm", "", "InstanceNormalization", "norm",
        DT_FLT, "epsilon=1e-5", "tiled loops over N*C",
        aop_impl_instancenorm, 0, 3, 3, 1, 1, 0),

    /* 0x08: reductions */
    ROW(0x0801, 1, "ReduceSum", "ReduceSumD", "ReduceSum", "reduce",
        DT_FLT " int32 int64", "axes (attr or input 1) keepdims=1 "
        "(keep_dims) noop_with_empty_axes=0", "tiled loops",
        aop_impl_reduce, AOP_RED_SUM, 1, 2, 1, 1, F_PAR),
    ROW(0x0802, 1, "ReduceMean", "ReduceMeanD", "ReduceMean", "reduce",
        DT_FLT " int32 int64", "axes keepdims=1 noop_with_empty_axes=0",
        "tiled loops", aop_impl_reduce, AOP_RED_MEAN, 1, 2, 1, 1, F_PAR),
    ROW(0x0803, 1, "ReduceMax", "ReduceMaxD", "ReduceMax", "reduce",
        DT_FLT " int8 uint8 int32 int64",
        "axes keepdims=1 noop_with_empty_axes=0", "tiled loops",
        aop_impl_reduce, AOP_RED_MAX, 1, 2, 1, 1, F_PAR),
    ROW(0x0804, 1, "ReduceMin", "ReduceMinD", "ReduceMin", "reduce",
        DT_FLT " int8 uint8 int32 int64",
        "axes keepdims=1 noop_with_empty_axes=0", "tiled loops",
        aop_impl_reduce, AOP_RED_MIN, 1, 2, 1, 1, F_PAR),

    /* 0x09: cast */
    ROW(0x0901, 1, "Cast", "", "Cast", "cast", DT_ALL " double",
        "to (ONNX type) or dst_type (aclDataType); must match the output",
        "F16C / shift loops, tiled", aop_impl_cast, 0, 1, 1, 1, 1, F_EW),

    /* 0x0a: data movement */
    ROW(0x0a01, 1, "Transpose", "TransposeD", "Transpose", "data", DT_ALL,
        "perm (attr or input 1; default reversed)", "tiled loops",
        aop_impl_transpose, 0, 1, 2, 1, 1, F_DATA),
    ROW(0x0a02, 1, "ConcatD", "ConcatV2D", "Concat", "data", DT_ALL,
        "axis (concat_dim) N (ignored)", "memcpy rows, tiled",
        aop_impl_concat, 0, 1, AOP_MAX_TENSORS - 1, 1, 1, F_DATA),
    ROW(0x0a03, 1, "SplitD", "", "Split", "data", DT_ALL,
        "axis=0 (split_dim) split (attr or input 1) num_outputs "
        "(num_split)", "memcpy rows", aop_impl_split, 0, 1, 2, 1,
        AOP_MAX_TENSORS - 1, F_DATA),
    ROW(0x0a04, 1, "StridedSliceV2", "", "Slice", "data", DT_ALL,
        "inputs starts ends [axes] [steps] (int32/int64)", "tiled loops",
        aop_impl_slice, 0, 3, 5, 1, 1, F_DATA),
    ROW(0x0a05, 1, "PadV3", "PadV2", "Pad", "data", DT_ALL,
        "mode=constant|reflect|edge; inputs pads, constant_value, axes; "
        "paddings_contiguous=0 (1: CANN order b0,e0,b1,e1)", "tiled loops",
        aop_impl_pad, 0, 2, 4, 1, 1, F_DATA),
    ROW(0x0a06, 1, "Resize", "", "Resize", "data", DT_FLT,
        "mode=nearest|linear coordinate_transformation_mode nearest_mode "
        "exclude_outside=0; inputs roi, scales, sizes", "tiled loops",
        aop_impl_resize, 0, 1, 4, 1, 1, F_PAR),
    ROW(0x0a07, 1, "GatherV2", "Gather", "Gather", "data",
        DT_ALL "; indices int32/int64",
        "axis=0 (attr, or input 2 as in CANN)", "memcpy rows, tiled",
        aop_impl_gather, 0, 2, 3, 1, 1, F_DATA),
    ROW(0x0a08, 1, "Expand", "BroadcastTo", "Expand", "data", DT_ALL,
        "input shape (int64)", "tiled broadcast copy", aop_impl_expand, 0,
        2, 2, 1, 1, F_DATA),
    ROW(0x0a09, 1, "Tile", "", "Tile", "data", DT_ALL,
        "input repeats (int64)", "tiled loops", aop_impl_tile, 0, 2, 2, 1,
        1, F_DATA),
};

const size_t aop_ops_count = sizeof(aop_ops) / sizeof(aop_ops[0]);

const struct aop_op *aop_op_find(uint32_t id)
{
    for (size_t i = 0; i < aop_ops_count; i++) {
        if (aop_ops[i].info.id == id) {
            return &aop_ops[i];
        }
    }
    return NULL;
}

size_t aop_op_count(void)
{
    return aop_ops_count;
}

const struct aop_op_info *aop_op_at(size_t i)
{
    return i < aop_ops_count ? &aop_ops[i].info : NULL;
}

const struct aop_op_info *aop_op_by_id(uint32_t id)
{
    const struct aop_op *op = aop_op_find(id);

    return op ? &op->info : NULL;
}

/* Is @name one of the space-separated words of @list? */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);

    while (*list) {
        const char *end = strchr(list, ' ');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        if (len == n && n && memcmp(list, name, n) == 0) {
            return true;
        }
        if (!end) {
            break;
        }
        list = end + 1;
    }
    return false;
}

uint32_t aop_find_cann(const char *name)
{
    if (!name) {
        return 0;
    }
    for (size_t i = 0; i < aop_ops_count; i++) {
        if (strcmp(aop_ops[i].info.cann, name) == 0) {
            return aop_ops[i].info.id;
        }
    }
    for (size_t i = 0; i < aop_ops_count; i++) {
        if (in_list(aop_ops[i].info.cann_alt, name)) {
            return aop_ops[i].info.id;
        }
    }
    return 0;
}

uint32_t aop_find_onnx(const char *op_type)
{
    if (!op_type) {
        return 0;
    }
    for (size_t i = 0; i < aop_ops_count; i++) {
        if (in_list(aop_ops[i].info.onnx, op_type)) {
            return aop_ops[i].info.id;
        }
    }
    return 0;
}
