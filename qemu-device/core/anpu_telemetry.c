/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: telemetry. Busy time is kept in ten 100 ms
 * buckets of device time (a sliding second); the simulated temperature and
 * power follow utilisation through a first-order lag, advanced in 100 ms
 * steps whenever someone looks (no timer, no floating point).
 */
#include <string.h>

#include "anpu.h"
#include "anpu_ctx.h"
#include "anpu_telemetry.h"

#define WINDOW_NS       (ANPU_TELE_BUCKETS * ANPU_TELE_BUCKET_NS)
#define STEP_NS         ANPU_TELE_BUCKET_NS
/* After this many steps (10 time constants at least) the lag has settled. */
#define MAX_STEPS       200
/* Per step, 1 - exp(-step / tau) in 1/65536: tau 2 s and 0.2 s. */
#define TEMP_ALPHA      3196
#define POWER_ALPHA     25786

void anpu_tele_reset(struct anpu_telemetry *t, uint64_t now)
{
    memset(t, 0, sizeof(*t));
    t->last_ts = now;
    t->temp_mc = ANPU_TEMP_IDLE_MC;
    t->power_mw = ANPU_POWER_IDLE_MW;
}

void anpu_tele_busy(struct anpu_telemetry *t, uint32_t core, uint64_t start,
                    uint64_t end)
{
    uint64_t b, stop, n;
    unsigned int i;

    if (end <= start) {
        return;
    }
    t->busy_total += end - start;
    t->core_busy[core % ANPU_AICORES_MAX] += end - start;
    /* Only the last window can matter for utilisation. */
    if (end - start > WINDOW_NS) {
        start = end - WINDOW_NS;
    }
    while (start < end) {
        b = start / ANPU_TELE_BUCKET_NS;
        stop = (b + 1) * ANPU_TELE_BUCKET_NS;
        n = (end < stop ? end : stop) - start;
        i = b % ANPU_TELE_BUCKETS;
        if (t->bucket_start[i] != b * ANPU_TELE_BUCKET_NS ||
            !t->bucket_busy[i]) {
            t->bucket_start[i] = b * ANPU_TELE_BUCKET_NS;
            t->bucket_busy[i] = 0;
        }
        t->bucket_busy[i] += n;
        start += n;
    }
}

uint32_t anpu_tele_utilization(const struct anpu_telemetry *t,
                               uint32_t cores, uint64_t now)
{
    uint64_t cur = now / ANPU_TELE_BUCKET_NS, first, busy = 0, window;
    unsigned int i;

    first = cur >= ANPU_TELE_BUCKETS - 1 ? cur - (ANPU_TELE_BUCKETS - 1) : 0;
    for (i = 0; i < ANPU_TELE_BUCKETS; i++) {
        if (t->bucket_busy[i] &&
            t->bucket_start[i] >= first * ANPU_TELE_BUCKET_NS &&
            t->bucket_start[i] <= cur * ANPU_TELE_BUCKET_NS) {
            busy += t->bucket_busy[i];
        }
    }
    window = now - first * ANPU_TELE_BUCKET_NS;
    if (!window || !cores) {
        return 0;
    }
    busy = busy * 1000 / cores / window;
    return busy > 1000 ? 1000 : (uint32_t)busy;
}

/* Move @v a fraction @alpha/65536 of the way to @target. */
static uint32_t lag_step(uint32_t v, uint32_t target, uint32_t alpha)
{
    int64_t diff = (int64_t)target - (int64_t)v;

    return (uint32_t)((int64_t)v + diff * alpha / 65536);
}

void anpu_tele_sample(struct anpu *d, struct vascend_telemetry *out)
{
    struct anpu_telemetry *t = &d->tele;
    uint64_t now = anpu_now(d), steps;
    uint32_t util = anpu_tele_utilization(t, d->cfg.aicores, now);
    uint32_t temp_target, power_target;

    temp_target = ANPU_TEMP_IDLE_MC +
                  (ANPU_TEMP_FULL_MC - ANPU_TEMP_IDLE_MC) * util / 1000;
    power_target = ANPU_POWER_IDLE_MW +
                   (uint32_t)((uint64_t)(ANPU_POWER_FULL_MW -
                                         ANPU_POWER_IDLE_MW) * util / 1000);
    steps = now > t->last_ts ? (now - t->last_ts) / STEP_NS : 0;
    if (steps >= MAX_STEPS) {
        t->temp_mc = temp_target;
        t->power_mw = power_target;
    } else {
        for (; steps; steps--) {
            t->temp_mc = lag_step(t->temp_mc, temp_target, TEMP_ALPHA);
            t->power_mw = lag_step(t->power_mw, power_target, POWER_ALPHA);
        }
    }
    if (now > t->last_ts) {
        t->last_ts = now - (now - t->last_ts) % STEP_NS;
    }

    memset(out, 0, sizeof(*out));
    out->timestamp = now;
    out->aicore_busy_ns = t->busy_total;
    out->utilization = util;
    out->temperature_mc = t->temp_mc;
    out->power_mw = t->power_mw;
    out->hbm_mapped = anpu_ctx_hbm_mapped(d);
    out->tasks_completed = t->tasks_completed;
    out->faults = t->faults;
    out->active_contexts = d->contexts;
    out->active_queues = d->io_queues;
}
