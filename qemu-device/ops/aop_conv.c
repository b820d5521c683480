/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Convolution (Conv2D/Conv1D/Conv3D, ONNX Conv) and transposed convolution
 * (Conv2DTranspose, ONNX ConvTranspose), with 1 to 3 spatial dims, strides,
 * dilations, symmetric or asymmetric pads, auto_pad, groups (depthwise
 * included) and bias. Data is NCHW-like, or NHWC-like when the input's
 * format is NHWC or data_format says so; weights are always
 * [M, C/group, k...] (Conv) and [C, M/group, k...] (ConvTranspose).
 *
 * Attributes are ONNX's: pads are all begins then all ends. CANN's
 * 4-element strides/dilations (with the N and C entries) are accepted.
 *
 * Reference: every output element as a sum over its window (the
 * transposed op in gather form), fp32 accumulation; tiles split the
 * (n, m) planes. Fast: oneDNN (de)convolution in fp32 with the user's
 * layout for data and an oneDNN-chosen one for weights; fp16/bf16 go
 * through fp32 scratch. A shape oneDNN refuses runs the reference.
 */
#include <stdlib.h>

#include "aop_dnnl.h"

#define SP 3                    /* spatial dims, normalised */
#define REF_TILE_MACS (1 << 20)

struct conv_plan {
    bool transposed;
    bool nhwc;
    uint32_t k;                 /* real spatial dims, 1..3 */
    int64_t N, C, M, group;
    /* normalised to 3 spatial dims, leading ones padded with 1/0 */
    int64_t in[SP], out[SP], ker[SP], str[SP], dil[SP], pb[SP], pe[SP];
    bool has_bias;
    uint32_t dt;
    /* fast path: the primitive (cp.prim, from the thread's cache) */
    struct aop_dnnl_prim cp;
    dnnl_memory_desc_t src_md, wei_user_md, bias_md, dst_md;
    size_t scratch_bytes;
};

static int64_t sp_size(const int64_t *d)
{
    return d[0] * d[1] * d[2];
}

/*
 * Read a per-spatial-dim attribute: k values (ONNX), or k+2 (CANN, with
 * the N and C entries, in data order), into the normalised @out.
 */
static int sp_attr(struct aop_launch *l, struct conv_plan *p,
                   const char *name, int64_t def, int64_t *out)
{
    int64_t v[AOP_MAX_DIMS + 2];
    uint32_t n, off = SP - p->k;
    int rc = aop_attr_ints(l, name, NULL, v, AOP_MAX_DIMS + 2, &n);

    if (rc) {
        return rc;
    }
    for (uint32_t i = 0; i < SP; i++) {
        out[i] = i < off ? (def == 0 ? 0 : 1) : def;
    }
    if (n == 0) {
        return AOP_OK;
    }
    if (n == p->k + 2) {
        /* CANN: NCHW -> skip the first two, NHWC -> skip first and last */
        for (uint32_t i = 0; i < p->k; i++) {
            out[off + i] = v[p->nhwc ? 1 + i : 2 + i];
        }
    } else if (n == p->k) {
        for (uint32_t i = 0; i < p->k; i++) {
            out[off + i] = v[i];
        }
    } else {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute '%s': %u values, expected %u", name, n,
                        p->k);
    }
    return AOP_OK;
}

static int conv_layout(struct aop_launch *l, struct conv_plan *p)
{
    char fmt[16];
    int rc = aop_attr_string(l, "data_format", NULL, fmt, sizeof(fmt), "");

    if (rc) {
        return rc;
    }
    p->nhwc = l->in[0].format == AOP_FMT_NHWC;
    if (fmt[0]) {
        if (strcmp(fmt, "NHWC") == 0 || strcmp(fmt, "NWC") == 0 ||
            strcmp(fmt, "NDHWC") == 0) {
            p->nhwc = true;
        } else if (strcmp(fmt, "NCHW") == 0 || strcmp(fmt, "NCW") == 0 ||
                   strcmp(fmt, "NCL") == 0 || strcmp(fmt, "NCDHW") == 0) {
            p->nhwc = false;
        } else {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'data_format': '%s' not supported",
                            fmt);
        }
    }
    return AOP_OK;
}

/* Common checks and attributes of both ops; fills everything but out[]. */
static int conv_common(struct aop_launch *l, struct conv_plan *p,
                       char *auto_pad, size_t ap_len)
{
    const struct aop_tensor *X = &l->in[0], *W = &l->in[1];
    int64_t pads[2 * SP], ks[SP];
    uint32_t npads, nks;
    int64_t off;
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(1));
    }
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 3, 5);
    }
    if (!rc && W->ndim != X->ndim) {
        rc = aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                      "rank %u, expected %u like the input", W->ndim,
                      X->ndim);
    }
    if (!rc) {
        rc = conv_layout(l, p);
    }
    if (rc) {
        return rc;
    }
    p->dt = X->dtype;
    p->k = X->ndim - 2;
    off = SP - p->k;
    p->N = X->dims[0];
    p->C = p->nhwc ? X->dims[X->ndim - 1] : X->dims[1];
    for (uint32_t i = 0; i < SP; i++) {
        p->in[i] = i < off ? 1 : X->dims[(p->nhwc ? 1 : 2) + i - off];
        p->ker[i] = i < off ? 1 : W->dims[2 + i - off];
    }
    rc = aop_attr_int(l, "group", "groups", 1, &p->group);
    if (!rc) {
        rc = sp_attr(l, p, "strides", 1, p->str);
    }
    if (!rc) {
        rc = sp_attr(l, p, "dilations", 1, p->dil);
    }
    if (!rc) {
        rc = aop_attr_string(l, "auto_pad", "padding", auto_pad, ap_len,
                             "NOTSET");
    }
    if (!rc) {
        rc = aop_attr_ints(l, "pads", NULL, pads, 2 * SP, &npads);
    }
    if (!rc) {
        rc = aop_attr_ints(l, "kernel_shape", NULL, ks, SP, &nks);
    }
    if (rc) {
        return rc;
    }
    if (aop_attr_has(l, "offset_x")) {
        int64_t ox;
        rc = aop_attr_int(l, "offset_x", NULL, 0, &ox);
        if (rc) {
            return rc;
        }
        if (ox != 0) {
            return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OPERAND_NONE,
                            "attribute 'offset_x' %" PRId64
                            ": quantised conv not supported", ox);
        }
    }
    if (p->group < 1 || p->group > p->C || p->C % p->group) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'group' %" PRId64 " does not divide the "
                        "%" PRId64 " input channels", p->group, p->C);
    }
    for (uint32_t i = 0; i < SP; i++) {
        if (p->str[i] < 1 || p->str[i] > (1 << 20) || p->dil[i] < 1 ||
            p->dil[i] > (1 << 20)) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "strides and dilations must be in 1..2^20");
        }
    }
    if (nks && nks != p->k) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'kernel_shape': %u values, expected %u",
                        nks, p->k);
    }
    for (uint32_t i = 0; i < nks; i++) {
        if (ks[i] != p->ker[off + i]) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'kernel_shape'[%u] is %" PRId64
                            " but the weights have %" PRId64, i, ks[i],
                            p->ker[off + i]);
        }
    }
    if (npads && npads != 2 * p->k) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'pads': %u values, expected %u", npads,
                        2 * p->k);
    }
    for (uint32_t i = 0; i < SP; i++) {
        p->pb[i] = p->pe[i] = 0;
    }
    for (uint32_t i = 0; i < npads; i++) {
        if (pads[i] < 0 || pads[i] > (1 << 20)) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'pads'[%u] is %" PRId64
                            ", expected 0..2^20", i, pads[i]);
        }
    }
    for (uint32_t i = 0; npads && i < p->k; i++) {
        p->pb[off + i] = pads[i];
        p->pe[off + i] = pads[p->k + i];
    }
    if (strcmp(auto_pad, "NOTSET") && strcmp(auto_pad, "VALID") &&
        strcmp(auto_pad, "SAME_UPPER") && strcmp(auto_pad, "SAME_LOWER") &&
        strcmp(auto_pad, "SAME")) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'auto_pad': '%s' not supported", auto_pad);
    }
    if (strcmp(auto_pad, "VALID") == 0) {
        for (uint32_t i = 0; i < SP; i++) {
            p->pb[i] = p->pe[i] = 0;
        }
    }
    if (aop_has_in(l, 2)) {
        const struct aop_tensor *B = &l->in[2];
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(2));
        if (rc) {
            return rc;
        }
        p->has_bias = true;
        (void)B;
    }
    return AOP_OK;
}

static int check_bias(struct aop_launch *l, const struct conv_plan *p)
{
    const struct aop_tensor *B = &l->in[2];

    if (p->has_bias && (B->ndim != 1 || B->dims[0] != p->M)) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(2),
                        "bias has %" PRId64 " elements in rank %u, expected "
                        "[%" PRId64 "]", aop_numel(B), B->ndim, p->M);
    }
    return AOP_OK;
}

static int check_out(struct aop_launch *l, const struct conv_plan *p)
{
    int64_t d[AOP_MAX_DIMS];
    uint32_t off = SP - p->k;

    d[0] = p->N;
    for (uint32_t i = 0; i < p->k; i++) {
        if (p->out[off + i] < 1) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(0),
                            "spatial dim %u gives an output of %" PRId64
                            " (window larger than the padded input)", i,
                            p->out[off + i]);
        }
        d[(p->nhwc ? 1 : 2) + i] = p->out[off + i];
    }
    d[p->nhwc ? p->k + 1 : 1] = p->M;
    return aop_want_out_shape(l, 0, p->k + 2, d);
}

/* Index of (n, c, z, y, x) in a tensor of @ch channels and spatial @sp. */
static inline int64_t didx(bool nhwc, int64_t ch, const int64_t *sp,
                           int64_t n, int64_t c, int64_t z, int64_t y,
                           int64_t x)
{
    if (nhwc) {
        return (((n * sp[0] + z) * sp[1] + y) * sp[2] + x) * ch + c;
    }
    return (((n * ch + c) * sp[0] + z) * sp[1] + y) * sp[2] + x;
}

/*
 * Multiply-adds: every output (input, transposed) pixel of every output
 * channel reads the kernel over the group's input channels.
 */
static int64_t conv_macs(const struct conv_plan *p)
{
    return p->N * p->M * sp_size(p->transposed ? p->in : p->out) *
           (p->C / p->group) * sp_size(p->ker);
}

static void plan_ref_tiles(struct aop_launch *l, const struct conv_plan *p)
{
    int64_t planes = p->N * p->M;
    int64_t macs = conv_macs(p);
    int64_t t = macs / REF_TILE_MACS + 1;

    if (t > planes) {
        t = planes;
    }
    if (t > AOP_MAX_TILES) {
        t = AOP_MAX_TILES;
    }
    l->tiles = t < 1 ? 1 : (uint32_t)t;
}

/* ---- oneDNN ---- */

static dnnl_format_tag_t data_tag(uint32_t k, bool nhwc)
{
    static const dnnl_format_tag_t nc[] = { dnnl_ncw, dnnl_nchw, dnnl_ncdhw };
    static const dnnl_format_tag_t nl[] = { dnnl_nwc, dnnl_nhwc, dnnl_ndhwc };

    return nhwc ? nl[k - 1] : nc[k - 1];
}

/*
 * User weights: Conv [M, C/g, k] (grouped [g, M/g, C/g, k]); deconv's
 * [C, M/g, k] is oneDNN's [g, M/g, C/g, k] in "io" order.
 */
static dnnl_format_tag_t wei_tag(uint32_t k, bool grouped, bool transposed)
{
    static const dnnl_format_tag_t oi[] = { dnnl_abc, dnnl_abcd, dnnl_abcde };
    static const dnnl_format_tag_t goi[] = { dnnl_abcd, dnnl_abcde,
                                             dnnl_abcdef };
    static const dnnl_format_tag_t io[] = { dnnl_bac, dnnl_bacd, dnnl_bacde };
    static const dnnl_format_tag_t gio[] = { dnnl_acbd, dnnl_acbde,
                                             dnnl_acbdef };

    if (transposed) {
        return grouped ? gio[k - 1] : io[k - 1];
    }
    return grouped ? goi[k - 1] : oi[k - 1];
}

static dnnl_status_t conv_pd(dnnl_primitive_desc_t *pd, const void *desc)
{
    return dnnl_primitive_desc_create(pd, desc, NULL, aop_dnnl_engine(),
                                      NULL);
}

static void dnnl_try_create(struct aop_launch *l, struct conv_plan *p)
{
    uint32_t off = SP - p->k;
    int64_t sd[5], dd[5], wd[6];
    dnnl_dims_t strides, dil, pl, pr;
    int wnd = 0;
    bool grouped = p->group > 1;
    dnnl_memory_desc_t any_w;
    dnnl_status_t st;
    union {
        dnnl_convolution_desc_t conv;
        dnnl_deconvolution_desc_t deconv;
    } d;

    if (!aop_dnnl_engine()) {
        return;
    }
    /* The descriptor is the cache's key: no stray bytes in it. */
    memset(&d, 0, sizeof(d));
    sd[0] = dd[0] = p->N;
    sd[1] = p->C;
    dd[1] = p->M;
    for (uint32_t i = 0; i < p->k; i++) {
        sd[2 + i] = p->in[off + i];
        dd[2 + i] = p->out[off + i];
        strides[i] = p->str[off + i];
        dil[i] = p->dil[off + i] - 1;   /* oneDNN counts extra gaps */
        pl[i] = p->pb[off + i];
        pr[i] = p->pe[off + i];
    }
    if (grouped) {
        wd[wnd++] = p->group;
    }
    wd[wnd++] = p->M / p->group;
    wd[wnd++] = p->C / p->group;
    for (uint32_t i = 0; i < p->k; i++) {
        wd[wnd++] = p->ker[off + i];
    }
    if (aop_dnnl_md(&p->src_md, (int)p->k + 2, sd, dnnl_f32,
                    data_tag(p->k, p->nhwc)) ||
        aop_dnnl_md(&p->dst_md, (int)p->k + 2, dd, dnnl_f32,
                    data_tag(p->k, p->nhwc)) ||
        aop_dnnl_md(&p->wei_user_md, wnd, wd, dnnl_f32,
                    wei_tag(p->k, grouped, p->transposed)) ||
        aop_dnnl_md(&any_w, wnd, wd, dnnl_f32, dnnl_format_tag_any) ||
        aop_dnnl_md(&p->bias_md, 1, &p->M, dnnl_f32, dnnl_a)) {
        return;
    }
    if (p->transposed) {
        st = dnnl_dilated_deconvolution_forward_desc_init(
            &d.deconv, dnnl_forward_inference, dnnl_deconvolution_direct,
            &p->src_md, &any_w, p->has_bias ? &p->bias_md : NULL,
            &p->dst_md, strides, dil, pl, pr);
    } else {
        st = dnnl_dilated_convolution_forward_desc_init(
            &d.conv, dnnl_forward_inference, dnnl_convolution_direct,
            &p->src_md, &any_w, p->has_bias ? &p->bias_md : NULL,
            &p->dst_md, strides, dil, pl, pr);
    }
    if (st != dnnl_success ||
        aop_dnnl_prim_get(&d, p->transposed ? sizeof(d.deconv)
                                             : sizeof(d.conv),
                          conv_pd, &d, &p->cp) != dnnl_success) {
        return;
    }
    (void)l;
}

static void conv_cleanup(struct aop_launch *l)
{
    struct conv_plan *p = l->priv;

    if (p) {
        aop_dnnl_prim_put(&p->cp);
    }
}

static int fast_run(struct aop_launch *l, struct conv_plan *p)
{
    int64_t nx = aop_numel(&l->in[0]), nw = aop_numel(&l->in[1]);
    int64_t ny = aop_numel(&l->out[0]);
    bool wide = p->dt != AOP_DT_FLOAT;
    float *fx = NULL, *fw = NULL, *fb = NULL, *fy = NULL;
    void *x = l->in[0].data, *w = l->in[1].data, *y = l->out[0].data;
    void *b = p->has_bias ? l->in[2].data : NULL;
    dnnl_memory_t ms = NULL, mwu = NULL, mw = NULL, mb = NULL, md = NULL;
    dnnl_engine_t eng = aop_dnnl_engine();
    void *wbuf = NULL;
    dnnl_exec_arg_t args[4];
    dnnl_status_t st;
    int n = 0, rc = AOP_OK;

    if (wide) {
        fx = malloc((size_t)nx * sizeof(float));
        fw = malloc((size_t)nw * sizeof(float));
        fy = malloc((size_t)ny * sizeof(float));
        fb = p->has_bias ? malloc((size_t)p->M * sizeof(float)) : NULL;
        if (!fx || !fw || !fy || (p->has_bias && !fb)) {
            rc = aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE,
                          "out of memory for fp32 scratch");
            goto out;
        }
        aop_to_f32_n(x, p->dt, fx, nx);
        aop_to_f32_n(w, p->dt, fw, nw);
        if (fb) {
            aop_to_f32_n(b, p->dt, fb, p->M);
        }
        x = fx;
        w = fw;
        y = fy;
        b = fb;
    }
    aop_dnnl_threads(l->threads);
    st = dnnl_memory_create(&ms, &p->src_md, eng, x);
    if (st == dnnl_success) {
        st = dnnl_memory_create(&md, &p->dst_md, eng, y);
    }
    if (st == dnnl_success) {
        st = dnnl_memory_create(&mwu, &p->wei_user_md, eng, w);
    }
    if (st == dnnl_success && b) {
        st = dnnl_memory_create(&mb, &p->bias_md, eng, b);
    }
    if (st == dnnl_success) {
        if (dnnl_memory_desc_equal(&p->cp.wei_md, &p->wei_user_md)) {
            mw = mwu;
            mwu = NULL;
        } else {
            wbuf = aligned_alloc(64, (dnnl_memory_desc_get_size(&p->cp.wei_md)
                                      + 63) & ~(size_t)63);
            st = wbuf ? dnnl_memory_create(&mw, &p->cp.wei_md, eng, wbuf)
                      : dnnl_out_of_memory;
            if (st == dnnl_success) {
                st = aop_dnnl_reorder(mwu, mw);
            }
        }
    }
    if (st != dnnl_success) {
        rc = aop_dnnl_fail(l, "memory/reorder", st);
        goto out;
    }
    args[n++] = (dnnl_exec_arg_t){ DNNL_ARG_SRC, ms };
    args[n++] = (dnnl_exec_arg_t){ DNNL_ARG_WEIGHTS, mw };
    args[n++] = (dnnl_exec_arg_t){ DNNL_ARG_DST, md };
    if (mb) {
        args[n++] = (dnnl_exec_arg_t){ DNNL_ARG_BIAS, mb };
    }
    st = aop_dnnl_exec(p->cp.prim, n, args);
    if (st != dnnl_success) {
        rc = aop_dnnl_fail(l, "convolution", st);
        goto out;
    }
    if (wide) {
        aop_from_f32_n(fy, l->out[0].data, p->dt, ny);
    }
out:
    dnnl_memory_destroy(ms);
    dnnl_memory_destroy(md);
    dnnl_memory_destroy(mwu);
    dnnl_memory_destroy(mw);
    dnnl_memory_destroy(mb);
    free(wbuf);
    free(fx);
    free(fw);
    free(fb);
    free(fy);
    return rc;
}

/* ---- Conv ---- */

/*
 * oneDNN's primitive when it takes the convolution (created for the
 * threads the work is worth: the same count runs it), else the reference
 * loops' tiles.
 */
static void plan_launch(struct aop_launch *l, struct conv_plan *p)
{
    int64_t macs = conv_macs(p);

    if (!l->reference) {
        aop_set_work(l, (uint64_t)macs / AOP_MACS_PER_NS);
        aop_dnnl_threads(l->threads);
        dnnl_try_create(l, p);
    }
    if (p->cp.prim) {
        l->tiles = 1;
        l->self_threaded = true;
    } else {
        l->reference = true;
        aop_set_work(l, (uint64_t)macs);    /* about 1 ns per MAC */
        plan_ref_tiles(l, p);
    }
}

static int conv_prepare(struct aop_launch *l)
{
    const struct aop_tensor *W = &l->in[1];
    struct conv_plan *p = calloc(1, sizeof(*p));
    char auto_pad[16];
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    rc = conv_common(l, p, auto_pad, sizeof(auto_pad));
    if (rc) {
        return rc;
    }
    p->M = W->dims[0];
    if (W->dims[1] != p->C / p->group) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "dims[1] is %" PRId64 ", expected C/group = %" PRId64,
                        W->dims[1], p->C / p->group);
    }
    if (p->M % p->group) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "%" PRId64 " filters do not split into %" PRId64
                        " groups", p->M, p->group);
    }
    for (uint32_t i = 0; i < SP; i++) {
        int64_t ext = (p->ker[i] - 1) * p->dil[i] + 1;
        if (strncmp(auto_pad, "SAME", 4) == 0) {
            int64_t o = (p->in[i] + p->str[i] - 1) / p->str[i];
            int64_t tot = (o - 1) * p->str[i] + ext - p->in[i];
            if (tot < 0) {
                tot = 0;
            }
            if (strcmp(auto_pad, "SAME_LOWER") == 0) {
                p->pe[i] = tot / 2;
                p->pb[i] = tot - p->pe[i];
            } else {
                p->pb[i] = tot / 2;
                p->pe[i] = tot - p->pb[i];
            }
        }
        {
            int64_t span = p->in[i] + p->pb[i] + p->pe[i] - ext;
            p->out[i] = span < 0 ? 0 : span / p->str[i] + 1;
        }
    }
    rc = check_bias(l, p);
    if (!rc) {
        rc = check_out(l, p);
    }
    if (rc) {
        return rc;
    }
    plan_launch(l, p);
    return AOP_OK;
}

static void conv_ref_plane(struct aop_launch *l, const struct conv_plan *p,
                           int64_t n, int64_t m)
{
    const void *X = l->in[0].data, *W = l->in[1].data;
    void *Y = l->out[0].data;
    int64_t cg = p->C / p->group, mg = p->M / p->group, g = m / mg;
    float bias = p->has_bias ? aop_ld_f(l->in[2].data, m, p->dt) : 0.0f;

    for (int64_t oz = 0; oz < p->out[0]; oz++) {
        for (int64_t oy = 0; oy < p->out[1]; oy++) {
            for (int64_t ox = 0; ox < p->out[2]; ox++) {
                float acc = bias;
                for (int64_t c = 0; c < cg; c++) {
                    for (int64_t kz = 0; kz < p->ker[0]; kz++) {
                        int64_t iz = oz * p->str[0] - p->pb[0] +
                                     kz * p->dil[0];
                        if (iz < 0 || iz >= p->in[0]) {
                            continue;
                        }
                        for (int64_t ky = 0; ky < p->ker[1]; ky++) {
                            int64_t iy = oy * p->str[1] - p->pb[1] +
                                         ky * p->dil[1];
                            if (iy < 0 || iy >= p->in[1]) {
                                continue;
                            }
                            for (int64_t kx = 0; kx < p->ker[2]; kx++) {
                                int64_t ix = ox * p->str[2] - p->pb[2] +
                                             kx * p->dil[2];
                                int64_t wi;
                                if (ix < 0 || ix >= p->in[2]) {
                                    continue;
                                }
                                wi = (((m * cg + c) * p->ker[0] + kz) *
                                      p->ker[1] + ky) * p->ker[2] + kx;
                                acc += aop_ld_f(X, didx(p->nhwc, p->C, p->in,
                                                        n, g * cg + c, iz,
                                                        iy, ix), p->dt) *
                                       aop_ld_f(W, wi, p->dt);
                            }
                        }
                    }
                }
                aop_st_f(Y, didx(p->nhwc, p->M, p->out, n, m, oz, oy, ox),
                         p->dt, acc);
            }
        }
    }
}

static int conv_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    struct conv_plan *p = l->priv;
    int64_t planes = p->N * p->M;

    if (!l->reference) {
        return fast_run(l, p);
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(planes, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            conv_ref_plane(l, p, r / p->M, r % p->M);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_conv = {
    .prepare = conv_prepare,
    .run = conv_run,
    .cleanup = conv_cleanup,
};

/* ---- ConvTranspose ---- */

static int convt_prepare(struct aop_launch *l)
{
    const struct aop_tensor *W = &l->in[1];
    struct conv_plan *p = calloc(1, sizeof(*p));
    int64_t opad[SP], oshape[AOP_MAX_DIMS];
    uint32_t nop, nos, off;
    char auto_pad[16];
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->transposed = true;
    rc = conv_common(l, p, auto_pad, sizeof(auto_pad));
    if (rc) {
        return rc;
    }
    off = SP - p->k;
    if (W->dims[0] != p->C) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "dims[0] is %" PRId64 ", expected C = %" PRId64,
                        W->dims[0], p->C);
    }
    p->M = W->dims[1] * p->group;
    rc = aop_attr_ints(l, "output_padding", NULL, opad, SP, &nop);
    if (!rc) {
        rc = aop_attr_ints(l, "output_shape", NULL, oshape, AOP_MAX_DIMS,
                           &nos);
    }
    if (rc) {
        return rc;
    }
    if (nop && nop != p->k) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'output_padding': %u values, expected %u",
                        nop, p->k);
    }
    if (nos && nos != p->k && nos != p->k + 2) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'output_shape': %u values, expected %u",
                        nos, p->k);
    }
    for (uint32_t i = 0; i < SP; i++) {
        int64_t ext = (p->ker[i] - 1) * p->dil[i] + 1;
        int64_t op = (nop && i >= off) ? opad[i - off] : 0;
        int64_t want = -1;
        int64_t lim = p->str[i] > p->dil[i] ? p->str[i] : p->dil[i];
        if (op < 0 || (op > 0 && op >= lim)) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'output_padding' %" PRId64
                            " must be below the stride or dilation", op);
        }
        if (nos && i >= off) {
            want = oshape[nos - p->k + (i - off)];
        } else if (strncmp(auto_pad, "SAME", 4) == 0) {
            want = p->in[i] * p->str[i];
        }
        if (want >= 0) {
            int64_t tot = p->str[i] * (p->in[i] - 1) + op + ext - want;
            if (tot < 0) {
                /* asking for more than the full output: pad the end */
                p->pb[i] = 0;
                p->pe[i] = tot;
            } else if (strcmp(auto_pad, "SAME_UPPER") == 0) {
                p->pb[i] = tot / 2;
                p->pe[i] = tot - tot / 2;
            } else {
                p->pe[i] = tot / 2;
                p->pb[i] = tot - tot / 2;
            }
        }
        p->out[i] = p->str[i] * (p->in[i] - 1) + op + ext - p->pb[i] -
                    p->pe[i];
    }
    rc = check_bias(l, p);
    if (!rc) {
        rc = check_out(l, p);
    }
    if (rc) {
        return rc;
    }
    for (uint32_t i = 0; i < SP; i++) {
        if (p->pe[i] < 0) {
            l->reference = true;    /* oneDNN takes no negative pads */
        }
    }
    plan_launch(l, p);
    return AOP_OK;
}

static void convt_ref_plane(struct aop_launch *l, const struct conv_plan *p,
                            int64_t n, int64_t m)
{
    const void *X = l->in[0].data, *W = l->in[1].data;
    void *Y = l->out[0].data;
    int64_t cg = p->C / p->group, mg = p->M / p->group, g = m / mg;
    int64_t ml = m % mg;
    float bias = p->has_bias ? aop_ld_f(l->in[2].data, m, p->dt) : 0.0f;
    int64_t o[SP], i[SP], kk[SP];
    bool ok, kok;

    for (ok = aop_box_first(o, p->out, SP); ok;
         ok = aop_box_next(o, p->out, SP)) {
        float acc = bias;
        for (int64_t c = 0; c < cg; c++) {
            for (kok = aop_box_first(kk, p->ker, SP); kok;
                 kok = aop_box_next(kk, p->ker, SP)) {
                /* input position that scatters into o through kk */
                bool hit = true;
                int64_t wi;
                for (int d = 0; d < SP && hit; d++) {
                    int64_t t = o[d] + p->pb[d] - kk[d] * p->dil[d];
                    if (t < 0 || t % p->str[d]) {
                        hit = false;
                    } else {
                        i[d] = t / p->str[d];
                        hit = i[d] < p->in[d];
                    }
                }
                if (!hit) {
                    continue;
                }
                wi = ((((g * cg + c) * mg + ml) * p->ker[0] + kk[0]) *
                      p->ker[1] + kk[1]) * p->ker[2] + kk[2];
                acc += aop_ld_f(X, didx(p->nhwc, p->C, p->in, n, g * cg + c,
                                        i[0], i[1], i[2]), p->dt) *
                       aop_ld_f(W, wi, p->dt);
            }
        }
        aop_st_f(Y, didx(p->nhwc, p->M, p->out, n, m, o[0], o[1], o[2]),
                 p->dt, acc);
    }
}

static int convt_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    struct conv_plan *p = l->priv;
    int64_t planes = p->N * p->M;

    if (!l->reference) {
        return fast_run(l, p);
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(planes, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            convt_ref_plane(l, p, r / p->M, r % p->M);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_convt = {
    .prepare = convt_prepare,
    .run = convt_run,
    .cleanup = conv_cleanup,
};
