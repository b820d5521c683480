// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KERNEL_LAUNCH on the ascend-npu core: TestVectorAdd computes the right
 * sums for tensors in one piece and in many, with every block_dim, on the
 * synchronous harness and on real threads; and each malformed SQE or
 * descriptor is refused with the status and operand the contract names.
 */
#include "anpu_engine.h"
#include "devtest.h"

#define VA_RAM          0x100000ULL     /* 8 MiB of DATA, 4 KiB pages */
#define VA_HBM          0x40000000ULL   /* 16 MiB of HBM, 2 MiB pages */
#define VA_RO           0x20000000ULL   /* 64 KiB of DATA + 12 MiB, read-only */
#define DESC_OFF        (15ULL << 20)   /* descriptors: DATA + 15 MiB, VA_DESC */
#define VA_DESC         0x30000000ULL
#define VA_SCAT         0x50000000ULL   /* 4 MiB of DATA + 8 MiB, pages reversed */
#define SCAT_PAGES      1024

static struct pt pt;

static struct dt *setup(void)
{
    struct dt *t = dt_new();
    int i;

    pt_init(&pt, t->e, PT_POOL, PT_POOL_SIZE);
    pt_map(&pt, VA_RAM, DATA, 8 << 20, PT_W);
    pt_map2m(&pt, VA_HBM, 0, DT_HBM_SIZE, PT_W | PT_HBM);
    pt_map(&pt, VA_RO, DATA + (12 << 20), 64 << 10, 0);
    pt_map(&pt, VA_DESC, DATA + DESC_OFF, 64 << 10, PT_W);
    for (i = 0; i < SCAT_PAGES; i++) {
        pt_map(&pt, VA_SCAT + (uint64_t)i * 4096,
               DATA + (8 << 20) + (uint64_t)(SCAT_PAGES - 1 - i) * 4096, 4096,
               PT_W);
    }
    if (dt_create_ctx(t, 1, pt.root) || dt_create_queue(t, 1, 1, 16)) {
        printf("Bail out! setup failed\n");
        exit(1);
    }
    return t;
}

/* Host byte behind VA_SCAT + off (pages reversed). */
static uint8_t *scat(struct dt *t, uint64_t va)
{
    uint64_t off = va - VA_SCAT;

    return gptr(t->e, DATA + (8 << 20) +
                (SCAT_PAGES - 1 - off / 4096) * 4096 + off % 4096);
}

/* A float at VA_SCAT + off, byte by byte (it may straddle two pages). */
static void scat_put(struct dt *t, uint64_t va, float x)
{
    uint8_t b[4];
    int i;

    memcpy(b, &x, 4);
    for (i = 0; i < 4; i++) {
        *scat(t, va + i) = b[i];
    }
}

static float scat_get(struct dt *t, uint64_t va)
{
    uint8_t b[4];
    float x;
    int i;

    for (i = 0; i < 4; i++) {
        b[i] = *scat(t, va + i);
    }
    memcpy(&x, b, 4);
    return x;
}

static void *desc(struct dt *t)
{
    return gptr(t->e, DATA + DESC_OFF);
}

static float *hbm_f(struct dt *t, uint64_t va)
{
    return (float *)(t->e->hbm + (va - VA_HBM));
}

static void put_inputs(float *a, float *b, int64_t n)
{
    int64_t i;

    for (i = 0; i < n; i++) {
        a[i] = (float)i * 0.5f;
        b[i] = 1000.0f - (float)i;
    }
}

static int sums_ok(const float *a, const float *b, const float *c, int64_t n)
{
    int64_t i;

    for (i = 0; i < n; i++) {
        if (c[i] != a[i] + b[i]) {
            printf("# c[%lld] = %g, want %g\n", (long long)i, c[i],
                   a[i] + b[i]);
            return 0;
        }
    }
    return 1;
}

/* Launch the descriptor at VA_DESC; returns the status. */
static uint16_t launch(struct dt *t, uint32_t size, uint32_t block_dim,
                       struct vascend_cqe *c)
{
    struct vascend_sqe s = sqe_launch(VA_DESC, size, block_dim, VADD_ID);
    uint16_t st = dt_io(t, 1, &s, c);

    if (st && st != 0xffff) {
        dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    }
    return st;
}

static void test_vadd(void)
{
    struct dt *t = setup();
    const int64_t n = 100000;
    uint64_t a = VA_HBM, b = VA_HBM + (1 << 20), c = VA_HBM + (4 << 20);
    static const uint32_t dims[] = { 0, 1, 3, 8, 512 };
    struct vascend_cqe cqe;
    uint32_t size;
    size_t i;

    put_inputs(hbm_f(t, a), hbm_f(t, b), n);
    size = desc_vadd(desc(t), VADD_ID, a, b, c, n);
    for (i = 0; i < sizeof(dims) / sizeof(dims[0]); i++) {
        memset(hbm_f(t, c), 0, n * 4);
        TAP_CHECK(launch(t, size, dims[i], &cqe) == 0 &&
                  sums_ok(hbm_f(t, a), hbm_f(t, b), hbm_f(t, c), n),
                  "TestVectorAdd of %lld floats in HBM, block_dim %u: right "
                  "sums", (long long)n, dims[i]);
        TAP_CHECK(cqe.result == (dims[i] ? dims[i] : 7),
                  "result: %llu blocks ran", (unsigned long long)cqe.result);
    }

    /* Contiguous guest RAM in 4 KiB pages, tensors not aligned. */
    a = VA_RAM + 2;
    b = VA_RAM + (1 << 20) + 6;
    c = VA_RAM + (2 << 20) + 10;
    {
        uint8_t *pa = gptr(t->e, DATA + 2), *pb = gptr(t->e, DATA + (1 << 20) + 6);
        int64_t k;
        float x;

        for (k = 0; k < n; k++) {
            x = (float)k;
            memcpy(pa + 4 * k, &x, 4);
            x = (float)(3 * k);
            memcpy(pb + 4 * k, &x, 4);
        }
    }
    memset(gptr(t->e, DATA + (2 << 20)), 0xcc, n * 4 + 64);
    size = desc_vadd(desc(t), VADD_ID, a, b, c, n);
    TAP_CHECK(launch(t, size, 0, &cqe) == 0, "TestVectorAdd over "
              "unaligned tensors in guest RAM: SUCCESS");
    {
        uint8_t *pc = gptr(t->e, DATA + (2 << 20) + 10);
        int64_t k;
        float x;
        int ok = 1;

        for (k = 0; k < n; k++) {
            memcpy(&x, pc + 4 * k, 4);
            ok &= x == (float)(4 * k);
        }
        TAP_CHECK(ok, "added right");
        TAP_CHECK(pc[-1] == 0xcc && pc[n * 4] == 0xcc,
                  "bytes around the output untouched");
    }
    TAP_CHECK(t->e->maps_out == 0, "every mapping undone");

    /* Pages mapped in reverse: every tensor in hundreds of segments. */
    a = VA_SCAT + 6;
    b = VA_SCAT + (1 << 20) + 2;
    c = VA_SCAT + (2 << 20) + 1;
    {
        int64_t k;
        uint8_t *pc;
        int ok = 1;

        memset(gptr(t->e, DATA + (8 << 20)), 0xcc, SCAT_PAGES * 4096);
        for (k = 0; k < n; k++) {
            scat_put(t, a + 4 * k, (float)k);
            scat_put(t, b + 4 * k, (float)(7 * k));
        }
        size = desc_vadd(desc(t), VADD_ID, a, b, c, n);
        TAP_CHECK(launch(t, size, 3, &cqe) == 0,
                  "TestVectorAdd over tensors split page by page: SUCCESS");
        for (k = 0; k < n; k++) {
            ok &= scat_get(t, c + 4 * k) == (float)(8 * k);
        }
        pc = scat(t, c + 4 * n);
        TAP_CHECK(ok && *scat(t, c - 1) == 0xcc && *pc == 0xcc,
                  "gathered, added and scattered back page by page; bytes "
                  "around the output kept");
    }

    size = desc_vadd(desc(t), VADD_ID, VA_HBM, VA_HBM, VA_HBM, 0);
    ((struct vascend_tensor_desc *)((char *)desc(t) + 64))[0].ndim = 1;
    TAP_CHECK(launch(t, size, 0, &cqe) == 0 && cqe.result == 1,
              "zero elements: SUCCESS at once");
    dt_free(t);
}

static void test_vadd_threads(void)
{
    struct dt *t = setup();
    const int64_t n = 1 << 20;
    uint64_t a = VA_HBM, b = VA_HBM + (4 << 20), c = VA_HBM + (8 << 20);
    struct vascend_telemetry *tm = gptr(t->e, ANSWER);
    struct vascend_sqe s;
    uint32_t size;
    int i, ok = 1;

    env_jobs(t->e, JOBS_THREADS);
    t->e->clock_step = 1000;
    put_inputs(hbm_f(t, a), hbm_f(t, b), n);
    size = desc_vadd(desc(t), VADD_ID, a, b, c, n);
    for (i = 0; i < 4; i++) {
        memset(hbm_f(t, c), 0, n * 4);
        ok &= launch(t, size, i * 5, NULL) == 0 &&
              sums_ok(hbm_f(t, a), hbm_f(t, b), hbm_f(t, c), n);
    }
    TAP_CHECK(ok, "TestVectorAdd of 1M floats on a 4-thread pool, block_dim "
              "0, 5, 10, 15: right sums");
    s = sqe_op(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = sizeof(*tm);
    i = dt_admin(t, &s, NULL);
    TAP_CHECK(i == 0 && tm->aicore_busy_ns > 0 && tm->utilization > 0,
              "AI Core busy time shows in telemetry (%llu ns, %u per mille)",
              (unsigned long long)tm->aicore_busy_ns, tm->utilization);
    dt_free(t);
}

struct bad {
    const char *what;
    uint16_t status;
    uint32_t reason;
    uint32_t operand;
};

/* Launch a TestVectorAdd descriptor broken by @poke; check the answer. */
static void expect_bad(struct dt *t, const struct bad *b,
                       void (*poke)(uint8_t *d, uint32_t *size))
{
    struct vascend_cqe c;
    uint32_t size;
    uint16_t st;

    size = desc_vadd(desc(t), VADD_ID, VA_HBM, VA_HBM + 4096,
                     VA_HBM + 8192, 100);
    poke(desc(t), &size);
    st = launch(t, size, 0, &c);
    if (b->status == VASCEND_CQE_STATUS_OP_ERROR) {
        TAP_CHECK(st == b->status && VASCEND_OP_ERR_REASON(c.info) ==
                  b->reason && VASCEND_OP_ERR_OPERAND(c.info) == b->operand &&
                  (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
                  "%s: OP_ERROR reason %u operand 0x%x (got status 0x%x "
                  "info 0x%x)", b->what, b->reason, b->operand, st, c.info);
    } else {
        TAP_CHECK(st == b->status, "%s: status 0x%x (got 0x%x)", b->what,
                  b->status, st);
    }
}

#define T(k)    ((struct vascend_tensor_desc *)(d + 64) + (k))
#define H       ((struct vascend_op_desc *)d)
#define POKE(name, body) \
    static void name(uint8_t *d, uint32_t *size) { (void)size; body; }

POKE(p_magic, H->magic ^= 1)
POKE(p_version, H->version = 2)
POKE(p_hsize, H->header_size = 72)
POKE(p_opid, H->op_id = VADD_ID + 1)
POKE(p_flags, H->flags = 1)
POKE(p_rsvd, H->rsvd[7] = 1)
POKE(p_total, H->total_size += 8)
POKE(p_ntensors, H->num_inputs = 70)
POKE(p_attr_before, H->attr_offset = 64 + 96)
POKE(p_attr_align, H->attr_offset += 4; H->total_size += 8; *size += 8)
POKE(p_tflags, T(1)->flags = 4)
POKE(p_dtype, T(2)->dtype = 99)
POKE(p_ndim, T(0)->ndim = 9)
POKE(p_negdim, T(1)->ndim = 2; T(1)->dims[1] = -1)
POKE(p_extradim, T(2)->dims[5] = 3)
POKE(p_small, T(1)->size = 399)
POKE(p_overflow, T(0)->ndim = 3; T(0)->dims[0] = 1LL << 40;
     T(0)->dims[1] = 1LL << 40; T(0)->dims[2] = 1 << 10)
POKE(p_wrap, T(0)->addr = 0xfffffffffffffff0ULL)
POKE(p_count, H->num_inputs = 1; H->attr_offset -= 96; H->total_size -= 96;
     *size -= 96)
POKE(p_fp16, T(0)->dtype = 1; T(0)->size = 400)
POKE(p_nchw, T(1)->format = 0)
POKE(p_shape, T(1)->ndim = 2; T(1)->dims[0] = 10; T(1)->dims[1] = 10)
POKE(p_attr, {
    struct vascend_op_attr *a = (void *)(d + H->attr_offset);
    memset(a, 0, sizeof(*a) + 8);
    strcpy(a->name, "alpha");
    a->type = VASCEND_ATTR_FLOAT;
    a->count = 1;
    H->attr_count = 1;
    H->total_size += sizeof(*a) + 8;
    *size += sizeof(*a) + 8;
})
POKE(p_attr_type, {
    struct vascend_op_attr *a = (void *)(d + H->attr_offset);
    memset(a, 0, sizeof(*a) + 8);
    strcpy(a->name, "alpha");
    a->type = 9;
    a->count = 1;
    H->attr_count = 1;
    H->total_size += sizeof(*a) + 8;
    *size += sizeof(*a) + 8;
})
POKE(p_attr_over, {
    struct vascend_op_attr *a = (void *)(d + H->attr_offset);
    memset(a, 0, sizeof(*a) + 8);
    strcpy(a->name, "alpha");
    a->type = VASCEND_ATTR_INT;
    a->count = 2;
    H->attr_count = 1;
    H->total_size += sizeof(*a) + 8;
    *size += sizeof(*a) + 8;
})
POKE(p_attr_bool, {
    struct vascend_op_attr *a = (void *)(d + H->attr_offset);
    memset(a, 0, sizeof(*a) + 8);
    strcpy(a->name, "flag");
    a->type = VASCEND_ATTR_BOOL;
    a->count = 1;
    d[H->attr_offset + sizeof(*a)] = 2;
    H->attr_count = 1;
    H->total_size += sizeof(*a) + 8;
    *size += sizeof(*a) + 8;
})
POKE(p_attr_name, {
    struct vascend_op_attr *a = (void *)(d + H->attr_offset);
    memset(a, 0, sizeof(*a));
    a->type = VASCEND_ATTR_BOOL;
    H->attr_count = 1;
    H->total_size += sizeof(*a);
    *size += sizeof(*a);
})
POKE(p_out_ro, T(2)->addr = VA_RO)
POKE(p_in_unmapped, T(1)->addr = 0x7770000)
POKE(p_huge, T(0)->ndim = 1; T(0)->dims[0] = 1LL << 29; T(0)->size = 1ULL << 31;
     T(1)->ndim = 1; T(1)->dims[0] = 1LL << 29; T(1)->size = 1ULL << 31;
     T(2)->ndim = 1; T(2)->dims[0] = 1LL << 29; T(2)->size = 1ULL << 31)

#define HDR_OP  VASCEND_OP_ERR_HEADER
#define OPE     VASCEND_CQE_STATUS_OP_ERROR

static const struct {
    struct bad b;
    void (*poke)(uint8_t *d, uint32_t *size);
} bads[] = {
    { { "bad magic", OPE, VASCEND_OP_ERR_MAGIC, HDR_OP }, p_magic },
    { { "version 2", OPE, VASCEND_OP_ERR_VERSION, HDR_OP }, p_version },
    { { "header_size 72", OPE, VASCEND_OP_ERR_VERSION, HDR_OP }, p_hsize },
    { { "op_id not the SQE's", OPE, VASCEND_OP_ERR_OP_ID, HDR_OP }, p_opid },
    { { "header flags", OPE, VASCEND_OP_ERR_RESERVED, HDR_OP }, p_flags },
    { { "header rsvd", OPE, VASCEND_OP_ERR_RESERVED, HDR_OP }, p_rsvd },
    { { "total_size not desc_size", OPE, VASCEND_OP_ERR_LAYOUT, HDR_OP },
      p_total },
    { { "71 tensors", OPE, VASCEND_OP_ERR_COUNT, HDR_OP }, p_ntensors },
    { { "attributes over the tensors", OPE, VASCEND_OP_ERR_LAYOUT, HDR_OP },
      p_attr_before },
    { { "attr_offset not 8-aligned", OPE, VASCEND_OP_ERR_LAYOUT, HDR_OP },
      p_attr_align },
    { { "tensor 1 flags", OPE, VASCEND_OP_ERR_RESERVED, 1 }, p_tflags },
    { { "tensor 2 dtype 99", OPE, VASCEND_OP_ERR_DTYPE, 2 }, p_dtype },
    { { "tensor 0 ndim 9", OPE, VASCEND_OP_ERR_SHAPE, 0 }, p_ndim },
    { { "tensor 1 negative dim", OPE, VASCEND_OP_ERR_SHAPE, 1 }, p_negdim },
    { { "tensor 2 dim past ndim", OPE, VASCEND_OP_ERR_SHAPE, 2 }, p_extradim },
    { { "tensor 1 size short of its shape", OPE, VASCEND_OP_ERR_SIZE, 1 },
      p_small },
    { { "tensor 0 element count overflows", OPE, VASCEND_OP_ERR_SIZE, 0 },
      p_overflow },
    { { "tensor 0 range wraps 2^64", OPE, VASCEND_OP_ERR_SIZE, 0 }, p_wrap },
    { { "one input (op's signature)", OPE, VASCEND_OP_ERR_COUNT, HDR_OP },
      p_count },
    { { "fp16 input", OPE, VASCEND_OP_ERR_DTYPE, 0 }, p_fp16 },
    { { "NCHW input", OPE, VASCEND_OP_ERR_FORMAT, 1 }, p_nchw },
    { { "shapes differ", OPE, VASCEND_OP_ERR_SHAPE, 1 }, p_shape },
    { { "an attribute the op has not", OPE, VASCEND_OP_ERR_ATTR_VALUE,
        VASCEND_OP_ERR_ATTR(0) }, p_attr },
    { { "attribute type 9", OPE, VASCEND_OP_ERR_ATTR_VALUE,
        VASCEND_OP_ERR_ATTR(0) }, p_attr_type },
    { { "attribute data past the end", OPE, VASCEND_OP_ERR_LAYOUT,
        VASCEND_OP_ERR_ATTR(0) }, p_attr_over },
    { { "bool attribute 2", OPE, VASCEND_OP_ERR_ATTR_VALUE,
        VASCEND_OP_ERR_ATTR(0) }, p_attr_bool },
    { { "attribute without a name", OPE, VASCEND_OP_ERR_ATTR_VALUE,
        VASCEND_OP_ERR_ATTR(0) }, p_attr_name },
    { { "output in a read-only page", VASCEND_CQE_STATUS_MMU_FAULT, 0, 0 },
      p_out_ro },
    { { "input not mapped", VASCEND_CQE_STATUS_MMU_FAULT, 0, 0 },
      p_in_unmapped },
    { { "tensors of 2 GiB each", VASCEND_CQE_STATUS_TOO_LARGE, 0, 0 },
      p_huge },
};

static void test_bad_descriptors(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint32_t size;
    size_t i;

    for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        expect_bad(t, &bads[i].b, bads[i].poke);
    }

    size = desc_vadd(desc(t), VADD_ID, VA_HBM, VA_HBM + 4096, VA_RO, 100);
    TAP_CHECK(launch(t, size, 0, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              c.result == VA_RO &&
              (c.info & 0xff) == VASCEND_FAULT_ACCESS_WRITE,
              "an output fault names the VA and a WRITE access");
    s = sqe_launch(VA_DESC, size, 0, 99);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_OP_UNKNOWN &&
              c.result == 99 && (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "op_id 99 not in the firmware's table: OP_UNKNOWN");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_launch(VA_DESC, 63, 0, VADD_ID);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "desc_size below the header: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_launch(VA_DESC, VASCEND_OP_MAX_DESC_SIZE + 8, 0, VADD_ID);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "desc_size above 1 MiB: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_launch(VA_DESC, size, 8 * 64 + 1, VADD_ID);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "block_dim above cores x 64: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_launch(VA_DESC, size, 0, VADD_ID);
    s.u.launch.rsvd = 1;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "launch rsvd: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_launch(0x6660000, size, 0, VADD_ID);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              c.result == 0x6660000,
              "descriptor at an unmapped VA: MMU_FAULT");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    size = desc_vadd(desc(t), VADD_ID, VA_HBM, VA_HBM + 4096, VA_HBM + 8192,
                     100);
    TAP_CHECK(launch(t, size, 0, NULL) == 0,
              "after all that a good launch still works");
    TAP_CHECK(t->e->maps_out == 0, "no mapping left behind");
    dt_free(t);
}

static void test_parse_alone(void)
{
    static struct anpu_launch l;
    uint8_t buf[64 + 3 * 96];
    uint32_t size, info;

    size = desc_vadd(buf, 5, 0x1000, 0x2000, 0x3000, 10);
    memset(&l, 0, sizeof(l));
    info = anpu_opdesc_parse(buf, size, 5, &l);
    TAP_CHECK(info == 0 && l.ninputs == 2 && l.noutputs == 1 &&
              l.t[2].output && !l.t[1].output && l.t[0].nelem == 10 &&
              l.t[0].bytes == 40 && l.t[1].desc.addr == 0x2000,
              "the parser alone fills the launch from a descriptor");
    info = anpu_opdesc_parse(buf, 63, 5, &l);
    TAP_CHECK(VASCEND_OP_ERR_REASON(info) == VASCEND_OP_ERR_LAYOUT,
              "a buffer shorter than the header is refused");
    TAP_CHECK(anpu_dtype_size(0) == 4 && anpu_dtype_size(1) == 2 &&
              anpu_dtype_size(9) == 8 && anpu_dtype_size(12) == 1 &&
              anpu_dtype_size(5) == 0,
              "dtype sizes: fp32 4, fp16 2, int64 8, bool 1, 5 unknown");
    TAP_CHECK(anpu_engine_find_op("TestVectorAdd") &&
              !anpu_engine_find_op("Add") && !anpu_engine_find_op(""),
              "the engine implements TestVectorAdd and nothing else yet");
}

int main(void)
{
    test_parse_alone();
    test_vadd();
    test_vadd_threads();
    test_bad_descriptors();
    return tap_done();
}
