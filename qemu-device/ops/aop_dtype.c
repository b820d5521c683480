/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop dtypes: IEEE half and bfloat16 conversions, one at a time (portable,
 * round to nearest even, subnormals and NaN kept) and in bulk (F16C when
 * the host CPU has it, which gives bit-identical results).
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>

#include "aop_internal.h"

float aop_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t e = (h >> 10) & 0x1f;
    uint32_t m = h & 0x3ff;
    uint32_t x;
    float f;

    if (e == 0) {
        /* zero or subnormal: m * 2^-24, exact in fp32 */
        f = (float)m * (1.0f / 16777216.0f);
        memcpy(&x, &f, sizeof(x));
        x |= sign;
    } else if (e == 31) {
        x = sign | 0x7f800000u | (m << 13);
    } else {
        x = sign | ((e + 112) << 23) | (m << 13);
    }
    memcpy(&f, &x, sizeof(f));
    return f;
}

uint16_t aop_f32_to_f16(float f)
{
    uint32_t x, sign, ax, q, rem;

    memcpy(&x, &f, sizeof(x));
    sign = (x >> 16) & 0x8000;
    ax = x & 0x7fffffff;
    if (ax >= 0x7f800000u) {
        /* Inf stays Inf; NaN stays a (quiet) NaN with its top payload. */
        return (uint16_t)(sign | 0x7c00 |
                          (ax > 0x7f800000u ? 0x200 | ((ax >> 13) & 0x3ff)
                                            : 0));
    }
    if (ax >= 0x477ff000u) {        /* >= 65520 rounds to Inf */
        return (uint16_t)(sign | 0x7c00);
    }
    if (ax < 0x38800000u) {         /* below 2^-14: subnormal half */
        uint32_t e = ax >> 23, m, shift, half;
        if (ax < 0x33000000u) {     /* <= 2^-25 rounds to zero */
            return (uint16_t)sign;
        }
        m = (ax & 0x7fffff) | 0x800000;
        shift = 126 - e;            /* 14..24 */
        q = m >> shift;
        rem = m & ((1u << shift) - 1);
        half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) {
            q++;
        }
        return (uint16_t)(sign | q);
    }
    ax -= 0x38000000u;              /* rebias 127 -> 15 */
    q = ax >> 13;
    rem = ax & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (q & 1))) {
        q++;
    }
    return (uint16_t)(sign | q);
}

float aop_bf16_to_f32(uint16_t h)
{
    uint32_t x = (uint32_t)h << 16;
    float f;

    memcpy(&f, &x, sizeof(f));
    return f;
}

uint16_t aop_f32_to_bf16(float f)
{
    uint32_t x;

    memcpy(&x, &f, sizeof(x));
    if ((x & 0x7fffffff) > 0x7f800000u) {
        return (uint16_t)((x >> 16) | 0x40);    /* quiet NaN */
    }
    x += 0x7fff + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}

static int have_f16c(void)
{
    /* Computed once per process; threads may race to store the same value. */
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);

    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

__attribute__((target("avx,f16c")))
static void f16_to_f32_hw(const uint16_t *s, float *d, int64_t n)
{
    int64_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm256_storeu_ps(d + i, _mm256_cvtph_ps(h));
    }
    for (; i < n; i++) {
        d[i] = aop_f16_to_f32(s[i]);
    }
}

__attribute__((target("avx,f16c")))
static void f32_to_f16_hw(const float *s, uint16_t *d, int64_t n)
{
    int64_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(s + i),
                                    _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128((__m128i *)(void *)(d + i), h);
    }
    for (; i < n; i++) {
        d[i] = aop_f32_to_f16(s[i]);
    }
}

void aop_f16_to_f32_n(const uint16_t *src, float *dst, int64_t n)
{
    if (have_f16c()) {
        f16_to_f32_hw(src, dst, n);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        dst[i] = aop_f16_to_f32(src[i]);
    }
}

void aop_f32_to_f16_n(const float *src, uint16_t *dst, int64_t n)
{
    if (have_f16c()) {
        f32_to_f16_hw(src, dst, n);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        dst[i] = aop_f32_to_f16(src[i]);
    }
}

void aop_bf16_to_f32_n(const uint16_t *src, float *dst, int64_t n)
{
    uint32_t *d = (uint32_t *)(void *)dst;

    /* A shift: the compiler vectorises it. */
    for (int64_t i = 0; i < n; i++) {
        d[i] = (uint32_t)src[i] << 16;
    }
}

void aop_f32_to_bf16_n(const float *src, uint16_t *dst, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        dst[i] = aop_f32_to_bf16(src[i]);
    }
}

void aop_to_f32_n(const void *src, uint32_t dt, float *dst, int64_t n)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        if (src != dst) {
            memcpy(dst, src, (size_t)n * sizeof(float));
        }
        break;
    case AOP_DT_FLOAT16:
        aop_f16_to_f32_n(src, dst, n);
        break;
    case AOP_DT_BF16:
        aop_bf16_to_f32_n(src, dst, n);
        break;
    default:
        for (int64_t i = 0; i < n; i++) {
            dst[i] = aop_ld_f(src, i, dt);
        }
        break;
    }
}

void aop_from_f32_n(const float *src, void *dst, uint32_t dt, int64_t n)
{
    switch (dt) {
    case AOP_DT_FLOAT:
        if (src != dst) {
            memcpy(dst, src, (size_t)n * sizeof(float));
        }
        break;
    case AOP_DT_FLOAT16:
        aop_f32_to_f16_n(src, dst, n);
        break;
    case AOP_DT_BF16:
        aop_f32_to_bf16_n(src, dst, n);
        break;
    default:
        for (int64_t i = 0; i < n; i++) {
            aop_st_f(dst, i, dt, src[i]);
        }
        break;
    }
}

struct conv_job {
    const char *src;
    char *dst;
    uint32_t dt;
    int64_t n;
    uint32_t parts;
    bool to_f32;
};

static int conv_range(void *arg, uint32_t first, uint32_t end)
{
    const struct conv_job *j = arg;
    size_t es = aop_dtype_size(j->dt);

    for (uint32_t t = first; t < end; t++) {
        int64_t a = j->n * t / j->parts, b = j->n * (t + 1) / j->parts;
        if (j->to_f32) {
            aop_to_f32_n(j->src + (size_t)a * es, j->dt,
                         (float *)(void *)j->dst + a, b - a);
        } else {
            aop_from_f32_n((const float *)(const void *)j->src + a,
                           j->dst + (size_t)a * es, j->dt, b - a);
        }
    }
    return AOP_OK;
}

/* Below this a second thread costs more than it saves. */
#define PAR_CONV_MIN (1 << 18)

void aop_to_f32_par(const void *src, uint32_t dt, float *dst, int64_t n,
                    uint32_t threads)
{
    struct conv_job j = { src, (char *)dst, dt, n, threads, true };

    if (threads <= 1 || n < PAR_CONV_MIN) {
        aop_to_f32_n(src, dt, dst, n);
        return;
    }
    aop_parallel(threads, threads, conv_range, &j);
}

void aop_from_f32_par(const float *src, void *dst, uint32_t dt, int64_t n,
                      uint32_t threads)
{
    struct conv_job j = { (const char *)src, dst, dt, n, threads, false };

    if (threads <= 1 || n < PAR_CONV_MIN) {
        aop_from_f32_n(src, dst, dt, n);
        return;
    }
    aop_parallel(threads, threads, conv_range, &j);
}

struct scratch {
    void *p;
    size_t size;
};

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *v)
{
    struct scratch *s = v;

    free(s->p);
    free(s);
}

static void scratch_init(void)
{
    pthread_key_create(&scratch_key, scratch_free);
}

void *aop_scratch(size_t bytes)
{
    struct scratch *s;

    pthread_once(&scratch_once, scratch_init);
    s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof(*s));
        if (!s || pthread_setspecific(scratch_key, s)) {
            free(s);
            return NULL;
        }
    }
    if (s->size < bytes) {
        size_t want = (bytes + 63) & ~(size_t)63;
        free(s->p);
        s->p = aligned_alloc(64, want);
        s->size = s->p ? want : 0;
    }
    return s->p;
}
