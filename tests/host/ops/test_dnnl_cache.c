// SPDX-License-Identifier: MIT
/*
 * The per-thread cache of oneDNN primitives (aop_dnnl.c): a repeated
 * convolution is found instead of made again, results stay right with
 * the cache in play (new data through a cached primitive, evictions past
 * its size, more launches held at once than it has slots), and a thread
 * that exits while a launch holds one of its primitives leaves it to the
 * launch's free (ASan checks the memory).
 */
#include <inttypes.h>
#include <pthread.h>

#include "aop_dnnl.h"
#include "ops_test.h"
#include "tap.h"

/* A 1x1 NHWC convolution of @c channels into @m, with bias. */
struct conv {
    struct aop_tensor t[4];     /* x, w, b, y */
};

static void conv_make(struct conv *cv, int64_t hw, int64_t c, int64_t m,
                      float seed)
{
    int64_t xd[] = { 1, hw, hw, c }, wd[] = { m, c, 1, 1 }, bd[] = { m };
    int64_t yd[] = { 1, hw, hw, m };
    const int64_t *dims[] = { xd, wd, bd, yd };
    const uint32_t nd[] = { 4, 4, 1, 4 };

    for (int i = 0; i < 4; i++) {
        float *p = tens_alloc(&cv->t[i], AOP_DT_FLOAT, nd[i], dims[i]);
        int64_t n = (int64_t)(cv->t[i].size / sizeof(float));

        for (int64_t k = 0; i < 3 && k < n; k++) {
            p[k] = (float)((k * 37 + i * 11) % 19) * 0.05f * seed - 0.4f;
        }
    }
    cv->t[0].format = cv->t[3].format = AOP_FMT_NHWC;
}

static void conv_free(struct conv *cv)
{
    for (int i = 0; i < 4; i++) {
        tens_free(&cv->t[i]);
    }
}

/* Run @l (prepared on this thread) and compare with the reference path. */
static bool conv_right(struct conv *cv, struct aop_launch *l)
{
    struct aop_ctx ref = { .threads = 1, .reference = true };
    struct aop_tensor want = cv->t[3];
    struct aop_error e;
    bool ok;

    want.data = calloc(1, want.size);
    ok = want.data && !aop_launch_run(l, 0, aop_launch_tiles(l), &e) &&
         !aop_run(&ref, aop_find_cann("Conv2D"), cv->t, 3, &want, 1, NULL, 0,
                  &e) &&
         compare(cv->t[3].data, want.data, AOP_DT_FLOAT,
                 (int64_t)(want.size / sizeof(float)),
                 tol_for(AOP_DT_FLOAT, 4), NULL, 0) == 0;
    free(want.data);
    return ok;
}

static struct aop_launch *prepare(struct conv *cv)
{
    struct aop_ctx ctx = { .threads = 1 };
    struct aop_launch *l = NULL;
    struct aop_error e;

    if (aop_prepare(&ctx, aop_find_cann("Conv2D"), cv->t, 3, &cv->t[3], 1,
                    NULL, 0, &l, &e)) {
        printf("# Conv2D: %s\n", e.msg);
        return NULL;
    }
    return l;
}

static void test_hit(void)
{
    uint64_t h0, m0, h1, m1, h2, m2;
    struct aop_launch *l;
    struct conv a, b;
    bool ok;

    conv_make(&a, 8, 24, 24, 1.0f);
    conv_make(&b, 8, 24, 24, 3.0f);
    aop_dnnl_prim_stats(&h0, &m0);
    l = prepare(&a);
    ok = l && aop_launch_self_threaded(l) && conv_right(&a, l);
    aop_launch_free(l);
    aop_dnnl_prim_stats(&h1, &m1);
    TAP_CHECK(ok && m1 > m0, "a first convolution is made (%" PRIu64
              " made) and right", m1 - m0);
    l = prepare(&b);
    aop_dnnl_prim_stats(&h2, &m2);
    ok = l && conv_right(&b, l);
    aop_launch_free(l);
    TAP_CHECK(h2 == h1 + 1 && m2 == m1,
              "the same shape again is found in the cache (%" PRIu64
              " hits, %" PRIu64 " made)", h2 - h1, m2 - m1);
    TAP_CHECK(ok, "new data through the cached primitive: right");
    conv_free(&a);
    conv_free(&b);
}

/* 200 shapes one after the other: the cache evicts and stays right. */
static void test_evict(void)
{
    int bad = 0;

    for (int m = 1; m <= 200; m++) {
        struct conv cv;
        struct aop_launch *l;

        conv_make(&cv, 2, 4, m, 1.0f);
        l = prepare(&cv);
        bad += !l || !conv_right(&cv, l);
        aop_launch_free(l);
        conv_free(&cv);
    }
    TAP_CHECK(bad == 0, "200 shapes in turn (the cache keeps 128): %d wrong",
              bad);
}

/* 140 launches held at once: the ones past the slots go uncached. */
static void test_held(void)
{
    static struct conv cv[140];
    static struct aop_launch *l[140];
    int bad = 0;

    for (int i = 0; i < 140; i++) {
        conv_make(&cv[i], 2, 4, 201 + i, 1.0f);
        l[i] = prepare(&cv[i]);
    }
    for (int i = 0; i < 140; i++) {
        bad += !l[i] || !conv_right(&cv[i], l[i]);
        aop_launch_free(l[i]);
        conv_free(&cv[i]);
    }
    TAP_CHECK(bad == 0, "140 launches prepared before any runs: %d wrong",
              bad);
}

static void *prepare_and_exit(void *arg)
{
    return prepare(arg);
}

/* A thread exits holding a launch: freeing it later frees its primitive. */
static void test_orphan(void)
{
    struct aop_launch *l = NULL;
    struct conv cv;
    pthread_t th;
    void *r = NULL;

    conv_make(&cv, 4, 8, 8, 1.0f);
    if (!pthread_create(&th, NULL, prepare_and_exit, &cv)) {
        pthread_join(th, &r);
        l = r;
    }
    TAP_CHECK(l != NULL, "a launch prepared on a thread that has exited");
    aop_launch_free(l);
    conv_free(&cv);
}

int main(void)
{
    test_hit();
    test_evict();
    test_held();
    test_orphan();
    return tap_done();
}
