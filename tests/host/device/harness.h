/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake environment for the ascend-npu device core: guest memory and HBM
 * as host arrays, counters for every callback, and switches that make the
 * host memory callbacks fail. Each test program includes it once.
 */
#ifndef VASCEND_TEST_DEVICE_HARNESS_H
#define VASCEND_TEST_DEVICE_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "tap.h"
#include "vascend_fw.h"
#include "vascend_hw.h"

/* Guest RAM seen by the device: GUEST_SIZE bytes at bus address GUEST_BASE. */
#define GUEST_BASE      0x40000000ULL
#define GUEST_SIZE      (4U << 20)
#define TEST_HBM_SIZE   (2U << 20)

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
};

static inline int env_host_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    struct env *e = opaque;

    e->host_reads++;
    if (e->fail_host_read || addr < GUEST_BASE ||
        addr - GUEST_BASE > GUEST_SIZE ||
        len > GUEST_SIZE - (addr - GUEST_BASE)) {
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
    if (e->fail_host_write || addr < GUEST_BASE ||
        addr - GUEST_BASE > GUEST_SIZE ||
        len > GUEST_SIZE - (addr - GUEST_BASE)) {
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
    printf("# guest error: %s\n", msg);
}

static const struct anpu_ops env_ops = {
    .host_read = env_host_read,
    .host_write = env_host_write,
    .hbm_map = env_hbm_map,
    .raise_irq = env_raise_irq,
    .kick = env_kick,
    .guest_error = env_guest_error,
};

static inline void env_config(struct anpu_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->aicores = 8;
    cfg->msix_vectors = ANPU_MSIX_VECTORS;
    cfg->hbm_size = TEST_HBM_SIZE;
    snprintf(cfg->soc_name, sizeof(cfg->soc_name), "Ascend910B3");
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
    anpu_init(&e->dev, cfg, &env_ops, e);
    return e;
}

static inline struct env *env_new(void)
{
    struct anpu_config cfg;

    env_config(&cfg);
    return env_new_cfg(&cfg);
}

static inline void env_free(struct env *e)
{
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

/* Run the work a doorbell scheduled, as the QEMU bottom half would. */
static inline void env_process(struct env *e)
{
    anpu_process(&e->dev);
}

#endif /* VASCEND_TEST_DEVICE_HARNESS_H */
