/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: telemetry (VASCEND_ADMIN_TELEMETRY). AI Core
 * utilisation is busy time over a sliding second; temperature and power
 * are simulated from it through a first-order lag, so they rise and fall
 * the way a real board's do rather than jumping.
 */
#ifndef ANPU_TELEMETRY_H
#define ANPU_TELEMETRY_H

#include <stdint.h>

#include "anpu_limits.h"
#include "vascend_queue_hw.h"

struct anpu;

/* The sliding second, in buckets. */
#define ANPU_TELE_BUCKETS       10
#define ANPU_TELE_BUCKET_NS     100000000ULL

/* The simulated board: idle and full-load end points, time constants. */
#define ANPU_TEMP_IDLE_MC       35000
#define ANPU_TEMP_FULL_MC       85000
#define ANPU_TEMP_TAU_NS        2000000000ULL
#define ANPU_POWER_IDLE_MW      15000
#define ANPU_POWER_FULL_MW      310000
#define ANPU_POWER_TAU_NS       200000000ULL

struct anpu_telemetry {
    uint64_t busy_total;                        /* ns, all cores */
    uint64_t core_busy[ANPU_AICORES_MAX];
    uint64_t bucket_start[ANPU_TELE_BUCKETS];   /* device clock */
    uint64_t bucket_busy[ANPU_TELE_BUCKETS];
    uint64_t tasks_completed;
    uint64_t faults;
    /* The lagged values, as of last_ts. */
    uint64_t last_ts;
    uint32_t temp_mc;
    uint32_t power_mw;
};

/* Power-on values at device time @now. */
void anpu_tele_reset(struct anpu_telemetry *t, uint64_t now);

/* AI Core @core was busy over [start, end] (device clock). */
void anpu_tele_busy(struct anpu_telemetry *t, uint32_t core, uint64_t start,
                    uint64_t end);

/* Utilisation of @cores cores over the second before @now, per mille. */
uint32_t anpu_tele_utilization(const struct anpu_telemetry *t,
                               uint32_t cores, uint64_t now);

/* Fill @out as TELEMETRY answers at device time now. */
void anpu_tele_sample(struct anpu *d, struct vascend_telemetry *out);

#endif /* ANPU_TELEMETRY_H */
