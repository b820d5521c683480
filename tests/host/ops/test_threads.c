// SPDX-License-Identifier: MIT
/*
 * How many threads a launch is worth (aop_launch_threads()): small layers
 * stay on one thread, big ones get all of ctx->threads, ctx->grain_ns = 1
 * spreads whatever has more than one tile; and results do not depend on
 * the count.
 */
#include <inttypes.h>

#include "ops_test.h"
#include "tap.h"

#define CTX_THREADS 4

/* A tensor of @n floats i * @step (owned). */
static void ramp(struct aop_tensor *t, uint32_t ndim, const int64_t *dims,
                 float step)
{
    float *p = tens_alloc(t, AOP_DT_FLOAT, ndim, dims);
    int64_t n = (int64_t)(t->size / sizeof(float));

    for (int64_t i = 0; i < n; i++) {
        p[i] = (float)(i % 97) * step;
    }
}

/* Prepare @op and return aop_launch_threads(), 0 when prepare fails. */
static uint32_t threads_of(const char *op, uint64_t grain,
                           const struct aop_tensor *in, uint32_t nin,
                           const struct aop_tensor *out, bool *self)
{
    struct aop_ctx ctx = { .threads = CTX_THREADS, .grain_ns = grain };
    struct aop_launch *l;
    struct aop_error e;
    uint32_t t;

    if (aop_prepare(&ctx, aop_find_cann(op), in, nin, out, 1, NULL, 0, &l,
                    &e)) {
        printf("# %s: %s\n", op, e.msg);
        return 0;
    }
    t = aop_launch_threads(l);
    if (self) {
        *self = aop_launch_self_threaded(l);
    }
    aop_launch_free(l);
    return t;
}

static void streaming(void)
{
    int64_t small[] = { 1024 }, mid[] = { 200 * 1024 }, big[] = { 8 << 20 };
    struct aop_tensor in[2], out;
    struct aop_ctx ctx = { .threads = CTX_THREADS };
    struct aop_error e;
    const float *a, *b, *y;
    int64_t bad = 0;

    ramp(&in[0], 1, small, 1.0f);
    ramp(&in[1], 1, small, 2.0f);
    tens_alloc(&out, AOP_DT_FLOAT, 1, small);
    TAP_CHECK(threads_of("Add", 0, in, 2, &out, NULL) == 1,
              "Add of 1 Ki floats: one thread");
    TAP_CHECK(threads_of("Add", 1, in, 2, &out, NULL) == 1,
              "Add of 1 Ki floats, grain 1: one thread (one tile)");
    for (int i = 0; i < 2; i++) {
        tens_free(&in[i]);
    }
    tens_free(&out);

    ramp(&in[0], 1, mid, 1.0f);
    ramp(&in[1], 1, mid, 2.0f);
    tens_alloc(&out, AOP_DT_FLOAT, 1, mid);
    TAP_CHECK(threads_of("Add", 0, in, 2, &out, NULL) == 1,
              "Add of 200 Ki floats (2.4 MB, about 300 us): one thread");
    TAP_CHECK(threads_of("Add", 1, in, 2, &out, NULL) == CTX_THREADS,
              "Add of 200 Ki floats, grain 1: %d threads", CTX_THREADS);
    for (int i = 0; i < 2; i++) {
        tens_free(&in[i]);
    }
    tens_free(&out);

    ramp(&in[0], 1, big, 1.0f);
    ramp(&in[1], 1, big, 2.0f);
    tens_alloc(&out, AOP_DT_FLOAT, 1, big);
    TAP_CHECK(threads_of("Add", 0, in, 2, &out, NULL) == CTX_THREADS,
              "Add of 8 Mi floats (96 MB): %d threads", CTX_THREADS);
    TAP_CHECK(!aop_run(&ctx, aop_find_cann("Add"), in, 2, &out, 1, NULL, 0,
                       &e), "Add of 8 Mi floats on %d threads runs: %s",
              CTX_THREADS, e.msg);
    a = in[0].data;
    b = in[1].data;
    y = out.data;
    for (int64_t i = 0; i < big[0]; i++) {
        bad += y[i] != a[i] + b[i];
    }
    TAP_CHECK(bad == 0, "every tile written: %" PRId64 " wrong sums", bad);
    for (int i = 0; i < 2; i++) {
        tens_free(&in[i]);
    }
    tens_free(&out);
}

/* NCHW Conv2D, no bias, stride 1, no pads. */
static void conv(void)
{
    int64_t xs[] = { 1, 24, 64, 64 }, ws[] = { 24, 24, 1, 1 };
    int64_t xb[] = { 1, 64, 112, 112 }, wb[] = { 64, 64, 3, 3 };
    int64_t ys[] = { 1, 24, 64, 64 }, yb[] = { 1, 64, 110, 110 };
    struct aop_ctx one = { .threads = 1 }, all = { .threads = CTX_THREADS };
    struct aop_tensor in[2], y1, yn;
    struct aop_error e1, en;
    char why[160];
    bool self = false;
    int64_t bad;
    uint32_t t;
    int r1, rn;

    /* BlazeFace's 1x1 layers: 2.4 M multiply-adds */
    ramp(&in[0], 4, xs, 0.01f);
    ramp(&in[1], 4, ws, 0.02f);
    tens_alloc(&y1, AOP_DT_FLOAT, 4, ys);
    t = threads_of("Conv2D", 0, in, 2, &y1, &self);
    TAP_CHECK(t == 1, "Conv2D of 2.4 M MACs: one thread (got %u)", t);
    TAP_CHECK(threads_of("Conv2D", 1, in, 2, &y1, NULL) == CTX_THREADS,
              "the same, grain 1: %d threads", CTX_THREADS);
    tens_free(&in[0]);
    tens_free(&in[1]);
    tens_free(&y1);

    /* a ResNet-sized 3x3 layer: 446 M multiply-adds */
    ramp(&in[0], 4, xb, 0.01f);
    ramp(&in[1], 4, wb, 0.02f);
    tens_alloc(&y1, AOP_DT_FLOAT, 4, yb);
    tens_alloc(&yn, AOP_DT_FLOAT, 4, yb);
    t = threads_of("Conv2D", 0, in, 2, &yn, &self);
    TAP_CHECK(t == CTX_THREADS || !self,
              "Conv2D of 446 M MACs through oneDNN: %d threads (got %u)",
              CTX_THREADS, t);
    r1 = aop_run(&one, aop_find_cann("Conv2D"), in, 2, &y1, 1, NULL, 0, &e1);
    rn = aop_run(&all, aop_find_cann("Conv2D"), in, 2, &yn, 1, NULL, 0, &en);
    bad = r1 || rn ? -1 : compare(yn.data, y1.data, AOP_DT_FLOAT,
                                  (int64_t)(yn.size / sizeof(float)),
                                  tol_for(AOP_DT_FLOAT, 8), why, sizeof(why));
    TAP_CHECK(bad == 0, "the same on 1 and %d threads: %s%s%s", CTX_THREADS,
              r1 ? e1.msg : "", rn ? en.msg : "", bad > 0 ? why : "");
    tens_free(&in[0]);
    tens_free(&in[1]);
    tens_free(&y1);
    tens_free(&yn);
}

static void matmul(void)
{
    int64_t s[] = { 16, 16 }, b[] = { 512, 512 };
    struct aop_tensor in[2], y;
    bool self = false;
    uint32_t t;

    ramp(&in[0], 2, s, 1.0f);
    ramp(&in[1], 2, s, 1.0f);
    tens_alloc(&y, AOP_DT_FLOAT, 2, s);
    TAP_CHECK(threads_of("MatMul", 0, in, 2, &y, NULL) == 1,
              "MatMul 16x16x16: one thread");
    tens_free(&in[0]);
    tens_free(&in[1]);
    tens_free(&y);

    ramp(&in[0], 2, b, 1.0f);
    ramp(&in[1], 2, b, 1.0f);
    tens_alloc(&y, AOP_DT_FLOAT, 2, b);
    t = threads_of("MatMul", 0, in, 2, &y, &self);
    TAP_CHECK(self && t == CTX_THREADS,
              "MatMul 512x512x512 through OpenBLAS: %d threads (got %u)",
              CTX_THREADS, t);
    tens_free(&in[0]);
    tens_free(&in[1]);
    tens_free(&y);
}

int main(void)
{
    streaming();
    conv();
    matmul();
    return tap_done();
}
