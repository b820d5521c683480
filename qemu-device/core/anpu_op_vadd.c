/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: TestVectorAdd, the built-in op that proves the
 * launch path end to end: c = a + b over fp32 tensors of one shape, ND
 * format, no attributes, under whatever id the firmware gives it. The
 * operator library's ops are registered by the environment (anpu_engine.h).
 */
#include <string.h>

#include "anpu_engine.h"
#include "vascend_op.h"

#define VADD_DTYPE_FLOAT32      0
#define VADD_FORMAT_ND          2
/* Elements per tile: 64 KiB of each tensor. */
#define VADD_TILE               16384

static bool same_shape(const struct vascend_tensor_desc *a,
                       const struct vascend_tensor_desc *b)
{
    return a->ndim == b->ndim && !memcmp(a->dims, b->dims, sizeof(a->dims));
}

static uint32_t vadd_validate(const struct anpu_launch *l, uint32_t *operand)
{
    uint32_t k;

    *operand = VASCEND_OP_ERR_HEADER;
    if (l->ninputs != 2 || l->noutputs != 1) {
        return VASCEND_OP_ERR_COUNT;
    }
    for (k = 0; k < 3; k++) {
        *operand = k;
        if (l->t[k].desc.dtype != VADD_DTYPE_FLOAT32) {
            return VASCEND_OP_ERR_DTYPE;
        }
        if (l->t[k].desc.format != VADD_FORMAT_ND) {
            return VASCEND_OP_ERR_FORMAT;
        }
        if (!same_shape(&l->t[k].desc, &l->t[0].desc)) {
            return VASCEND_OP_ERR_SHAPE;
        }
    }
    if (l->nattrs) {
        *operand = VASCEND_OP_ERR_ATTR(0);
        return VASCEND_OP_ERR_ATTR_VALUE;
    }
    return 0;
}

static uint64_t vadd_tiles(const struct anpu_launch *l)
{
    return (l->t[0].nelem + VADD_TILE - 1) / VADD_TILE;
}

static uint32_t vadd_run(struct anpu_launch *l, uint64_t first, uint64_t end)
{
    const uint8_t *a = l->t[0].data, *b = l->t[1].data;
    uint8_t *c = l->t[2].data;
    uint64_t i, stop = end * VADD_TILE;
    float x, y;

    if (stop > l->t[0].nelem) {
        stop = l->t[0].nelem;
    }
    /* Tensors need not be aligned: load and store through memcpy. */
    for (i = first * VADD_TILE; i < stop; i++) {
        memcpy(&x, a + 4 * i, 4);
        memcpy(&y, b + 4 * i, 4);
        x += y;
        memcpy(c + 4 * i, &x, 4);
    }
    return 0;
}

const struct anpu_op_impl anpu_op_test_vector_add = {
    .name = "TestVectorAdd",
    .version = 1,
    .validate = vadd_validate,
    .tiles = vadd_tiles,
    .run = vadd_run,
};
