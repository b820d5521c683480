// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmarks of the ascend-npu device core, in one process on the host:
 *
 * devcore_dma_64m  one 64 MiB MEMCPY task (guest RAM -> HBM, both mapped
 *                  with 2 MiB pages) through the whole core: SQE fetch,
 *                  MMU translation, the copy job, CQE; against plain memcpy
 *                  of 64 MiB between two buffers of this process. Best of
 *                  several runs each, buffers touched beforehand.
 * nop_task         per-task cost of NOPs submitted 2000 at a time (one doorbell): fetch,
 *                  check, CQE write, interrupt bookkeeping (no jobs).
 */
#define GUEST_SIZE      (160U << 20)

#include <time.h>

#include "devtest.h"

#define XFER            (64U << 20)
#define RUNS            7
#define NOPS            2000
#define VA_SRC          0x40000000ULL
#define VA_DST          0x80000000ULL

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double bench_memcpy(void)
{
    uint8_t *a = malloc(XFER), *b = malloc(XFER);
    double best = 1e9, t;
    int i;

    if (!a || !b) {
        abort();
    }
    memset(a, 1, XFER);
    memset(b, 2, XFER);
    for (i = 0; i < RUNS; i++) {
        t = now_s();
        memcpy(b, a, XFER);
        t = now_s() - t;
        /* Keep the copy observable. */
        __asm__ volatile("" : : "r"(b) : "memory");
        if (t < best) {
            best = t;
        }
        a[i] ^= 1;
    }
    free(a);
    free(b);
    return best;
}

int main(void)
{
    struct anpu_config cfg;
    struct vascend_sqe s;
    struct vascend_cqe c;
    struct dt *t;
    struct pt pt;
    double best = 1e9, el, ref, nop_best = 1e9;
    int i, j, bad = 0;

    env_config(&cfg);
    cfg.hbm_size = 128U << 20;
    t = dt_new_cfg(&cfg, 1);
    t->e->quiet = 1;
    pt_init(&pt, t->e, PT_POOL, PT_POOL_SIZE);
    pt_map2m(&pt, VA_SRC, DATA, XFER, PT_W);
    pt_map2m(&pt, VA_DST, 0, XFER, PT_W | PT_HBM);
    memset(gptr(t->e, DATA), 0x33, XFER);
    memset(t->e->hbm, 0x44, XFER);
    if (dt_create_ctx(t, 1, pt.root) || dt_create_queue(t, 1, 1, 2048)) {
        fprintf(stderr, "devcore_bench: setup failed\n");
        return 1;
    }
    /*
     * Ring 1 of 2048 entries sits at RING(1): 128 KiB of SQ, 128 KiB of CQ,
     * inside its 256 KiB slot.
     */
    for (i = 0; i < RUNS; i++) {
        s = sqe_memcpy(VA_DST, VA_SRC, XFER);
        el = now_s();
        if (dt_io(t, 1, &s, &c) != 0 || c.result != XFER) {
            bad = 1;
        }
        el = now_s() - el;
        if (el < best) {
            best = el;
        }
    }
    if (bad || memcmp(t->e->hbm, gptr(t->e, DATA), XFER)) {
        fprintf(stderr, "devcore_bench: the 64 MiB copy went wrong\n");
        return 1;
    }
    ref = bench_memcpy();
    printf("BENCH name=devcore_dma_64m value=%.2f unit=GB/s ref=memcpy "
           "ratio=%.2f\n", XFER / best / 1e9, ref / best);
    fprintf(stderr, "# device core %.2f ms, memcpy %.2f ms per 64 MiB\n",
            best * 1e3, ref * 1e3);

    for (i = 0; i < RUNS; i++) {
        for (j = 0; j < NOPS; j++) {
            s = sqe_op(VASCEND_OP_NOP);
            s.task_id = j;
            dt_push(t, 1, &s);
        }
        el = now_s();
        dt_ring(t, 1);
        env_process(t->e);
        el = now_s() - el;
        for (j = 0; j < NOPS; j++) {
            if (!dt_reap(t, 1, &c) || c.status) {
                bad = 1;
            }
        }
        if (el < nop_best) {
            nop_best = el;
        }
    }
    if (bad) {
        fprintf(stderr, "devcore_bench: a NOP failed\n");
        return 1;
    }
    printf("BENCH name=nop_task value=%.0f unit=ns ref=none ratio=1\n",
           nop_best / (NOPS) * 1e9);
    dt_free(t);
    return 0;
}
