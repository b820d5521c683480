/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop internals shared by the op families: the launch, the table row,
 * attribute and operand checks, element access for every dtype, the n-d
 * broadcasting iterator, and the tile spreader.
 */
#ifndef AOP_INTERNAL_H
#define AOP_INTERNAL_H

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "aop.h"

#define AOP_MAX_ATTRS       64
/*
 * Elements per tile of the flat (elementwise-like) ops: big enough that a
 * tile amortises its start, small enough to balance 64 cores.
 */
#define AOP_TILE_ELEMS      (64 * 1024)
#define AOP_MAX_TILES       4096

struct aop_launch;

/* What a family provides for each of its ops. */
struct aop_impl {
    /*
     * Check operands and attributes, set l->tiles (and l->self_threaded),
     * allocate l->priv. Returns AOP_OK or the aop_fail() status.
     */
    int (*prepare)(struct aop_launch *l);
    /* Run tiles [first, end). */
    int (*run)(struct aop_launch *l, uint32_t first, uint32_t end);
    /* Free what prepare allocated besides l->priv (optional). */
    void (*cleanup)(struct aop_launch *l);
};

/* struct aop_op.flags */
#define AOP_OPF_EMPTY_OK    (1u << 0)   /* zero-sized dims allowed */
#define AOP_OPF_STRIDED_OK  (1u << 1)   /* strided inputs allowed */
/* inputs after the first may be empty */
#define AOP_OPF_EMPTY_PARAMS (1u << 2)

/* One row of the table, with what the core needs to check and dispatch. */
struct aop_op {
    struct aop_op_info info;
    const struct aop_impl *impl;
    int kind;                   /* family-specific: which op of the family */
    uint8_t min_in, max_in, min_out, max_out;
    uint32_t flags;
};

struct aop_launch {
    const struct aop_op *op;
    struct aop_ctx ctx;
    const char *name;           /* for messages */
    struct aop_tensor in[AOP_MAX_TENSORS];
    struct aop_tensor out[AOP_MAX_TENSORS];
    uint32_t nin, nout;
    const struct aop_attr *attrs;   /* valid during prepare only */
    uint32_t nattrs;
    uint64_t attr_used;         /* bit i: attrs[i] was read */
    uint32_t tiles;
    bool self_threaded;
    /*
     * Estimated single-thread time in ns (aop_set_work()): from the
     * operands' bytes unless the op's prepare knows better.
     */
    uint64_t work_ns;
    uint32_t threads;           /* worth using: aop_launch_threads() */
    bool reference;             /* run the reference path */
    struct aop_error err;
    void *priv;                 /* family's plan, freed with the launch */
};

/* ---- errors ---- */

/* Record why the launch fails; returns @status. */
int aop_fail(struct aop_launch *l, int status, int operand, const char *fmt,
             ...) __attribute__((format(printf, 4, 5)));
/* "input 1" / "output 0" */
const char *aop_operand_str(int operand, char *buf, size_t len);


/* ---- attributes ---- */

/*
 * Each getter looks for @name, then for @alias (may be NULL), marks the
 * attribute read and converts it; absent gives the default (and returns
 * AOP_OK with *present false when asked). A wrong type or count fails with
 * AOP_E_ATTR. Attributes no getter read make the launch fail after
 * prepare ("unknown attribute").
 */
int aop_attr_int(struct aop_launch *l, const char *name, const char *alias,
                 int64_t def, int64_t *out);
int aop_attr_float(struct aop_launch *l, const char *name, const char *alias,
                   float def, float *out);
/* Up to @max elements into @out; *@count = 0 when absent. */
int aop_attr_ints(struct aop_launch *l, const char *name, const char *alias,
                  int64_t *out, uint32_t max, uint32_t *count);
int aop_attr_floats(struct aop_launch *l, const char *name, const char *alias,
                    float *out, uint32_t max, uint32_t *count);
/* NUL-terminated into @buf; @def when absent. Too long fails. */
int aop_attr_string(struct aop_launch *l, const char *name, const char *alias,
                    char *buf, size_t len, const char *def);
/* True when present (marks nothing). */
bool aop_attr_has(const struct aop_launch *l, const char *name);

/* ---- operands ---- */

static inline bool aop_has_in(const struct aop_launch *l, uint32_t i)
{
    return i < l->nin && l->in[i].dtype != AOP_DT_NONE;
}

static inline bool aop_has_out(const struct aop_launch *l, uint32_t i)
{
    return i < l->nout && l->out[i].dtype != AOP_DT_NONE;
}

static inline int64_t aop_numel(const struct aop_tensor *t)
{
    /* Checked by the core before prepare: never overflows. */
    int64_t n = 1;
    for (uint32_t i = 0; i < t->ndim; i++) {
        n *= t->dims[i];
    }
    return n;
}

#define AOP_DTM(dt)         (1ull << (dt))
#define AOP_DTM_FLOATS      (AOP_DTM(AOP_DT_FLOAT) | AOP_DTM(AOP_DT_FLOAT16) | \
                             AOP_DTM(AOP_DT_BF16))
#define AOP_DTM_INTS        (AOP_DTM(AOP_DT_INT8) | AOP_DTM(AOP_DT_UINT8) | \
                             AOP_DTM(AOP_DT_INT32) | AOP_DTM(AOP_DT_INT64))
#define AOP_DTM_INDEX       (AOP_DTM(AOP_DT_INT32) | AOP_DTM(AOP_DT_INT64))
#define AOP_DTM_ALL         (AOP_DTM_FLOATS | AOP_DTM_INTS | \
                             AOP_DTM(AOP_DT_BOOL))

static inline bool aop_dt_in(uint32_t dt, uint64_t mask)
{
    return dt < 64 && (mask & AOP_DTM(dt));
}

static inline bool aop_dt_is_float(uint32_t dt)
{
    return dt == AOP_DT_FLOAT || dt == AOP_DT_FLOAT16 || dt == AOP_DT_BF16 ||
           dt == AOP_DT_DOUBLE;
}

/* Fail unless operand's dtype is in @mask. */
int aop_want_dtype(struct aop_launch *l, int operand, uint64_t mask);
/* Fail unless operand @b has operand @a's dtype. */
int aop_want_same_dtype(struct aop_launch *l, int a, int b);
/* Fail unless output @i has exactly this shape. */
int aop_want_out_shape(struct aop_launch *l, uint32_t i, uint32_t ndim,
                       const int64_t *dims);
/* Fail unless operand is contiguous. */
int aop_want_contiguous(struct aop_launch *l, int operand);
/* Fail unless the operand's rank is within [lo, hi]. */
int aop_want_rank(struct aop_launch *l, int operand, uint32_t lo, uint32_t hi);
const struct aop_tensor *aop_operand(const struct aop_launch *l, int operand);

/*
 * Normalise axis @a of a rank-@rank tensor (negative counts from the end);
 * fails with AOP_E_ATTR naming @what when out of range.
 */
int aop_axis(struct aop_launch *l, const char *what, int64_t a, uint32_t rank,
             uint32_t *out);

/*
 * Read a 1-D (or scalar) int32/int64 parameter tensor of at most @max
 * elements (Slice starts, Pad pads, shapes, axes ...).
 */
int aop_read_ints(struct aop_launch *l, int operand, int64_t *out,
                  uint32_t max, uint32_t *count);
/* Read a one-element tensor of any supported dtype as a double. */
int aop_read_scalar(struct aop_launch *l, int operand, double *out);

/* Format a shape "[2,3,4]" into @buf. */
const char *aop_shape_str(uint32_t ndim, const int64_t *dims, char *buf,
                          size_t len);

/* ---- element access, any dtype ---- */

static inline float aop_ld_f(const void *p, int64_t i, uint32_t dt)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        return ((const float *)p)[i];
    case AOP_DT_FLOAT16:
        return aop_f16_to_f32(((const uint16_t *)p)[i]);
    case AOP_DT_BF16:
        return aop_bf16_to_f32(((const uint16_t *)p)[i]);
    case AOP_DT_DOUBLE:
        return (float)((const double *)p)[i];
    case AOP_DT_INT8:
        return ((const int8_t *)p)[i];
    case AOP_DT_UINT8:
        return ((const uint8_t *)p)[i];
    case AOP_DT_INT16:
        return ((const int16_t *)p)[i];
    case AOP_DT_INT32:
        return (float)((const int32_t *)p)[i];
    case AOP_DT_INT64:
        return (float)((const int64_t *)p)[i];
    case AOP_DT_BOOL:
        return ((const uint8_t *)p)[i] ? 1.0f : 0.0f;
    default:
        return 0.0f;
    }
}

static inline double aop_ld_d(const void *p, int64_t i, uint32_t dt)
{
    switch (dt) {
    case AOP_DT_DOUBLE:
        return ((const double *)p)[i];
    case AOP_DT_INT32:
        return ((const int32_t *)p)[i];
    case AOP_DT_INT64:
        return (double)((const int64_t *)p)[i];
    default:
        return aop_ld_f(p, i, dt);
    }
}

static inline int64_t aop_ld_i(const void *p, int64_t i, uint32_t dt)
{
    switch (dt) {
    case AOP_DT_INT8:
        return ((const int8_t *)p)[i];
    case AOP_DT_UINT8:
        return ((const uint8_t *)p)[i];
    case AOP_DT_INT16:
        return ((const int16_t *)p)[i];
    case AOP_DT_INT32:
        return ((const int32_t *)p)[i];
    case AOP_DT_INT64:
        return ((const int64_t *)p)[i];
    case AOP_DT_BOOL:
        return ((const uint8_t *)p)[i] != 0;
    default: {
        /*
         * Float to int: truncate toward zero, saturate, NaN is 0, so
         * nothing a guest sends is undefined behaviour.
         */
        double d = aop_ld_d(p, i, dt);
        if (d != d) {
            return 0;
        }
        if (d >= 9.2233720368547758e18) {
            return INT64_MAX;
        }
        if (d <= -9.2233720368547758e18) {
            return INT64_MIN;
        }
        return (int64_t)d;
    }
    }
}

/* Integers wrap to the width of @dt (two's complement), as ONNX does. */
static inline void aop_st_i(void *p, int64_t i, uint32_t dt, int64_t v)
{
    switch (dt) {
    case AOP_DT_INT8:
        ((int8_t *)p)[i] = (int8_t)(uint8_t)(uint64_t)v;
        break;
    case AOP_DT_UINT8:
        ((uint8_t *)p)[i] = (uint8_t)(uint64_t)v;
        break;
    case AOP_DT_INT16:
        ((int16_t *)p)[i] = (int16_t)(uint16_t)(uint64_t)v;
        break;
    case AOP_DT_INT32:
        ((int32_t *)p)[i] = (int32_t)(uint32_t)(uint64_t)v;
        break;
    case AOP_DT_INT64:
        ((int64_t *)p)[i] = v;
        break;
    case AOP_DT_BOOL:
        ((uint8_t *)p)[i] = v != 0;
        break;
    case AOP_DT_FLOAT:
        ((float *)p)[i] = (float)v;
        break;
    case AOP_DT_DOUBLE:
        ((double *)p)[i] = (double)v;
        break;
    case AOP_DT_FLOAT16:
        ((uint16_t *)p)[i] = aop_f32_to_f16((float)v);
        break;
    case AOP_DT_BF16:
        ((uint16_t *)p)[i] = aop_f32_to_bf16((float)v);
        break;
    default:
        break;
    }
}

static inline void aop_st_d(void *p, int64_t i, uint32_t dt, double v)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        ((float *)p)[i] = (float)v;
        break;
    case AOP_DT_DOUBLE:
        ((double *)p)[i] = v;
        break;
    case AOP_DT_FLOAT16:
        ((uint16_t *)p)[i] = aop_f32_to_f16((float)v);
        break;
    case AOP_DT_BF16:
        ((uint16_t *)p)[i] = aop_f32_to_bf16((float)v);
        break;
    case AOP_DT_BOOL:
        ((uint8_t *)p)[i] = v != 0;
        break;
    default: {
        int64_t iv;
        if (v != v) {
            iv = 0;
        } else if (v >= 9.2233720368547758e18) {
            iv = INT64_MAX;
        } else if (v <= -9.2233720368547758e18) {
            iv = INT64_MIN;
        } else {
            iv = (int64_t)v;
        }
        aop_st_i(p, i, dt, iv);
        break;
    }
    }
}

static inline void aop_st_f(void *p, int64_t i, uint32_t dt, float v)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        ((float *)p)[i] = v;
        break;
    case AOP_DT_FLOAT16:
        ((uint16_t *)p)[i] = aop_f32_to_f16(v);
        break;
    case AOP_DT_BF16:
        ((uint16_t *)p)[i] = aop_f32_to_bf16(v);
        break;
    default:
        aop_st_d(p, i, dt, v);
        break;
    }
}

/* Bulk conversions for the fast paths (F16C when the CPU has it). */
void aop_f16_to_f32_n(const uint16_t *src, float *dst, int64_t n);
void aop_f32_to_f16_n(const float *src, uint16_t *dst, int64_t n);
void aop_bf16_to_f32_n(const uint16_t *src, float *dst, int64_t n);
void aop_f32_to_bf16_n(const float *src, uint16_t *dst, int64_t n);
/* Any float dtype to/from fp32 (memcpy for fp32). */
void aop_to_f32_n(const void *src, uint32_t dt, float *dst, int64_t n);
void aop_from_f32_n(const float *src, void *dst, uint32_t dt, int64_t n);

/* The same, split over @threads threads (large conversions of fast paths). */
void aop_to_f32_par(const void *src, uint32_t dt, float *dst, int64_t n,
                    uint32_t threads);
void aop_from_f32_par(const float *src, void *dst, uint32_t dt, int64_t n,
                      uint32_t threads);

/*
 * Scratch memory kept per thread between launches (the engine's workers
 * live long: a fast path does not fault in fresh pages every launch).
 * Returns at least @bytes, 64-byte aligned, or NULL; valid until the same
 * thread asks again. Freed when the thread exits.
 */
void *aop_scratch(size_t bytes);

/* ---- n-d iteration with broadcasting ---- */

#define AOP_ND_MAX_OPS      4

/*
 * Operands 0..nops-1 share one iteration space @dims (the output's); each
 * has element strides (0 where it broadcasts). The space is walked in
 * rows along the last dim.
 */
struct aop_nd {
    uint32_t ndim;
    uint32_t nops;
    int64_t dims[AOP_MAX_DIMS];
    int64_t strides[AOP_ND_MAX_OPS][AOP_MAX_DIMS];
};

/*
 * Set operand @k's strides for tensor @t broadcast to nd->dims (aligned
 * to the right, numpy style). The caller has checked it broadcasts.
 */
void aop_nd_set(struct aop_nd *nd, uint32_t k, const struct aop_tensor *t);
/* Merge dims that are contiguous for every operand. */
void aop_nd_coalesce(struct aop_nd *nd);
/*
 * Row callback: element offsets of each operand at the row start, and the
 * row length; the row's per-operand stride is nd->strides[k][ndim-1].
 */
typedef void (*aop_row_fn)(void *arg, const int64_t *offs, int64_t n);
/* Visit flat output elements [begin, end) row by row. */
void aop_nd_walk(const struct aop_nd *nd, int64_t begin, int64_t end,
                 aop_row_fn fn, void *arg);

/*
 * Numpy broadcast of operands @ops (inputs) into @dims/@ndim; fails with
 * AOP_E_SHAPE naming the operand that does not fit.
 */
int aop_broadcast(struct aop_launch *l, const int *ops, uint32_t nops,
                  int64_t *dims, uint32_t *ndim);

/* Tiles for a flat range of @n elements; and the range of tile @t. */
uint32_t aop_flat_tiles(int64_t n);
void aop_flat_range(int64_t n, uint32_t tiles, uint32_t t, int64_t *begin,
                    int64_t *end);

/*
 * Visit every index of an @n-dim box of extents @ext, last dim fastest:
 *   for (ok = aop_box_first(ix, ext, n); ok; ok = aop_box_next(ix, ext, n))
 * A box with an empty extent has no index.
 */
static inline bool aop_box_first(int64_t *ix, const int64_t *ext, int n)
{
    bool any = true;

    for (int d = 0; d < n; d++) {
        ix[d] = 0;
        any = any && ext[d] > 0;
    }
    return any;
}

static inline bool aop_box_next(int64_t *ix, const int64_t *ext, int n)
{
    for (int d = n - 1; d >= 0; d--) {
        if (++ix[d] < ext[d]) {
            return true;
        }
        ix[d] = 0;
    }
    return false;
}

/* ---- threads ---- */

/*
 * Run fn(arg, first, end) over [0, n) split into at most @threads
 * contiguous ranges, on that many threads (the caller's is one of them).
 */
typedef int (*aop_range_fn)(void *arg, uint32_t first, uint32_t end);
int aop_parallel(uint32_t threads, uint32_t n, aop_range_fn fn, void *arg);

/*
 * Estimated cost of the common kinds of work, in ns on one core, for
 * aop_set_work(): a multiply-add of the fast (oneDNN/OpenBLAS) paths, and
 * a byte an op streams through. Rough on purpose: they only decide whether
 * a second thread is worth waking (AOP_GRAIN_NS).
 */
#define AOP_MACS_PER_NS     32
#define AOP_BYTES_PER_NS    8

/*
 * Set the launch's estimated single-thread time and, from it, the threads
 * worth using (l->threads). Before an op's prepare runs, the estimate is
 * the operands' bytes at AOP_BYTES_PER_NS; ops whose cost the bytes do not
 * tell (convolutions, matrix products) call it in prepare, before they
 * create a oneDNN primitive for l->threads threads.
 */
void aop_set_work(struct aop_launch *l, uint64_t work_ns);

/* Set OpenBLAS's thread count (process-wide) to @n when it differs. */
void aop_blas_threads(uint32_t n);

/* ---- families ---- */

extern const struct aop_impl aop_impl_binary;
extern const struct aop_impl aop_impl_where;
extern const struct aop_impl aop_impl_unary;
extern const struct aop_impl aop_impl_clip;
extern const struct aop_impl aop_impl_matmul;
extern const struct aop_impl aop_impl_gemm;
extern const struct aop_impl aop_impl_conv;
extern const struct aop_impl aop_impl_convt;
extern const struct aop_impl aop_impl_pool;
extern const struct aop_impl aop_impl_gpool;
extern const struct aop_impl aop_impl_softmax;
extern const struct aop_impl aop_impl_batchnorm;
extern const struct aop_impl aop_impl_layernorm;
extern const struct aop_impl aop_impl_instancenorm;
extern const struct aop_impl aop_impl_reduce;
extern const struct aop_impl aop_impl_cast;
extern const struct aop_impl aop_impl_transpose;
extern const struct aop_impl aop_impl_concat;
extern const struct aop_impl aop_impl_split;
extern const struct aop_impl aop_impl_slice;
extern const struct aop_impl aop_impl_pad;
extern const struct aop_impl aop_impl_resize;
extern const struct aop_impl aop_impl_gather;
extern const struct aop_impl aop_impl_expand;
extern const struct aop_impl aop_impl_tile;

/* Kinds within families (struct aop_op.kind). */
enum aop_binary_kind {
    AOP_BIN_ADD, AOP_BIN_SUB, AOP_BIN_MUL, AOP_BIN_DIV, AOP_BIN_POW,
    AOP_BIN_MAX, AOP_BIN_MIN, AOP_BIN_EQUAL, AOP_BIN_GREATER, AOP_BIN_LESS,
};

enum aop_unary_kind {
    AOP_UN_RELU, AOP_UN_LEAKY_RELU, AOP_UN_SIGMOID, AOP_UN_HARD_SIGMOID,
    AOP_UN_HARD_SWISH, AOP_UN_TANH, AOP_UN_GELU, AOP_UN_ERF, AOP_UN_EXP,
    AOP_UN_LOG, AOP_UN_SQRT, AOP_UN_RECIPROCAL, AOP_UN_ABS, AOP_UN_NEG,
};

enum aop_matmul_kind { AOP_MM_MATMUL, AOP_MM_BATCH };
enum aop_pool_kind { AOP_POOL_MAX, AOP_POOL_AVG };
enum aop_softmax_kind { AOP_SM_SOFTMAX, AOP_SM_LOGSOFTMAX };
enum aop_reduce_kind { AOP_RED_SUM, AOP_RED_MEAN, AOP_RED_MAX, AOP_RED_MIN };

/* The table (aop_table.c). */
extern const struct aop_op aop_ops[];
extern const size_t aop_ops_count;
const struct aop_op *aop_op_find(uint32_t id);

#endif /* AOP_INTERNAL_H */
