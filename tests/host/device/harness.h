/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake environment for the ascend-npu device core: guest memory and HBM
 * as host arrays, a clock the test moves by hand, counters for every
 * callback, switches that make the host memory callbacks fail, and three
 * ways of running the core's jobs:
 *
 *   JOBS_DEFERRED  env_process() runs them on the test's thread, in order,
 *                  and hands them back, like a one-thread pool (default)
 *   JOBS_MANUAL    they wait in a list until the test runs them
 *                  (env_run_jobs()), so it can act while they are out
 *   JOBS_THREADS   a pool of pthreads runs them concurrently, the way the
 *                  QEMU glue does; env_process() waits for them
 *
 * Each test program includes it once.
 */
#ifndef VASCEND_TEST_DEVICE_HARNESS_H
#define VASCEND_TEST_DEVICE_HARNESS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_job.h"
#include "tap.h"
#include "vascend_fw.h"
#include "vascend_hw.h"

/* Guest RAM seen by the device: GUEST_SIZE bytes at bus address GUEST_BASE. */
#define GUEST_BASE      0x40000000ULL
#ifndef GUEST_SIZE
#define GUEST_SIZE      (32U << 20)
#endif
#define TEST_HBM_SIZE   (2U << 20)

enum jobs_mode { JOBS_DEFERRED, JOBS_MANUAL, JOBS_THREADS };

#define ENV_THREADS     4

struct env {
    struct anpu dev;
    uint8_t *guest;
    uint8_t *hbm;
    uint64_t hbm_size;
    unsigned int irqs[ANPU_MSIX_VECTORS];
    unsigned int kicks;
    unsigned int errors;
    char last_error[256];
    unsigned int host_reads;
    unsigned int host_writes;
    int fail_host_read;
    int fail_host_write;
    /* ram_map() calls not yet undone; ram_map() refusals. */
    int maps_out;
    unsigned int map_refusals;
    /* The fake clock (ns), read atomically by workers; each read adds step. */
    uint64_t clock;
    uint64_t clock_step;
    uint64_t timer_when;
    unsigned int traces[ANPU_TRACE_RESET + 1];
    int quiet;

    enum jobs_mode mode;
    /* Jobs submitted and not yet run (DEFERRED, MANUAL, THREADS). */
    struct anpu_job *todo;
    struct anpu_job **todo_tail;
    /* Jobs run and not yet handed back. */
    struct anpu_job *done;
    struct anpu_job **done_tail;
    unsigned int submitted;
    unsigned int running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t threads[ENV_THREADS];
    int nthreads;
    int stop;
};

static inline int env_in_guest(uint64_t addr, uint64_t len)
{
    return addr >= GUEST_BASE && addr - GUEST_BASE <= GUEST_SIZE &&
           len <= GUEST_SIZE - (addr - GUEST_BASE);
}

static inline int env_host_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    struct env *e = opaque;

    e->host_reads++;
    if (e->fail_host_read || !env_in_guest(addr, len)) {
        return -1;
    }
    memcpy(buf, e->guest + (addr - GUEST_BASE), len);
    return 0;
}

static inline int env_host_write(void *opaque, uint64_t addr, const void *buf,
                          uint64_t len)
{
    struct env *e = opaque;

    e->host_writes++;
    if (e->fail_host_write || !env_in_guest(addr, len)) {
        return -1;
    }
    memcpy(e->guest + (addr - GUEST_BASE), buf, len);
    return 0;
}

static inline uint8_t *env_hbm_map(void *opaque, uint64_t off, uint64_t len)
{
    struct env *e = opaque;

    if (off > e->hbm_size || len > e->hbm_size - off) {
        return NULL;
    }
    return e->hbm + off;
}

/* Guest RAM only; the rest of the bus (BARs, holes) is not RAM. */
static inline uint8_t *env_ram_map(void *opaque, uint64_t addr, uint64_t *len,
                                   bool is_write)
{
    struct env *e = opaque;
    uint64_t left;

    (void)is_write;
    if (!*len || !env_in_guest(addr, 1) || addr - GUEST_BASE == GUEST_SIZE) {
        e->map_refusals++;
        return NULL;
    }
    left = GUEST_SIZE - (addr - GUEST_BASE);
    if (*len > left) {
        *len = left;
    }
    e->maps_out++;
    return e->guest + (addr - GUEST_BASE);
}

static inline void env_ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                                 bool is_write)
{
    struct env *e = opaque;

    (void)is_write;
    if (host < e->guest || host + len > e->guest + GUEST_SIZE) {
        fprintf(stderr, "ram_unmap of memory never mapped\n");
        abort();
    }
    e->maps_out--;
}

static inline void env_raise_irq(void *opaque, unsigned int vector)
{
    struct env *e = opaque;

    if (vector >= ANPU_MSIX_VECTORS) {
        fprintf(stderr, "irq vector %u out of range\n", vector);
        abort();
    }
    e->irqs[vector]++;
}

static inline void env_kick(void *opaque)
{
    ((struct env *)opaque)->kicks++;
}

static inline void env_guest_error(void *opaque, const char *msg)
{
    struct env *e = opaque;

    e->errors++;
    snprintf(e->last_error, sizeof(e->last_error), "%s", msg);
    if (!e->quiet) {
        printf("# guest error: %s\n", msg);
    }
}

static inline uint64_t env_now(void *opaque)
{
    struct env *e = opaque;

    return __atomic_fetch_add(&e->clock,
                              __atomic_load_n(&e->clock_step,
                                              __ATOMIC_RELAXED),
                              __ATOMIC_RELAXED);
}

static inline void env_timer_arm(void *opaque, uint64_t when)
{
    ((struct env *)opaque)->timer_when = when;
}

static inline void env_trace(void *opaque, const struct anpu_trace *ev)
{
    ((struct env *)opaque)->traces[ev->kind]++;
}

static inline void env_append(struct anpu_job ***tail, struct anpu_job *job)
{
    job->env_next = NULL;
    **tail = job;
    *tail = &job->env_next;
}

static inline struct anpu_job *env_pop(struct anpu_job **head,
                                       struct anpu_job ***tail)
{
    struct anpu_job *job = *head;

    if (job) {
        *head = job->env_next;
        if (!*head) {
            *tail = head;
        }
    }
    return job;
}

static inline void env_submit_job(void *opaque, struct anpu_job *job)
{
    struct env *e = opaque;

    pthread_mutex_lock(&e->lock);
    e->submitted++;
    env_append(&e->todo_tail, job);
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->lock);
}

static const struct anpu_ops env_ops = {
    .host_read = env_host_read,
    .host_write = env_host_write,
    .hbm_map = env_hbm_map,
    .ram_map = env_ram_map,
    .ram_unmap = env_ram_unmap,
    .raise_irq = env_raise_irq,
    .kick = env_kick,
    .guest_error = env_guest_error,
    .now_ns = env_now,
    .timer_arm = env_timer_arm,
    .submit_job = env_submit_job,
    .trace = env_trace,
};

static void *env_worker(void *arg)
{
    struct env *e = arg;
    struct anpu_job *job;

    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (!e->stop && !e->todo) {
            pthread_cond_wait(&e->cond, &e->lock);
        }
        if (e->stop) {
            break;
        }
        job = env_pop(&e->todo, &e->todo_tail);
        e->running++;
        pthread_mutex_unlock(&e->lock);
        anpu_job_run(job);
        pthread_mutex_lock(&e->lock);
        e->running--;
        env_append(&e->done_tail, job);
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

static inline void env_config(struct anpu_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->aicores = 8;
    cfg->msix_vectors = ANPU_MSIX_VECTORS;
    cfg->hbm_size = TEST_HBM_SIZE;
    snprintf(cfg->soc_name, sizeof(cfg->soc_name), "Ascend910B3");
    cfg->hdc_file_max = 1 << 20;
}

static inline struct env *env_new_cfg(const struct anpu_config *cfg)
{
    struct env *e = calloc(1, sizeof(*e));

    if (!e) {
        abort();
    }
    e->guest = calloc(1, GUEST_SIZE);
    e->hbm_size = cfg->hbm_size;
    e->hbm = calloc(1, e->hbm_size);
    if (!e->guest || !e->hbm) {
        abort();
    }
    e->clock = 1000000;
    e->timer_when = ANPU_TIMER_OFF;
    e->todo_tail = &e->todo;
    e->done_tail = &e->done;
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->cond, NULL);
    anpu_init(&e->dev, cfg, &env_ops, e);
    return e;
}

static inline struct env *env_new(void)
{
    struct anpu_config cfg;

    env_config(&cfg);
    return env_new_cfg(&cfg);
}

/* Switch to @mode (before any job was submitted). */
static inline void env_jobs(struct env *e, enum jobs_mode mode)
{
    int i;

    e->mode = mode;
    if (mode == JOBS_THREADS) {
        for (i = 0; i < ENV_THREADS; i++) {
            pthread_create(&e->threads[i], NULL, env_worker, e);
        }
        e->nthreads = ENV_THREADS;
    }
}

/* Hand every finished job back to the core, as the QEMU bottom half does. */
static inline unsigned int env_deliver(struct env *e)
{
    struct anpu_job *job;
    unsigned int n = 0;

    for (;;) {
        pthread_mutex_lock(&e->lock);
        job = env_pop(&e->done, &e->done_tail);
        pthread_mutex_unlock(&e->lock);
        if (!job) {
            return n;
        }
        anpu_job_done(&e->dev, job);
        n++;
    }
}

/* Run up to @n waiting jobs on this thread (not handing them back). */
static inline unsigned int env_run_jobs(struct env *e, unsigned int n)
{
    struct anpu_job *job;
    unsigned int ran = 0;

    while (ran < n) {
        pthread_mutex_lock(&e->lock);
        job = env_pop(&e->todo, &e->todo_tail);
        pthread_mutex_unlock(&e->lock);
        if (!job) {
            break;
        }
        anpu_job_run(job);
        pthread_mutex_lock(&e->lock);
        env_append(&e->done_tail, job);
        pthread_mutex_unlock(&e->lock);
        ran++;
    }
    return ran;
}

static inline unsigned int env_jobs_waiting(struct env *e)
{
    struct anpu_job *job;
    unsigned int n = 0;

    pthread_mutex_lock(&e->lock);
    for (job = e->todo; job; job = job->env_next) {
        n++;
    }
    pthread_mutex_unlock(&e->lock);
    return n;
}

/* THREADS: wait until the pool has nothing queued or running. */
static inline void env_wait_idle(struct env *e)
{
    pthread_mutex_lock(&e->lock);
    while (e->todo || e->running) {
        pthread_cond_wait(&e->cond, &e->lock);
    }
    pthread_mutex_unlock(&e->lock);
}

/*
 * Run the work the doorbells scheduled, as the QEMU bottom half would,
 * until the device is quiet: in DEFERRED and THREADS mode the jobs too.
 */
static inline void env_process(struct env *e)
{
    unsigned int rounds, kicks;

    for (rounds = 0; rounds < 100000; rounds++) {
        kicks = e->kicks;
        env_deliver(e);
        anpu_process(&e->dev);
        if (e->mode == JOBS_DEFERRED && e->todo) {
            env_run_jobs(e, ~0U);
            continue;
        }
        if (e->mode == JOBS_THREADS && (e->todo || e->running || e->done)) {
            env_wait_idle(e);
            continue;
        }
        if (e->kicks == kicks && !e->done) {
            return;
        }
    }
    printf("Bail out! the device never went quiet\n");
    exit(1);
}

/* One bottom half run: hand back finished jobs, anpu_process() once. */
static inline void env_process_once(struct env *e)
{
    env_deliver(e);
    anpu_process(&e->dev);
}

/* The one-shot timer the core armed went off. */
static inline void env_fire_timer(struct env *e)
{
    e->timer_when = ANPU_TIMER_OFF;
    anpu_timer(&e->dev);
}

static inline void env_free(struct env *e)
{
    int i;

    if (e->nthreads) {
        pthread_mutex_lock(&e->lock);
        e->stop = 1;
        pthread_cond_broadcast(&e->cond);
        pthread_mutex_unlock(&e->lock);
        for (i = 0; i < e->nthreads; i++) {
            pthread_join(e->threads[i], NULL);
        }
    }
    /* Like the glue's exit: reset (orphans), then hand every job back. */
    anpu_reset(&e->dev);
    env_run_jobs(e, ~0U);
    env_deliver(e);
    anpu_fini(&e->dev);
    if (e->maps_out) {
        printf("Bail out! %d guest RAM mappings leaked\n", e->maps_out);
        exit(1);
    }
    pthread_mutex_destroy(&e->lock);
    pthread_cond_destroy(&e->cond);
    free(e->guest);
    free(e->hbm);
    free(e);
}

static inline uint32_t rd(struct env *e, uint64_t off)
{
    return anpu_reg_read(&e->dev, off);
}

static inline void wr(struct env *e, uint64_t off, uint32_t val)
{
    anpu_reg_write(&e->dev, off, val);
}

static inline void wr64(struct env *e, uint64_t lo_off, uint64_t val)
{
    wr(e, lo_off, (uint32_t)val);
    wr(e, lo_off + 4, (uint32_t)(val >> 32));
}

#endif /* VASCEND_TEST_DEVICE_HARNESS_H */
