/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake environment the device-core fuzz targets run in: the same kind of
 * environment as tests/host/device/harness.h (guest memory and HBM as host
 * arrays, a hand-moved clock, jobs run on the calling thread), but built for
 * libFuzzer: no threads, no TAP output, no exit(); every broken invariant is
 * a message on stderr and abort(), which libFuzzer reports as a crash.
 *
 * What it checks on every callback the core makes:
 *   - host_read/host_write outside guest memory fail as the bus would (the
 *     guest may program any address); inside they are copied;
 *   - ram_map hands out, within a budget, a bounce copy of exactly the bytes
 *     mapped (an exact-size malloc, so ASan sees any access past the mapped
 *     length or after the unmap), copied back on a write unmap; a read
 *     mapping the device wrote to is an invariant failure, as is an unmap of
 *     something never mapped or with another length or direction;
 *   - hbm_map is only ever asked for ranges inside HBM (the core checks
 *     first), and the pointers stay inside the exact-size HBM array;
 *   - vectors are below the MSI-X count; guest error lines hold no newline;
 *   - with fz_dev.check_writes, the device writes guest memory only where
 *     the guest told it to: the CQ slot at a queue's tail, the answer buffer
 *     of the admin command being run, DMA channel 0's host range, the HDC
 *     d2h ring and status block.
 * And after a run: every ram_map was undone, every job came back.
 *
 * Each fuzz target includes it once.
 */
#ifndef VASCEND_FUZZ_HARNESS_H
#define VASCEND_FUZZ_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/device/fwimage.h"
#include "anpu.h"
#include "anpu_job.h"
#include "anpu_mmu.h"
#include "vascend_hdc_hw.h"
#include "vascend_hw.h"
#include "vascend_queue_hw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * On the harness's own checking code: its branches are no coverage the
 * fuzzer should chase, and tracing them costs time.
 */
#define FZ_NOCOV __attribute__((no_sanitize("coverage")))

/* ---- Failing ---- */

static void __attribute__((noreturn, format(printf, 1, 2), unused))
fz_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "vascend fuzz: invariant broken: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

#define FZ_CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            fz_fail(__VA_ARGS__); \
        } \
    } while (0)

/*
 * FUZZ_VERBOSE=1 in the environment: targets print what the device did
 * (CQEs, faults, d2h slots), to see how deep an input gets.
 */
static inline bool fz_verbose(void)
{
    static int v = -1;

    if (v < 0) {
        v = getenv("FUZZ_VERBOSE") != NULL;
    }
    return v;
}

#define FZ_LOG(...) \
    do { \
        if (fz_verbose()) { \
            fprintf(stderr, __VA_ARGS__); \
        } \
    } while (0)

/* ---- Reading the input ---- */

struct fin {
    const uint8_t *p;
    size_t n;
};

static inline bool fin_more(const struct fin *in)
{
    return in->n > 0;
}

/* Past the end of the input every value reads as zero. */
static inline uint8_t fin_u8(struct fin *in)
{
    if (!in->n) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static inline uint16_t fin_u16(struct fin *in)
{
    uint16_t v = fin_u8(in);

    return v | (uint16_t)fin_u8(in) << 8;
}

static inline uint32_t fin_u32(struct fin *in)
{
    uint32_t v = fin_u16(in);

    return v | (uint32_t)fin_u16(in) << 16;
}

static inline uint64_t fin_u64(struct fin *in)
{
    uint64_t v = fin_u32(in);

    return v | (uint64_t)fin_u32(in) << 32;
}

static inline void fin_bytes(struct fin *in, void *buf, size_t len)
{
    size_t k = len < in->n ? len : in->n;

    memcpy(buf, in->p, k);
    memset((uint8_t *)buf + k, 0, len - k);
    in->p += k;
    in->n -= k;
}

/* ---- Guest memory and HBM ---- */

/*
 * Guest RAM: ram_size bytes at bus address FZ_GUEST_BASE (not 0, so a bus
 * address mistaken for an HBM offset, or the reverse, shows). Right after
 * it FZ_MMIO_SIZE bytes of "MMIO": DMA reads return 0xff, writes are
 * dropped, and it cannot be mapped (a BAR, as far as the device can tell).
 * Everything else on the bus fails.
 */
#define FZ_GUEST_BASE       0x40000000ULL
#define FZ_MMIO_SIZE        0x1000ULL
#define FZ_MAP_BUCKETS      4096
/* Bytes of bounce copies outstanding; beyond, ram_map maps directly. */
#define FZ_BOUNCE_MAX       (8ULL << 20)

struct fz_map {
    struct fz_map *next;
    uint8_t *host;
    uint8_t *snap;          /* bounced read mappings: the bytes handed out */
    uint64_t addr;
    uint64_t len;
    bool write;
    bool bounce;
};

struct fz_mem {
    uint8_t *ram;
    uint64_t ram_size;
    uint8_t *hbm;
    uint64_t hbm_size;
    /* ram_map stops at multiples of this many bytes (0: only at the end). */
    uint64_t block;
    bool fail_read;
    bool fail_write;
    /* Bytes written since the last reset, to clear only those. */
    uint64_t ram_lo, ram_hi, hbm_lo, hbm_hi;
    struct fz_map *maps[FZ_MAP_BUCKETS];
    uint64_t maps_out;
    uint64_t bounce_bytes;
    uint64_t bounce_max;
    uint64_t host_writes;
    /* Told about every write but the device's own CQE posts (optional). */
    void (*touch)(void *ctx, uint64_t addr, uint64_t len);
    void *touch_ctx;
};

static inline void fz_touch(struct fz_mem *m, uint64_t addr, uint64_t len)
{
    if (m->touch) {
        m->touch(m->touch_ctx, addr, len);
    }
}

static inline void fz_mem_init(struct fz_mem *m, uint64_t ram_size,
                               uint64_t hbm_size)
{
    memset(m, 0, sizeof(*m));
    /* Exact sizes: ASan catches a pointer run past either array. */
    m->ram = calloc(1, ram_size);
    m->hbm = calloc(1, hbm_size);
    if (!m->ram || !m->hbm) {
        abort();
    }
    m->ram_size = ram_size;
    m->hbm_size = hbm_size;
    m->ram_lo = m->hbm_lo = UINT64_MAX;
    m->bounce_max = FZ_BOUNCE_MAX;
}

static inline void fz_dirty(uint64_t *lo, uint64_t *hi, uint64_t off,
                            uint64_t len)
{
    if (off < *lo) {
        *lo = off;
    }
    if (off + len > *hi) {
        *hi = off + len;
    }
}

/* Back to all zeroes, for the next input. Every mapping must be gone. */
static inline void fz_mem_reset(struct fz_mem *m)
{
    FZ_CHECK(m->maps_out == 0, "%llu guest RAM mappings never undone",
             (unsigned long long)m->maps_out);
    if (m->ram_lo < m->ram_hi) {
        memset(m->ram + m->ram_lo, 0, m->ram_hi - m->ram_lo);
    }
    if (m->hbm_lo < m->hbm_hi) {
        memset(m->hbm + m->hbm_lo, 0, m->hbm_hi - m->hbm_lo);
    }
    m->ram_lo = m->hbm_lo = UINT64_MAX;
    m->ram_hi = m->hbm_hi = 0;
    m->block = 0;
    m->fail_read = m->fail_write = false;
    m->bounce_max = FZ_BOUNCE_MAX;
    m->host_writes = 0;
    m->touch = NULL;
    m->touch_ctx = NULL;
}

/* [addr, addr + len) inside RAM (len may be 0). */
static inline bool fz_in_ram(const struct fz_mem *m, uint64_t addr,
                             uint64_t len)
{
    return addr >= FZ_GUEST_BASE && addr - FZ_GUEST_BASE <= m->ram_size &&
           len <= m->ram_size - (addr - FZ_GUEST_BASE);
}

/* [addr, addr + len) inside RAM and the MMIO window after it. */
static inline bool fz_on_bus(const struct fz_mem *m, uint64_t addr,
                             uint64_t len)
{
    uint64_t size = m->ram_size + FZ_MMIO_SIZE;

    return addr >= FZ_GUEST_BASE && addr - FZ_GUEST_BASE <= size &&
           len <= size - (addr - FZ_GUEST_BASE);
}

/* The harness (the guest CPU) writes guest memory. */
static inline void fz_mem_write(struct fz_mem *m, uint64_t addr,
                                const void *buf, uint64_t len)
{
    if (!fz_in_ram(m, addr, len)) {
        fz_fail("harness write 0x%llx+%llu outside RAM",
                (unsigned long long)addr, (unsigned long long)len);
    }
    memcpy(m->ram + (addr - FZ_GUEST_BASE), buf, len);
    fz_dirty(&m->ram_lo, &m->ram_hi, addr - FZ_GUEST_BASE, len);
    fz_touch(m, addr, len);
}

static inline void *fz_ram_ptr(struct fz_mem *m, uint64_t addr, uint64_t len)
{
    if (!fz_in_ram(m, addr, len)) {
        fz_fail("harness pointer 0x%llx+%llu outside RAM",
                (unsigned long long)addr, (unsigned long long)len);
    }
    fz_dirty(&m->ram_lo, &m->ram_hi, addr - FZ_GUEST_BASE, len);
    fz_touch(m, addr, len);
    return m->ram + (addr - FZ_GUEST_BASE);
}

static inline int fz_mem_read_cb(struct fz_mem *m, uint64_t addr, void *buf,
                                 uint64_t len)
{
    uint64_t off, n;

    if (m->fail_read || !fz_on_bus(m, addr, len)) {
        return -1;
    }
    off = addr - FZ_GUEST_BASE;
    n = off < m->ram_size ? m->ram_size - off : 0;
    if (n > len) {
        n = len;
    }
    memcpy(buf, m->ram + off, n);
    memset((uint8_t *)buf + n, 0xff, len - n);
    return 0;
}

static inline int fz_mem_write_cb(struct fz_mem *m, uint64_t addr,
                                  const void *buf, uint64_t len)
{
    uint64_t off, n;

    m->host_writes++;
    if (m->fail_write || !fz_on_bus(m, addr, len)) {
        return -1;
    }
    off = addr - FZ_GUEST_BASE;
    n = off < m->ram_size ? m->ram_size - off : 0;
    if (n > len) {
        n = len;
    }
    memcpy(m->ram + off, buf, n);
    if (n) {
        fz_dirty(&m->ram_lo, &m->ram_hi, off, n);
    }
    return 0;
}

static inline unsigned int fz_map_bucket(const uint8_t *host)
{
    uintptr_t k = (uintptr_t)host;

    return (unsigned int)((k >> 4) ^ (k >> 16)) & (FZ_MAP_BUCKETS - 1);
}

static inline uint8_t *fz_mem_map_cb(struct fz_mem *m, uint64_t addr,
                                     uint64_t *len, bool is_write)
{
    struct fz_map *r;
    uint64_t off, n;
    unsigned int b;

    if (!*len || !fz_in_ram(m, addr, 1)) {
        return NULL;
    }
    off = addr - FZ_GUEST_BASE;
    n = m->ram_size - off;
    if (m->block && n > m->block - off % m->block) {
        n = m->block - off % m->block;
    }
    if (n > *len) {
        n = *len;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        abort();
    }
    r->addr = addr;
    r->len = n;
    r->write = is_write;
    if (m->bounce_bytes + n <= m->bounce_max) {
        r->bounce = true;
        r->host = malloc(n);
        if (!r->host) {
            abort();
        }
        memcpy(r->host, m->ram + off, n);
        if (!is_write) {
            r->snap = malloc(n);
            if (!r->snap) {
                abort();
            }
            memcpy(r->snap, r->host, n);
        }
        m->bounce_bytes += n;
    } else {
        r->host = m->ram + off;
        if (is_write) {
            fz_dirty(&m->ram_lo, &m->ram_hi, off, n);
        }
    }
    if (is_write) {
        fz_touch(m, addr, n);
    }
    b = fz_map_bucket(r->host);
    r->next = m->maps[b];
    m->maps[b] = r;
    m->maps_out++;
    *len = n;
    return r->host;
}

/* The record of an outstanding mapping at @host of @len bytes, or NULL. */
static inline FZ_NOCOV struct fz_map *fz_map_find(struct fz_mem *m,
                                                  const uint8_t *host,
                                                  uint64_t len, bool is_write,
                                                  struct fz_map ***link)
{
    struct fz_map **pp = &m->maps[fz_map_bucket(host)];

    for (; *pp; pp = &(*pp)->next) {
        if ((*pp)->host == host && (*pp)->len == len &&
            (*pp)->write == is_write) {
            if (link) {
                *link = pp;
            }
            return *pp;
        }
    }
    return NULL;
}

/* Which guest address @host (inside an outstanding mapping) stands for. */
static inline bool fz_map_lookup(struct fz_mem *m, const uint8_t *host,
                                 uint64_t len, bool is_write, uint64_t *addr)
{
    struct fz_map *r = fz_map_find(m, host, len, is_write, NULL);

    if (!r) {
        return false;
    }
    *addr = r->addr;
    return true;
}

static inline void fz_mem_unmap_cb(struct fz_mem *m, uint8_t *host,
                                   uint64_t len, bool is_write)
{
    struct fz_map **link = NULL;
    struct fz_map *r = fz_map_find(m, host, len, is_write, &link);
    uint64_t off;

    if (!r) {
        fz_fail("ram_unmap(%p, %llu, %s) of nothing mapped so", (void *)host,
                (unsigned long long)len, is_write ? "write" : "read");
    }
    *link = r->next;
    m->maps_out--;
    if (r->write) {
        fz_touch(m, r->addr, r->len);
    }
    if (r->bounce) {
        off = r->addr - FZ_GUEST_BASE;
        if (r->write) {
            memcpy(m->ram + off, r->host, r->len);
            fz_dirty(&m->ram_lo, &m->ram_hi, off, r->len);
        } else if (memcmp(r->host, r->snap, r->len)) {
            fz_fail("the device wrote through a read mapping of 0x%llx+%llu",
                    (unsigned long long)r->addr, (unsigned long long)r->len);
        }
        m->bounce_bytes -= r->len;
        free(r->host);
        free(r->snap);
    }
    free(r);
}

static inline uint8_t *fz_mem_hbm_cb(struct fz_mem *m, uint64_t off,
                                     uint64_t len)
{
    /* The core checks every HBM range before it asks. */
    if (off > m->hbm_size || len > m->hbm_size - off) {
        fz_fail("hbm_map(0x%llx, %llu) outside the %llu byte HBM",
                (unsigned long long)off, (unsigned long long)len,
                (unsigned long long)m->hbm_size);
    }
    fz_dirty(&m->hbm_lo, &m->hbm_hi, off, len);
    return m->hbm + off;
}

/* ---- The whole device ---- */

struct fz_dev {
    struct anpu dev;
    struct fz_mem *mem;
    uint64_t clock;
    uint64_t clock_step;            /* added by every now_ns() */
    /*
     * How fz_settle() orders the bottom half and the workers: 0 runs every
     * queued job before each bottom half; otherwise the seed of a
     * pseudo-random interleaving, as the glue's threads would give.
     */
    uint32_t sched;
    uint64_t timer_when;
    bool timer_fired;
    bool bh;                        /* the bottom half is scheduled */
    struct anpu_job *todo, **todo_tail;
    struct anpu_job *done, **done_tail;
    uint64_t jobs_submitted, jobs_back;
    uint64_t irqs;
    uint64_t errors;
    bool check_writes;
    /* Queues whose CQ ring something other than a CQE post wrote. */
    uint64_t cq_dirty;
    /* The admin query being run: its answer may be written. */
    uint64_t answer_addr, answer_len;
};

static inline FZ_NOCOV void fz_check_state(struct fz_dev *f);

static int fz_dev_host_read(void *opaque, uint64_t addr, void *buf,
                            uint64_t len)
{
    struct fz_dev *f = opaque;
    struct anpu_queue *aq = &f->dev.queues[0];
    const struct vascend_sqe *sqe = buf;
    int r = fz_mem_read_cb(f->mem, addr, buf, len);

    /*
     * An admin SQE being fetched (the head moved past it already): note
     * where the answer of a query may go.
     */
    if (aq->exists && len == sizeof(*sqe) &&
        addr == aq->sq_base + (uint64_t)((aq->sq_head - 1) &
                                         (aq->depth - 1)) * sizeof(*sqe)) {
        f->answer_addr = f->answer_len = 0;
        if (!r && (sqe->opcode == VASCEND_ADMIN_IDENTIFY ||
                   sqe->opcode == VASCEND_ADMIN_TELEMETRY ||
                   sqe->opcode == VASCEND_ADMIN_GET_OP_TABLE)) {
            f->answer_addr = sqe->u.query.addr;
            f->answer_len = sqe->u.query.size;
        }
    }
    return r;
}

static inline bool fz_within(uint64_t addr, uint64_t len, uint64_t base,
                             uint64_t size)
{
    return addr >= base && addr - base <= size && len <= size - (addr - base);
}

/* Note the queues whose CQ ring [addr, addr + len) overlaps. */
static FZ_NOCOV void fz_cq_touch(void *opaque, uint64_t addr, uint64_t len)
{
    struct fz_dev *f = opaque;
    const struct anpu_queue *q;
    uint64_t size;
    unsigned int i;

    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        q = &f->dev.queues[i];
        size = (uint64_t)q->depth * VASCEND_CQE_SIZE;
        if (q->exists && addr < q->cq_base + size &&
            q->cq_base < addr + len) {
            f->cq_dirty |= 1ULL << i;
        }
    }
}

/* Whether @addr is the CQ slot (or its flags) at some queue's tail. */
static inline FZ_NOCOV bool fz_cqe_post(struct fz_dev *f, uint64_t addr,
                                        uint64_t len)
{
    const struct anpu_queue *q;
    uint64_t slot;
    unsigned int i;

    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        q = &f->dev.queues[i];
        if (!q->exists) {
            continue;
        }
        slot = q->cq_base + (uint64_t)q->cq_tail * VASCEND_CQE_SIZE;
        if ((addr == slot && len == VASCEND_CQE_SIZE) ||
            (addr == slot + offsetof(struct vascend_cqe, flags) &&
             len == sizeof(uint16_t))) {
            /*
             * Not necessarily a CQE: the guest may have put an answer
             * buffer or an HDC ring there too, so nothing more is checked.
             */
            return true;
        }
    }
    return false;
}

/* Whether the device may write [addr, addr + len) of guest memory now. */
static inline FZ_NOCOV bool fz_write_allowed(struct fz_dev *f, uint64_t addr,
                                             uint64_t len)
{
    const struct anpu *d = &f->dev;

    if (fz_cqe_post(f, addr, len)) {
        return true;
    }
    if (fz_within(addr, len, f->answer_addr, f->answer_len)) {
        return true;
    }
    if ((d->dma_cmd.ctrl & VASCEND_DMA_CTRL_DIR_D2H) &&
        fz_within(addr, len, d->dma_cmd.host, d->dma_cmd.len)) {
        return true;
    }
    if (d->hdc.up &&
        (fz_within(addr, len, d->hdc.d2h_base,
                   (uint64_t)d->hdc.slot_count * d->hdc.slot_size) ||
         fz_within(addr, len, d->hdc.status_addr,
                   sizeof(struct vascend_hdc_status)))) {
        return true;
    }
    return false;
}

static int fz_dev_host_write(void *opaque, uint64_t addr, const void *buf,
                             uint64_t len)
{
    struct fz_dev *f = opaque;

    if (f->check_writes && !fz_write_allowed(f, addr, len)) {
        fz_fail("the device wrote guest memory 0x%llx+%llu, which is no CQ "
                "slot at a tail, answer buffer, DMA range or HDC ring",
                (unsigned long long)addr, (unsigned long long)len);
    }
    if (!fz_cqe_post(f, addr, len)) {
        fz_cq_touch(f, addr, len);
    }
    return fz_mem_write_cb(f->mem, addr, buf, len);
}

static uint8_t *fz_dev_hbm_map(void *opaque, uint64_t off, uint64_t len)
{
    return fz_mem_hbm_cb(((struct fz_dev *)opaque)->mem, off, len);
}

static uint8_t *fz_dev_ram_map(void *opaque, uint64_t addr, uint64_t *len,
                               bool is_write)
{
    return fz_mem_map_cb(((struct fz_dev *)opaque)->mem, addr, len,
                         is_write);
}

static void fz_dev_ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                             bool is_write)
{
    fz_mem_unmap_cb(((struct fz_dev *)opaque)->mem, host, len, is_write);
}

static void fz_dev_raise_irq(void *opaque, unsigned int vector)
{
    struct fz_dev *f = opaque;

    FZ_CHECK(vector < f->dev.cfg.msix_vectors, "vector %u raised, %u exist",
             vector, f->dev.cfg.msix_vectors);
    f->irqs++;
}

static void fz_dev_kick(void *opaque)
{
    ((struct fz_dev *)opaque)->bh = true;
}

/* One line of printable ASCII: what a log line may hold. */
static inline FZ_NOCOV bool fz_one_line(const char *s, size_t max)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        if (i >= max || (unsigned char)s[i] < 0x20 ||
            (unsigned char)s[i] > 0x7e) {
            return false;
        }
    }
    return true;
}

static void fz_dev_guest_error(void *opaque, const char *msg)
{
    struct fz_dev *f = opaque;

    FZ_CHECK(msg && fz_one_line(msg, 1024),
             "guest error line is not one short printable line: \"%s\"",
             msg ? msg : "(null)");
    f->errors++;
}

static uint64_t fz_dev_now(void *opaque)
{
    struct fz_dev *f = opaque;

    f->clock += f->clock_step;
    return f->clock;
}

static void fz_dev_timer_arm(void *opaque, uint64_t when)
{
    ((struct fz_dev *)opaque)->timer_when = when;
}

static void fz_dev_submit_job(void *opaque, struct anpu_job *job)
{
    struct fz_dev *f = opaque;

    FZ_CHECK(job && job->task, "job without a task submitted");
    job->env_next = NULL;
    *f->todo_tail = job;
    f->todo_tail = &job->env_next;
    f->jobs_submitted++;
}

static void fz_dev_trace(void *opaque, const struct anpu_trace *ev)
{
    (void)opaque;
    FZ_CHECK(ev->s && ev->kind <= ANPU_TRACE_RESET &&
             fz_one_line(ev->s, 1024), "bad trace event %d: \"%s\"",
             (int)ev->kind, ev->s ? ev->s : "(null)");
}

static const struct anpu_ops fz_dev_ops = {
    .host_read = fz_dev_host_read,
    .host_write = fz_dev_host_write,
    .hbm_map = fz_dev_hbm_map,
    .ram_map = fz_dev_ram_map,
    .ram_unmap = fz_dev_ram_unmap,
    .raise_irq = fz_dev_raise_irq,
    .kick = fz_dev_kick,
    .guest_error = fz_dev_guest_error,
    .now_ns = fz_dev_now,
    .timer_arm = fz_dev_timer_arm,
    .submit_job = fz_dev_submit_job,
    .trace = fz_dev_trace,
};

static inline void fz_config(struct anpu_config *cfg, uint32_t aicores,
                             uint64_t hbm_size)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->aicores = aicores;
    cfg->msix_vectors = ANPU_MSIX_VECTORS;
    cfg->hbm_size = hbm_size;
    snprintf(cfg->soc_name, sizeof(cfg->soc_name), "Ascend910B3");
    cfg->hdc_file_max = 64 << 10;
}

/* A new device on @mem (freshly reset) with @cfg. */
static inline void fz_dev_init(struct fz_dev *f, struct fz_mem *mem,
                               const struct anpu_config *cfg)
{
    const char *why;

    FZ_CHECK(anpu_config_check(cfg, &why), "harness config: %s", why);
    FZ_CHECK(cfg->hbm_size == mem->hbm_size, "harness HBM size");
    f->mem = mem;
    f->clock = 1000000;
    f->clock_step = 0;
    f->sched = 0;
    f->timer_when = ANPU_TIMER_OFF;
    f->timer_fired = false;
    f->bh = false;
    f->todo = f->done = NULL;
    f->todo_tail = &f->todo;
    f->done_tail = &f->done;
    f->jobs_submitted = f->jobs_back = 0;
    f->irqs = f->errors = 0;
    f->check_writes = true;
    f->cq_dirty = 0;
    f->answer_addr = f->answer_len = 0;
    mem->touch = fz_cq_touch;
    mem->touch_ctx = f;
    anpu_init(&f->dev, cfg, &fz_dev_ops, f);
}

static inline struct anpu_job *fz_pop(struct anpu_job **head,
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

static inline void fz_push(struct anpu_job ***tail, struct anpu_job *job)
{
    job->env_next = NULL;
    **tail = job;
    *tail = &job->env_next;
}

/* A worker runs up to @n queued jobs (the core sees them when delivered). */
static inline unsigned int fz_run_jobs(struct fz_dev *f, unsigned int n)
{
    struct anpu_job *job;
    unsigned int ran = 0;

    while (ran < n && (job = fz_pop(&f->todo, &f->todo_tail))) {
        anpu_job_run(job);
        fz_push(&f->done_tail, job);
        f->bh = true;
        ran++;
    }
    return ran;
}

static inline void fz_deliver(struct fz_dev *f)
{
    struct anpu_job *job;

    while ((job = fz_pop(&f->done, &f->done_tail))) {
        f->jobs_back++;
        anpu_job_done(&f->dev, job);
    }
}

/* The bottom half, as the glue runs it. */
static inline void fz_bh(struct fz_dev *f)
{
    f->bh = false;
    fz_deliver(f);
    if (f->timer_fired) {
        f->timer_fired = false;
        anpu_timer(&f->dev);
    }
    anpu_process(&f->dev);
    fz_check_state(f);
}

/* The coalescing timer's deadline passed (if it is armed and due). */
static inline void fz_timer_check(struct fz_dev *f)
{
    if (f->timer_when != ANPU_TIMER_OFF && f->clock >= f->timer_when) {
        f->timer_when = ANPU_TIMER_OFF;
        f->timer_fired = true;
        f->bh = true;
    }
}

/*
 * Run the bottom half, the jobs and the due timer until nothing is left
 * to do. A device that keeps asking for more for this long is stuck.
 */
static inline bool fz_coin(struct fz_dev *f)
{
    f->sched = f->sched * 1103515245U + 12345U;
    return (f->sched >> 16) & 1;
}

static inline void fz_settle(struct fz_dev *f)
{
    unsigned int rounds;

    for (rounds = 0; rounds < 200000; rounds++) {
        fz_timer_check(f);
        if (f->todo && (!f->sched || !f->bh || fz_coin(f))) {
            fz_run_jobs(f, f->sched ? 1 : ~0U);
            continue;
        }
        if (!f->bh) {
            return;
        }
        fz_bh(f);
    }
    fz_fail("the device never went quiet (it keeps kicking itself)");
}

/* What the device has visibly done; fz_probe_idle compares two. */
struct fz_seen {
    uint64_t host_writes, irqs, jobs;
    uint32_t fw_status, dma_seq, hdc_h2d, hdc_d2h;
    uint32_t heads[ANPU_MAX_QUEUES], tails[ANPU_MAX_QUEUES];
};

static inline FZ_NOCOV void fz_seen(struct fz_dev *f, struct fz_seen *s)
{
    unsigned int i;

    memset(s, 0, sizeof(*s));
    s->host_writes = f->mem->host_writes;
    s->irqs = f->irqs;
    s->jobs = f->jobs_submitted;
    s->fw_status = f->dev.fw_status;
    s->dma_seq = f->dev.dma_seq;
    s->hdc_h2d = f->dev.hdc.h2d_head;
    s->hdc_d2h = f->dev.hdc.d2h_tail;
    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        s->heads[i] = f->dev.queues[i].sq_head;
        s->tails[i] = f->dev.queues[i].cq_tail;
    }
}

/*
 * After fz_settle(): nobody scheduled the bottom half, so running it must
 * not do anything the guest could see. If it does, the device relies on a
 * wakeup it never asked for and would sit on that work in QEMU.
 */
static inline void fz_probe_idle(struct fz_dev *f)
{
    uint64_t step = f->clock_step;
    struct fz_seen a, b;

    if (f->bh || f->todo || f->done) {
        return;
    }
    /* A clock moved by the probe itself could make a deadline due. */
    f->clock_step = 0;
    fz_seen(f, &a);
    fz_bh(f);
    fz_seen(f, &b);
    f->clock_step = step;
    FZ_CHECK(!memcmp(&a, &b, sizeof(a)), "missed wakeup: the bottom half "
             "did visible work nobody had scheduled it for");
    /* The probe may have scheduled more; finish it as the glue would. */
    fz_settle(f);
}

/* Consistency of the core's own bookkeeping, after every bottom half. */
static inline FZ_NOCOV void fz_check_state(struct fz_dev *f)
{
    const struct anpu *d = &f->dev;
    const struct anpu_queue *q;
    unsigned int i, ioq = 0, ctxs = 0, uses[ANPU_MAX_CONTEXTS];

    memset(uses, 0, sizeof(uses));
    FZ_CHECK(d->jobs_out == f->jobs_submitted - f->jobs_back,
             "core counts %u jobs out, %llu are", d->jobs_out,
             (unsigned long long)(f->jobs_submitted - f->jobs_back));
    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        q = &d->queues[i];
        if (!q->exists) {
            FZ_CHECK(!q->task, "queue %u has a task but does not exist", i);
            continue;
        }
        FZ_CHECK(q->qid == i, "queue %u thinks it is %u", i, q->qid);
        FZ_CHECK(q->depth >= 2 && q->depth <= ANPU_MAX_QUEUE_DEPTH &&
                 !(q->depth & (q->depth - 1)), "queue %u depth %u", i,
                 q->depth);
        FZ_CHECK(q->sq_head < q->depth && q->sq_tail < q->depth &&
                 q->cq_head < q->depth && q->cq_tail < q->depth,
                 "queue %u index outside its %u entry ring", i, q->depth);
        FZ_CHECK(q->vector < d->cfg.msix_vectors, "queue %u vector %u", i,
                 q->vector);
        FZ_CHECK(!q->task || q->task->q == q, "queue %u task not its own", i);
        if (i) {
            ioq++;
            FZ_CHECK(q->ctx && q->ctx->id && q->ctx->id < ANPU_MAX_CONTEXTS &&
                     d->ctxs[q->ctx->id] == q->ctx,
                     "queue %u bound to a context that does not exist", i);
            uses[q->ctx->id]++;
        }
    }
    FZ_CHECK(ioq == d->io_queues, "%u IO queues, core counts %u", ioq,
             d->io_queues);
    for (i = 1; i < ANPU_MAX_CONTEXTS; i++) {
        if (d->ctxs[i]) {
            ctxs++;
            FZ_CHECK(d->ctxs[i]->id == i && d->ctxs[i]->nqueues == uses[i],
                     "context %u counts %u queues, %u use it", i,
                     d->ctxs[i]->nqueues, uses[i]);
        }
    }
    FZ_CHECK(ctxs == d->contexts, "%u contexts, core counts %u", ctxs,
             d->contexts);
    FZ_CHECK(d->hdc.bytes <= d->hdc.mem_max, "HDC buffers %llu bytes",
             (unsigned long long)d->hdc.bytes);
    FZ_CHECK(anpu_hdc_session_count(&d->hdc) <= VASCEND_HDC_MAX_SESSIONS,
             "too many HDC sessions");
}

/*
 * FLR / system reset, as the glue does it: reset the core, let the jobs
 * not started yet go back unrun, schedule the bottom half.
 */
static inline void fz_flr(struct fz_dev *f)
{
    struct anpu_job *job;

    anpu_reset(&f->dev);
    while ((job = fz_pop(&f->todo, &f->todo_tail))) {
        fz_push(&f->done_tail, job);
    }
    f->timer_when = ANPU_TIMER_OFF;
    f->timer_fired = false;
    f->bh = true;
}

/*
 * Tear the device down as the glue's exit does, then check that nothing is
 * left: every job back, every mapping undone. Resets @f->mem.
 */
static inline void fz_dev_finish(struct fz_dev *f)
{
    struct anpu_job *job;

    anpu_reset(&f->dev);
    while ((job = fz_pop(&f->todo, &f->todo_tail))) {
        f->jobs_back++;
        anpu_job_done(&f->dev, job);
    }
    fz_deliver(f);
    FZ_CHECK(f->jobs_submitted == f->jobs_back && f->dev.jobs_out == 0,
             "%llu jobs submitted, %llu came back",
             (unsigned long long)f->jobs_submitted,
             (unsigned long long)f->jobs_back);
    anpu_fini(&f->dev);
    fz_mem_reset(f->mem);
}

static inline uint32_t fz_rd(struct fz_dev *f, uint64_t off)
{
    return anpu_reg_read(&f->dev, off);
}

static inline void fz_wr(struct fz_dev *f, uint64_t off, uint32_t val)
{
    anpu_reg_write(&f->dev, off, val);
}

static inline void fz_wr64(struct fz_dev *f, uint64_t lo, uint64_t val)
{
    fz_wr(f, lo, (uint32_t)val);
    fz_wr(f, lo + 4, (uint32_t)(val >> 32));
}

/* ---- Firmware ---- */

/* The op id the harness firmware gives TestVectorAdd. */
#define FZ_VADD_ID      7

/* An image with build info, TestVectorAdd and the four HDC services. */
static inline void fz_fw_standard(struct img *im)
{
    static const char *const names[] = { "echo", "mgmt", "log", "file" };
    struct vascend_fw_op op = { .op_id = FZ_VADD_ID, .version = 1 };
    struct vascend_fw_hdc_service svc[4];
    unsigned int i;

    memset(svc, 0, sizeof(svc));
    for (i = 0; i < 4; i++) {
        svc[i].type = VASCEND_HDC_SVC_ECHO + i;
        svc[i].version = 1;
        snprintf(svc[i].name, sizeof(svc[i].name), "%s", names[i]);
    }
    snprintf(op.name, sizeof(op.name), "TestVectorAdd");
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(im, VASCEND_FW_SECT_OP_TABLE, &op, sizeof(op));
    img_add(im, VASCEND_FW_SECT_HDC_SERVICES, svc, sizeof(svc));
    img_seal(im);
}

/* Put @im at @addr and start a boot through the registers (no settling). */
static inline void fz_fw_boot(struct fz_dev *f, const struct img *im,
                              uint64_t addr)
{
    fz_mem_write(f->mem, addr, im->buf, im->len);
    fz_wr64(f, VASCEND_REG_FW_ADDR_LO, addr);
    fz_wr(f, VASCEND_REG_FW_SIZE, (uint32_t)im->len);
    fz_wr(f, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
}

#endif /* VASCEND_FUZZ_HARNESS_H */
