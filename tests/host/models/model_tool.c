// SPDX-License-Identifier: MIT
/*
 * model_tool: runs .om models with the model runner (qemu-device/model) on
 * the host, for the model tests and benchmarks.
 *
 *   model_tool gen MODEL.om SEED DIR         seeded inputs DIR/input_<i>.bin
 *   model_tool run MODEL.om DIR [THREADS]    input_<i>.bin -> output_<i>.bin
 *   model_tool compare MODEL.om DIR NAME     TAP: DIR/output_<i>.bin against
 *                                            DIR/ref_<i>.bin (onnxruntime)
 *   model_tool bench MODEL.om DIR THREADS N  median latency of N executions
 *   model_tool profile MODEL.om DIR THREADS N  per op type and slowest tasks
 *                                            (each task's fastest of N runs)
 *   model_tool info MODEL.om                 inputs, outputs, tasks, workspace
 *
 * Inputs are float32 uniform in [-1, 1) from a splitmix64 stream (integer
 * inputs: 0..9), little-endian raw files, so any other runtime can read them.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amdl.h"
#include "om.h"
#include "tap.h"

/*
 * The comparison: |got - want| <= RTOL * max(|want|, FLOOR * scale), where
 * scale is the largest |want| of that output. RTOL is the 1e-4.
 * The floor: an element that is the small difference of large terms (a
 * conv output near zero, a residual sum that cancels) carries rounding
 * error of the size of the terms, not of the result; fp32 sums of a few
 * hundred products differ by ~1e-6 of the terms between two correct
 * implementations that add in another order. FLOOR = 1e-2 of the output's
 * own largest magnitude keeps the bound relative to what the output holds
 * while not asking 1e-4 of values 100x smaller than its scale.
 */
#define RTOL    1e-4
#define FLOOR   1e-2

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void *read_all(const char *path, size_t *len)
{
    char err[256];
    void *b = om_read_file(path, len, err, sizeof(err));

    if (!b) {
        fprintf(stderr, "model_tool: %s\n", err);
    }
    return b;
}

static int write_all(const char *path, const void *buf, size_t len)
{
    char err[256];

    if (om_write_file(path, buf, len, err, sizeof(err))) {
        fprintf(stderr, "model_tool: %s\n", err);
        return -1;
    }
    return 0;
}

struct loaded {
    void *om;
    size_t len;
    struct amdl_model *m;
    struct amdl_buffer *in, *out;
    struct amdl_exec x;
    void *ws;
};

static void unload(struct loaded *L)
{
    if (L->m) {
        for (uint32_t i = 0; L->in && i < amdl_num_inputs(L->m); i++) {
            free(L->in[i].data);
        }
        for (uint32_t i = 0; L->out && i < amdl_num_outputs(L->m); i++) {
            free(L->out[i].data);
        }
    }
    free(L->in);
    free(L->out);
    free(L->ws);
    amdl_free(L->m);
    free(L->om);
}

static void *alloc64(uint64_t n)
{
    void *p = aligned_alloc(64, (n + 64) / 64 * 64);

    if (p) {
        memset(p, 0, n);
    }
    return p;
}

static int load(const char *path, struct loaded *L)
{
    struct amdl_error err;
    uint64_t woff, wsize;

    memset(L, 0, sizeof(*L));
    L->om = read_all(path, &L->len);
    if (!L->om) {
        return -1;
    }
    if (amdl_load(L->om, L->len, &L->m, &err)) {
        fprintf(stderr, "model_tool: %s: %s\n", path, err.msg);
        return -1;
    }
    L->in = calloc(amdl_num_inputs(L->m) + 1, sizeof(*L->in));
    L->out = calloc(amdl_num_outputs(L->m) + 1, sizeof(*L->out));
    L->ws = alloc64(amdl_workspace_size(L->m));
    if (!L->in || !L->out || !L->ws) {
        return -1;
    }
    for (uint32_t i = 0; i < amdl_num_inputs(L->m); i++) {
        L->in[i].size = amdl_input(L->m, i)->size;
        L->in[i].data = alloc64(L->in[i].size);
        if (!L->in[i].data) {
            return -1;
        }
    }
    for (uint32_t i = 0; i < amdl_num_outputs(L->m); i++) {
        L->out[i].size = amdl_output(L->m, i)->size;
        L->out[i].data = alloc64(L->out[i].size);
        if (!L->out[i].data) {
            return -1;
        }
    }
    amdl_weights_span(L->m, &woff, &wsize);
    L->x.inputs = L->in;
    L->x.num_inputs = amdl_num_inputs(L->m);
    L->x.outputs = L->out;
    L->x.num_outputs = amdl_num_outputs(L->m);
    L->x.weights = (uint8_t *)L->om + woff;
    L->x.weights_size = wsize;
    L->x.workspace = L->ws;
    L->x.workspace_size = amdl_workspace_size(L->m);
    return 0;
}

static int read_inputs(struct loaded *L, const char *dir)
{
    for (uint32_t i = 0; i < amdl_num_inputs(L->m); i++) {
        char path[4096];
        size_t len;
        void *b;
        snprintf(path, sizeof(path), "%s/input_%u.bin", dir, i);
        b = read_all(path, &len);
        if (!b) {
            return -1;
        }
        if (len != L->in[i].size) {
            fprintf(stderr, "model_tool: %s: %zu bytes, input %u needs %"
                    PRIu64 "\n", path, len, i, L->in[i].size);
            free(b);
            return -1;
        }
        memcpy(L->in[i].data, b, len);
        free(b);
    }
    return 0;
}

static int cmd_gen(const char *om, uint64_t seed, const char *dir)
{
    struct loaded L;
    int rc = -1;

    if (load(om, &L)) {
        goto out;
    }
    for (uint32_t i = 0; i < amdl_num_inputs(L.m); i++) {
        const struct amdl_io *io = amdl_input(L.m, i);
        uint64_t s = seed * 1000003u + i;
        size_t es = om_dtype_size(io->dtype), n = io->size / (es ? es : 1);
        char path[4096];
        for (size_t k = 0; k < n; k++) {
            uint64_t r = splitmix(&s);
            if (io->dtype == 0) {
                float f = (float)((double)(r >> 11) / 9007199254740992.0 *
                                  2.0 - 1.0);
                memcpy((char *)L.in[i].data + 4 * k, &f, 4);
            } else if (io->dtype == 9) {
                int64_t v = (int64_t)(r % 10);
                memcpy((char *)L.in[i].data + 8 * k, &v, 8);
            } else if (io->dtype == 3) {
                int32_t v = (int32_t)(r % 10);
                memcpy((char *)L.in[i].data + 4 * k, &v, 4);
            } else {
                memset((char *)L.in[i].data + es * k, (int)(r % 2), es);
            }
        }
        snprintf(path, sizeof(path), "%s/input_%u.bin", dir, i);
        if (write_all(path, L.in[i].data, L.in[i].size)) {
            goto out;
        }
    }
    rc = 0;
out:
    unload(&L);
    return rc;
}

static int execute(struct loaded *L, uint32_t threads, uint64_t *task_ns)
{
    struct aop_ctx ctx = { .threads = threads, .reference = false };
    struct amdl_error err;

    L->x.task_ns = task_ns;
    if (amdl_execute(L->m, &ctx, &L->x, &err)) {
        fprintf(stderr, "model_tool: execute: %s: %s\n",
                amdl_status_name(err.status), err.msg);
        return -1;
    }
    return 0;
}

static int cmd_run(const char *om, const char *dir, uint32_t threads)
{
    struct loaded L;
    int rc = -1;

    if (load(om, &L) || read_inputs(&L, dir) || execute(&L, threads, NULL)) {
        goto out;
    }
    for (uint32_t i = 0; i < amdl_num_outputs(L.m); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/output_%u.bin", dir, i);
        if (write_all(path, L.out[i].data, L.out[i].size)) {
            goto out;
        }
    }
    rc = 0;
out:
    unload(&L);
    return rc;
}

static int cmd_compare(const char *om, const char *dir, const char *name)
{
    struct loaded L;
    int rc = 1;

    if (load(om, &L)) {
        TAP_CHECK(0, "%s: the model loads", name);
        unload(&L);
        return tap_done();
    }
    for (uint32_t i = 0; i < amdl_num_outputs(L.m); i++) {
        const struct amdl_io *io = amdl_output(L.m, i);
        char p1[4096], p2[4096];
        size_t l1 = 0, l2 = 0, n;
        float *got, *want;
        double scale = 0, worst = 0, worst_abs = 0;
        size_t bad = 0, at = 0;
        snprintf(p1, sizeof(p1), "%s/output_%u.bin", dir, i);
        snprintf(p2, sizeof(p2), "%s/ref_%u.bin", dir, i);
        got = read_all(p1, &l1);
        want = read_all(p2, &l2);
        if (!got || !want || l1 != l2 || l1 != io->size || io->dtype != 0) {
            TAP_CHECK(0, "%s: output %u '%s': files of %zu and %zu bytes for "
                      "%" PRIu64 " float bytes", name, i, io->name, l1, l2,
                      io->size);
            free(got);
            free(want);
            continue;
        }
        n = l1 / 4;
        for (size_t k = 0; k < n; k++) {
            scale = fmax(scale, fabs(want[k]));
        }
        for (size_t k = 0; k < n; k++) {
            double d = fabs((double)got[k] - want[k]);
            double lim = RTOL * fmax(fabs(want[k]), FLOOR * scale);
            if (!(d <= lim)) {
                bad++;
            }
            if (lim > 0 && d / lim > worst) {
                worst = d / lim;
                worst_abs = d;
                at = k;
            }
        }
        TAP_CHECK(bad == 0, "%s: output %u '%s' (%zu floats, max |ref| %.4g) "
                  "matches the reference: |a-b| <= 1e-4*max(|b|, 1e-2*%.4g); "
                  "worst at [%zu]: %.3g (%.2f of the bound), %zu outside",
                  name, i, io->name, n, scale, scale, at, worst_abs, worst,
                  bad);
        free(got);
        free(want);
    }
    rc = tap_done();
    unload(&L);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int cmd_bench(const char *om, const char *dir, uint32_t threads,
                     int iters, bool profile)
{
    struct loaded L;
    double *t = calloc(iters + 1, sizeof(double));
    uint64_t *task_ns = NULL, *iter_ns = NULL;
    int rc = -1;

    if (!t || load(om, &L) || read_inputs(&L, dir)) {
        goto out;
    }
    if (profile) {
        task_ns = calloc(amdl_num_tasks(L.m) + 1, sizeof(uint64_t));
        iter_ns = calloc(amdl_num_tasks(L.m) + 1, sizeof(uint64_t));
        if (!task_ns || !iter_ns) {
            goto out;
        }
    }
    for (int i = 0; i < 5; i++) {   /* warm: thread pools, oneDNN cache */
        if (execute(&L, threads, NULL)) {
            goto out;
        }
    }
    for (int i = 0; i < iters; i++) {
        double t0;
        if (task_ns) {
            memset(iter_ns, 0, sizeof(uint64_t) * amdl_num_tasks(L.m));
        }
        t0 = now_s();
        if (execute(&L, threads, iter_ns)) {
            goto out;
        }
        t[i] = now_s() - t0;
        /* per task the fastest run: a busy machine only adds to it */
        for (uint32_t k = 0; task_ns && k < amdl_num_tasks(L.m); k++) {
            if (!i || iter_ns[k] < task_ns[k]) {
                task_ns[k] = iter_ns[k];
            }
        }
    }
    qsort(t, iters, sizeof(double), cmp_d);
    printf("%.6f\n", t[iters / 2]);
    if (profile) {
        uint32_t nt = amdl_num_tasks(L.m);
        uint64_t total = 0;
        for (uint32_t k = 0; k < nt; k++) {
            total += task_ns[k];
        }
        /* per op, then the slowest tasks */
        for (uint32_t k = 0; k < nt; k++) {
            uint64_t sum = 0;
            uint32_t cnt = 0;
            bool first = true;
            for (uint32_t j = 0; j < nt; j++) {
                if (!strcmp(amdl_task_op(L.m, j), amdl_task_op(L.m, k))) {
                    first &= j >= k;
                    sum += task_ns[j];
                    cnt++;
                }
            }
            if (first) {
                printf("# op %-16s %3u tasks %9.1f us %5.1f%%\n",
                       amdl_task_op(L.m, k), cnt, sum / 1e3,
                       100.0 * sum / (total ? total : 1));
            }
        }
        for (int round = 0; round < 10; round++) {
            uint32_t best = 0;
            for (uint32_t k = 1; k < nt; k++) {
                if (task_ns[k] > task_ns[best]) {
                    best = k;
                }
            }
            if (!task_ns[best]) {
                break;
            }
            printf("# task %3u %-14s %8.1f us %5.1f%%  %s\n", best,
                   amdl_task_op(L.m, best), task_ns[best] / 1e3,
                   100.0 * task_ns[best] / total, amdl_task_name(L.m, best));
            task_ns[best] = 0;
        }
    }
    rc = 0;
out:
    free(t);
    free(task_ns);
    free(iter_ns);
    unload(&L);
    return rc;
}

static void print_io(const char *what, const struct amdl_io *io)
{
    printf("%s %s %s [", what, io->name, om_dtype_name(io->dtype));
    for (uint32_t k = 0; k < io->ndim; k++) {
        printf("%s%" PRId64, k ? "," : "", io->dims[k]);
    }
    printf("] %s %" PRIu64 "\n", om_format_name(io->format), io->size);
}

static int cmd_info(const char *om)
{
    struct loaded L;
    uint64_t off, size;

    if (load(om, &L)) {
        unload(&L);
        return 1;
    }
    for (uint32_t i = 0; i < amdl_num_inputs(L.m); i++) {
        print_io("input", amdl_input(L.m, i));
    }
    for (uint32_t i = 0; i < amdl_num_outputs(L.m); i++) {
        print_io("output", amdl_output(L.m, i));
    }
    printf("tasks %u:", amdl_num_tasks(L.m));
    for (uint32_t i = 0; i < amdl_num_tasks(L.m); i++) {
        printf(" %s", amdl_task_op(L.m, i));
    }
    amdl_weights_span(L.m, &off, &size);
    printf("\nworkspace %" PRIu64 "\nweights %" PRIu64 "\n",
           amdl_workspace_size(L.m), size);
    unload(&L);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "info")) {
        return cmd_info(argv[2]);
    }
    if (argc >= 5 && !strcmp(argv[1], "gen")) {
        return cmd_gen(argv[2], strtoull(argv[3], NULL, 0), argv[4]) ? 1 : 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "run")) {
        return cmd_run(argv[2], argv[3],
                       argc > 4 ? (uint32_t)atoi(argv[4]) : 1) ? 1 : 0;
    }
    if (argc >= 5 && !strcmp(argv[1], "compare")) {
        return cmd_compare(argv[2], argv[3], argv[4]);
    }
    if (argc >= 6 && (!strcmp(argv[1], "bench") ||
                      !strcmp(argv[1], "profile"))) {
        return cmd_bench(argv[2], argv[3], (uint32_t)atoi(argv[4]),
                         atoi(argv[5]), !strcmp(argv[1], "profile")) ? 1 : 0;
    }
    fprintf(stderr, "usage: model_tool gen|run|compare|bench|profile|info ... "
            "(see the source's header)\n");
    return 2;
}
