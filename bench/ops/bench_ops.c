/* SPDX-License-Identifier: MIT */
/*
 * Operator library benchmarks: each figure against a reference measured in
 * this process, with the same thread count, best of several runs.
 *
 *   BENCH name=gemm_fp32_1024 ... ref=openblas     aop MatMul vs cblas_sgemm
 *   BENCH name=gemm_fp16_1024 ... ref=openblas     fp16 MatMul vs fp32 sgemm
 *   BENCH name=conv2d_resnet3x3 ... ref=onednn     aop Conv2D vs oneDNN direct
 *   BENCH name=add_fp32_64m ... ref=memcpy         traffic GB/s vs memcpy's
 *   BENCH name=gemm_fp32_1024_scaling_<n>c ...     1..N threads
 *
 *   bench_ops [THREADS]      (default: the online CPU count)
 */
#include <cblas.h>
#include <dnnl.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aop.h"

#define RUNS 7

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *xmalloc(size_t n)
{
    void *p = aligned_alloc(64, (n + 63) & ~(size_t)63);

    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static void fill(float *p, size_t n)
{
    uint32_t s = 12345;

    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        p[i] = (float)(s >> 8) / (float)(1 << 24) - 0.5f;
    }
}

static void bench_line(const char *name, double v, const char *unit,
                       const char *ref, double rv)
{
    printf("BENCH name=%s value=%.2f unit=%s ref=%s ratio=%.3f\n", name, v,
           unit, ref, rv > 0 ? v / rv : 0.0);
    fflush(stdout);
}

static void must(int rc, const struct aop_error *err)
{
    if (rc) {
        fprintf(stderr, "aop: %s\n", err->msg);
        exit(1);
    }
}

/* ---- GEMM ---- */

/*
 * aop MatMul of @dt against cblas_sgemm fp32, n x n x n, runs interleaved
 * so that drift in the machine's speed hits both alike. GFLOP/s in *@ours
 * and *@ref.
 */
static void gemm_pair(uint32_t threads, uint32_t dt, int n, double *ours,
                      double *ref)
{
    struct aop_ctx ctx = { .threads = threads };
    int64_t d[2] = { n, n };
    size_t es = aop_dtype_size(dt), nn = (size_t)n * n;
    struct aop_tensor t[3];
    struct aop_error err;
    float *fa = xmalloc(nn * 4), *fb = xmalloc(nn * 4), *fc = xmalloc(nn * 4);
    double best = 1e30, rbest = 1e30;
    uint32_t id = aop_find_cann("MatMul");

    fill(fa, nn);
    fill(fb, nn);
    for (int i = 0; i < 3; i++) {
        void *p = xmalloc(nn * es);
        for (size_t k = 0; k < nn; k++) {
            float v = i == 0 ? fa[k] : fb[k];
            if (dt == AOP_DT_FLOAT) {
                ((float *)p)[k] = v;
            } else {
                ((uint16_t *)p)[k] = aop_f32_to_f16(v);
            }
        }
        aop_tensor_init(&t[i], p, dt, 2, d);
    }
    for (int r = 0; r < RUNS + 1; r++) {
        double t0 = now();
        must(aop_run(&ctx, id, t, 2, &t[2], 1, NULL, 0, &err), &err);
        if (r && now() - t0 < best) {
            best = now() - t0;
        }
        openblas_set_num_threads((int)threads);
        t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                    fa, n, fb, n, 0.0f, fc, n);
        if (r && now() - t0 < rbest) {
            rbest = now() - t0;
        }
    }
    for (int i = 0; i < 3; i++) {
        free(t[i].data);
    }
    free(fa);
    free(fb);
    free(fc);
    *ours = 2.0 * n * n * n / best * 1e-9;
    *ref = 2.0 * n * n * n / rbest * 1e-9;
}

/* ---- Conv2D 1x64x56x56, 64 3x3 filters, pad 1 ---- */

#define CN 1
#define CC 64
#define CH 56
#define CM 64

static double conv_flops(void)
{
    return 2.0 * CN * CM * CH * CH * CC * 9;
}

#define DN(x) do { if ((x) != dnnl_success) { \
        fprintf(stderr, "oneDNN: %s failed\n", #x); exit(1); } } while (0)

/*
 * oneDNN called directly the way a user with NCHW data would: plain
 * source and destination, weights reordered once into the primitive's
 * layout outside the timing, the primitive made once.
 */
static double conv_ref(uint32_t threads, float *x, float *w, float *y,
                       double *ours)
{
    struct aop_ctx ctx = { .threads = threads };
    int64_t dx[4] = { CN, CC, CH, CH }, dw[4] = { CM, CC, 3, 3 };
    int64_t dy[4] = { CN, CM, CH, CH }, pads[4] = { 1, 1, 1, 1 };
    struct aop_attr a = { "pads", AOP_ATTR_INT, 4, pads };
    struct aop_tensor t[3];
    struct aop_error err;
    uint32_t id = aop_find_cann("Conv2D");
    float *y2 = xmalloc((size_t)CN * CM * CH * CH * 4);
    double obest = 1e30;
    dnnl_engine_t eng;
    dnnl_stream_t s;
    dnnl_memory_desc_t src, wei, wany, dst;
    dnnl_convolution_desc_t cd;
    dnnl_primitive_desc_t pd, rpd;
    dnnl_primitive_t conv, reo;
    dnnl_memory_t ms, mw, mwo, md;
    dnnl_dims_t ds = { CN, CC, CH, CH }, dwd = { CM, CC, 3, 3 };
    dnnl_dims_t dd = { CN, CM, CH, CH }, st = { 1, 1 }, p = { 1, 1 };
    const dnnl_memory_desc_t *wmd;
    void *wbuf;
    double best = 1e30;

    omp_set_num_threads((int)threads);
    DN(dnnl_engine_create(&eng, dnnl_cpu, 0));
    DN(dnnl_stream_create(&s, eng, dnnl_stream_default_flags));
    DN(dnnl_memory_desc_init_by_tag(&src, 4, ds, dnnl_f32, dnnl_nchw));
    DN(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, dnnl_nchw));
    DN(dnnl_memory_desc_init_by_tag(&wei, 4, dwd, dnnl_f32, dnnl_oihw));
    DN(dnnl_memory_desc_init_by_tag(&wany, 4, dwd, dnnl_f32,
                                    dnnl_format_tag_any));
    DN(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference,
                                          dnnl_convolution_direct, &src,
                                          &wany, NULL, &dst, st, p, p));
    DN(dnnl_primitive_desc_create(&pd, &cd, NULL, eng, NULL));
    DN(dnnl_primitive_create(&conv, pd));
    wmd = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    wbuf = xmalloc(dnnl_memory_desc_get_size(wmd));
    DN(dnnl_memory_create(&ms, &src, eng, x));
    DN(dnnl_memory_create(&md, &dst, eng, y));
    DN(dnnl_memory_create(&mw, &wei, eng, w));
    DN(dnnl_memory_create(&mwo, wmd, eng, wbuf));
    DN(dnnl_reorder_primitive_desc_create(&rpd, &wei, eng, wmd, eng, NULL));
    DN(dnnl_primitive_create(&reo, rpd));
    {
        dnnl_exec_arg_t ra[2] = { { DNNL_ARG_FROM, mw }, { DNNL_ARG_TO, mwo } };
        DN(dnnl_primitive_execute(reo, s, 2, ra));
        DN(dnnl_stream_wait(s));
    }
    aop_tensor_init(&t[0], x, AOP_DT_FLOAT, 4, dx);
    aop_tensor_init(&t[1], w, AOP_DT_FLOAT, 4, dw);
    aop_tensor_init(&t[2], y2, AOP_DT_FLOAT, 4, dy);
    for (int r = 0; r < RUNS * 3 + 1; r++) {
        dnnl_exec_arg_t args[3] = { { DNNL_ARG_SRC, ms },
                                    { DNNL_ARG_WEIGHTS, mwo },
                                    { DNNL_ARG_DST, md } };
        double t0 = now();
        /* ours and the reference alternate: drift hits both alike */
        must(aop_run(&ctx, id, t, 2, &t[2], 1, &a, 1, &err), &err);
        if (r && now() - t0 < obest) {
            obest = now() - t0;
        }
        omp_set_num_threads((int)threads);
        t0 = now();
        DN(dnnl_primitive_execute(conv, s, 3, args));
        DN(dnnl_stream_wait(s));
        if (r && now() - t0 < best) {
            best = now() - t0;
        }
    }
    dnnl_primitive_destroy(conv);
    dnnl_primitive_destroy(reo);
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_desc_destroy(rpd);
    dnnl_memory_destroy(ms);
    dnnl_memory_destroy(md);
    dnnl_memory_destroy(mw);
    dnnl_memory_destroy(mwo);
    dnnl_stream_destroy(s);
    dnnl_engine_destroy(eng);
    free(wbuf);
    free(y2);
    *ours = conv_flops() / obest * 1e-9;
    return conv_flops() / best * 1e-9;
}

/* ---- Add of 64 MiB fp32 vs memcpy ---- */

#define ADD_ELEMS   (16u << 20)     /* 64 MiB per tensor */

struct cpy_job {
    char *dst;
    const char *src;
    size_t n;
};

static void *cpy_thread(void *p)
{
    struct cpy_job *j = p;

    memcpy(j->dst, j->src, j->n);
    return NULL;
}

/* memcpy of @n bytes split over @threads threads. */
static void par_memcpy(char *dst, const char *src, size_t n, uint32_t threads)
{
    pthread_t tid[64];
    struct cpy_job jobs[64];

    for (uint32_t t = 0; t < threads; t++) {
        size_t a = n * t / threads, b = n * (t + 1) / threads;
        jobs[t] = (struct cpy_job){ dst + a, src + a, b - a };
    }
    for (uint32_t t = 1; t < threads; t++) {
        pthread_create(&tid[t], NULL, cpy_thread, &jobs[t]);
    }
    cpy_thread(&jobs[0]);
    for (uint32_t t = 1; t < threads; t++) {
        pthread_join(tid[t], NULL);
    }
}

static void bench_add(uint32_t threads)
{
    struct aop_ctx ctx = { .threads = threads };
    int64_t d = ADD_ELEMS;
    size_t bytes = (size_t)ADD_ELEMS * 4;
    float *a = xmalloc(bytes), *b = xmalloc(bytes), *c = xmalloc(bytes);
    struct aop_tensor t[3];
    struct aop_error err;
    uint32_t id = aop_find_cann("Add");
    double best = 1e30, cbest = 1e30, ours, ref;

    fill(a, ADD_ELEMS);
    fill(b, ADD_ELEMS);
    memset(c, 0, bytes);
    aop_tensor_init(&t[0], a, AOP_DT_FLOAT, 1, &d);
    aop_tensor_init(&t[1], b, AOP_DT_FLOAT, 1, &d);
    aop_tensor_init(&t[2], c, AOP_DT_FLOAT, 1, &d);
    for (int r = 0; r < RUNS + 1; r++) {
        double t0 = now();
        must(aop_run(&ctx, id, t, 2, &t[2], 1, NULL, 0, &err), &err);
        if (r && now() - t0 < best) {
            best = now() - t0;
        }
        t0 = now();
        par_memcpy((char *)c, (const char *)a, bytes, threads);
        if (r && now() - t0 < cbest) {
            cbest = now() - t0;
        }
    }
    /* bytes through memory: Add reads two and writes one, memcpy one each */
    ours = 3.0 * bytes / best * 1e-9;
    ref = 2.0 * bytes / cbest * 1e-9;
    bench_line("add_fp32_64m", ours, "GB/s", "memcpy", ref);
    free(a);
    free(b);
    free(c);
}

int main(int argc, char **argv)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t threads = argc > 1 ? (uint32_t)atoi(argv[1])
                                : (uint32_t)(ncpu > 0 ? ncpu : 1);
    double ref32, ours;

    if (threads < 1 || threads > 64) {
        threads = 1;
    }
    printf("# operator library benchmarks, %u threads, best of %d runs\n",
           threads, RUNS);
    gemm_pair(threads, AOP_DT_FLOAT, 1024, &ours, &ref32);
    bench_line("gemm_fp32_1024", ours, "GFLOP/s", "openblas", ref32);
    gemm_pair(threads, AOP_DT_FLOAT16, 1024, &ours, &ref32);
    bench_line("gemm_fp16_1024", ours, "GFLOP/s", "openblas", ref32);
    {
        float *x = xmalloc((size_t)CN * CC * CH * CH * 4);
        float *w = xmalloc((size_t)CM * CC * 9 * 4);
        float *y = xmalloc((size_t)CN * CM * CH * CH * 4);
        double ref;
        fill(x, (size_t)CN * CC * CH * CH);
        fill(w, (size_t)CM * CC * 9);
        ref = conv_ref(threads, x, w, y, &ours);
        bench_line("conv2d_resnet3x3", ours, "GFLOP/s", "onednn", ref);
        free(x);
        free(w);
        free(y);
    }
    bench_add(threads);
    for (uint32_t n = 1; n <= threads; n++) {
        char name[64];
        double r;
        gemm_pair(n, AOP_DT_FLOAT, 1024, &ours, &r);
        snprintf(name, sizeof(name), "gemm_fp32_1024_scaling_%uc", n);
        bench_line(name, ours, "GFLOP/s", "openblas", r);
    }
    return 0;
}
