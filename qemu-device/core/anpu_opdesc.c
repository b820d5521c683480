/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: op descriptor parsing (vascend_op.h). The
 * descriptor is a private copy of guest memory and distrusted field by
 * field: every offset is checked against what is left of the buffer
 * before it is used, every product for overflow before it is formed.
 */
#include <stddef.h>
#include <string.h>

#include "anpu_engine.h"
#include "vascend_op.h"

#define HDR_SIZE        sizeof(struct vascend_op_desc)
#define TENSOR_SIZE     sizeof(struct vascend_tensor_desc)
#define ATTR_HDR_SIZE   sizeof(struct vascend_op_attr)

_Static_assert(sizeof(struct vascend_op_desc) == 64, "op desc header");
_Static_assert(sizeof(struct vascend_tensor_desc) == 96, "tensor desc");
_Static_assert(sizeof(struct vascend_op_attr) == 48, "attr header");

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

#define HDR(f)          offsetof(struct vascend_op_desc, f)
#define TEN(f)          offsetof(struct vascend_tensor_desc, f)
#define ERR(why, who)   VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_##why, (who))

uint32_t anpu_dtype_size(uint32_t dtype)
{
    switch (dtype) {
    case 0:     /* float32 */
    case 3:     /* int32 */
    case 8:     /* uint32 */
        return 4;
    case 1:     /* float16 */
    case 6:     /* int16 */
    case 7:     /* uint16 */
    case 27:    /* bfloat16 */
        return 2;
    case 2:     /* int8 */
    case 4:     /* uint8 */
    case 12:    /* bool */
        return 1;
    case 9:     /* int64 */
    case 10:    /* uint64 */
    case 11:    /* double */
    case 16:    /* complex64 */
        return 8;
    case 17:    /* complex128 */
        return 16;
    default:
        return 0;
    }
}

static uint32_t parse_tensor(const uint8_t *p, uint32_t k,
                             struct anpu_tensor *t)
{
    struct vascend_tensor_desc *td = &t->desc;
    uint64_t n = 1;
    uint32_t i;

    t->omitted = false;
    td->addr = rd64(p + TEN(addr));
    td->size = rd64(p + TEN(size));
    td->dtype = rd32(p + TEN(dtype));
    td->format = rd32(p + TEN(format));
    td->ndim = rd32(p + TEN(ndim));
    td->flags = rd32(p + TEN(flags));
    for (i = 0; i < VASCEND_OP_MAX_DIMS; i++) {
        td->dims[i] = (int64_t)rd64(p + TEN(dims) + 8 * i);
    }
    if (td->flags) {
        return ERR(RESERVED, k);
    }
    if (td->dtype == VASCEND_DTYPE_UNDEFINED) {
        /* Omitted: nothing else may be said about it. */
        if (td->addr || td->size || td->format || td->ndim) {
            return ERR(RESERVED, k);
        }
        for (i = 0; i < VASCEND_OP_MAX_DIMS; i++) {
            if (td->dims[i]) {
                return ERR(RESERVED, k);
            }
        }
        t->omitted = true;
        t->nelem = 0;
        t->bytes = 0;
        return 0;
    }
    t->esize = anpu_dtype_size(td->dtype);
    if (!t->esize) {
        return ERR(DTYPE, k);
    }
    if (td->ndim > VASCEND_OP_MAX_DIMS) {
        return ERR(SHAPE, k);
    }
    for (i = 0; i < VASCEND_OP_MAX_DIMS; i++) {
        if (i >= td->ndim) {
            if (td->dims[i]) {
                return ERR(SHAPE, k);
            }
            continue;
        }
        if (td->dims[i] < 0) {
            return ERR(SHAPE, k);
        }
        if (td->dims[i] && n > UINT64_MAX / (uint64_t)td->dims[i]) {
            return ERR(SIZE, k);
        }
        n *= (uint64_t)td->dims[i];
    }
    if (n > UINT64_MAX / t->esize || n * t->esize > td->size) {
        return ERR(SIZE, k);
    }
    /* The range must not wrap around the address space. */
    if (td->size && td->size - 1 > UINT64_MAX - td->addr) {
        return ERR(SIZE, k);
    }
    t->nelem = n;
    t->bytes = n * t->esize;
    return 0;
}

/* Bytes of an attribute's data, 0 with *ok false when it cannot be. */
static uint64_t attr_bytes(uint32_t type, uint32_t count, bool *ok)
{
    *ok = true;
    switch (type) {
    case VASCEND_ATTR_INT:
        return (uint64_t)count * 8;
    case VASCEND_ATTR_FLOAT:
        return (uint64_t)count * 4;
    case VASCEND_ATTR_BOOL:
    case VASCEND_ATTR_STRING:
        return count;
    default:
        *ok = false;
        return 0;
    }
}

/* A name field: not empty, NUL-terminated, nothing but NULs after. */
static bool name_ok(const uint8_t *name, size_t len)
{
    const uint8_t *nul = memchr(name, 0, len);
    size_t i;

    if (!nul || nul == name) {
        return false;
    }
    for (i = nul - name; i < len; i++) {
        if (name[i]) {
            return false;
        }
    }
    return true;
}

static uint32_t parse_attrs(const uint8_t *buf, uint32_t size,
                            uint32_t off, uint32_t count,
                            struct anpu_launch *l)
{
    struct anpu_attr *a;
    uint64_t bytes, padded, i;
    uint32_t k;
    bool ok;

    for (k = 0; k < count; k++) {
        a = &l->attrs[k];
        if (size - off < ATTR_HDR_SIZE) {
            return ERR(LAYOUT, VASCEND_OP_ERR_ATTR(k));
        }
        if (!name_ok(buf + off, VASCEND_OP_ATTR_NAME_LEN)) {
            return ERR(ATTR_VALUE, VASCEND_OP_ERR_ATTR(k));
        }
        memcpy(a->name, buf + off, VASCEND_OP_ATTR_NAME_LEN);
        a->name[VASCEND_OP_ATTR_NAME_LEN] = '\0';
        a->type = rd32(buf + off + offsetof(struct vascend_op_attr, type));
        a->count = rd32(buf + off + offsetof(struct vascend_op_attr, count));
        off += ATTR_HDR_SIZE;
        bytes = attr_bytes(a->type, a->count, &ok);
        if (!ok) {
            return ERR(ATTR_VALUE, VASCEND_OP_ERR_ATTR(k));
        }
        padded = (bytes + 7) & ~7ULL;
        if (padded > size - off) {
            return ERR(LAYOUT, VASCEND_OP_ERR_ATTR(k));
        }
        a->data = buf + off;
        if (a->type == VASCEND_ATTR_BOOL) {
            for (i = 0; i < bytes; i++) {
                if (a->data[i] > 1) {
                    return ERR(ATTR_VALUE, VASCEND_OP_ERR_ATTR(k));
                }
            }
        }
        off += (uint32_t)padded;
    }
    return 0;
}

uint32_t anpu_opdesc_parse(const uint8_t *buf, uint32_t size, uint32_t op_id,
                           struct anpu_launch *l)
{
    uint32_t ntensors, attr_off, attr_count, tensors_end, k, err, i;

    if (size < HDR_SIZE) {
        return ERR(LAYOUT, VASCEND_OP_ERR_HEADER);
    }
    if (rd32(buf + HDR(magic)) != VASCEND_OP_DESC_MAGIC) {
        return ERR(MAGIC, VASCEND_OP_ERR_HEADER);
    }
    if (rd16(buf + HDR(version)) != VASCEND_OP_DESC_VERSION ||
        rd16(buf + HDR(header_size)) != HDR_SIZE) {
        return ERR(VERSION, VASCEND_OP_ERR_HEADER);
    }
    if (rd32(buf + HDR(op_id)) != op_id) {
        return ERR(OP_ID, VASCEND_OP_ERR_HEADER);
    }
    if (rd32(buf + HDR(flags))) {
        return ERR(RESERVED, VASCEND_OP_ERR_HEADER);
    }
    for (i = HDR(rsvd); i < HDR_SIZE; i += 4) {
        if (rd32(buf + i)) {
            return ERR(RESERVED, VASCEND_OP_ERR_HEADER);
        }
    }
    if (rd32(buf + HDR(total_size)) != size) {
        return ERR(LAYOUT, VASCEND_OP_ERR_HEADER);
    }
    l->op_id = op_id;
    l->ninputs = rd16(buf + HDR(num_inputs));
    l->noutputs = rd16(buf + HDR(num_outputs));
    ntensors = l->ninputs + l->noutputs;
    attr_count = rd32(buf + HDR(attr_count));
    if (ntensors > VASCEND_OP_MAX_TENSORS ||
        attr_count > ANPU_OP_MAX_ATTRS) {
        return ERR(COUNT, VASCEND_OP_ERR_HEADER);
    }
    /* size <= VASCEND_OP_MAX_DESC_SIZE: none of this can overflow. */
    tensors_end = HDR_SIZE + ntensors * TENSOR_SIZE;
    attr_off = rd32(buf + HDR(attr_offset));
    if (tensors_end > size || attr_off < tensors_end || attr_off > size ||
        (attr_off & 7)) {
        return ERR(LAYOUT, VASCEND_OP_ERR_HEADER);
    }
    for (k = 0; k < ntensors; k++) {
        l->t[k].output = k >= l->ninputs;
        err = parse_tensor(buf + HDR_SIZE + k * TENSOR_SIZE, k, &l->t[k]);
        if (err) {
            return err;
        }
    }
    l->nattrs = attr_count;
    return parse_attrs(buf, size, attr_off, attr_count, l);
}
