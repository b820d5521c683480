/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the operator-library tests of the device core (test_ops.c,
 * test_model.c): a device booted with a firmware whose op table lists
 * TestVectorAdd and every op of the library under its own id, one context
 * and IO queue, and memory to put tensors in:
 *
 *   VA_HBM    DT_HBM_SIZE of HBM in 2 MiB pages (one host run: no bounce)
 *   VA_SPLIT  SPLIT_PAGES 4 KiB pages of guest RAM mapped in reverse order,
 *             so a tensor there is split at every page
 *   VA_RO     64 KiB of guest RAM mapped read-only
 *   VA_DESC   64 KiB of guest RAM for op descriptors
 *
 * plus a bump allocator over HBM, an op descriptor builder, seeded random
 * data and comparisons.
 */
#ifndef VASCEND_TEST_DEVICE_OPTEST_H
#define VASCEND_TEST_DEVICE_OPTEST_H

#include <math.h>

#include "anpu_engine.h"
#include "anpu_oplib.h"
#include "aop.h"
#include "devtest.h"

#define VA_HBM          0x40000000ULL
#define VA_SPLIT        0x50000000ULL
#define SPLIT_PAGES     512
#define SPLIT_AT        (DATA + (8ULL << 20))
#define VA_RO           0x20000000ULL
#define RO_AT           (DATA + (12ULL << 20))
#define VA_DESC         0x30000000ULL
#define DESC_AT         (DATA + (15ULL << 20))
#define DESC_ROOM       (64U << 10)
#define TVA_ID          7       /* TestVectorAdd's id in the test firmware */

struct ot {
    struct dt *dt;
    struct pt pt;
    uint64_t hbm_next;          /* bump allocator over VA_HBM */
    uint64_t seed;
};

/* The firmware: build info, TestVectorAdd and the library's ops. */
static inline void ot_fw_image(struct img *im, const char *skip)
{
    struct vascend_fw_op ops[256];
    const struct aop_op_info *info;
    size_t i, n = 0;

    memset(ops, 0, sizeof(ops));
    ops[n].op_id = TVA_ID;
    ops[n].version = 1;
    strcpy(ops[n++].name, "TestVectorAdd");
    for (i = 0; i < aop_op_count(); i++) {
        info = aop_op_at(i);
        if (skip && !strcmp(skip, info->cann)) {
            continue;
        }
        ops[n].op_id = info->id;
        ops[n].version = info->version;
        snprintf(ops[n++].name, sizeof(ops[0].name), "%s", info->cann);
    }
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(im, VASCEND_FW_SECT_OP_TABLE, ops, n * sizeof(ops[0]));
    img_seal(im);
}

/*
 * A device of @aicores cores (the reference path when @reference) booted
 * with the library's firmware (without op @skip when not NULL).
 */
static inline void ot_init(struct ot *o, uint32_t aicores, bool reference,
                           const char *skip)
{
    static struct img im;
    struct anpu_config cfg;
    int i;

    anpu_oplib_register();
    env_config(&cfg);
    cfg.hbm_size = DT_HBM_SIZE;
    cfg.aicores = aicores;
    cfg.ops_reference = reference;
    memset(o, 0, sizeof(*o));
    o->dt = dt_new_cfg(&cfg, 0);
    o->seed = 12345;
    ot_fw_image(&im, skip);
    if (dt_boot_image(o->dt->e, &im) != VASCEND_FW_STATUS_RUNNING) {
        printf("Bail out! the library's firmware did not boot: %s\n",
               o->dt->e->last_error);
        exit(1);
    }
    pt_init(&o->pt, o->dt->e, PT_POOL, PT_POOL_SIZE);
    pt_map2m(&o->pt, VA_HBM, 0, DT_HBM_SIZE, PT_W | PT_HBM);
    for (i = 0; i < SPLIT_PAGES; i++) {
        pt_map(&o->pt, VA_SPLIT + (uint64_t)i * 4096,
               SPLIT_AT + (uint64_t)(SPLIT_PAGES - 1 - i) * 4096, 4096, PT_W);
    }
    pt_map(&o->pt, VA_RO, RO_AT, 64 << 10, 0);
    pt_map(&o->pt, VA_DESC, DESC_AT, DESC_ROOM, PT_W);
    if (dt_create_ctx(o->dt, 1, o->pt.root) ||
        dt_create_queue(o->dt, 1, 1, 64)) {
        printf("Bail out! context or queue setup failed\n");
        exit(1);
    }
}

static inline void ot_fini(struct ot *o)
{
    dt_free(o->dt);
}

/* @size bytes of HBM, 64-byte aligned; its VA. */
static inline uint64_t ot_alloc(struct ot *o, uint64_t size)
{
    uint64_t va = VA_HBM + o->hbm_next;

    o->hbm_next = (o->hbm_next + size + 63) & ~63ULL;
    if (o->hbm_next > DT_HBM_SIZE) {
        printf("Bail out! test HBM exhausted\n");
        exit(1);
    }
    return va;
}

static inline void ot_reset_alloc(struct ot *o)
{
    o->hbm_next = 0;
}

/* Host pointer of a VA in HBM or in the split or read-only pages. */
static inline uint8_t *ot_ptr(struct ot *o, uint64_t va)
{
    uint64_t off;

    if (va >= VA_HBM && va < VA_HBM + DT_HBM_SIZE) {
        return o->dt->e->hbm + (va - VA_HBM);
    }
    if (va >= VA_RO && va < VA_RO + (64 << 10)) {
        return gptr(o->dt->e, RO_AT + (va - VA_RO));
    }
    off = va - VA_SPLIT;
    return gptr(o->dt->e, SPLIT_AT + (SPLIT_PAGES - 1 - off / 4096) * 4096 +
                off % 4096);
}

/* Copy between a host buffer and device VAs (any of the regions above). */
static inline void ot_put(struct ot *o, uint64_t va, const void *src,
                          uint64_t len)
{
    const uint8_t *s = src;
    uint64_t i;

    for (i = 0; i < len; i++) {
        *ot_ptr(o, va + i) = s[i];
    }
}

static inline void ot_get(struct ot *o, uint64_t va, void *dst, uint64_t len)
{
    uint8_t *d = dst;
    uint64_t i;

    for (i = 0; i < len; i++) {
        d[i] = *ot_ptr(o, va + i);
    }
}

static inline uint64_t ot_rand(struct ot *o)
{
    uint64_t z = (o->seed += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [-2, 2). */
static inline float ot_randf(struct ot *o)
{
    return (float)((double)(ot_rand(o) >> 11) / 9007199254740992.0 * 4.0 -
                   2.0);
}

/* One operand of a descriptor: where it is and what it holds. */
struct ot_tensor {
    uint64_t va;
    uint64_t size;
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    int64_t dims[8];
};

struct ot_attr {
    const char *name;
    uint32_t type;
    uint32_t count;
    const void *data;
};

/* Write an op descriptor at @buf; returns its size (0: no room). */
static inline uint32_t ot_desc(void *buf, uint32_t room, uint32_t op_id,
                               const struct ot_tensor *t, uint32_t nin,
                               uint32_t nout, const struct ot_attr *a,
                               uint32_t nattrs)
{
    struct vascend_op_desc *h = buf;
    struct vascend_tensor_desc *td = (void *)(h + 1);
    uint8_t *p = buf;
    uint32_t off, k, bytes;

    off = sizeof(*h) + (nin + nout) * sizeof(*td);
    if (off > room) {
        return 0;
    }
    memset(buf, 0, off);
    h->magic = VASCEND_OP_DESC_MAGIC;
    h->version = VASCEND_OP_DESC_VERSION;
    h->header_size = sizeof(*h);
    h->op_id = op_id;
    h->num_inputs = nin;
    h->num_outputs = nout;
    h->attr_offset = off;
    h->attr_count = nattrs;
    for (k = 0; k < nin + nout; k++) {
        td[k].addr = t[k].va;
        td[k].size = t[k].size;
        td[k].dtype = t[k].dtype;
        td[k].format = t[k].format;
        td[k].ndim = t[k].ndim;
        memcpy(td[k].dims, t[k].dims, sizeof(td[k].dims));
    }
    for (k = 0; k < nattrs; k++) {
        struct vascend_op_attr *va = (void *)(p + off);

        bytes = a[k].type == VASCEND_ATTR_INT ? 8 * a[k].count :
                a[k].type == VASCEND_ATTR_FLOAT ? 4 * a[k].count :
                a[k].count;
        if (off + sizeof(*va) + ((bytes + 7) & ~7U) > room) {
            return 0;
        }
        memset(va, 0, sizeof(*va) + ((bytes + 7) & ~7U));
        snprintf(va->name, sizeof(va->name), "%s", a[k].name);
        va->type = a[k].type;
        va->count = a[k].count;
        memcpy(va + 1, a[k].data, bytes);
        off += sizeof(*va) + ((bytes + 7) & ~7U);
    }
    h->total_size = off;
    return off;
}

/* KERNEL_LAUNCH of the descriptor at VA_DESC; the CQE's status. */
static inline uint16_t ot_launch(struct ot *o, uint32_t op_id, uint32_t size,
                                 uint32_t block_dim, struct vascend_cqe *c)
{
    struct vascend_sqe s = sqe_launch(VA_DESC, size, block_dim, op_id);
    uint16_t st = dt_io(o->dt, 1, &s, c);

    if (st && st != 0xffff) {
        dt_queue_cmd(o->dt, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    }
    return st;
}

static inline void *ot_descbuf(struct ot *o)
{
    return gptr(o->dt->e, DESC_AT);
}

/* Element @i of a float-like tensor as a double. */
static inline double ot_elem(const void *p, uint32_t dtype, uint64_t i)
{
    const uint8_t *b = p;
    uint16_t h;
    float f;

    switch (dtype) {
    case AOP_DT_FLOAT:
        memcpy(&f, b + 4 * i, 4);
        return f;
    case AOP_DT_FLOAT16:
        memcpy(&h, b + 2 * i, 2);
        return aop_f16_to_f32(h);
    case AOP_DT_BF16:
        memcpy(&h, b + 2 * i, 2);
        return aop_bf16_to_f32(h);
    case AOP_DT_INT32: {
        int32_t v;
        memcpy(&v, b + 4 * i, 4);
        return v;
    }
    case AOP_DT_INT64: {
        int64_t v;
        memcpy(&v, b + 8 * i, 8);
        return (double)v;
    }
    default:
        return b[i * aop_dtype_size(dtype)];
    }
}

/*
 * |got - want| <= atol + rtol * |want| for @n elements; on failure print the
 * worst and return 0. @worst gets the largest difference.
 */
static inline int ot_close(const void *got, const void *want, uint32_t dtype,
                           uint64_t n, double rtol, double atol,
                           double *worst)
{
    double d, g, w, max = 0;
    uint64_t i, bad = 0, at = 0;

    for (i = 0; i < n; i++) {
        g = ot_elem(got, dtype, i);
        w = ot_elem(want, dtype, i);
        d = fabs(g - w);
        if (!(d <= atol + rtol * fabs(w))) {
            bad++;
        }
        if (d > max || d != d) {
            max = d;
            at = i;
        }
    }
    if (worst) {
        *worst = max;
    }
    if (bad) {
        printf("# %llu of %llu elements differ; worst [%llu]: %g vs %g\n",
               (unsigned long long)bad, (unsigned long long)n,
               (unsigned long long)at, ot_elem(got, dtype, at),
               ot_elem(want, dtype, at));
    }
    return !bad;
}

#endif /* VASCEND_TEST_DEVICE_OPTEST_H */
