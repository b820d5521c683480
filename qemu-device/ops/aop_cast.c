/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Cast between fp32, fp16, bf16, double, int8, uint8, int32, int64 and
 * bool. Float to integer truncates toward zero and saturates (NaN gives 0)
 * so no guest value is undefined behaviour; integer to integer wraps;
 * anything to bool is "!= 0" (NaN is true, as in numpy).
 *
 * Reference: element by element (inputs may be strided). Fast: contiguous
 * fp32 <-> fp16/bf16 in bulk (F16C), same-type copies with memcpy.
 */
#include <stdlib.h>

#include "aop_internal.h"

#define CAST_DTM (AOP_DTM_ALL | AOP_DTM(AOP_DT_DOUBLE))

/* ONNX TensorProto.DataType -> aclDataType; AOP_DT_NONE when unknown. */
static uint32_t onnx_to_acl(int64_t t)
{
    switch (t) {
    case 1:
        return AOP_DT_FLOAT;
    case 2:
        return AOP_DT_UINT8;
    case 3:
        return AOP_DT_INT8;
    case 4:
        return AOP_DT_UINT16;
    case 5:
        return AOP_DT_INT16;
    case 6:
        return AOP_DT_INT32;
    case 7:
        return AOP_DT_INT64;
    case 9:
        return AOP_DT_BOOL;
    case 10:
        return AOP_DT_FLOAT16;
    case 11:
        return AOP_DT_DOUBLE;
    case 12:
        return AOP_DT_UINT32;
    case 13:
        return AOP_DT_UINT64;
    case 16:
        return AOP_DT_BF16;
    default:
        return AOP_DT_NONE;
    }
}

static int cast_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t to, dst, trunc;
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), CAST_DTM);
    if (!rc) {
        rc = aop_want_dtype(l, AOP_OUT(0), CAST_DTM);
    }
    if (!rc) {
        rc = aop_attr_int(l, "to", NULL, -1, &to);
    }
    if (!rc) {
        rc = aop_attr_int(l, "dst_type", NULL, -1, &dst);
    }
    if (!rc) {
        rc = aop_attr_int(l, "truncate", NULL, 0, &trunc);   /* CANN */
    }
    if (rc) {
        return rc;
    }
    if (to != -1 && onnx_to_acl(to) != l->out[0].dtype) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'to' %" PRId64 " (ONNX type) does not "
                        "match the output's %s", to,
                        aop_dtype_name(l->out[0].dtype));
    }
    if (dst != -1 && (uint64_t)dst != l->out[0].dtype) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'dst_type' %" PRId64 " does not match the "
                        "output's %s", dst, aop_dtype_name(l->out[0].dtype));
    }
    rc = aop_want_out_shape(l, 0, X->ndim, X->dims);
    if (rc) {
        return rc;
    }
    l->tiles = aop_flat_tiles(aop_numel(X));
    return AOP_OK;
}

struct cast_row {
    const struct aop_nd *nd;
    const char *x;
    char *o;
    uint32_t dx, dy;
    bool fast;
};

static void cast_row_cb(void *arg, const int64_t *offs, int64_t n)
{
    const struct cast_row *r = arg;
    uint32_t last = r->nd->ndim - 1;
    int64_t so = r->nd->strides[0][last], sx = r->nd->strides[1][last];
    size_t ex = aop_dtype_size(r->dx), ey = aop_dtype_size(r->dy);
    bool fx = aop_dt_is_float(r->dx), fy = aop_dt_is_float(r->dy);

    if (r->fast && so == 1 && sx == 1) {
        const char *src = r->x + (size_t)offs[1] * ex;
        char *dst = r->o + (size_t)offs[0] * ey;
        if (r->dx == r->dy) {
            memcpy(dst, src, (size_t)n * ex);
            return;
        }
        if (r->dx == AOP_DT_FLOAT && (r->dy == AOP_DT_FLOAT16 ||
                                      r->dy == AOP_DT_BF16)) {
            aop_from_f32_n((const float *)(const void *)src, dst, r->dy, n);
            return;
        }
        if (r->dy == AOP_DT_FLOAT && (r->dx == AOP_DT_FLOAT16 ||
                                      r->dx == AOP_DT_BF16)) {
            aop_to_f32_n(src, r->dx, (float *)(void *)dst, n);
            return;
        }
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t io = offs[0] + i * so, ix = offs[1] + i * sx;
        if (!fx && !fy) {
            aop_st_i(r->o, io, r->dy, aop_ld_i(r->x, ix, r->dx));
        } else if (r->dx == AOP_DT_FLOAT && r->dy != AOP_DT_DOUBLE) {
            aop_st_f(r->o, io, r->dy, aop_ld_f(r->x, ix, r->dx));
        } else if (!fx && fy && r->dx == AOP_DT_INT64) {
            aop_st_d(r->o, io, r->dy, (double)aop_ld_i(r->x, ix, r->dx));
        } else {
            aop_st_d(r->o, io, r->dy, aop_ld_d(r->x, ix, r->dx));
        }
    }
}

static int cast_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct aop_tensor *out = &l->out[0];
    struct aop_nd nd = { .ndim = out->ndim, .nops = 2 };
    struct cast_row r = {
        .nd = &nd, .x = l->in[0].data, .o = out->data,
        .dx = l->in[0].dtype, .dy = out->dtype, .fast = !l->reference,
    };
    int64_t n = aop_numel(out);

    memcpy(nd.dims, out->dims, sizeof(nd.dims));
    aop_nd_set(&nd, 0, out);
    aop_nd_set(&nd, 1, &l->in[0]);
    aop_nd_coalesce(&nd);
    for (uint32_t t = first; t < end; t++) {
        int64_t b0, b1;
        aop_flat_range(n, l->tiles, t, &b0, &b1);
        aop_nd_walk(&nd, b0, b1, cast_row_cb, &r);
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_cast = {
    .prepare = cast_prepare,
    .run = cast_run,
};
