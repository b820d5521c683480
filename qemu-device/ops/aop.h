/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop: the AI Core operator library of the ascend-npu device.
 *
 * Plain C11, no QEMU headers: the device's engine calls it from its AI Core
 * worker threads, the host tests and benchmarks call it directly. Tensors
 * live in host memory the caller has already translated and bounds-checked
 * (the engine maps device VAs through the MMU before it builds a
 * struct aop_tensor); the library checks everything else itself.
 *
 * Every op is one row of a table (aop_table.c; docs/ops.md): a stable op id
 * (the number in the firmware's op table), a version, the CANN op type name
 * aclopExecuteV2 users call it by, more CANN spellings, and the ONNX op_type
 * names the model converter maps nodes by. Attributes follow ONNX's
 * semantics and names; the CANN spellings listed in docs/ops.md are accepted
 * as aliases where their meaning does not collide.
 *
 * A launch has two steps:
 *   aop_prepare()      checks operands and attributes, plans the work and
 *                      says how many independent tiles it splits into;
 *   aop_launch_run()   runs a range of tiles; different ranges may run
 *                      concurrently on different threads (the engine's AI
 *                      Cores). A "self-threaded" launch (fast paths through
 *                      OpenBLAS or oneDNN) has one tile that uses
 *                      aop_launch_threads() threads inside the library.
 * aop_run() does both and spreads the tiles over aop_launch_threads().
 *
 * A launch uses fewer than ctx->threads threads when its work is too small
 * to pay for waking them: each thread must get at least ctx->grain_ns of
 * estimated single-thread time (AOP_GRAIN_NS by default). Handing work to
 * another thread and joining it costs tens of microseconds where the device
 * runs (QEMU's worker threads share the host's cores with the vCPUs and
 * wake through futexes), more than most layers of a small model take.
 *
 * Errors carry a status, the operand at fault and a message such as
 * "Conv2D: input 1: dims[1] is 3, expected C/group = 4".
 */
#ifndef AOP_H
#define AOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AOP_MAX_DIMS        8
#define AOP_MAX_TENSORS     64
/*
 * No tensor may hold more elements than this: keeps every index product
 * of two element counts inside int64_t.
 */
#define AOP_MAX_ELEMS       (1LL << 40)
/* Largest thread count a context may ask for (the device's AI Core max). */
#define AOP_MAX_THREADS     64

/* Data types: AscendCL's aclDataType numbers. */
#define AOP_DT_FLOAT        0u
#define AOP_DT_FLOAT16      1u
#define AOP_DT_INT8         2u
#define AOP_DT_INT32        3u
#define AOP_DT_UINT8        4u
#define AOP_DT_INT16        6u
#define AOP_DT_UINT16       7u
#define AOP_DT_UINT32       8u
#define AOP_DT_INT64        9u
#define AOP_DT_UINT64       10u
#define AOP_DT_DOUBLE       11u
#define AOP_DT_BOOL         12u
#define AOP_DT_BF16         27u
/* ACL_DT_UNDEFINED (-1): marks an omitted optional input. */
#define AOP_DT_NONE         0xffffffffu

/* Formats: AscendCL's aclFormat numbers. Others are refused. */
#define AOP_FMT_NCHW        0u
#define AOP_FMT_NHWC        1u
#define AOP_FMT_ND          2u
#define AOP_FMT_UNDEFINED   0xffffffffu

/* struct aop_tensor.flags */
#define AOP_TENSOR_STRIDED  (1u << 0)   /* strides[] are valid */

/**
 * struct aop_tensor - one operand
 * @data: first element (may be NULL only when the tensor has no elements)
 * @size: bytes at @data the op may touch; must cover the shape
 * @dtype: AOP_DT_*; AOP_DT_NONE for an omitted optional input
 * @format: AOP_FMT_*
 * @ndim: dimensions used (0: a scalar)
 * @flags: AOP_TENSOR_*
 * @dims: sizes, outermost first
 * @strides: in elements, when AOP_TENSOR_STRIDED; otherwise the tensor is
 *     contiguous (row-major) and @strides is ignored. Only inputs of the
 *     elementwise, unary and cast ops may be strided.
 */
struct aop_tensor {
    void *data;
    uint64_t size;
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    uint32_t flags;
    int64_t dims[AOP_MAX_DIMS];
    int64_t strides[AOP_MAX_DIMS];
};

/* Attribute types: the same numbers as VASCEND_ATTR_* (vascend_op.h). */
#define AOP_ATTR_INT        1u  /* count x int64_t */
#define AOP_ATTR_FLOAT      2u  /* count x float */
#define AOP_ATTR_BOOL       3u  /* count x uint8_t, 0 or 1 */
#define AOP_ATTR_STRING     4u  /* count bytes, no NUL needed */

/**
 * struct aop_attr - one attribute, as the op descriptor carries it
 * @name: NUL-terminated
 * @type: AOP_ATTR_*
 * @count: elements (bytes for strings)
 * @data: the elements
 */
struct aop_attr {
    const char *name;
    uint32_t type;
    uint32_t count;
    const void *data;
};

/**
 * struct aop_ctx - how to run
 * @threads: threads a launch may use (the AI Core count), 1..AOP_MAX_THREADS
 * @reference: run the plain reference implementation of every op instead
 *     of the fast path (the device's cross-check property)
 * @grain_ns: least estimated single-thread time worth a thread of its own;
 *     0: AOP_GRAIN_NS; 1: every launch with work to split uses all
 *     @threads (tests of the parallel paths)
 */
struct aop_ctx {
    uint32_t threads;
    bool reference;
    uint64_t grain_ns;
};

/*
 * The default grain: 250 us. Waking a parked OpenMP or worker thread and
 * joining it costs 20-30 us on an idle 2-core host and far more in QEMU,
 * whose vCPUs share those cores: there BlazeFace's first convolution
 * (about 230 us of work) ran slower on two threads than on one
 * (docs/performance.md).
 */
#define AOP_GRAIN_NS        250000u

enum aop_status {
    AOP_OK = 0,
    AOP_E_UNKNOWN_OP,       /* no op with that id or name */
    AOP_E_OPERANDS,         /* wrong number of inputs or outputs */
    AOP_E_DTYPE,            /* dtype not supported, or operands disagree */
    AOP_E_FORMAT,           /* format or layout (strides) not supported */
    AOP_E_SHAPE,            /* ranks or dims do not fit */
    AOP_E_ATTR,             /* attribute missing, mistyped, out of range */
    AOP_E_SIZE,             /* element count overflows, or buffer too small */
    AOP_E_VALUE,            /* a tensor value out of range (an index) */
    AOP_E_UNSUPPORTED,      /* valid, but not a case this library does */
    AOP_E_NOMEM,
    AOP_E_INTERNAL,         /* a backing library (oneDNN) refused */
};

/* struct aop_error.operand */
#define AOP_OPERAND_NONE    (-1)
#define AOP_OPERAND_OUT     0x100   /* outputs: AOP_OPERAND_OUT + index */
#define AOP_IN(i)           (i)
#define AOP_OUT(i)          (AOP_OPERAND_OUT + (i))

#define AOP_MSG_LEN         192

/**
 * struct aop_error - why a launch failed
 * @status: enum aop_status
 * @operand: input index, AOP_OPERAND_OUT + output index, or AOP_OPERAND_NONE
 * @msg: "<op>: <operand>: <reason>", NUL-terminated
 */
struct aop_error {
    int status;
    int operand;
    char msg[AOP_MSG_LEN];
};

/**
 * struct aop_op_info - one row of the op table
 * @id: op id, as in the firmware's op table
 * @version: implementation version
 * @cann: the CANN op type name
 * @cann_alt: more CANN names, space-separated ("" when none)
 * @onnx: ONNX op_type names, space-separated ("" when none)
 * @family: source file family ("elementwise", "matmul", ...)
 * @dtypes: the dtypes it takes, for people
 * @attrs: its attributes with defaults, for people
 * @fast: what its fast path uses, for people
 */
struct aop_op_info {
    uint32_t id;
    uint32_t version;
    const char *cann;
    const char *cann_alt;
    const char *onnx;
    const char *family;
    const char *dtypes;
    const char *attrs;
    const char *fast;
};

/* The table: rows 0..aop_op_count()-1, in id order. */
size_t aop_op_count(void);
const struct aop_op_info *aop_op_at(size_t i);
/* By id; NULL when unknown. */
const struct aop_op_info *aop_op_by_id(uint32_t id);
/* By CANN name (primary or alternative); 0 when unknown. Case-sensitive. */
uint32_t aop_find_cann(const char *name);
/* By ONNX op_type (default domain); 0 when unknown. */
uint32_t aop_find_onnx(const char *op_type);

struct aop_launch;

/*
 * Check a launch of op @op_id and plan it. Reads small parameter tensors
 * (Slice starts, Pad pads, Gather indices, ...) already, so their data must
 * be in place. On success *@launch is set (free it with aop_launch_free());
 * otherwise @err says why and *@launch is NULL. The tensor arrays are
 * copied; the tensors' data must stay valid until the launch is freed.
 */
int aop_prepare(const struct aop_ctx *ctx, uint32_t op_id,
                const struct aop_tensor *in, uint32_t nin,
                const struct aop_tensor *out, uint32_t nout,
                const struct aop_attr *attrs, uint32_t nattrs,
                struct aop_launch **launch, struct aop_error *err);

/* Tiles the launch splits into (>= 1; a launch of an empty output has 1). */
uint32_t aop_launch_tiles(const struct aop_launch *l);
/* True when the single tile uses aop_launch_threads() threads itself. */
bool aop_launch_self_threaded(const struct aop_launch *l);
/*
 * Threads worth using for the launch: 1..ctx->threads, from its estimated
 * work and ctx->grain_ns. Spread its tiles over at most this many threads.
 */
uint32_t aop_launch_threads(const struct aop_launch *l);
/* True when the launch runs the reference path. */
bool aop_launch_is_reference(const struct aop_launch *l);

/*
 * Run tiles [@first, @first + @count). Thread-safe for disjoint ranges of
 * one launch. Returns AOP_OK or an error (a backing library's failure).
 */
int aop_launch_run(struct aop_launch *l, uint32_t first, uint32_t count,
                   struct aop_error *err);

void aop_launch_free(struct aop_launch *l);

/* Prepare, run every tile (over aop_launch_threads() threads) and free. */
int aop_run(const struct aop_ctx *ctx, uint32_t op_id,
            const struct aop_tensor *in, uint32_t nin,
            const struct aop_tensor *out, uint32_t nout,
            const struct aop_attr *attrs, uint32_t nattrs,
            struct aop_error *err);

/* Helpers for callers. */
const char *aop_status_name(int status);
const char *aop_dtype_name(uint32_t dtype);
/* Bytes per element; 0 for an unknown dtype. */
size_t aop_dtype_size(uint32_t dtype);
/*
 * Fill a contiguous tensor: @dims copied, size = elements * dtype size
 * (0 when that overflows). format is ND.
 */
void aop_tensor_init(struct aop_tensor *t, void *data, uint32_t dtype,
                     uint32_t ndim, const int64_t *dims);
/* Elements of a shape; -1 when a dim is negative or the count overflows. */
int64_t aop_shape_elems(uint32_t ndim, const int64_t *dims);

/* IEEE half and bfloat16 conversions (round to nearest even). */
float aop_f16_to_f32(uint16_t h);
uint16_t aop_f32_to_f16(float f);
float aop_bf16_to_f32(uint16_t h);
uint16_t aop_f32_to_bf16(float f);

#endif /* AOP_H */
