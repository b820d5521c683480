/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Matrix multiplication: MatMul/BatchMatMul (numpy matmul: batch dims
 * broadcast, 1-D operands promoted and their dim dropped, optional
 * transposes of the last two dims, optional bias of N) and GEMM/Gemm
 * (Y = alpha * A' B' + beta * C, C broadcast to (M, N)).
 *
 * dtypes: fp32, fp16, bf16 (fp32 accumulation, result rounded once), and
 * int8 x int8 -> int32 for MatMul (exact int32 accumulation, wrapping).
 *
 * Reference: one output row (batch, m) per step, tiles split the rows.
 * Fast: OpenBLAS cblas_sgemm per batch, self-threaded with the context's
 * thread count; fp16/bf16 are widened to fp32 scratch first; int8 goes
 * through an exact AVX2 kernel of ours, tiled over rows.
 */
#include <cblas.h>
#include <immintrin.h>
#include <limits.h>
#include <stdlib.h>

#include "aop_dnnl.h"

/* Reference work per tile: about this many multiply-adds. */
#define REF_TILE_MACS   (1 << 20)

struct mm_plan {
    bool gemm;
    bool ta, tb;                /* transposed operands */
    int64_t M, N, K;
    int64_t batch;
    uint32_t bnd;               /* batch rank of the output */
    int64_t bdims[AOP_MAX_DIMS];
    int64_t astr[AOP_MAX_DIMS]; /* A, B matrix strides per batch dim */
    int64_t bstr[AOP_MAX_DIMS];
    int64_t rows;               /* batch * M */
    uint32_t dt, dt_o;
    /* Gemm */
    float alpha, beta;
    bool has_c;
    int64_t c_sm, c_sn;         /* C strides over (m, n): 0 broadcasts */
    bool has_bias;              /* MatMul's bias of N */
};

void aop_blas_threads(uint32_t n)
{
    /*
     * Process-wide in OpenBLAS (0.3.21 has no per-thread count): launches
     * of different sizes on two workers race on it. That only decides how
     * many of OpenBLAS's threads a product wakes, never its result: the
     * pthread build reads the count once per call and keeps idle threads.
     */
    if (openblas_get_num_threads() != (int)n) {
        openblas_set_num_threads((int)n);
    }
}

/* Matrix offsets (elements) of A and B for batch index @b. */
static void batch_offsets(const struct mm_plan *p, int64_t b, int64_t *oa,
                          int64_t *ob)
{
    int64_t a = 0, bb = 0;

    for (int i = (int)p->bnd - 1; i >= 0; i--) {
        int64_t c = b % p->bdims[i];
        b /= p->bdims[i];
        a += c * p->astr[i];
        bb += c * p->bstr[i];
    }
    *oa = a;
    *ob = bb;
}

static int mm_plan_alloc(struct aop_launch *l, struct mm_plan **pp)
{
    *pp = calloc(1, sizeof(**pp));
    if (!*pp) {
        return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE, "out of memory");
    }
    l->priv = *pp;
    return AOP_OK;
}

static bool i8_fast_ok(const struct mm_plan *p);

static void plan_tiles(struct aop_launch *l, struct mm_plan *p)
{
    bool blas_ok = p->M <= INT_MAX && p->N <= INT_MAX && p->K <= INT_MAX;

    if (p->dt == AOP_DT_INT8) {
        /* our own kernel: tiled over rows like the reference */
        if (!i8_fast_ok(p)) {
            l->reference = true;
        }
    } else if (!l->reference && blas_ok && p->rows > 0) {
        aop_set_work(l, (uint64_t)(p->rows * p->N * p->K) /
                     AOP_MACS_PER_NS);
        l->tiles = 1;
        l->self_threaded = true;
        return;
    }
    if (p->dt != AOP_DT_INT8) {
        l->reference = true;
    }
    {
        int64_t macs = p->rows * p->N * p->K;
        int64_t t = macs / REF_TILE_MACS + 1;

        /* the reference loops: about 1 ns per MAC; the int8 kernel: 8x */
        aop_set_work(l, (uint64_t)macs / (l->reference ? 1 : 8));
        if (t > p->rows) {
            t = p->rows;
        }
        if (t > AOP_MAX_TILES) {
            t = AOP_MAX_TILES;
        }
        l->tiles = t < 1 ? 1 : (uint32_t)t;
    }
}

static int mm_prepare(struct aop_launch *l)
{
    const struct aop_tensor *A = &l->in[0], *B = &l->in[1];
    int64_t ta = 0, tb = 0, adims[AOP_MAX_DIMS], bdims[AOP_MAX_DIMS];
    int64_t odims[AOP_MAX_DIMS];
    uint32_t and_, bnd_, ond = 0;
    struct mm_plan *p;
    char s1[96], s2[96];
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS | AOP_DTM(AOP_DT_INT8));
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(1));
    }
    if (!rc) {
        rc = aop_want_dtype(l, AOP_OUT(0), A->dtype == AOP_DT_INT8
                            ? AOP_DTM(AOP_DT_INT32) : AOP_DTM(A->dtype));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 1, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(1), 1, AOP_MAX_DIMS);
    }
    if (!rc) {
        rc = aop_attr_int(l, "transpose_x1", "adj_x1", 0, &ta);
    }
    if (!rc) {
        rc = aop_attr_int(l, "transpose_x2", "adj_x2", 0, &tb);
    }
    if (rc) {
        return rc;
    }
    rc = mm_plan_alloc(l, &p);
    if (rc) {
        return rc;
    }
    p->dt = A->dtype;
    p->dt_o = l->out[0].dtype;
    p->alpha = 1.0f;

    /* Promote 1-D operands to matrices: [K] -> [1,K] and [K] -> [K,1]. */
    and_ = A->ndim;
    memcpy(adims, A->dims, sizeof(adims));
    if (and_ == 1) {
        adims[1] = adims[0];
        adims[0] = 1;
        and_ = 2;
        ta = 0;
    }
    bnd_ = B->ndim;
    memcpy(bdims, B->dims, sizeof(bdims));
    if (bnd_ == 1) {
        bdims[1] = 1;
        bnd_ = 2;
        tb = 0;
    }
    p->ta = ta != 0;
    p->tb = tb != 0;
    p->M = ta ? adims[and_ - 1] : adims[and_ - 2];
    p->K = ta ? adims[and_ - 2] : adims[and_ - 1];
    {
        int64_t kb = tb ? bdims[bnd_ - 1] : bdims[bnd_ - 2];
        p->N = tb ? bdims[bnd_ - 2] : bdims[bnd_ - 1];
        if (kb != p->K) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                            "shape %s: K is %" PRId64 " but input 0 %s has "
                            "K %" PRId64,
                            aop_shape_str(B->ndim, B->dims, s1, sizeof(s1)),
                            kb,
                            aop_shape_str(A->ndim, A->dims, s2, sizeof(s2)),
                            p->K);
        }
    }
    /* Broadcast the batch dims. */
    {
        uint32_t na = and_ - 2, nb = bnd_ - 2;
        uint32_t nd = na > nb ? na : nb;
        int64_t sa = p->M * p->K, sb = p->K * p->N;
        p->bnd = nd;
        p->batch = 1;
        for (int i = (int)nd - 1; i >= 0; i--) {
            int ia = i - (int)(nd - na), ib = i - (int)(nd - nb);
            int64_t da = ia >= 0 ? adims[ia] : 1;
            int64_t db = ib >= 0 ? bdims[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                                "batch dims of %s do not broadcast with "
                                "input 0 %s",
                                aop_shape_str(B->ndim, B->dims, s1,
                                              sizeof(s1)),
                                aop_shape_str(A->ndim, A->dims, s2,
                                              sizeof(s2)));
            }
            p->bdims[i] = da > db ? da : db;
            p->astr[i] = da == 1 ? 0 : sa;
            p->bstr[i] = db == 1 ? 0 : sb;
            if (ia >= 0) {
                sa *= da;
            }
            if (ib >= 0) {
                sb *= db;
            }
            p->batch *= p->bdims[i];
        }
    }
    for (uint32_t i = 0; i < p->bnd; i++) {
        odims[ond++] = p->bdims[i];
    }
    if (A->ndim > 1) {
        odims[ond++] = p->M;
    }
    if (B->ndim > 1) {
        odims[ond++] = p->N;
    }
    rc = aop_want_out_shape(l, 0, ond, odims);
    if (rc) {
        return rc;
    }
    if (aop_has_in(l, 2)) {
        const struct aop_tensor *bias = &l->in[2];
        rc = aop_want_dtype(l, AOP_IN(2), AOP_DTM(p->dt_o));
        if (rc) {
            return rc;
        }
        if (bias->ndim != 1 || bias->dims[0] != p->N) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(2),
                            "bias shape %s, expected [%" PRId64 "]",
                            aop_shape_str(bias->ndim, bias->dims, s1,
                                          sizeof(s1)), p->N);
        }
        p->has_bias = true;
    }
    p->rows = p->batch * p->M;
    plan_tiles(l, p);
    return AOP_OK;
}

/* Element (m, k) of batch matrix A at @oa, honouring the transpose. */
static inline int64_t a_idx(const struct mm_plan *p, int64_t oa, int64_t m,
                            int64_t k)
{
    return oa + (p->ta ? k * p->M + m : m * p->K + k);
}

static inline int64_t b_idx(const struct mm_plan *p, int64_t ob, int64_t k,
                            int64_t n)
{
    return ob + (p->tb ? n * p->K + k : k * p->N + n);
}

static void ref_rows(struct aop_launch *l, int64_t r0, int64_t r1)
{
    const struct mm_plan *p = l->priv;
    const void *A = l->in[0].data, *B = l->in[1].data;
    const void *C = p->has_c ? l->in[2].data : NULL;
    const void *bias = p->has_bias ? l->in[2].data : NULL;
    void *Y = l->out[0].data;

    for (int64_t r = r0; r < r1; r++) {
        int64_t b = r / p->M, m = r % p->M, oa, ob;
        batch_offsets(p, b, &oa, &ob);
        for (int64_t n = 0; n < p->N; n++) {
            int64_t yi = r * p->N + n;
            if (p->dt == AOP_DT_INT8) {
                int64_t acc = 0;
                for (int64_t k = 0; k < p->K; k++) {
                    acc += (int64_t)((const int8_t *)A)[a_idx(p, oa, m, k)] *
                           ((const int8_t *)B)[b_idx(p, ob, k, n)];
                }
                if (bias) {
                    acc += ((const int32_t *)bias)[n];
                }
                aop_st_i(Y, yi, AOP_DT_INT32, acc);
            } else {
                float acc = 0;
                for (int64_t k = 0; k < p->K; k++) {
                    acc += aop_ld_f(A, a_idx(p, oa, m, k), p->dt) *
                           aop_ld_f(B, b_idx(p, ob, k, n), p->dt);
                }
                acc *= p->alpha;
                /* BLAS: with beta 0, C is not read (NaN there must not leak) */
                if (C && p->beta != 0.0f) {
                    acc += p->beta * aop_ld_f(C, m * p->c_sm + n * p->c_sn,
                                              l->in[2].dtype);
                }
                if (bias) {
                    acc += aop_ld_f(bias, n, p->dt_o);
                }
                aop_st_f(Y, yi, p->dt_o, acc);
            }
        }
    }
}

/* Fill the (M, N) fp32 block @y with beta * C (broadcast) and bias. */
static void fill_c(const struct aop_launch *l, const struct mm_plan *p,
                   float *y)
{
    for (int64_t m = 0; m < p->M; m++) {
        for (int64_t n = 0; n < p->N; n++) {
            float v = 0;
            if (p->has_c && p->beta != 0.0f) {
                v = p->beta * aop_ld_f(l->in[2].data,
                                       m * p->c_sm + n * p->c_sn,
                                       l->in[2].dtype);
            }
            if (p->has_bias) {
                v += aop_ld_f(l->in[2].data, n, p->dt_o);
            }
            y[m * p->N + n] = v;
        }
    }
}

/*
 * int8 x int8 -> int32, exact: AVX2 with 32-bit products (oneDNN's
 * s8s8s32 gemm saturates 16-bit pair sums on CPUs without VNNI, so it is
 * not used). B^T rows are dot products (madd of widened int16 pairs);
 * plain B rows are axpy updates of an int32 accumulator row.
 */
__attribute__((target("avx2")))
static void i8_rows_avx2(struct aop_launch *l, const struct mm_plan *p,
                         int64_t r0, int64_t r1, int32_t *acc)
{
    const int8_t *A = l->in[0].data, *B = l->in[1].data;
    int32_t *Y = l->out[0].data;
    const int32_t *bias = p->has_bias ? l->in[2].data : NULL;

    for (int64_t r = r0; r < r1; r++) {
        int64_t b = r / p->M, m = r % p->M, oa, ob;
        batch_offsets(p, b, &oa, &ob);
        if (p->tb && !p->ta) {
            const int8_t *a = A + oa + m * p->K;
            for (int64_t n = 0; n < p->N; n++) {
                const int8_t *bb = B + ob + n * p->K;
                __m256i v = _mm256_setzero_si256();
                int64_t k = 0;
                int32_t t[8], s = 0;
                for (; k + 16 <= p->K; k += 16) {
                    __m256i x = _mm256_cvtepi8_epi16(
                        _mm_loadu_si128((const void *)(a + k)));
                    __m256i y = _mm256_cvtepi8_epi16(
                        _mm_loadu_si128((const void *)(bb + k)));
                    v = _mm256_add_epi32(v, _mm256_madd_epi16(x, y));
                }
                _mm256_storeu_si256((__m256i *)(void *)t, v);
                for (int i = 0; i < 8; i++) {
                    s = (int32_t)((uint32_t)s + (uint32_t)t[i]);
                }
                for (; k < p->K; k++) {
                    s = (int32_t)((uint32_t)s + (uint32_t)(a[k] * bb[k]));
                }
                acc[n] = s;
            }
        } else {
            for (int64_t n = 0; n < p->N; n++) {
                acc[n] = 0;
            }
            for (int64_t k = 0; k < p->K; k++) {
                int32_t av = A[a_idx(p, oa, m, k)];
                const int8_t *bb = B + ob + k * p->N;
                __m256i va = _mm256_set1_epi32(av);
                int64_t n = 0;
                for (; n + 8 <= p->N; n += 8) {
                    __m256i y = _mm256_cvtepi8_epi32(
                        _mm_loadl_epi64((const void *)(bb + n)));
                    __m256i c = _mm256_loadu_si256((const void *)(acc + n));
                    c = _mm256_add_epi32(c, _mm256_mullo_epi32(va, y));
                    _mm256_storeu_si256((__m256i *)(void *)(acc + n), c);
                }
                for (; n < p->N; n++) {
                    acc[n] = (int32_t)((uint32_t)acc[n] +
                                       (uint32_t)(av * bb[n]));
                }
            }
        }
        for (int64_t n = 0; n < p->N; n++) {
            uint32_t v = (uint32_t)acc[n] + (bias ? (uint32_t)bias[n] : 0);
            Y[r * p->N + n] = (int32_t)v;
        }
    }
}

static bool i8_fast_ok(const struct mm_plan *p)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && !(p->ta && p->tb) &&
           p->N <= (1 << 24);
}

static int fast_run(struct aop_launch *l)
{
    const struct mm_plan *p = l->priv;
    const char *A = l->in[0].data, *B = l->in[1].data;
    char *Y = l->out[0].data;
    size_t es = aop_dtype_size(p->dt);
    bool wide = p->dt != AOP_DT_FLOAT;
    bool prefill = p->has_c || p->has_bias;
    float *fa = NULL, *fb = NULL, *fy = NULL;
    int rc = AOP_OK;

    if (wide) {
        size_t na = (size_t)(p->M * p->K), nb = (size_t)(p->K * p->N);
        size_t ny = (size_t)(p->M * p->N);
        fa = aop_scratch((na + nb + ny) * sizeof(float) + 128);
        if (!fa) {
            rc = aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE,
                          "out of memory for fp32 scratch");
            goto out;
        }
        /* three 64-byte aligned pieces of the thread's scratch */
        fb = fa + ((na + 15) & ~(size_t)15);
        fy = fb + ((nb + 15) & ~(size_t)15);
    }
    aop_blas_threads(l->threads);
    for (int64_t b = 0; b < p->batch; b++) {
        int64_t oa, ob;
        const float *a, *bm;
        float *y;
        batch_offsets(p, b, &oa, &ob);
        if (wide) {
            aop_to_f32_par(A + (size_t)oa * es, p->dt, fa, p->M * p->K,
                           l->threads);
            aop_to_f32_par(B + (size_t)ob * es, p->dt, fb, p->K * p->N,
                           l->threads);
            a = fa;
            bm = fb;
            y = fy;
        } else {
            a = (const float *)(const void *)A + oa;
            bm = (const float *)(const void *)B + ob;
            y = (float *)(void *)Y + b * p->M * p->N;
        }
        if (prefill) {
            fill_c(l, p, y);
        }
        cblas_sgemm(CblasRowMajor, p->ta ? CblasTrans : CblasNoTrans,
                    p->tb ? CblasTrans : CblasNoTrans, (int)p->M, (int)p->N,
                    (int)p->K, p->alpha, a, p->ta ? (int)p->M : (int)p->K,
                    bm, p->tb ? (int)p->K : (int)p->N, prefill ? 1.0f : 0.0f,
                    y, (int)p->N);
        if (wide) {
            aop_from_f32_par(fy, Y + (size_t)(b * p->M * p->N) * es,
                             p->dt_o, p->M * p->N, l->threads);
        }
    }
out:
    return rc;
}

static int mm_run(struct aop_launch *l, uint32_t first, uint32_t end)
{
    const struct mm_plan *p = l->priv;

    if (!l->reference && p->dt != AOP_DT_INT8) {
        return fast_run(l);
    }
    for (uint32_t t = first; t < end; t++) {
        int64_t r0, r1;
        aop_flat_range(p->rows, l->tiles, t, &r0, &r1);
        if (!l->reference) {
            int32_t *acc = malloc((size_t)p->N * sizeof(int32_t));
            if (!acc) {
                return aop_fail(l, AOP_E_NOMEM, AOP_OPERAND_NONE,
                                "out of memory");
            }
            i8_rows_avx2(l, p, r0, r1, acc);
            free(acc);
        } else {
            ref_rows(l, r0, r1);
        }
    }
    return AOP_OK;
}

const struct aop_impl aop_impl_matmul = {
    .prepare = mm_prepare,
    .run = mm_run,
};

/* ---- GEMM / Gemm ---- */

static int gemm_prepare(struct aop_launch *l)
{
    const struct aop_tensor *A = &l->in[0], *B = &l->in[1];
    int64_t ta, tb, kb, odims[2];
    struct mm_plan *p;
    char s1[96];
    double d;
    int rc;

    rc = aop_want_dtype(l, AOP_IN(0), AOP_DTM_FLOATS);
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_IN(1));
    }
    if (!rc) {
        rc = aop_want_same_dtype(l, AOP_IN(0), AOP_OUT(0));
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(0), 2, 2);
    }
    if (!rc) {
        rc = aop_want_rank(l, AOP_IN(1), 2, 2);
    }
    if (!rc) {
        rc = mm_plan_alloc(l, &p);
    }
    if (rc) {
        return rc;
    }
    p->gemm = true;
    rc = aop_attr_int(l, "transA", "transpose_a", 0, &ta);
    if (!rc) {
        rc = aop_attr_int(l, "transB", "transpose_b", 0, &tb);
    }
    if (!rc) {
        rc = aop_attr_float(l, "alpha", NULL, 1.0f, &p->alpha);
    }
    if (!rc) {
        rc = aop_attr_float(l, "beta", NULL, 1.0f, &p->beta);
    }
    if (rc) {
        return rc;
    }
    /* CANN's GEMM passes alpha and beta as scalar inputs 3 and 4. */
    if (aop_has_in(l, 3)) {
        rc = aop_read_scalar(l, AOP_IN(3), &d);
        if (rc) {
            return rc;
        }
        p->alpha = (float)d;
    }
    if (aop_has_in(l, 4)) {
        rc = aop_read_scalar(l, AOP_IN(4), &d);
        if (rc) {
            return rc;
        }
        p->beta = (float)d;
    }
    p->ta = ta != 0;
    p->tb = tb != 0;
    p->M = ta ? A->dims[1] : A->dims[0];
    p->K = ta ? A->dims[0] : A->dims[1];
    kb = tb ? B->dims[1] : B->dims[0];
    p->N = tb ? B->dims[0] : B->dims[1];
    if (kb != p->K) {
        return aop_fail(l, AOP_E_SHAPE, AOP_IN(1),
                        "K is %" PRId64 ", input 0 has K %" PRId64, kb, p->K);
    }
    p->batch = 1;
    p->rows = p->M;
    p->dt = A->dtype;
    p->dt_o = A->dtype;
    odims[0] = p->M;
    odims[1] = p->N;
    rc = aop_want_out_shape(l, 0, 2, odims);
    if (rc) {
        return rc;
    }
    if (aop_has_in(l, 2)) {
        const struct aop_tensor *C = &l->in[2];
        rc = aop_want_dtype(l, AOP_IN(2), AOP_DTM_FLOATS);
        if (rc) {
            return rc;
        }
        /* Unidirectional broadcast of C to (M, N). */
        p->c_sm = p->c_sn = 0;
        if (C->ndim > 2 ||
            (C->ndim >= 1 && C->dims[C->ndim - 1] != 1 &&
             C->dims[C->ndim - 1] != p->N) ||
            (C->ndim == 2 && C->dims[0] != 1 && C->dims[0] != p->M)) {
            return aop_fail(l, AOP_E_SHAPE, AOP_IN(2),
                            "C shape %s does not broadcast to [%" PRId64
                            ",%" PRId64 "]",
                            aop_shape_str(C->ndim, C->dims, s1, sizeof(s1)),
                            p->M, p->N);
        }
        if (C->ndim >= 1 && C->dims[C->ndim - 1] == p->N && p->N != 1) {
            p->c_sn = 1;
        }
        if (C->ndim == 2 && C->dims[0] == p->M && p->M != 1) {
            p->c_sm = C->dims[1];
        }
        p->has_c = true;
    }
    plan_tiles(l, p);
    return AOP_OK;
}

const struct aop_impl aop_impl_gemm = {
    .prepare = gemm_prepare,
    .run = mm_run,
};
