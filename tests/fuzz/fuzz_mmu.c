// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the device MMU (qemu-device/core/anpu_mmu.c) on its own.
 * Page tables come from the input (entries aimed at guest memory, HBM, the
 * table pool, or anything), then translations of input-chosen VA ranges
 * and access kinds, copies through anpu_mmu_read/write, TLB invalidations,
 * new roots and HBM counts, under input-chosen HBM sizes and RAM block
 * boundaries (where ram_map stops).
 *
 * Every result is checked against a reference walker written from
 * vascend_mmu_hw.h and the choices anpu_mmu.h documents (check order,
 * first failing byte, levels), whenever the TLB cannot hold a stale
 * translation for the range: since the last table write, the whole range
 * was invalidated. Always: segments inside guest RAM mappings or HBM
 * (fuzz_harness.h's bounce copies make ASan see any byte past a mapping),
 * lengths adding up, fault fields consistent, nothing left mapped after a
 * fault or a release.
 */
#include "anpu_xfer.h"
#include "fuzz_harness.h"

#define RAM_SIZE        (256U << 10)
#define PT_TABLES       16
#define PT(i)           (FZ_GUEST_BASE + (uint64_t)(i) * 4096)
#define MAX_LEN         (8ULL << 20)
#define MAX_PAGES       (MAX_LEN / 4096 + 2)
#define KEEP            4
#define MAX_STEPS       400
#define VA_LIMIT        (1ULL << VASCEND_VA_BITS)

static const uint64_t hbm_sizes[] = {
    1ULL << 20, 2ULL << 20, 4ULL << 20, (3ULL << 20) / 2,
};
#define NHBM    (sizeof(hbm_sizes) / sizeof(hbm_sizes[0]))

static const uint64_t va_base[] = {
    0, 0x100000, 0x40000000, 0x7ffffffff000ULL, VA_LIMIT - 0x3000,
    0x200000,
};

static struct fz_mem mems[NHBM];
static struct fz_mem *mem;
static struct anpu_mmu_env env;
static struct anpu_mmu_ctx ctx;
static struct anpu_xlate kept[KEEP];

/* Whether the TLB may hold stale leaves (see fresh()). */
static bool fresh_all;
static struct {
    uint64_t lo, hi;
} fresh_ranges[16];
static unsigned int nfresh;

static int table_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    (void)opaque;
    return fz_mem_read_cb(mem, addr, buf, len);
}

static uint8_t *ram_map(void *opaque, uint64_t addr, uint64_t *len,
                        bool is_write)
{
    (void)opaque;
    return fz_mem_map_cb(mem, addr, len, is_write);
}

static void ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                      bool is_write)
{
    (void)opaque;
    fz_mem_unmap_cb(mem, host, len, is_write);
}

static uint8_t *hbm_map(void *opaque, uint64_t off, uint64_t len)
{
    (void)opaque;
    return fz_mem_hbm_cb(mem, off, len);
}

/* Guest memory changed: any cached leaf may be stale now. */
static void tables_changed(void)
{
    fresh_all = false;
    nfresh = 0;
}

static void invalidated(uint64_t va, uint64_t size)
{
    if (!size) {
        fresh_all = true;
        return;
    }
    if (nfresh < 16) {
        fresh_ranges[nfresh].lo = va;
        fresh_ranges[nfresh].hi = size - 1 > UINT64_MAX - va ?
                                  UINT64_MAX : va + size - 1;
        nfresh++;
    }
}

/* No cached leaf of [va, va + len) can be stale. */
static bool fresh(uint64_t va, uint64_t len)
{
    unsigned int i;

    if (fresh_all) {
        return true;
    }
    for (i = 0; i < nfresh; i++) {
        if (va >= fresh_ranges[i].lo && va <= fresh_ranges[i].hi &&
            len - 1 <= fresh_ranges[i].hi - va) {
            return true;
        }
    }
    return false;
}

/* ---- The reference: vascend_mmu_hw.h, an entry and a page at a time ---- */

/*
 * The reference's branches are no coverage the fuzzer should chase, and
 * tracing its comparisons would cost more than the device code itself.
 */
#define REF __attribute__((no_sanitize("coverage")))

struct ref_fault {
    uint64_t va;
    uint32_t reason, level;
};

struct ref_page {
    uint64_t target;    /* bus address, or HBM offset when hbm */
    uint64_t len;
    bool hbm;
};

static struct ref_page pages[MAX_PAGES];

static REF bool ref_entry(uint64_t table, uint64_t va, unsigned int level,
                      uint64_t *pte)
{
    uint8_t b[8];
    uint64_t v = 0;
    int i;

    if (fz_mem_read_cb(mem, table + 8 * VASCEND_PT_INDEX(va, level), b, 8)) {
        return false;
    }
    for (i = 7; i >= 0; i--) {
        v = v << 8 | b[i];
    }
    *pte = v;
    return true;
}

/* The leaf for @va, or a fault. */
static REF bool ref_walk(uint64_t va, uint64_t *leaf,
                         unsigned int *leaf_level, struct ref_fault *f)
{
    uint64_t table = ctx.pt_root, pte;
    int level;

    f->va = va;
    if (table & ~VASCEND_PTE_ADDR_MASK) {
        f->reason = VASCEND_MMU_FAULT_TABLE_DMA;
        f->level = 3;
        return false;
    }
    for (level = 3; level >= 0; level--) {
        f->level = level;
        if (!ref_entry(table, va, level, &pte)) {
            f->reason = VASCEND_MMU_FAULT_TABLE_DMA;
            return false;
        }
        if (!(pte & VASCEND_PTE_VALID)) {
            f->reason = VASCEND_MMU_FAULT_NOT_PRESENT;
            return false;
        }
        if (pte & VASCEND_PTE_RSVD_MASK) {
            f->reason = VASCEND_MMU_FAULT_BAD_PTE;
            return false;
        }
        if (pte & VASCEND_PTE_LARGE) {
            if (level != 1 ||
                (pte & VASCEND_PTE_ADDR_MASK & (VASCEND_LARGE_PAGE_SIZE - 1))) {
                f->reason = VASCEND_MMU_FAULT_BAD_PTE;
                return false;
            }
            break;
        }
        if (level == 0) {
            break;
        }
        if (pte & VASCEND_PTE_HBM) {
            f->reason = VASCEND_MMU_FAULT_BAD_PTE;
            return false;
        }
        table = pte & VASCEND_PTE_ADDR_MASK;
    }
    *leaf = pte;
    *leaf_level = level;
    return true;
}

/* Translate page by page; returns the number of pages or -1 with @f. */
static REF int ref_translate(uint64_t va, uint64_t len, unsigned int access,
                         struct ref_fault *f)
{
    uint64_t end = va + len, pte, size, addr, n, target, ram_end;
    unsigned int level;
    int np = 0;

    if (!len || (access != ANPU_ACCESS_READ && access != ANPU_ACCESS_WRITE)) {
        f->va = va;
        f->reason = ANPU_MMU_FAULT_INVALID;
        f->level = 0;
        return -1;
    }
    if (va >= VA_LIMIT || len > VA_LIMIT - va) {
        f->va = va >= VA_LIMIT ? va : VA_LIMIT;
        f->reason = VASCEND_MMU_FAULT_ADDR_RANGE;
        f->level = 3;
        return -1;
    }
    ram_end = FZ_GUEST_BASE + mem->ram_size;
    while (va < end) {
        if (!ref_walk(va, &pte, &level, f)) {
            return -1;
        }
        f->level = level;
        if ((access & ANPU_ACCESS_WRITE) && !(pte & VASCEND_PTE_WRITE)) {
            f->reason = VASCEND_MMU_FAULT_READ_ONLY;
            return -1;
        }
        size = level ? VASCEND_LARGE_PAGE_SIZE : VASCEND_PAGE_SIZE;
        addr = pte & VASCEND_PTE_ADDR_MASK;
        if ((pte & VASCEND_PTE_HBM) &&
            (addr > mem->hbm_size || size > mem->hbm_size - addr)) {
            f->reason = VASCEND_MMU_FAULT_ADDR_RANGE;
            return -1;
        }
        n = size - (va & (size - 1));
        if (n > end - va) {
            n = end - va;
        }
        target = addr + (va & (size - 1));
        if (!(pte & VASCEND_PTE_HBM)) {
            /* The first byte that is not RAM faults. */
            if (target < FZ_GUEST_BASE || target >= ram_end) {
                f->reason = VASCEND_MMU_FAULT_TARGET_DMA;
                return -1;
            }
            if (n > ram_end - target) {
                f->va = va + (ram_end - target);
                f->reason = VASCEND_MMU_FAULT_TARGET_DMA;
                return -1;
            }
        }
        pages[np].target = target;
        pages[np].len = n;
        pages[np].hbm = pte & VASCEND_PTE_HBM;
        np++;
        va += n;
    }
    return np;
}

/* ---- Checking the core's answers ---- */

static void check_fault_sane(uint64_t va, uint64_t len, unsigned int access,
                             const struct anpu_mmu_fault *f)
{
    FZ_CHECK(f->access == access, "fault access %u for %u", f->access,
             access);
    if (f->reason == ANPU_MMU_FAULT_INVALID) {
        FZ_CHECK(!len || (access != ANPU_ACCESS_READ &&
                          access != ANPU_ACCESS_WRITE),
                 "INVALID for a good request");
        return;
    }
    FZ_CHECK(len && (access == ANPU_ACCESS_READ ||
                     access == ANPU_ACCESS_WRITE),
             "an MMU fault for a bad request");
    FZ_CHECK(f->reason >= VASCEND_MMU_FAULT_NOT_PRESENT &&
             f->reason <= VASCEND_MMU_FAULT_TARGET_DMA && f->level <= 3,
             "fault reason %u level %u", f->reason, f->level);
    FZ_CHECK(f->reason != VASCEND_MMU_FAULT_READ_ONLY ||
             access == ANPU_ACCESS_WRITE, "read-only fault on a read");
    FZ_CHECK(f->reason != VASCEND_MMU_FAULT_TARGET_DMA || f->level <= 1,
             "target fault at level %u", f->level);
    if (f->reason == VASCEND_MMU_FAULT_ADDR_RANGE && f->level == 3) {
        FZ_CHECK(f->va == (va >= VA_LIMIT ? va : VA_LIMIT),
                 "VA range fault at 0x%llx", (unsigned long long)f->va);
    } else {
        FZ_CHECK(f->va >= va && f->va - va < len,
                 "fault VA 0x%llx outside 0x%llx+0x%llx",
                 (unsigned long long)f->va, (unsigned long long)va,
                 (unsigned long long)len);
    }
}

/* What a segment stands for: an HBM offset, or a mapped bus address. */
static uint64_t seg_target(const struct anpu_seg *s, bool write)
{
    uint64_t addr;

    if (!s->ram) {
        FZ_CHECK(s->host >= mem->hbm && s->len <= mem->hbm_size &&
                 (uint64_t)(s->host - mem->hbm) <= mem->hbm_size - s->len,
                 "HBM segment outside HBM");
        return s->host - mem->hbm;
    }
    FZ_CHECK(fz_map_lookup(mem, s->host, s->len, write, &addr),
             "segment %p+%llu is no live %s mapping", (void *)s->host,
             (unsigned long long)s->len, write ? "write" : "read");
    return addr;
}

static void check_xlate(uint64_t va, uint64_t len, unsigned int access,
                        const struct anpu_xlate *x)
{
    bool write = access == ANPU_ACCESS_WRITE;
    uint64_t sum = 0, off, t, n;
    struct ref_fault rf;
    size_t i;
    int np = -1, p = 0;
    uint64_t in_page = 0;
    volatile uint8_t sink = 0;

    FZ_CHECK(x->len == len && x->nsegs && x->segs, "empty translation");
    for (i = 0; i < x->nsegs; i++) {
        FZ_CHECK(x->segs[i].len && x->segs[i].write == write,
                 "segment %zu: length %llu, write %d", i,
                 (unsigned long long)x->segs[i].len, x->segs[i].write);
        sum += x->segs[i].len;
        /*
         * Touch the segment from end to end (reading: the tables may be in
         * it): ASan checks every byte is inside what was mapped.
         */
        for (off = 0; off < x->segs[i].len; off += 512) {
            sink ^= x->segs[i].host[off];
        }
        sink ^= x->segs[i].host[x->segs[i].len - 1];
    }
    (void)sink;
    FZ_CHECK(sum == len, "segments add up to %llu, not %llu",
             (unsigned long long)sum, (unsigned long long)len);
    if (!fresh(va, len)) {
        for (i = 0; i < x->nsegs; i++) {
            seg_target(&x->segs[i], write);
        }
        return;
    }
    np = ref_translate(va, len, access, &rf);
    FZ_CHECK(np > 0, "translated 0x%llx+0x%llx, the reference faults at "
             "0x%llx (reason %u level %u)", (unsigned long long)va,
             (unsigned long long)len, (unsigned long long)rf.va, rf.reason,
             rf.level);
    for (i = 0; i < x->nsegs; i++) {
        t = seg_target(&x->segs[i], write);
        for (off = 0; off < x->segs[i].len; off += n) {
            FZ_CHECK(p < np, "more segment bytes than pages");
            n = pages[p].len - in_page;
            if (n > x->segs[i].len - off) {
                n = x->segs[i].len - off;
            }
            FZ_CHECK(pages[p].hbm == !x->segs[i].ram &&
                     pages[p].target + in_page == t + off,
                     "VA 0x%llx: segment %zu goes to %s 0x%llx, the "
                     "reference to %s 0x%llx",
                     (unsigned long long)(va + sum), i,
                     x->segs[i].ram ? "bus" : "HBM",
                     (unsigned long long)(t + off),
                     pages[p].hbm ? "HBM" : "bus",
                     (unsigned long long)(pages[p].target + in_page));
            in_page += n;
            if (in_page == pages[p].len) {
                p++;
                in_page = 0;
            }
        }
    }
    FZ_CHECK(p == np, "segments cover %d of %d pages", p, np);
}

static void check_fault(uint64_t va, uint64_t len, unsigned int access,
                        const struct anpu_mmu_fault *f)
{
    struct ref_fault rf;

    check_fault_sane(va, len, access, f);
    if (!fresh(va, len ? len : 1)) {
        return;
    }
    FZ_CHECK(ref_translate(va, len, access, &rf) < 0,
             "fault at 0x%llx (reason %u level %u), the reference "
             "translates 0x%llx+0x%llx", (unsigned long long)f->va,
             f->reason, f->level, (unsigned long long)va,
             (unsigned long long)len);
    FZ_CHECK(rf.va == f->va && rf.reason == f->reason &&
             rf.level == f->level, "fault at 0x%llx reason %u level %u, "
             "the reference says 0x%llx reason %u level %u",
             (unsigned long long)f->va, f->reason, f->level,
             (unsigned long long)rf.va, rf.reason, rf.level);
}

static void translate(uint64_t va, uint64_t len, unsigned int access,
                      struct anpu_xlate *out)
{
    struct anpu_mmu_fault f;
    uint64_t before = mem->maps_out;

    memset(&f, 0xa5, sizeof(f));
    if (anpu_mmu_translate(&ctx, &env, va, len, access, out, &f)) {
        FZ_LOG("xlate 0x%llx+0x%llx %u: fault va 0x%llx reason %u level "
               "%u%s\n", (unsigned long long)va, (unsigned long long)len,
               access, (unsigned long long)f.va, f.reason, f.level,
               fresh(va, len ? len : 1) ? " (checked)" : "");
        FZ_CHECK(!out->segs && !out->nsegs && mem->maps_out == before,
                 "a failed translation left something mapped");
        check_fault(va, len, access, &f);
        return;
    }
    FZ_LOG("xlate 0x%llx+0x%llx %u: %zu segments%s\n",
           (unsigned long long)va, (unsigned long long)len, access,
           out->nsegs, fresh(va, len) ? " (checked)" : "");
    check_xlate(va, len, access, out);
}

/* The byte at reference target (@hbm, @t). */
static uint8_t *target_byte(bool hbm, uint64_t t)
{
    return hbm ? mem->hbm + t : mem->ram + (t - FZ_GUEST_BASE);
}

static void copy(struct fin *in, bool write)
{
    uint64_t va = 0, len;
    uint8_t buf[256], got[256];
    struct anpu_mmu_fault f;
    struct ref_fault rf;
    uint64_t before = mem->maps_out, i, j, k, t;
    bool hbm_i = false;
    int np, p, r;

    len = 1 + fin_u8(in);
    fin_bytes(in, buf, len);
    va = fin_u64(in) % 0x300000;
    if (fin_u8(in) & 1) {
        va += 0x40000000;
    }
    /* Before the copy: a write may land on the tables themselves. */
    np = fresh(va, len) ?
         ref_translate(va, len, write ? ANPU_ACCESS_WRITE : ANPU_ACCESS_READ,
                       &rf) : 0;
    memset(&f, 0xa5, sizeof(f));
    r = write ? anpu_mmu_write(&ctx, &env, va, buf, len, &f) :
        anpu_mmu_read(&ctx, &env, va, got, len, &f);
    FZ_CHECK(mem->maps_out == before, "a copy left something mapped");
    if (r) {
        check_fault(va, len, write ? ANPU_ACCESS_WRITE : ANPU_ACCESS_READ,
                    &f);
        return;
    }
    if (!np) {
        return;
    }
    FZ_CHECK(np > 0, "copy succeeded, the reference faults at 0x%llx "
             "(reason %u level %u)", (unsigned long long)rf.va, rf.reason,
             rf.level);
    /* Byte i lands at pages[p] + k; with aliases the last write wins. */
    for (i = 0, p = 0, k = 0; i < len; i++) {
        t = pages[p].target + k;
        hbm_i = pages[p].hbm;
        if (!write) {
            FZ_CHECK(got[i] == *target_byte(hbm_i, t),
                     "read byte %llu differs", (unsigned long long)i);
        } else {
            int q = p;
            uint64_t kk = k;
            bool later = false;

            for (j = i + 1; j < len && !later; j++) {
                if (++kk == pages[q].len) {
                    q++;
                    kk = 0;
                }
                later = pages[q].hbm == hbm_i && pages[q].target + kk == t;
            }
            FZ_CHECK(later || *target_byte(hbm_i, t) == buf[i],
                     "written byte %llu not in place", (unsigned long long)i);
        }
        if (++k == pages[p].len) {
            p++;
            k = 0;
        }
    }
}

/* The HBM count, against a walk of every table (same budget). */
static uint64_t ref_seen, ref_budget, ref_bytes;

static REF bool ref_count(uint64_t table, unsigned int level)
{
    uint8_t b[4096];
    uint64_t pte, addr, size;
    unsigned int i;
    int k;

    if (fz_mem_read_cb(mem, table, b, sizeof(b))) {
        return true;
    }
    for (i = 0; i < 512; i++) {
        if (++ref_seen > ref_budget) {
            return false;
        }
        for (pte = 0, k = 7; k >= 0; k--) {
            pte = pte << 8 | b[8 * i + k];
        }
        if (!(pte & VASCEND_PTE_VALID) || (pte & VASCEND_PTE_RSVD_MASK)) {
            continue;
        }
        addr = pte & VASCEND_PTE_ADDR_MASK;
        size = level ? VASCEND_LARGE_PAGE_SIZE : VASCEND_PAGE_SIZE;
        if ((pte & VASCEND_PTE_LARGE) || level == 0) {
            if ((pte & VASCEND_PTE_HBM) && (level == 0 || level == 1) &&
                (!(pte & VASCEND_PTE_LARGE) || level == 1) &&
                !(addr & (size - 1)) && addr <= mem->hbm_size &&
                size <= mem->hbm_size - addr) {
                ref_bytes += size;
            }
        } else if (!(pte & VASCEND_PTE_HBM) && !ref_count(addr, level - 1)) {
            return false;
        }
    }
    return true;
}

static void count(uint64_t budget)
{
    bool complete = false, ref_complete = true;
    uint64_t bytes = anpu_mmu_count_hbm(&env, ctx.pt_root, budget,
                                        &complete);

    ref_seen = 0;
    ref_bytes = 0;
    ref_budget = budget;
    if (!(ctx.pt_root & ~VASCEND_PTE_ADDR_MASK)) {
        ref_complete = ref_count(ctx.pt_root, 3);
    }
    if (complete) {
        FZ_CHECK(ref_complete && bytes == ref_bytes, "HBM count %llu, the "
                 "reference %llu (%s)", (unsigned long long)bytes,
                 (unsigned long long)ref_bytes,
                 ref_complete ? "complete" : "over budget");
    } else {
        FZ_CHECK(!ref_complete || ref_seen >= budget,
                 "HBM count gave up, the reference needed %llu of %llu "
                 "entries", (unsigned long long)ref_seen,
                 (unsigned long long)budget);
    }
}

static uint64_t in_va(struct fin *in)
{
    uint8_t sel = fin_u8(in);

    if (sel >= 0xc0) {
        return fin_u64(in);
    }
    return va_base[(sel & 7) % 6] +
           (fin_u32(in) & ((1U << (4 + (sel >> 3) % 20)) - 1));
}

static uint64_t in_len(struct fin *in, uint64_t va)
{
    uint8_t sel = fin_u8(in);
    uint64_t len;

    switch (sel >> 6) {
    case 0:
        len = sel;
        break;
    case 1:
        len = fin_u16(in);
        break;
    case 2:
        len = fin_u32(in) & 0x7fffff;
        break;
    default:
        len = fin_u64(in);
        break;
    }
    /* Callers bound lengths; past the VA limit it is a range check only. */
    if (len > MAX_LEN && va < VA_LIMIT && len <= VA_LIMIT - va) {
        len %= MAX_LEN;
    }
    return len;
}

static uint64_t in_pte(struct fin *in)
{
    uint8_t sel = fin_u8(in);
    uint64_t flags = sel & 0xf;
    uint32_t v = fin_u32(in);

    switch (sel >> 4) {
    case 0:
    case 1:
    case 2:
        return PT(v % PT_TABLES) | flags;
    case 3:
    case 4:
        return (FZ_GUEST_BASE + (v % (RAM_SIZE / 4096 + 2)) * 4096ULL) |
               flags;
    case 5:
    case 6:
        return ((v % (mem->hbm_size / 4096 + 2)) * 4096ULL) |
               VASCEND_PTE_HBM | flags;
    case 7:
        return ((uint64_t)(v % 3) << 21) | VASCEND_PTE_LARGE | flags;
    case 8:
        return (FZ_GUEST_BASE + ((uint64_t)(v % 2) << 21)) |
               VASCEND_PTE_LARGE | flags;
    default:
        return fin_u64(in);
    }
}

/*
 * A bounced write mapping copies its bytes back when released: what the
 * harness wrote there meanwhile is overwritten, tables included.
 */
static void release_kept(unsigned int i)
{
    if (kept[i].nsegs && kept[i].segs[0].write) {
        tables_changed();
    }
    anpu_mmu_release(&env, &kept[i]);
}

/* The bytes of @x's segments, in order, into @buf (at most @max). */
static uint64_t flatten(const struct anpu_xlate *x, uint8_t *buf, uint64_t max)
{
    uint64_t off = 0, n;
    size_t i;

    for (i = 0; i < x->nsegs && off < max; i++) {
        n = x->segs[i].len < max - off ? x->segs[i].len : max - off;
        memcpy(buf + off, x->segs[i].host, n);
        off += n;
    }
    return off;
}

/* Whether a segment of @a shares host bytes with another one of @b. */
static bool aliased(const struct anpu_xlate *a, const struct anpu_xlate *b)
{
    size_t i, j;

    if (a->nsegs * b->nsegs > 4096) {
        return true;
    }
    for (i = 0; i < a->nsegs; i++) {
        for (j = 0; j < b->nsegs; j++) {
            if ((a != b || i != j) &&
                a->segs[i].host < b->segs[j].host + b->segs[j].len &&
                b->segs[j].host < a->segs[i].host + a->segs[i].len) {
                return true;
            }
        }
    }
    return false;
}

/*
 * Data movement over two kept translations, against plain copies of their
 * flattened bytes: anpu_xfer_copy (as much as the shorter holds), _fill,
 * _gather and _scatter, which must walk segment lists split anywhere.
 */
static void xfer(struct fin *in)
{
    static uint8_t want[MAX_LEN], got[MAX_LEN];
    const struct anpu_xlate *src = &kept[fin_u8(in) % KEEP];
    const struct anpu_xlate *dst = &kept[fin_u8(in) % KEEP];
    uint8_t how = fin_u8(in);
    int cancel = 0;
    uint64_t n;

    if (!src->nsegs || !dst->nsegs || !dst->segs[0].write ||
        src->len > MAX_LEN || dst->len > MAX_LEN) {
        return;
    }
    switch (how % 4) {
    case 0:
        if (src == dst || aliased(src, dst) || aliased(dst, dst)) {
            return;
        }
        n = flatten(src, want, MAX_LEN);
        n = n < dst->len ? n : dst->len;
        FZ_CHECK(anpu_xfer_copy(dst, src, &cancel), "copy gave up");
        FZ_CHECK(flatten(dst, got, n) == n && !memcmp(want, got, n),
                 "anpu_xfer_copy moved the wrong bytes");
        break;
    case 1:
        FZ_CHECK(anpu_xfer_fill(dst, how, &cancel), "fill gave up");
        memset(want, how, dst->len);
        flatten(dst, got, dst->len);
        FZ_CHECK(!memcmp(want, got, dst->len), "anpu_xfer_fill missed bytes");
        break;
    case 2:
        memset(got, 0xee, src->len);
        FZ_CHECK(anpu_xfer_gather(got, src, &cancel), "gather gave up");
        flatten(src, want, src->len);
        FZ_CHECK(!memcmp(want, got, src->len), "anpu_xfer_gather wrong");
        break;
    default:
        for (n = 0; n < dst->len; n++) {
            want[n] = (uint8_t)(n * 7 + how);
        }
        FZ_CHECK(anpu_xfer_scatter(dst, want, &cancel), "scatter gave up");
        flatten(dst, got, dst->len);
        /* Segments of one translation may alias each other. */
        FZ_CHECK(aliased(dst, dst) || !memcmp(want, got, dst->len),
                 "anpu_xfer_scatter wrong");
        break;
    }
    tables_changed();
}

static void pte_set(unsigned int table, unsigned int idx, uint64_t pte)
{
    uint64_t *t = fz_ram_ptr(mem, PT(table % PT_TABLES), 4096);

    FZ_LOG("pte table %u [%u] = 0x%llx\n", table % PT_TABLES, idx % 512,
           (unsigned long long)pte);
    t[idx % 512] = pte;
    tables_changed();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct anpu_mmu_ctx *c = &ctx;
    unsigned int steps, i, access;
    uint8_t cfg, op, buf[256], n;
    uint64_t va, len, addr;

    if (!mems[0].ram) {
        for (i = 0; i < NHBM; i++) {
            fz_mem_init(&mems[i], RAM_SIZE, hbm_sizes[i]);
        }
    }
    cfg = fin_u8(&in);
    mem = &mems[cfg % NHBM];
    mem->block = cfg & 0x1c ? 256ULL << (cfg >> 2 & 7) : 0;
    mem->bounce_max = cfg & 0x80 ? 0 : FZ_BOUNCE_MAX;
    env.opaque = NULL;
    env.table_read = table_read;
    env.ram_map = ram_map;
    env.ram_unmap = ram_unmap;
    env.hbm_map = hbm_map;
    env.hbm_size = mem->hbm_size;
    anpu_mmu_ctx_init(c, PT(0));
    fresh_all = true;
    nfresh = 0;
    memset(kept, 0, sizeof(kept));

    for (steps = 0; steps < MAX_STEPS && fin_more(&in); steps++) {
        op = fin_u8(&in);
        switch ((op & 0x7f) % 12) {
        case 0:
        case 1:
            n = fin_u8(&in);
            i = fin_u16(&in);
            pte_set(n, i, in_pte(&in));
            break;
        case 2:
            addr = FZ_GUEST_BASE + fin_u32(&in) % RAM_SIZE;
            n = fin_u8(&in);
            fin_bytes(&in, buf, 1 + n);
            if (fz_in_ram(mem, addr, 1 + n)) {
                FZ_LOG("write 0x%llx+%u\n", (unsigned long long)addr, 1 + n);
                fz_mem_write(mem, addr, buf, 1 + n);
                tables_changed();
            }
            break;
        case 3:
        case 4:
            va = in_va(&in);
            len = in_len(&in, va);
            access = fin_u8(&in) & 3;
            if (op & 0x80) {
                i = fin_u8(&in) % KEEP;
                release_kept(i);
                translate(va, len, access, &kept[i]);
            } else {
                struct anpu_xlate x;

                translate(va, len, access, &x);
                anpu_mmu_release(&env, &x);
                FZ_CHECK(!x.segs && !x.nsegs, "release left segments");
            }
            break;
        case 5:
            release_kept(fin_u8(&in) % KEEP);
            break;
        case 6:
        case 7:
            copy(&in, (op & 0x7f) % 12 == 7);
            if ((op & 0x7f) % 12 == 7) {
                tables_changed();
            }
            break;
        case 8:
            va = in_va(&in);
            len = fin_u8(&in) & 1 ? 0 : in_len(&in, va);
            FZ_LOG("invalidate 0x%llx+0x%llx\n", (unsigned long long)va,
                   (unsigned long long)len);
            anpu_mmu_invalidate(c, va, len);
            invalidated(va, len);
            break;
        case 9:
            n = fin_u8(&in);
            /* The device's budget is 65536; the logic is the same. */
            count(n & 0x80 ? 1 + fin_u16(&in) % 2048 : 2048);
            break;
        case 10:
            n = fin_u8(&in);
            anpu_mmu_ctx_init(c, n & 0x80 ? fin_u64(&in) :
                              PT(n % PT_TABLES));
            fresh_all = true;
            break;
        default:
            n = fin_u8(&in);
            if (n & 0x40) {
                xfer(&in);
                break;
            }
            mem->block = n & 0x1c ? 256ULL << (n >> 2 & 7) : 0;
            mem->bounce_max = n & 0x80 ? 0 : FZ_BOUNCE_MAX;
            break;
        }
    }
    for (i = 0; i < KEEP; i++) {
        release_kept(i);
    }
    fz_mem_reset(mem);
    return 0;
}
