/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pooling: MaxPool (optional int64 Indices output, as ONNX flattens them),
 * AvgPool/AveragePool (count_include_pad both ways), over 1 to 3 spatial
 * dims with strides, dilations (max), pads, auto_pad and ceil_mode; and
 * GlobalAveragePool / GlobalMaxPool.
 *
 * Window rule (ONNX, onnxruntime): a window is clipped to the padded
 * input; with ceil_mode the last window must start inside the input or
 * its begin padding. Average divides by the clipped window's size counting
 * pads (count_include_pad=1) or only the input elements (0).
 *
 * Reference: every output element over its window, tiles split (n, c)
 * planes. Fast: channels-last fp32 without Indices runs our own loop, a
 * window position at a time over the contiguous channels (vectorised),
 * tiles split output rows: oneDNN 2.6's jit pooling took 240 us for
 * BlazeFace's first MaxPool ([1,64,64,28], 2x2 stride 2), this loop about
 * 20. Other fp32 without Indices: oneDNN pooling; cases whose semantics
 * oneDNN does not share (ceil_mode extension with count_include_pad) run
 * the reference.
 */
#include <float.h>
#include <stdlib.h>
#include <xmmintrin.h>

#include "aop_dnnl.h"

#define SP 3

struct pool_plan {
    bool max, include_pad, nhwc, want_idx, col_major;
    uint32_t k;
    int64_t N, C;
    int64_t in[SP], out[SP], ker[SP], str[SP], dil[SP], pb[SP], pe[SP];
    uint32_t dt;
    dnnl_primitive_t prim;
    dnnl_memory_desc_t src_md, dst_md, ws_md;
    bool need_ws;
    bool rows;                  /* the channels-last loop (pool_rows()) */
};

static int sp_read(struct aop_launch *l, struct pool_plan *p, const char *name,
                   const char *alias, int64_t def, int64_t *out, bool *given)
{
    int64_t v[AOP_MAX_DIMS + 2];
    uint32_t n, off = SP - p->k;
    int rc = aop_attr_ints(l, name, alias, v, AOP_MAX_DIMS + 2, &n);

    if (rc) {
        return rc;
    }
    for (uint32_t i = 0; i < SP; i++) {
        out[i] = i < off ? 1 : def;
    }
    if (given) {
        *given = n > 0;
    }
    if (n == 0) {
        return AOP_OK;
    }
    if (n == p->k + 2) {        /* CANN's NCHW/NHWC-positioned form */
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
    for (uint32_t i = 0; i < SP; i++) {
        if (out[i] < 1 || out[i] > (1 << 20)) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute '%s': %" PRId64 " not in 1..2^20",
                            name, out[i]);
        }
    }
    return AOP_OK;
}

static void dnnl_try(struct pool_plan *p)
{
    uint32_t off = SP - p->k;
    int64_t sd[5], dd[5];
    dnnl_dims_t str, ker, dil, pl, pr;
    dnnl_pooling_v2_desc_t d;
    dnnl_primitive_desc_t pd;
    dnnl_format_tag_t tag;
    dnnl_alg_kind_t alg;
    static const dnnl_format_tag_t nc[] = { dnnl_ncw, dnnl_nchw, dnnl_ncdhw };
    static const dnnl_format_tag_t nl[] = { dnnl_nwc, dnnl_nhwc, dnnl_ndhwc };

    if (!aop_dnnl_engine() || p->dt != AOP_DT_FLOAT || p->want_idx) {
        return;
    }
    tag = p->nhwc ? nl[p->k - 1] : nc[p->k - 1];
    sd[0] = dd[0] = p->N;
    sd[1] = dd[1] = p->C;
    for (uint32_t i = 0; i < p->k; i++) {
        int64_t ext = (p->ker[off + i] - 1) * p->dil[off + i] + 1;
        /* oneDNN wants the end pad that makes its size formula exact */
        int64_t need = (p->out[off + i] - 1) * p->str[off + i] + ext -
                       p->in[off + i] - p->pb[off + i];
        if (need < 0) {
            need = 0;
        }
        if (need > p->pe[off + i] && p->include_pad && !p->max) {
            return;     /* oneDNN would count the ceil extension as pad */
        }
        sd[2 + i] = p->in[off + i];
        dd[2 + i] = p->out[off + i];
        str[i] = p->str[off + i];
        ker[i] = p->ker[off + i];
        dil[i] = p->dil[off + i] - 1;
        pl[i] = p->pb[off + i];
        pr[i] = need;
        if (pr[i] >= ext || pl[i] >= ext) {
            return;     /* a window entirely in padding: oneDNN refuses */
        }
    }
    if (aop_dnnl_md(&p->src_md, (int)p->k + 2, sd, dnnl_f32, tag) ||
        aop_dnnl_md(&p->dst_md, (int)p->k + 2, dd, dnnl_f32, tag)) {
        return;
    }
    alg = p->max ? dnnl_pooling_max
          : p->include_pad ? dnnl_pooling_avg_include_padding
                           : dnnl_pooling_avg_exclude_padding;
    if (dnnl_pooling_v2_forward_desc_init(&d, dnnl_forward_inference, alg,
                                          &p->src_md, &p->dst_md, str, ker,
                                          dil, pl, pr) != dnnl_success) {
        return;
    }
    if (dnnl_primitive_desc_create(&pd, &d, NULL, aop_dnnl_engine(), NULL)
        != dnnl_success) {
        return;
    }
    {
        const dnnl_memory_desc_t *ws = dnnl_primitive_desc_query_md(
            pd, dnnl_query_workspace_md, 0);
        p->need_ws = ws && dnnl_memory_desc_get_size(ws) > 0;
        if (p->need_ws) {
            p->ws_md = *ws;
        }
    }
    if (dnnl_primitive_create(&p->prim, pd) != dnnl_success) {
        p->prim = NULL;
    }
    dnnl_primitive_desc_destroy(pd);
}

static int pool_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    struct pool_plan *p = calloc(1, sizeof(*p));
    int64_t pads[2 * SP], cip = 0, ceil_mode = 0, so = 0, dims[AOP_MAX_DIMS];
    uint32_t npads, off;
    char auto_pad[16], fmt[16];
    bool kgiven;
    int rc;

    if (!p) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = p;
    p->max = l->op->kind == AOP_POOL_MAX;
    rc = aop_want_dtype(l, AOP_IN(0), p->max ? AOP_DTM_FLOATS |
                        AOP_DTM(AOP_DT_INT8) | AOP_DTM(AOP_DT_UINT8)
                        : AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 3, 5);
    }
    if (!rc) {
        rc = aop_attr_string(l, "data_format", NULL, fmt, sizeof(fmt), "");
    }
    if (rc) {
        return rc;
    }
    p->nhwc = X->format == AOP_FMT_NHWC;
    if (fmt[0]) {
        p->nhwc = strcmp(fmt, "NHWC") == 0 || strcmp(fmt, "NWC") == 0 ||
                  strcmp(fmt, "NDHWC") == 0;
        if (!p->nhwc && strcmp(fmt, "NCHW") && strcmp(fmt, "NCW") &&
            strcmp(fmt, "NCDHW")) {
            return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                            "attribute 'data_format': '%s' not supported",
                            fmt);
        }
    }
    p->dt = X->dtype;
    p->k = X->ndim - 2;
    off = SP - p->k;
    p->N = X->dims[0];
    p->C = p->nhwc ? X->dims[X->ndim - 1] : X->dims[1];
    for (uint32_t i = 0; i < SP; i++) {
        p->in[i] = i < off ? 1 : X->dims[(p->nhwc ? 1 : 2) + i - off];
    }
    rc = sp_read(l, p, "kernel_shape", "ksize", 1, p->ker, &kgiven);
    if (!rc) {
        rc = sp_read(l, p, "strides", NULL, 1, p->str, NULL);
    }
    if (!rc) {
        rc = sp_read(l, p, "dilations", NULL, 1, p->dil, NULL);
    }
    if (!rc) {
        rc = aop_attr_ints(l, "pads", NULL, pads, 2 * SP, &npads);
    }
    if (!rc) {
        rc = aop_attr_string(l, "auto_pad", "padding", auto_pad,
                             sizeof(auto_pad), "NOTSET");
    }
    if (!rc) {
        rc = aop_attr_int(l, "ceil_mode", NULL, 0, &ceil_mode);
    }
    if (!rc && p->max) {
        rc = aop_attr_int(l, "storage_order", NULL, 0, &so);
    }
    if (!rc && !p->max) {
        rc = aop_attr_int(l, "count_include_pad", NULL, 0, &cip);
    }
    if (rc) {
        return rc;
    }
    if (!kgiven) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'kernel_shape' is required");
    }
    if (so != 0 && so != 1) {
        return aop_fail(l, AOP_E_ATTR, AOP_OPERAND_NONE,
                        "attribute 'storage_order' %" PRId64 ", expected 0 "
                        "or 1", so);
    }
    p->col_major = so == 1;
    p->include_pad = cip != 0;
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
    for (uint32_t i = 0; i < SP; i++) {
        int64_t ext = (p->ker[i] - 1) * p->dil[i] + 1;
        if (strcmp(auto_pad, "VALID") == 0) {
            p->pb[i] = p->pe[i] = 0;
        } else if (strncmp(auto_pad, "SAME", 4) == 0) {
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
            if (span < 0) {
                return aop_fail(l, AOP_E_SHAPE, AOP_IN(0),
                                "window %" PRId64 " larger than the padded "
                                "input %" PRId64, ext,
                                p->in[i] + p->pb[i] + p->pe[i]);
            }
            p->out[i] = (ceil_mode ? span + p->str[i] - 1 : span) /
                        p->str[i] + 1;
            if (ceil_mode && (p->out[i] - 1) * p->str[i] >=
                p->in[i] + p->pb[i]) {
                p->out[i]--;
            }
        }
    }
    dims[0] = p->N;
    for (uint32_t i = 0; i < p->k; i++) {
        dims[(p->nhwc ? 1 : 2) + i] = p->out[off + i];
    }
    dims[p->nhwc ? p->k + 1 : 1] = p->C;
    rc = aop_want_out_shape(l, 0, X->ndim, dims);
    if (rc) {
        return rc;
    }
    if (aop_has_out(l, 1)) {
        if (p->nhwc) {
            return aop_fail(l, AOP_E_UNSUPPORTED, AOP_OUT(1),
                            "Indices of NHWC data not supported");
        }
        rc = aop_want_dtype(l, AOP_OUT(1), AOP_DTM(AOP_DT_INT64));
        if (!rc) {
            rc = aop_want_out_shape(l, 1, X->ndim, dims);
        }
        if (rc) {
            return rc;
        }
        p->want_idx = true;
    }
    if (!l->reference && p->nhwc && p->dt == AOP_DT_FLOAT && !p->want_idx) {
        int64_t rows = p->N * p->out[0] * p->out[1];

        p->rows = true;
        l->tiles = rows < 1 ? 1 : rows > AOP_MAX_TILES ? AOP_MAX_TILES
                                                       : (uint32_t)rows;
        return AOP_OK;
    }
    if (!l->reference) {
        /* created for the threads that will run it */
        aop_dnnl_threads(l->threads);
        dnnl_try(p);
    }
    if (p->prim) {
        l->tiles = 1;
        l->self_threaded = true;
    } else {
        int64_t planes = p->N * p->C;
        l->reference = true;
        l->tiles = planes > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)planes;
    }
    return AOP_OK;
}

static inline int64_t sp_size3(const int64_t *d)
{
    return d[0] * d[1] * d[2];
}

static inline int64_t pidx(const struct pool_plan *p, const int64_t *sp,
                           int64_t n, int64_t c, int64_t z, int64_t y,
                           int64_t x)
{
    if (p->nhwc) {
        return (((n * sp[0] + z) * sp[1] + y) * sp[2] + x) * p->C + c;
    }
    return (((n * p->C + c) * sp[0] + z) * sp[1] + y) * sp[2] + x;
}

/*
 * Window of output position @o along spatial dim @d: the first input
 * index and how many window taps there are (some may fall outside the
 * input), and the window's size clipped to the padded input (what
 * count_include_pad divides by).
 */
static void window(const struct pool_plan *p, int d, int64_t o, int64_t *lo,
                   int64_t *padded)
{
    int64_t ext = (p->ker[d] - 1) * p->dil[d] + 1;
    int64_t a, b;

    *lo = o * p->str[d] - p->pb[d];
    a = *lo < -p->pb[d] ? -p->pb[d] : *lo;
    b = *lo + ext > p->in[d] + p->pe[d] ? p->in[d] + p->pe[d] : *lo + ext;
    *padded = b > a ? b - a : 0;
}

static void pool_plane(struct aop_launch *l, const struct pool_plan *p,
                       int64_t n, int64_t c)
{
    const void *X = l->in[0].data;
    void *Y = l->out[0].data;
    int64_t *I = p->want_idx ? l->out[1].data : NULL;
    int64_t o[SP], lo[SP], k[SP];
    bool ok;

    for (ok = aop_box_first(o, p->out, SP); ok;
         ok = aop_box_next(o, p->out, SP)) {
        double sum = 0;
        float best = -INFINITY;
        int64_t best_i = -1, cnt = 0, padded = 1;
        for (int d = 0; d < SP; d++) {
            int64_t pad;
            window(p, d, o[d], &lo[d], &pad);
            padded *= pad;
        }
        for (k[0] = 0; k[0] < p->ker[0]; k[0]++) {
            int64_t z = lo[0] + k[0] * p->dil[0];
            if (z < 0 || z >= p->in[0]) {
                continue;
            }
            for (k[1] = 0; k[1] < p->ker[1]; k[1]++) {
                int64_t y = lo[1] + k[1] * p->dil[1];
                if (y < 0 || y >= p->in[1]) {
                    continue;
                }
                for (k[2] = 0; k[2] < p->ker[2]; k[2]++) {
                    int64_t x = lo[2] + k[2] * p->dil[2];
                    int64_t xi;
                    float v;
                    if (x < 0 || x >= p->in[2]) {
                        continue;
                    }
                    xi = pidx(p, p->in, n, c, z, y, x);
                    v = aop_ld_f(X, xi, p->dt);
                    cnt++;
                    sum += v;
                    /* NaN wins and stays, like numpy's max */
                    if (best_i < 0 || v > best || (v != v && best == best)) {
                        best = v;
                        best_i = xi;
                        if (p->col_major) {
                            /*
                             * ONNX storage_order 1: spatial index
                             * column-major, after the (n, c) offset
                             */
                            best_i = (n * p->C + c) * sp_size3(p->in) +
                                     (x * p->in[1] + y) * p->in[0] + z;
                        }
                    }
                }
            }
        }
        {
            int64_t yi = pidx(p, p->out, n, c, o[0], o[1], o[2]);
            if (p->max) {
                aop_st_f(Y, yi, p->dt, best);
                if (I) {
                    I[yi] = best_i < 0 ? 0 : best_i;
                }
            } else {
                int64_t div = p->include_pad ? padded : cnt;
                aop_st_f(Y, yi, p->dt, div ? (float)(sum / (double)div)
                                           : 0.0f);
            }
        }
    }
}

/*
 * y[c] = max(y[c], x[c]) over @n channels, SSE (every x86-64 has it; the
 * loops are memory bound): a NaN in x wins and one in y stays, as in the
 * reference.
 */
static void max_into(float *y, const float *x, int64_t n)
{
    int64_t c = 0;

    for (; c + 4 <= n; c += 4) {
        __m128 a = _mm_loadu_ps(y + c), v = _mm_loadu_ps(x + c);
        __m128 take = _mm_or_ps(_mm_cmpgt_ps(v, a), _mm_cmpunord_ps(v, v));

        _mm_storeu_ps(y + c, _mm_or_ps(_mm_and_ps(take, v),
                                       _mm_andnot_ps(take, a)));
    }
    for (; c < n; c++) {
        y[c] = x[c] > y[c] || x[c] != x[c] ? x[c] : y[c];
    }
}

static void add_into(float *y, const float *x, int64_t n)
{
    int64_t c = 0;

    for (; c + 4 <= n; c += 4) {
        _mm_storeu_ps(y + c, _mm_add_ps(_mm_loadu_ps(y + c),
                                        _mm_loadu_ps(x + c)));
    }
    for (; c < n; c++) {
        y[c] += x[c];
    }
}

/* Output rows [r0, r1) of (n, z, y) of a channels-last fp32 pool. */
static void pool_rows(struct aop_launch *l, const struct pool_plan *p,
                      int64_t r0, int64_t r1)
{
    const float *X = l->in[0].data;
    float *Y = l->out[0].data;
    const int64_t C = p->C;

    for (int64_t r = r0; r < r1; r++) {
        int64_t n = r / (p->out[0] * p->out[1]);
        int64_t o0 = r / p->out[1] % p->out[0], o1 = r % p->out[1];
        int64_t lo[SP], pad[SP], o[SP] = { o0, o1, 0 };

        window(p, 0, o0, &lo[0], &pad[0]);
        window(p, 1, o1, &lo[1], &pad[1]);
        for (o[2] = 0; o[2] < p->out[2]; o[2]++) {
            float *y = Y + (((n * p->out[0] + o0) * p->out[1] + o1) *
                            p->out[2] + o[2]) * C;
            int64_t cnt = 0, div;

            window(p, 2, o[2], &lo[2], &pad[2]);
            for (int64_t k0 = 0; k0 < p->ker[0]; k0++) {
                int64_t z = lo[0] + k0 * p->dil[0];
                if (z < 0 || z >= p->in[0]) {
                    continue;
                }
                for (int64_t k1 = 0; k1 < p->ker[1]; k1++) {
                    int64_t yy = lo[1] + k1 * p->dil[1];
                    if (yy < 0 || yy >= p->in[1]) {
                        continue;
                    }
                    for (int64_t k2 = 0; k2 < p->ker[2]; k2++) {
                        int64_t xx = lo[2] + k2 * p->dil[2];
                        const float *x;
                        if (xx < 0 || xx >= p->in[2]) {
                            continue;
                        }
                        x = X + (((n * p->in[0] + z) * p->in[1] + yy) *
                                 p->in[2] + xx) * C;
                        /*
                         * The first tap is copied (wide stores: scalar
                         * ones read back wide stall store forwarding).
                         */
                        if (!cnt++) {
                            memcpy(y, x, C * sizeof(*y));
                        } else if (p->max) {
                            max_into(y, x, C);
                        } else {
                            add_into(y, x, C);
                        }
                    }
                }
            }
            if (!cnt) {
                /* a window entirely in the padding */
                for (int64_t c = 0; c < C; c++) {
                    y[c] = p->max ? -INFINITY : 0.0f;
                }
            }
            if (p->max) {
                continue;
            }
            div = p->include_pad ? pad[0] * pad[1] * pad[2] : cnt;
            for (int64_t c = 0; c < C; c++) {
                y[c] = div ? y[c] / (float)div : 0.0f;
            }
        }
    }
}

static int pool_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    struct pool_plan *p = l->priv;
    int64_t planes = p->N * p->C;

    if (p->rows) {
        int64_t rows = p->N * p->out[0] * p->out[1];

        for (uint32_t t = first; t < end; t++) {
            int64_t r0, r1;
            aop_flat_range(rows, l->tiles, t, &r0, &r1);
            pool_rows(l, p, r0, r1);
        }
        return AOP_OK;
    }
    if (!l->reference) {
        dnnl_memory_t ms = NULL, md = NULL, mw = NULL;
        dnnl_engine_t eng = aop_dnnl_engine();
        void *ws = NULL;
        dnnl_exec_arg_t args[3];
        dnnl_status_t st;
        int n = 2;

        aop_dnnl_threads(l->threads);
        st = dnnl_memory_create(&ms, &p->src_md, eng, l->in[0].data);
        if (st == dnnl_success) {
            st = dnnl_memory_create(&md, &p->dst_md, eng, l->out[0].data);
        }
        if (st == dnnl_success && p->need_ws) {
            ws = malloc(dnnl_memory_desc_get_size(&p->ws_md));
            st = ws ? dnnl_memory_create(&mw, &p->ws_md, eng, ws)
                    : dnnl_out_of_memory;
        }
        if (st == dnnl_success) {
            args[0] = (dnnl_exec_arg_t){ DNNL_ARG_SRC, ms };
            args[1] = (dnnl_exec_arg_t){ DNNL_ARG_DST, md };
            if (mw) {
                args[n++] = (dnnl_exec_arg_t){ DNNL_ARG_WORKSPACE, mw };
            }
            st = aop_dnnl_exec(p->prim, n, args);
        }
        dnnl_memory_destroy(ms);
        dnnl_memory_destroy(md);
        dnnl_memory_destroy(mw);
        free(ws);
        return st == dnnl_success ? AOP_OK : aop_dnnl_fail(l, "pooling", st);
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(planes, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            pool_plane(l, p, r / p->C, r % p->C);
        }
    }
    return AOP_OK;
}

static void pool_cleanup(struct aop_launch *l)
{
    struct pool_plan *p = l->priv;

    if (p && p->prim) {
        dnnl_primitive_destroy(p->prim);
    }
}

const struct aop_impl aop_impl_pool = {
    .prepare = pool_prepare,
    .run = pool_run,
    .cleanup = pool_cleanup,
};

/* ---- GlobalAveragePool / GlobalMaxPool (NCHW-like) ---- */

static int gpool_prepare(struct aop_launch *l)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t dims[AOP_MAX_DIMS], planes;
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 3, AOP_MAX_DIMS);
    }
    if (rc) {
        return rc;
    }
    dims[0] = X->dims[0];
    dims[1] = X->dims[1];
    for (uint32_t i = 2; i < X->ndim; i++) {
        dims[i] = 1;
    }
    rc = aop_want_out_shape(l, 0, X->ndim, dims);
    if (rc) {
        return rc;
    }
    planes = X->dims[0] * X->dims[1];
    l->tiles = planes > AOP_MAX_TILES ? AOP_MAX_TILES : (uint32_t)planes;
    return AOP_OK;
}

static int gpool_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct aop_tensor *X = &l->in[0];
    int64_t planes = X->dims[0] * X->dims[1];
    int64_t sp = aop_numel(X) / planes;
    bool max = l->op->kind == AOP_POOL_MAX;

    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(planes, l->tiles, t, &r0, &r1);
        for (int64_t r = r0; r < r1; r++) {
            double sum = 0;
            float best = -INFINITY;
            for (int64_t i = 0; i < sp; i++) {
                float v = aop_ld_f(X->data, r * sp + i, X->dtype);
                sum += v;
                if (v > best || v != v) {
                    best = v;
                }
            }
            aop_st_f(l->out[0].data, r, X->dtype,
                     max ? best : (float)(sum / (double)sp));
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_gpool = {
    .prepare = gpool_prepare,
    .run = gpool_run,
};
