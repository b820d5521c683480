// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The operator library through the device's KERNEL_LAUNCH: for every op
 * family, ops launched by descriptor in device memory compute what the
 * library's reference path computes on the host (fast path within the
 * family's tolerance, the device's ops=reference path bit for bit), with
 * every block_dim, with tensors split over scattered pages, and on real
 * threads; attributes of every type map onto the library's; each kind of
 * bad descriptor completes OP_ERROR with the reason and operand the
 * contract names; the firmware must list library ops under their own ids.
 */
#include "optest.h"

#define MAXT    6

struct tspec {
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    int64_t dims[8];
    const void *data;       /* NULL: seeded random */
    bool omitted;
};

struct ocase {
    const char *family;
    const char *what;
    const char *op;
    uint32_t nin, nout;
    struct tspec t[MAXT];
    struct ot_attr a[6];
    uint32_t nattrs;
    double rtol, atol;      /* fast path against the reference */
};

#define ND      AOP_FMT_ND
#define NCHW    AOP_FMT_NCHW
#define F32(n, ...)     { AOP_DT_FLOAT, ND, n, { __VA_ARGS__ }, NULL, false }
#define F32C(n, ...)    { AOP_DT_FLOAT, NCHW, n, { __VA_ARGS__ }, NULL, false }
#define F16(n, ...)     { AOP_DT_FLOAT16, ND, n, { __VA_ARGS__ }, NULL, false }
#define T_OF(dt, n, data, ...) { dt, ND, n, { __VA_ARGS__ }, data, false }
#define OMIT            { AOP_DT_NONE, 0, 0, { 0 }, NULL, true }

static const int64_t i_perm[3] = { 2, 0, 1 };
static const int64_t i_axis1[1] = { 1 };
static const int64_t i_axism1 = -1;
static const int64_t i_zero;
static const int64_t i_one = 1;
static const int64_t i_four = 4;
static const int64_t i_k33[2] = { 3, 3 };
static const int64_t i_k22[2] = { 2, 2 };
static const int64_t i_s22[2] = { 2, 2 };
static const int64_t i_pads1[4] = { 1, 1, 1, 1 };
static const int64_t i_idx[3] = { 4, 0, 2 };
static const int64_t i_sizes[4] = { 1, 1, 8, 8 };
static const int64_t i_dst_f16 = AOP_DT_FLOAT16;
static const float f_alpha = 0.2f, f_half = 0.5f, f_two = 2.0f;
static const float f_eps = 1e-5f;
static const float f_max = 0.5f;
static const float f_var[3] = { 0.5f, 1.0f, 2.0f };
static const uint8_t b_no;

static const struct ocase cases[] = {
    { "elementwise", "Add [4,1,33] + [1,7,1] (broadcast)", "Add", 2, 1,
      { F32(3, 4, 1, 33), F32(3, 1, 7, 1), F32(3, 4, 7, 33) }, { { 0 } }, 0,
      0, 0 },
    { "elementwise", "Mul fp16 [2,3,130] * [130]", "Mul", 2, 1,
      { F16(3, 2, 3, 130), F16(1, 130), F16(3, 2, 3, 130) }, { { 0 } }, 0,
      0, 0 },
    { "elementwise", "Greater [5,6] > [6] -> bool", "Greater", 2, 1,
      { F32(2, 5, 6), F32(1, 6), T_OF(AOP_DT_BOOL, 2, NULL, 5, 6) },
      { { 0 } }, 0, 0, 0 },
    { "unary", "Sigmoid [1000]", "Sigmoid", 1, 1,
      { F32(1, 1000), F32(1, 1000) }, { { 0 } }, 0, 1e-6, 1e-7 },
    { "unary", "LeakyRelu [3,50] alpha 0.2 (float attribute)", "LeakyRelu",
      1, 1, { F32(2, 3, 50), F32(2, 3, 50) },
      { { "alpha", VASCEND_ATTR_FLOAT, 1, &f_alpha } }, 1, 0, 0 },
    { "unary", "Gelu [257] approximate=tanh (string attribute)", "Gelu", 1, 1,
      { F32(1, 257), F32(1, 257) },
      { { "approximate", VASCEND_ATTR_STRING, 4, "tanh" } }, 1, 1e-6, 1e-7 },
    { "unary", "ClipByValue [100] with min omitted, max 0.5", "ClipByValue",
      3, 1, { F32(1, 100), OMIT, T_OF(AOP_DT_FLOAT, 0, &f_max, 0),
              F32(1, 100) }, { { 0 } }, 0, 0, 0 },
    { "matmul", "MatMul [37,48] x [48,53] (OpenBLAS)", "MatMul", 2, 1,
      { F32(2, 37, 48), F32(2, 48, 53), F32(2, 37, 53) }, { { 0 } }, 0,
      1e-5, 1e-5 },
    { "matmul", "GEMM [20,30] x [40,30]^T alpha 0.5 beta 2 + C[40]", "GEMM",
      3, 1, { F32(2, 20, 30), F32(2, 40, 30), F32(1, 40), F32(2, 20, 40) },
      { { "transB", VASCEND_ATTR_INT, 1, &i_one },
        { "alpha", VASCEND_ATTR_FLOAT, 1, &f_half },
        { "beta", VASCEND_ATTR_FLOAT, 1, &f_two } }, 3, 1e-5, 1e-5 },
    { "conv", "Conv2D NCHW [1,3,17,17] * [8,3,3,3] + b, stride 2, pad 1",
      "Conv2D", 3, 1,
      { F32C(4, 1, 3, 17, 17), F32C(4, 8, 3, 3, 3), F32(1, 8),
        F32C(4, 1, 8, 9, 9) },
      { { "strides", VASCEND_ATTR_INT, 2, i_s22 },
        { "pads", VASCEND_ATTR_INT, 4, i_pads1 } }, 2, 1e-5, 1e-5 },
    { "conv", "Conv2D depthwise [1,4,10,10] * [4,1,3,3] group 4", "Conv2D",
      2, 1, { F32C(4, 1, 4, 10, 10), F32C(4, 4, 1, 3, 3),
              F32C(4, 1, 4, 8, 8) },
      { { "group", VASCEND_ATTR_INT, 1, &i_four } }, 1, 1e-5, 1e-5 },
    { "pool", "MaxPool [1,2,9,9] 3x3 stride 2", "MaxPool", 1, 1,
      { F32C(4, 1, 2, 9, 9), F32C(4, 1, 2, 4, 4) },
      { { "kernel_shape", VASCEND_ATTR_INT, 2, i_k33 },
        { "strides", VASCEND_ATTR_INT, 2, i_s22 } }, 2, 0, 0 },
    { "pool", "AvgPool [1,3,8,8] 2x2 stride 2", "AvgPool", 1, 1,
      { F32C(4, 1, 3, 8, 8), F32C(4, 1, 3, 4, 4) },
      { { "kernel_shape", VASCEND_ATTR_INT, 2, i_k22 },
        { "strides", VASCEND_ATTR_INT, 2, i_s22 } }, 2, 1e-6, 1e-6 },
    { "softmax", "SoftmaxV2 [8,100] axis -1", "SoftmaxV2", 1, 1,
      { F32(2, 8, 100), F32(2, 8, 100) },
      { { "axis", VASCEND_ATTR_INT, 1, &i_axism1 } }, 1, 1e-5, 1e-7 },
    { "norm", "LayerNorm [4,64] axis -1 epsilon 1e-5", "LayerNorm", 3, 1,
      { F32(2, 4, 64), F32(1, 64), F32(1, 64), F32(2, 4, 64) },
      { { "axis", VASCEND_ATTR_INT, 1, &i_axism1 },
        { "epsilon", VASCEND_ATTR_FLOAT, 1, &f_eps } }, 2, 1e-5, 1e-5 },
    { "norm", "BatchNorm [2,3,4,4] inference", "BatchNorm", 5, 1,
      { F32C(4, 2, 3, 4, 4), F32(1, 3), F32(1, 3), F32(1, 3),
        T_OF(AOP_DT_FLOAT, 1, f_var, 3), F32C(4, 2, 3, 4, 4) },
      { { 0 } }, 0, 1e-5, 1e-5 },
    { "reduce", "ReduceSum [4,5,6] axes [1] keep_dims false (bool)",
      "ReduceSum", 1, 1, { F32(3, 4, 5, 6), F32(2, 4, 6) },
      { { "axes", VASCEND_ATTR_INT, 1, i_axis1 },
        { "keep_dims", VASCEND_ATTR_BOOL, 1, &b_no } }, 2, 1e-6, 1e-6 },
    { "cast", "Cast fp32 [300] -> fp16 (dst_type)", "Cast", 1, 1,
      { F32(1, 300), F16(1, 300) },
      { { "dst_type", VASCEND_ATTR_INT, 1, &i_dst_f16 } }, 1, 0, 0 },
    { "data", "Transpose [2,3,4] perm [2,0,1]", "Transpose", 1, 1,
      { F32(3, 2, 3, 4), F32(3, 4, 2, 3) },
      { { "perm", VASCEND_ATTR_INT, 3, i_perm } }, 1, 0, 0 },
    { "data", "GatherV2 [5,4] indices {4,0,2} axis 0", "GatherV2", 2, 1,
      { F32(2, 5, 4), T_OF(AOP_DT_INT64, 1, i_idx, 3), F32(2, 3, 4) },
      { { "axis", VASCEND_ATTR_INT, 1, &i_zero } }, 1, 0, 0 },
    { "data", "ConcatD [2,3] ++ [2,5] concat_dim 1", "ConcatD", 2, 1,
      { F32(2, 2, 3), F32(2, 2, 5), F32(2, 2, 8) },
      { { "concat_dim", VASCEND_ATTR_INT, 1, &i_one } }, 1, 0, 0 },
    { "data", "Resize [1,1,4,4] -> [1,1,8,8] linear, "
      "coordinate_transformation_mode (a 30-byte name)", "Resize", 4, 1,
      { F32C(4, 1, 1, 4, 4), OMIT, OMIT, T_OF(AOP_DT_INT64, 1, i_sizes, 4),
        F32C(4, 1, 1, 8, 8) },
      { { "mode", VASCEND_ATTR_STRING, 6, "linear" },
        { "coordinate_transformation_mode", VASCEND_ATTR_STRING, 10,
          "half_pixel" } }, 2, 1e-6, 1e-6 },
};

#define NCASES  (sizeof(cases) / sizeof(cases[0]))

static uint64_t t_bytes(const struct tspec *s)
{
    int64_t n = aop_shape_elems(s->ndim, s->dims);

    return s->omitted ? 0 : (uint64_t)n * aop_dtype_size(s->dtype);
}

static void fill(struct ot *o, const struct tspec *s, uint8_t *buf)
{
    uint64_t n = t_bytes(s) / aop_dtype_size(s->dtype), i;
    uint16_t h;
    float f;

    if (s->data) {
        memcpy(buf, s->data, t_bytes(s));
        return;
    }
    for (i = 0; i < n; i++) {
        f = ot_randf(o);
        switch (s->dtype) {
        case AOP_DT_FLOAT:
            memcpy(buf + 4 * i, &f, 4);
            break;
        case AOP_DT_FLOAT16:
            h = aop_f32_to_f16(f);
            memcpy(buf + 2 * i, &h, 2);
            break;
        default:
            memset(buf + i * aop_dtype_size(s->dtype), (int)(ot_rand(o) & 1),
                   aop_dtype_size(s->dtype));
            break;
        }
    }
}

/* What a case needs on the host: its buffers and what it produced. */
struct run {
    uint8_t *host[MAXT];    /* inputs as written; outputs as computed */
    uint8_t *got[MAXT];     /* outputs as the device wrote them */
    uint64_t va[MAXT];
    struct vascend_cqe cqe;
    uint16_t status;
};

static void run_free(struct run *r)
{
    int k;

    for (k = 0; k < MAXT; k++) {
        free(r->host[k]);
        free(r->got[k]);
    }
}

/*
 * Launch case @c (tensor @split_k, if any, in the scattered pages) and run
 * the library's reference on the host with the same inputs.
 */
static void run_case(struct ot *o, const struct ocase *c, uint32_t block_dim,
                     int split_k, struct run *r)
{
    struct ot_tensor td[MAXT];
    struct aop_tensor ain[MAXT], aout[MAXT];
    struct aop_attr aa[6];
    struct aop_ctx ref = { .threads = 1, .reference = true };
    struct aop_error err;
    uint32_t k, n = c->nin + c->nout, size, id = aop_find_cann(c->op);
    uint64_t bytes;

    memset(r, 0, sizeof(*r));
    ot_reset_alloc(o);
    for (k = 0; k < n; k++) {
        const struct tspec *s = &c->t[k];

        bytes = t_bytes(s);
        r->host[k] = calloc(1, bytes + 1);
        r->got[k] = calloc(1, bytes + 1);
        memset(&td[k], 0, sizeof(td[k]));
        if (s->omitted) {
            td[k].dtype = VASCEND_DTYPE_UNDEFINED;
            continue;
        }
        r->va[k] = (int)k == split_k ? VA_SPLIT + 100 : ot_alloc(o, bytes);
        td[k].va = r->va[k];
        td[k].size = bytes;
        td[k].dtype = s->dtype;
        td[k].format = s->format;
        td[k].ndim = s->ndim;
        memcpy(td[k].dims, s->dims, sizeof(td[k].dims));
        if (k < c->nin) {
            fill(o, s, r->host[k]);
            ot_put(o, r->va[k], r->host[k], bytes);
        } else {
            memset(r->host[k], 0xcc, bytes);
            ot_put(o, r->va[k], r->host[k], bytes);
        }
    }
    size = ot_desc(ot_descbuf(o), DESC_ROOM, id, td, c->nin, c->nout, c->a,
                   c->nattrs);
    r->status = ot_launch(o, id, size, block_dim, &r->cqe);
    for (k = c->nin; k < n; k++) {
        ot_get(o, r->va[k], r->got[k], t_bytes(&c->t[k]));
    }
    for (k = 0; k < n; k++) {
        struct aop_tensor *a = k < c->nin ? &ain[k] : &aout[k - c->nin];

        if (c->t[k].omitted) {
            memset(a, 0, sizeof(*a));
            a->dtype = AOP_DT_NONE;
            a->format = AOP_FMT_ND;
            continue;
        }
        aop_tensor_init(a, r->host[k], c->t[k].dtype, c->t[k].ndim,
                        c->t[k].dims);
        a->format = c->t[k].format;
    }
    for (k = 0; k < c->nattrs; k++) {
        aa[k].name = c->a[k].name;
        aa[k].type = c->a[k].type;
        aa[k].count = c->a[k].count;
        aa[k].data = c->a[k].data;
    }
    if (aop_run(&ref, id, ain, c->nin, aout, c->nout, aa, c->nattrs, &err)) {
        printf("# reference of %s failed: %s\n", c->op, err.msg);
        r->status = 0xfffe;
    }
}

/* The device's outputs against the reference's, within @rtol/@atol. */
static int outputs_match(const struct ocase *c, const struct run *r,
                         double rtol, double atol)
{
    uint32_t k;
    int ok = r->status == 0;

    if (r->status) {
        printf("# %s: status 0x%x info 0x%x\n", c->op, r->status,
               r->cqe.info);
    }
    for (k = c->nin; ok && k < c->nin + c->nout; k++) {
        ok = ot_close(r->got[k], r->host[k], c->t[k].dtype,
                      t_bytes(&c->t[k]) / aop_dtype_size(c->t[k].dtype),
                      rtol, atol, NULL);
    }
    return ok;
}

static void test_fast_path(void)
{
    static const uint32_t bds[] = { 0, 1, 3, 64 };
    struct ot o;
    struct run r;
    size_t i, b;
    int ok, split;

    ot_init(&o, 8, false, NULL);
    for (i = 0; i < NCASES; i++) {
        const struct ocase *c = &cases[i];

        ok = 1;
        for (b = 0; b < sizeof(bds) / sizeof(bds[0]); b++) {
            run_case(&o, c, bds[b], -1, &r);
            ok &= outputs_match(c, &r, c->rtol, c->atol);
            if (ok && bds[b]) {
                ok &= r.cqe.result == bds[b] ||
                      (r.cqe.result == (bds[b] < 8 ? bds[b] : 8));
            }
            run_free(&r);
        }
        TAP_CHECK(ok, "%s: %s: matches the reference, block_dim 0, 1, 3, 64",
                  c->family, c->what);
        /* The first input and the first output split at every page. */
        split = 0;
        run_case(&o, c, 0, 0, &r);
        ok = outputs_match(c, &r, c->rtol, c->atol);
        run_free(&r);
        run_case(&o, c, 0, (int)c->nin, &r);
        ok &= outputs_match(c, &r, c->rtol, c->atol);
        run_free(&r);
        TAP_CHECK(ok, "%s: %s: the same with input 0, then output 0, in "
                  "scattered 4 KiB pages", c->family, c->what);
        (void)split;
    }
    TAP_CHECK(o.dt->e->maps_out == 0, "no guest RAM mapping left behind");
    ot_fini(&o);
}

static void test_reference_property(void)
{
    struct ot o;
    struct run r;
    size_t i;
    int ok;

    ot_init(&o, 4, true, NULL);
    for (i = 0; i < NCASES; i++) {
        run_case(&o, &cases[i], 0, -1, &r);
        ok = outputs_match(&cases[i], &r, 0, 0);
        run_free(&r);
        TAP_CHECK(ok, "ops=reference: %s: %s: bit for bit the library's "
                  "reference", cases[i].family, cases[i].what);
    }
    ot_fini(&o);
}

static void test_threads(void)
{
    struct ot o;
    struct run r;
    size_t i;
    int ok = 1, c;
    uint64_t busy[8];

    ot_init(&o, 8, false, NULL);
    env_jobs(o.dt->e, JOBS_THREADS);
    o.dt->e->clock_step = 1000;
    for (i = 0; i < NCASES; i++) {
        run_case(&o, &cases[i], 0, i % 2 ? 0 : -1, &r);
        ok &= outputs_match(&cases[i], &r, cases[i].rtol, cases[i].atol);
        run_free(&r);
    }
    TAP_CHECK(ok, "every case on a 4-thread pool (half of them split) "
              "matches the reference");
    /* A self-threaded launch counts as busy on all the cores it used. */
    memcpy(busy, o.dt->e->dev.tele.core_busy, sizeof(busy));
    run_case(&o, &cases[7], 8, -1, &r);
    ok = r.status == 0 && r.cqe.result == 8;
    run_free(&r);
    for (c = 0; c < 8; c++) {
        ok &= o.dt->e->dev.tele.core_busy[c] > busy[c];
    }
    TAP_CHECK(ok, "MatMul through OpenBLAS, block_dim 8: 8 threads, busy "
              "time on all 8 AI Cores");
    /* The device's choice: a product this small is not worth a second. */
    memcpy(busy, o.dt->e->dev.tele.core_busy, sizeof(busy));
    run_case(&o, &cases[7], 0, -1, &r);
    ok = r.status == 0 && r.cqe.result == 1 &&
         o.dt->e->dev.tele.core_busy[0] > busy[0];
    run_free(&r);
    for (c = 1; c < 8; c++) {
        ok &= o.dt->e->dev.tele.core_busy[c] == busy[c];
    }
    TAP_CHECK(ok, "the same MatMul, block_dim 0: the device runs it on one "
              "AI Core (aop_launch_threads())");
    ot_fini(&o);
}

struct bad_case {
    const char *what;
    uint16_t status;
    uint32_t reason;
    uint32_t operand;
};

/* Launch @c after @poke changed its descriptor; check status and info. */
static void expect(struct ot *o, const struct ocase *c,
                   void (*poke)(uint8_t *d, uint32_t *size),
                   const struct bad_case *b)
{
    struct ot_tensor td[MAXT];
    uint32_t k, size, id = aop_find_cann(c->op);
    struct vascend_cqe cqe;
    uint8_t *buf;
    uint16_t st;

    ot_reset_alloc(o);
    for (k = 0; k < c->nin + c->nout; k++) {
        memset(&td[k], 0, sizeof(td[k]));
        if (c->t[k].omitted) {
            td[k].dtype = VASCEND_DTYPE_UNDEFINED;
            continue;
        }
        td[k].size = t_bytes(&c->t[k]);
        td[k].va = ot_alloc(o, td[k].size);
        td[k].dtype = c->t[k].dtype;
        td[k].format = c->t[k].format;
        td[k].ndim = c->t[k].ndim;
        memcpy(td[k].dims, c->t[k].dims, sizeof(td[k].dims));
        if (c->t[k].data) {
            ot_put(o, td[k].va, c->t[k].data, td[k].size);
        }
    }
    buf = ot_descbuf(o);
    size = ot_desc(buf, DESC_ROOM, id, td, c->nin, c->nout, c->a, c->nattrs);
    if (poke) {
        poke(buf, &size);
    }
    st = ot_launch(o, id, size, 0, &cqe);
    if (b->status == VASCEND_CQE_STATUS_OP_ERROR) {
        TAP_CHECK(st == b->status &&
                  VASCEND_OP_ERR_REASON(cqe.info) == b->reason &&
                  VASCEND_OP_ERR_OPERAND(cqe.info) == b->operand &&
                  (cqe.flags & VASCEND_CQE_F_QUEUE_STOPPED),
                  "%s: OP_ERROR reason %u operand 0x%x (got status 0x%x "
                  "info 0x%x)", b->what, b->reason, b->operand, st, cqe.info);
    } else {
        /* MMU faults: reason holds the access the fault must name. */
        TAP_CHECK(st == b->status && (st != VASCEND_CQE_STATUS_MMU_FAULT ||
                                      (cqe.info & 0xff) == b->reason),
                  "%s: status 0x%x (got 0x%x info 0x%x)", b->what, b->status,
                  st, cqe.info);
    }
}

#define TD(k)   ((struct vascend_tensor_desc *)(d + 64) + (k))
#define HD      ((struct vascend_op_desc *)d)
#define POKE(name, body) \
    static void name(uint8_t *d, uint32_t *size) { (void)size; body; }

POKE(p_magic, HD->magic ^= 1)
POKE(p_version, HD->version = 3)
POKE(p_opid, HD->op_id ^= 1)
POKE(p_rsvd, HD->rsvd[0] = 1)
POKE(p_layout, HD->total_size += 8)
POKE(p_count, HD->num_inputs = 65)
POKE(p_dtype, TD(1)->dtype = 99)
POKE(p_format, TD(0)->format = 3)
POKE(p_shape, TD(1)->dims[0] = 3; TD(1)->dims[2] = 2; TD(1)->size = 168)
POKE(p_size, TD(2)->size -= 4)
POKE(p_omit_field, TD(1)->dtype = VASCEND_DTYPE_UNDEFINED)
POKE(p_omit_required, TD(0)->dtype = VASCEND_DTYPE_UNDEFINED;
     TD(0)->addr = 0; TD(0)->size = 0; TD(0)->format = 0; TD(0)->ndim = 0;
     memset(TD(0)->dims, 0, sizeof(TD(0)->dims)))
POKE(p_ro_out, TD(2)->addr = VA_RO)
POKE(p_unmapped, TD(0)->addr = 0x7000000000ULL)

static void test_bad(void)
{
    static const int64_t bad_idx[3] = { 4, 9, 0 };
    static const int64_t two_axes[2] = { 0, 1 };
    static const int64_t train = 1;
    static const struct ocase gather_oob = {
        "data", "", "GatherV2", 2, 1,
        { F32(2, 5, 4), T_OF(AOP_DT_INT64, 1, bad_idx, 3), F32(2, 3, 4) },
        { { "axis", VASCEND_ATTR_INT, 1, &i_zero } }, 1, 0, 0 };
    static const struct ocase bogus_attr = {
        "unary", "", "LeakyRelu", 1, 1, { F32(1, 8), F32(1, 8) },
        { { "alpha", VASCEND_ATTR_FLOAT, 1, &f_alpha },
          { "bogus_attribute_with_a_long_name_39b", VASCEND_ATTR_INT, 1,
            &i_one } }, 2, 0, 0 };
    static const struct ocase mistyped_attr = {
        "data", "", "Transpose", 1, 1, { F32(2, 2, 3), F32(2, 3, 2) },
        { { "approximate", VASCEND_ATTR_STRING, 4, "none" },
          { "perm", VASCEND_ATTR_STRING, 2, "01" } }, 2, 0, 0 };
    static const struct ocase training = {
        "norm", "", "BatchNorm", 5, 1,
        { F32C(4, 1, 3, 2, 2), F32(1, 3), F32(1, 3), F32(1, 3),
          T_OF(AOP_DT_FLOAT, 1, f_var, 3), F32C(4, 1, 3, 2, 2) },
        { { "training_mode", VASCEND_ATTR_INT, 1, &train } }, 1, 0, 0 };
    static const struct ocase softmax_axes = {
        "softmax", "", "SoftmaxV2", 1, 1, { F32(2, 4, 4), F32(2, 4, 4) },
        { { "axes", VASCEND_ATTR_INT, 2, two_axes } }, 1, 0, 0 };
    static const struct ocase wrong_out = {
        "elementwise", "", "Add", 2, 1,
        { F32(2, 4, 5), F32(1, 5), F32(2, 4, 6) }, { { 0 } }, 0, 0, 0 };
    static const struct ocase three_in = {
        "unary", "", "Sigmoid", 2, 1, { F32(1, 8), F32(1, 8), F32(1, 8) },
        { { 0 } }, 0, 0, 0 };
    const struct ocase *add = &cases[0];
    struct ot o;

    ot_init(&o, 4, false, NULL);
    expect(&o, add, p_magic, &(struct bad_case){ "Add: bad magic",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_MAGIC,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_version, &(struct bad_case){ "Add: version 3",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_VERSION,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_opid, &(struct bad_case){ "Add: op_id not the SQE's",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_OP_ID,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_count, &(struct bad_case){ "Add: 65 inputs",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_COUNT,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_layout, &(struct bad_case){ "Add: total_size wrong",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_LAYOUT,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_rsvd, &(struct bad_case){ "Add: rsvd set",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_RESERVED,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_dtype, &(struct bad_case){ "Add: dtype 99",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_DTYPE, 1 });
    expect(&o, add, p_format, &(struct bad_case){
           "Add: format 3 (NC1HWC0, the library's refusal)",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_FORMAT, 0 });
    expect(&o, add, p_shape, &(struct bad_case){
           "Add: [4,1,33] + [3,7,2] do not broadcast",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_SHAPE, 1 });
    expect(&o, &wrong_out, NULL, &(struct bad_case){
           "Add: output [4,6] for [4,5] + [5]",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_SHAPE, 2 });
    expect(&o, add, p_size, &(struct bad_case){
           "Add: output size short of its shape",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_SIZE, 2 });
    expect(&o, &three_in, NULL, &(struct bad_case){ "Sigmoid: 2 inputs",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_COUNT,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_omit_field, &(struct bad_case){
           "Add: an omitted operand with an address",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_RESERVED, 1 });
    expect(&o, add, p_omit_required, &(struct bad_case){
           "Add: input 0 omitted", VASCEND_CQE_STATUS_OP_ERROR,
           VASCEND_OP_ERR_COUNT, 0 });
    expect(&o, &bogus_attr, NULL, &(struct bad_case){
           "LeakyRelu: unknown attribute (39-byte name) is attribute 1",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_ATTR_VALUE,
           VASCEND_OP_ERR_ATTR(1) });
    expect(&o, &mistyped_attr, NULL, &(struct bad_case){
           "Transpose: perm given as a string is attribute 1",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_ATTR_VALUE,
           VASCEND_OP_ERR_ATTR(1) });
    expect(&o, &gather_oob, NULL, &(struct bad_case){
           "GatherV2: index 9 of 5 (VALUE, read from device memory)",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_VALUE, 1 });
    expect(&o, &training, NULL, &(struct bad_case){
           "BatchNorm: training mode (UNSUPPORTED)",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_UNSUPPORTED,
           VASCEND_OP_ERR_HEADER });
    expect(&o, &softmax_axes, NULL, &(struct bad_case){
           "SoftmaxV2: two axes (UNSUPPORTED)",
           VASCEND_CQE_STATUS_OP_ERROR, VASCEND_OP_ERR_UNSUPPORTED,
           VASCEND_OP_ERR_HEADER });
    expect(&o, add, p_ro_out, &(struct bad_case){
           "Add: output in read-only memory: MMU_FAULT on a write",
           VASCEND_CQE_STATUS_MMU_FAULT, VASCEND_FAULT_ACCESS_WRITE, 0 });
    expect(&o, add, p_unmapped, &(struct bad_case){
           "Add: input 0 unmapped: MMU_FAULT on a read",
           VASCEND_CQE_STATUS_MMU_FAULT, VASCEND_FAULT_ACCESS_READ, 0 });
    {
        struct run r;

        run_case(&o, &cases[7], 0, -1, &r);
        TAP_CHECK(outputs_match(&cases[7], &r, cases[7].rtol, cases[7].atol),
                  "after all that a good MatMul still works");
        run_free(&r);
    }
    TAP_CHECK(o.dt->e->maps_out == 0, "no mapping left behind");
    ot_fini(&o);
}

static void test_firmware(void)
{
    struct vascend_fw_op op;
    struct ot o;
    struct img *im = calloc(1, sizeof(*im));
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint32_t st;

    ot_init(&o, 4, false, NULL);
    TAP_CHECK(anpu_engine_find_op("Conv2D") && anpu_engine_find_op("Cast") &&
              anpu_engine_find_op("TestVectorAdd") &&
              !anpu_engine_find_op("Conv") && !anpu_engine_find_op("AddV2"),
              "the engine offers the library's CANN names, not its ONNX or "
              "alternative names");
    ot_fini(&o);

    /* Add under another id than the library's. */
    memset(&op, 0, sizeof(op));
    op.op_id = 0x0102;
    op.version = 1;
    strcpy(op.name, "Add");
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(im, VASCEND_FW_SECT_OP_TABLE, &op, sizeof(op));
    img_seal(im);
    o.dt = dt_new_cfg(NULL, 0);
    st = dt_boot_image(o.dt->e, im);
    TAP_CHECK(st == VASCEND_FW_STATUS_ERR_MISMATCH,
              "an op table listing Add under 0x0102 is refused (0x%x)", st);
    dt_free(o.dt);
    op.op_id = 0x0101;
    op.version = 2;
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(im, VASCEND_FW_SECT_OP_TABLE, &op, sizeof(op));
    img_seal(im);
    o.dt = dt_new_cfg(NULL, 0);
    st = dt_boot_image(o.dt->e, im);
    TAP_CHECK(st == VASCEND_FW_STATUS_ERR_MISMATCH,
              "an op table listing Add version 2 is refused (0x%x)", st);
    dt_free(o.dt);
    free(im);

    /* An op the firmware leaves out is unknown to KERNEL_LAUNCH. */
    ot_init(&o, 4, false, "Sigmoid");
    s = sqe_launch(VA_DESC, 64, 0, aop_find_cann("Sigmoid"));
    st = dt_io(o.dt, 1, &s, &c);
    TAP_CHECK(st == VASCEND_CQE_STATUS_OP_UNKNOWN &&
              c.result == aop_find_cann("Sigmoid"),
              "Sigmoid left out of the op table: OP_UNKNOWN (0x%x)", st);
    ot_fini(&o);
}

int main(void)
{
    test_firmware();
    test_fast_path();
    test_reference_property();
    test_threads();
    test_bad();
    return tap_done();
}
