// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device MMU of the ascend-npu core (anpu_mmu.c): translations of 4 KiB and
 * 2 MiB pages into guest RAM and HBM, segment merging, every fault reason
 * and level, hostile tables, the translation cache and its invalidation,
 * the copy helpers, HBM accounting, a differential fuzz loop against a
 * plain reference walker, and the cost of a 64 MiB translation.
 *
 * Page tables are built in a fake guest memory: a few RAM blocks at chosen
 * bus addresses, one "MMIO" page that DMA can read but that is not RAM, and
 * holes. The fake env counts table reads and map calls and checks that
 * every ram_map is undone by exactly one matching ram_unmap.
 */
/* clock_gettime() under -std=c11 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anpu_mmu.h"
#include "tap.h"

/* Guest memory: A and B are adjacent in bus space but separate RAM blocks. */
#define A_BASE      0x100000000ULL
#define A_SIZE      (72ULL << 20)
#define B_BASE      (A_BASE + A_SIZE)
#define B_SIZE      (4ULL << 20)
#define T_BASE      0x20000000ULL           /* page-table pool */
#define T_SIZE      (4ULL << 20)
#define MMIO_BASE   0xfe000000ULL           /* DMA-readable, not RAM */
#define MMIO_SIZE   0x1000ULL
#define HALF_BASE   0xfd000000ULL           /* RAM, half a page of it */
#define HALF_SIZE   0x800ULL
#define NOWHERE     0x30000000ULL           /* nothing answers here */
#define NBLK        5
/* 73 MiB: a 2 MiB page at 72 MiB runs past the end, a 4 KiB one does not. */
#define HBM_SIZE    (73ULL << 20)

#define PG          VASCEND_PAGE_SIZE
#define LPG         VASCEND_LARGE_PAGE_SIZE
#define V           VASCEND_PTE_VALID
#define W           VASCEND_PTE_WRITE
#define L           VASCEND_PTE_LARGE
#define H           VASCEND_PTE_HBM
#define RD          ANPU_ACCESS_READ
#define WR          ANPU_ACCESS_WRITE
#define VA_LIMIT    (1ULL << VASCEND_VA_BITS)

struct block {
    uint64_t base;
    uint64_t size;
    uint8_t *host;
    bool ram;
};

struct mapping {
    uint8_t *host;
    uint64_t len;
    bool write;
};

struct fake {
    struct block blk[NBLK];
    uint8_t *hbm;
    uint64_t t_next;            /* next free table in the pool */
    uint64_t map_limit;         /* ram_map returns at most this; 0: no limit */
    bool map_zero;              /* ram_map answers 0 bytes (a broken env) */
    unsigned table_reads;
    uint64_t table_bytes;
    unsigned ram_maps;
    unsigned ram_unmaps;
    unsigned hbm_maps;
    unsigned bad_unmaps;        /* unmaps that match no live mapping */
    struct mapping *live;
    size_t nlive;
    size_t cap;
};

static struct fake F;

static struct block *find(uint64_t addr, uint64_t len)
{
    size_t i;

    for (i = 0; i < NBLK; i++) {
        struct block *b = &F.blk[i];

        if (addr >= b->base && addr - b->base < b->size &&
            len <= b->size - (addr - b->base)) {
            return b;
        }
    }
    return NULL;
}

static uint8_t *host_of(uint64_t addr)
{
    struct block *b = find(addr, 1);

    return b ? b->host + (addr - b->base) : NULL;
}

static int f_table_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    struct block *b = find(addr, len);

    (void)opaque;
    F.table_reads++;
    F.table_bytes += len;
    if (!b || !len) {
        return -1;
    }
    memcpy(buf, b->host + (addr - b->base), len);
    return 0;
}

static uint8_t *f_ram_map(void *opaque, uint64_t addr, uint64_t *len,
                          bool is_write)
{
    struct block *b = find(addr, 1);
    uint64_t avail;

    (void)opaque;
    if (!b || !b->ram) {
        return NULL;
    }
    avail = b->size - (addr - b->base);
    if (*len > avail) {
        *len = avail;
    }
    if (F.map_limit && *len > F.map_limit) {
        *len = F.map_limit;
    }
    if (F.map_zero) {
        /* After many, give up: a walker that loops on it must not hog. */
        if (F.ram_maps > 1000) {
            return NULL;
        }
        *len = 0;
    }
    if (F.nlive == F.cap) {
        F.cap = F.cap ? F.cap * 2 : 64;
        F.live = realloc(F.live, F.cap * sizeof(*F.live));
        if (!F.live) {
            abort();
        }
    }
    F.live[F.nlive].host = b->host + (addr - b->base);
    F.live[F.nlive].len = *len;
    F.live[F.nlive].write = is_write;
    F.nlive++;
    F.ram_maps++;
    return b->host + (addr - b->base);
}

static void f_ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                        bool is_write)
{
    size_t i;

    (void)opaque;
    F.ram_unmaps++;
    for (i = F.nlive; i-- > 0;) {
        if (F.live[i].host == host && F.live[i].len == len &&
            F.live[i].write == is_write) {
            F.live[i] = F.live[--F.nlive];
            return;
        }
    }
    F.bad_unmaps++;
}

static uint8_t *f_hbm_map(void *opaque, uint64_t off, uint64_t len)
{
    (void)opaque;
    F.hbm_maps++;
    if (off > HBM_SIZE || len > HBM_SIZE - off) {
        return NULL;
    }
    return F.hbm + off;
}

static const struct anpu_mmu_env env = {
    .opaque = &F,
    .table_read = f_table_read,
    .ram_map = f_ram_map,
    .ram_unmap = f_ram_unmap,
    .hbm_map = f_hbm_map,
    .hbm_size = HBM_SIZE,
};

static void fake_init(void)
{
    static const struct { uint64_t base, size; bool ram; } lay[NBLK] = {
        { A_BASE, A_SIZE, true }, { B_BASE, B_SIZE, true },
        { T_BASE, T_SIZE, true }, { MMIO_BASE, MMIO_SIZE, false },
        { HALF_BASE, HALF_SIZE, true },
    };
    size_t i;

    for (i = 0; i < NBLK; i++) {
        F.blk[i].base = lay[i].base;
        F.blk[i].size = lay[i].size;
        F.blk[i].ram = lay[i].ram;
        F.blk[i].host = calloc(1, lay[i].size);
    }
    F.hbm = calloc(1, HBM_SIZE);
    for (i = 0; i < NBLK; i++) {
        if (!F.blk[i].host || !F.hbm) {
            printf("Bail out! no memory for the fake guest\n");
            exit(1);
        }
    }
}

/* Zero the counters (not the memory). */
static void counters_reset(void)
{
    F.table_reads = 0;
    F.table_bytes = 0;
    F.ram_maps = 0;
    F.ram_unmaps = 0;
    F.hbm_maps = 0;
    F.bad_unmaps = 0;
}

/* Every map undone, each by a matching unmap. */
static bool maps_balanced(void)
{
    return F.nlive == 0 && F.bad_unmaps == 0 && F.ram_maps == F.ram_unmaps;
}

/* ---- page-table builder ---- */

static uint64_t pt_alloc(void)
{
    uint64_t addr = T_BASE + F.t_next;

    if (F.t_next + PG > T_SIZE) {
        printf("Bail out! page-table pool exhausted\n");
        exit(1);
    }
    F.t_next += PG;
    memset(host_of(addr), 0, PG);
    return addr;
}

/* A fresh, empty top table; the pool starts over. */
static uint64_t pt_reset(void)
{
    F.t_next = 0;
    return pt_alloc();
}

static uint64_t pte_get(uint64_t table, unsigned idx)
{
    uint8_t *p = host_of(table + idx * 8);
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static void pte_put(uint64_t table, unsigned idx, uint64_t v)
{
    uint8_t *p = host_of(table + idx * 8);
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = v >> (8 * i);
    }
}

/* The table of @level that holds @va's entry, made on the way if needed. */
static uint64_t pt_table(uint64_t root, uint64_t va, unsigned level)
{
    uint64_t table = root, e;
    unsigned l;

    for (l = 3; l > level; l--) {
        e = pte_get(table, VASCEND_PT_INDEX(va, l));
        if (!(e & V)) {
            e = pt_alloc() | V;
            pte_put(table, VASCEND_PT_INDEX(va, l), e);
        }
        table = e & VASCEND_PTE_ADDR_MASK;
    }
    return table;
}

/* Write @raw as @va's entry at @level. */
static void pt_set(uint64_t root, uint64_t va, unsigned level, uint64_t raw)
{
    pte_put(pt_table(root, va, level), VASCEND_PT_INDEX(va, level), raw);
}

static void map4k(uint64_t root, uint64_t va, uint64_t target, uint64_t bits)
{
    pt_set(root, va, 0, target | V | bits);
}

static void map2m(uint64_t root, uint64_t va, uint64_t target, uint64_t bits)
{
    pt_set(root, va, 1, target | V | L | bits);
}

/* ---- helpers ---- */

static struct anpu_mmu_ctx ctx;

/* Translate and expect a fault; one TAP line. */
static void expect_fault(uint64_t va, uint64_t len, unsigned access,
                         uint32_t reason, uint32_t level, uint64_t fva,
                         const char *what)
{
    struct anpu_xlate x = { (void *)1, 7, 9 };
    struct anpu_mmu_fault f;
    int rc;

    memset(&f, 0xa5, sizeof(f));
    rc = anpu_mmu_translate(&ctx, &env, va, len, access, &x, &f);
    TAP_CHECK(rc == -1 && f.reason == reason && f.level == level &&
              f.va == fva && f.access == access && !x.segs && !x.nsegs &&
              !x.len && maps_balanced(),
              "%s: rc %d reason %u (%s) level %u va 0x%llx access %u", what,
              rc, f.reason, anpu_mmu_reason_name(f.reason), f.level,
              (unsigned long long)f.va, f.access);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- tests ---- */

static void test_4k_read_write(void)
{
    uint64_t root = pt_reset();
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    char buf[16] = { 0 };
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, 0x10000, A_BASE + 0x5000, W);
    counters_reset();
    rc = anpu_mmu_write(&ctx, &env, 0x10010, "hello", 6, &f);
    TAP_CHECK(rc == 0 && !memcmp(host_of(A_BASE + 0x5010), "hello", 6),
              "4 KiB page: write lands at the mapped guest address");
    TAP_CHECK(F.table_reads == 4 && F.table_bytes == 32,
              "a cold single-page walk reads one entry per level (%u reads,"
              " %llu bytes)", F.table_reads,
              (unsigned long long)F.table_bytes);
    rc = anpu_mmu_read(&ctx, &env, 0x10010, buf, 6, &f);
    TAP_CHECK(rc == 0 && !strcmp(buf, "hello"), "and reads back");
    TAP_CHECK(F.ram_maps == 2 && maps_balanced(),
              "one ram_map per copy, each unmapped (%u maps)", F.ram_maps);

    rc = anpu_mmu_translate(&ctx, &env, 0x10ff0, 16, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.len == 16 &&
              x.segs[0].host == host_of(A_BASE + 0x5ff0) &&
              x.segs[0].len == 16 && x.segs[0].ram && !x.segs[0].write,
              "translate the last 16 bytes of the page: one read segment");
    anpu_mmu_release(&env, &x);
    TAP_CHECK(!x.segs && !x.nsegs && maps_balanced(),
              "release unmaps and empties the xlate");
    anpu_mmu_release(&env, &x);
    TAP_CHECK(maps_balanced(), "a second release is harmless");

    rc = anpu_mmu_translate(&ctx, &env, 0x10000, PG, WR, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.segs[0].write && x.segs[0].ram,
              "a write translation maps for writing");
    anpu_mmu_release(&env, &x);
    TAP_CHECK(F.nlive == 0 && F.bad_unmaps == 0,
              "unmapped with is_write set, as mapped");
}

static void test_large_page(void)
{
    uint64_t root = pt_reset();
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map2m(root, 0x40000000, 2 * LPG, H | W);
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, 0x40000000, LPG, WR, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.segs[0].host == F.hbm + 2 * LPG &&
              x.segs[0].len == LPG && !x.segs[0].ram,
              "2 MiB HBM page: one segment of 2 MiB");
    TAP_CHECK(ctx.stats.tlb_misses == 1 && F.table_reads == 3,
              "one walk of three levels for the whole page (%llu misses, "
              "%u reads)", (unsigned long long)ctx.stats.tlb_misses,
              F.table_reads);
    anpu_mmu_release(&env, &x);

    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, 0x40000000 + 0x12345, 100, RD, &x,
                            &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == F.hbm + 2 * LPG + 0x12345 &&
              F.table_reads == 0 && ctx.stats.tlb_hits == 1,
              "another offset in the large page hits the cache");
    anpu_mmu_release(&env, &x);

    /* Large page in guest RAM, read-only. */
    map2m(root, 0x40200000, A_BASE + 4 * LPG, 0);
    rc = anpu_mmu_translate(&ctx, &env, 0x40200000 + LPG - 8, 8, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].ram &&
              x.segs[0].host == host_of(A_BASE + 5 * LPG - 8),
              "2 MiB guest-memory page: last bytes map to its end");
    anpu_mmu_release(&env, &x);
    TAP_CHECK(maps_balanced(), "maps balanced");
}

static void test_mixed(void)
{
    uint64_t root = pt_reset();
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    uint64_t va = 0x7000000000ULL;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, va, A_BASE + 0x3000, W);
    map4k(root, va + PG, 0x9000, H | W);
    map4k(root, va + 2 * PG, B_BASE + 0x1000, W);
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va + 0x800, 2 * PG, WR, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 3 && x.len == 2 * PG,
              "RAM, HBM, RAM pages: three segments (%zu)", x.nsegs);
    if (rc == 0 && x.nsegs == 3) {
        TAP_CHECK(x.segs[0].host == host_of(A_BASE + 0x3800) &&
                  x.segs[0].len == 0x800 && x.segs[0].ram &&
                  x.segs[1].host == F.hbm + 0x9000 && x.segs[1].len == PG &&
                  !x.segs[1].ram &&
                  x.segs[2].host == host_of(B_BASE + 0x1000) &&
                  x.segs[2].len == 0x800 && x.segs[2].ram,
                  "each segment has the right place, length and kind");
    } else {
        TAP_CHECK(0, "each segment has the right place, length and kind");
    }
    TAP_CHECK(F.ram_maps == 2 && F.hbm_maps == 1,
              "two ram_maps and one hbm_map (%u, %u)", F.ram_maps,
              F.hbm_maps);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(maps_balanced(), "release unmaps the two RAM segments only");
}

static void test_merging(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0x200000000ULL, i;
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    for (i = 0; i < 16; i++) {
        map4k(root, va + i * PG, A_BASE + 0x100000 + i * PG, 0);
    }
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va, 16 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.segs[0].len == 16 * PG &&
              F.ram_maps == 1,
              "16 contiguous 4 KiB pages: one segment, one ram_map");
    TAP_CHECK(F.table_reads == 4,
              "and four table reads, one per level (%u)", F.table_reads);
    anpu_mmu_release(&env, &x);

    /* A hole in the middle of the targets splits it. */
    map4k(root, va + 8 * PG, A_BASE + 0x300000, 0);
    anpu_mmu_invalidate(&ctx, 0, 0);
    rc = anpu_mmu_translate(&ctx, &env, va, 16 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 3 && x.segs[0].len == 8 * PG &&
              x.segs[1].len == PG && x.segs[2].len == 7 * PG,
              "one page elsewhere: three segments (%zu)", x.nsegs);
    anpu_mmu_release(&env, &x);

    /* Targets contiguous across the A|B boundary: ram_map stops at A's end. */
    va = 0x300000000ULL;
    for (i = 0; i < 4; i++) {
        map4k(root, va + i * PG, B_BASE - 2 * PG + i * PG, 0);
    }
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va, 4 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 2 && x.segs[0].len == 2 * PG &&
              x.segs[1].host == host_of(B_BASE) && F.ram_maps == 2,
              "a run over two RAM blocks: two segments, two ram_maps");
    anpu_mmu_release(&env, &x);

    F.map_limit = PG;
    rc = anpu_mmu_translate(&ctx, &env, va + 0x10, 2 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 3 && x.segs[0].len == PG &&
              x.segs[2].len == 0x10 && x.len == 2 * PG,
              "ram_map shortening to 4 KiB: one segment per answer (%zu)",
              x.nsegs);
    anpu_mmu_release(&env, &x);
    F.map_limit = 0;

    /* HBM: a 2 MiB page then 4 KiB pages that follow it merge. */
    va = 0x400000000ULL;
    map2m(root, va, 4 * LPG, H);
    for (i = 0; i < 4; i++) {
        map4k(root, va + LPG + i * PG, 5 * LPG + i * PG, H);
    }
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va + LPG - PG, 5 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.segs[0].len == 5 * PG &&
              x.segs[0].host == F.hbm + 5 * LPG - PG,
              "HBM 2 MiB page + following 4 KiB pages: one segment");
    anpu_mmu_release(&env, &x);

    /* Pages in reverse order never merge. */
    va = 0x500000000ULL;
    for (i = 0; i < 4; i++) {
        map4k(root, va + i * PG, 0x100000 - i * PG, H);
    }
    rc = anpu_mmu_translate(&ctx, &env, va, 4 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 4, "reversed pages: four segments");
    anpu_mmu_release(&env, &x);
    TAP_CHECK(maps_balanced(), "maps balanced");
}

static void test_cross_into_unmapped(void)
{
    uint64_t root = pt_reset();
    struct anpu_mmu_fault f;
    char buf[64];
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, 0x10000, A_BASE, W);
    expect_fault(0x10f00, 0x200, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0,
                 0x11000, "range into an absent page: first bad byte");
    /* The next level-1 entry is absent too: the fault is at level 1. */
    map4k(root, 0x1ff000, A_BASE + PG, W);
    expect_fault(0x1ffff0, 0x20, WR, VASCEND_MMU_FAULT_NOT_PRESENT, 1,
                 0x200000, "range into an absent 2 MiB region: level 1");
    /* Mapped page, then TARGET_DMA later: the first segment is unmapped. */
    map4k(root, 0x11000, MMIO_BASE, 0);
    expect_fault(0x10ff8, 0x10, RD, VASCEND_MMU_FAULT_TARGET_DMA, 0, 0x11000,
                 "RAM page then MMIO page: TARGET_DMA at the MMIO page");
    memset(host_of(A_BASE + 0xff0), 0x11, 16);
    memset(buf, 0, sizeof(buf));
    rc = anpu_mmu_write(&ctx, &env, 0x10ff0, buf, 0x20, &f);
    TAP_CHECK(rc == -1 && f.reason == VASCEND_MMU_FAULT_READ_ONLY &&
              f.va == 0x11000 && f.level == 0 && f.access == WR,
              "write over into a read-only page faults at that page");
    TAP_CHECK(host_of(A_BASE + 0xff0)[0] == 0x11 &&
              host_of(A_BASE + 0xfff)[0] == 0x11 && maps_balanced(),
              "and nothing was written to the writable page before it");
}

static void test_not_present(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0x123456789000ULL & (VA_LIMIT - 1);

    anpu_mmu_ctx_init(&ctx, root);
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 3, va,
                 "empty top table: NOT_PRESENT at level 3");
    pt_table(root, va, 2);
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 2, va,
                 "level-2 entry absent: level 2");
    pt_table(root, va, 1);
    expect_fault(va + 5, 1, WR, VASCEND_MMU_FAULT_NOT_PRESENT, 1, va + 5,
                 "level-1 entry absent: level 1, fault at the asked VA");
    pt_table(root, va, 0);
    expect_fault(va, 8, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0, va,
                 "level-0 entry absent: level 0");
    /* Not VALID wins over every other bit. */
    pt_set(root, va, 0, ~V);
    expect_fault(va, 8, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0, va,
                 "entry with every bit but VALID: NOT_PRESENT");
    map4k(root, va, A_BASE, 0);
    expect_fault(va, 8, WR, VASCEND_MMU_FAULT_READ_ONLY, 0, va,
                 "write through a 4 KiB leaf without WRITE: READ_ONLY");
    map2m(root, va + LPG, 0, H);
    expect_fault(va + LPG + 0x1000, 8, WR, VASCEND_MMU_FAULT_READ_ONLY, 1,
                 va + LPG + 0x1000, "and through a 2 MiB leaf: level 1");
    /* WRITE in table entries means nothing: a writable leaf under them. */
    map4k(root, va + 2 * LPG, A_BASE, W);
    {
        struct anpu_xlate x;
        struct anpu_mmu_fault f;
        int rc = anpu_mmu_translate(&ctx, &env, va + 2 * LPG, 8, WR, &x, &f);

        TAP_CHECK(rc == 0, "tables without WRITE over a writable leaf: ok");
        anpu_mmu_release(&env, &x);
    }
}

static void test_bad_pte(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0x0000123400000000ULL;
    uint64_t bits[] = { 1ULL << 4, 1ULL << 11, 1ULL << 52, 1ULL << 63 };
    char what[96];
    unsigned i, level;

    anpu_mmu_ctx_init(&ctx, root);
    for (level = 0; level < 4; level++) {
        for (i = 0; i < 4; i++) {
            root = pt_reset();
            anpu_mmu_ctx_init(&ctx, root);
            map4k(root, va, A_BASE, W);
            pt_set(root, va, level,
                   pte_get(pt_table(root, va, level),
                           VASCEND_PT_INDEX(va, level)) | bits[i]);
            snprintf(what, sizeof(what),
                     "reserved bit %d at level %u: BAD_PTE", __builtin_ctzll(
                     bits[i]), level);
            expect_fault(va, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, level, va,
                         what);
        }
    }

    root = pt_reset();
    anpu_mmu_ctx_init(&ctx, root);
    pt_set(root, va, 3, pt_alloc() | V | L);
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, 3, va,
                 "LARGE at level 3: BAD_PTE");
    root = pt_reset();
    anpu_mmu_ctx_init(&ctx, root);
    pt_set(root, va, 2, A_BASE | V | L);
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, 2, va,
                 "LARGE at level 2 (a would-be 1 GiB page): BAD_PTE");
    map4k(root, va + LPG * 512, A_BASE, L);
    expect_fault(va + LPG * 512, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, 0,
                 va + LPG * 512, "LARGE at level 0: BAD_PTE");
    map2m(root, va + LPG * 513, A_BASE + PG, 0);
    expect_fault(va + LPG * 513, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, 1,
                 va + LPG * 513, "2 MiB leaf 4 KiB aligned: BAD_PTE");
    map2m(root, va + LPG * 514, LPG / 2, H);
    expect_fault(va + LPG * 514 + 0x10, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, 1,
                 va + LPG * 514 + 0x10, "2 MiB HBM leaf 1 MiB aligned: BAD_PTE");

    for (level = 1; level < 4; level++) {
        uint64_t t;

        root = pt_reset();
        anpu_mmu_ctx_init(&ctx, root);
        map4k(root, va, A_BASE, W);
        t = pt_table(root, va, level);
        pte_put(t, VASCEND_PT_INDEX(va, level),
                pte_get(t, VASCEND_PT_INDEX(va, level)) | H);
        snprintf(what, sizeof(what), "HBM in a level-%u table entry: BAD_PTE",
                 level);
        expect_fault(va, 1, RD, VASCEND_MMU_FAULT_BAD_PTE, level, va, what);
    }
}

static void test_addr_range(void)
{
    uint64_t root = pt_reset();
    uint64_t top = VA_LIMIT - PG;
    struct anpu_xlate x;
    struct anpu_mmu_fault f;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, top, A_BASE, W);
    counters_reset();
    expect_fault(VA_LIMIT, 1, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 3, VA_LIMIT,
                 "VA 2^48: ADDR_RANGE at level 3");
    expect_fault(UINT64_MAX, 1, WR, VASCEND_MMU_FAULT_ADDR_RANGE, 3,
                 UINT64_MAX, "VA 2^64 - 1: ADDR_RANGE");
    expect_fault(top, PG + 1, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 3, VA_LIMIT,
                 "range over the top of the VA space: fault at 2^48");
    expect_fault(0x1000, UINT64_MAX, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 3,
                 VA_LIMIT, "length that wraps 2^64: fault at 2^48");
    expect_fault(UINT64_MAX - 3, 8, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 3,
                 UINT64_MAX - 3, "range wrapping from above 2^48");
    TAP_CHECK(F.table_reads == 0, "range faults read no table");
    rc = anpu_mmu_translate(&ctx, &env, top, PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1, "the last page below 2^48 translates");
    anpu_mmu_release(&env, &x);

    map4k(root, 0x1000, HBM_SIZE - PG, H);
    rc = anpu_mmu_translate(&ctx, &env, 0x1000, PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == F.hbm + HBM_SIZE - PG,
              "the last HBM page translates");
    anpu_mmu_release(&env, &x);
    map4k(root, 0x2000, HBM_SIZE, H);
    expect_fault(0x1800, 0x1000, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 0, 0x2000,
                 "HBM 4 KiB page at hbm_size: ADDR_RANGE at its first byte");
    map4k(root, 0x3000, 1ULL << 51, H);
    expect_fault(0x3000, 1, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 0, 0x3000,
                 "HBM offset 2^51: ADDR_RANGE");
    map2m(root, 36 * LPG, 36 * LPG, H);
    expect_fault(36 * LPG, 8, RD, VASCEND_MMU_FAULT_ADDR_RANGE, 1, 36 * LPG,
                 "2 MiB HBM page running past hbm_size: ADDR_RANGE level 1");
    map2m(root, 35 * LPG, 35 * LPG, H);
    rc = anpu_mmu_translate(&ctx, &env, 35 * LPG, LPG, RD, &x, &f);
    TAP_CHECK(rc == 0, "the 2 MiB page just below it translates");
    anpu_mmu_release(&env, &x);
}

static void test_dma_faults(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0x5555000000ULL, t;
    struct anpu_xlate x;
    struct anpu_mmu_fault f;
    int rc;

    anpu_mmu_ctx_init(&ctx, NOWHERE);
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_TABLE_DMA, 3, va,
                 "top table where nothing answers: TABLE_DMA level 3");
    anpu_mmu_ctx_init(&ctx, root + 8);
    TAP_CHECK(!anpu_mmu_root_valid(root + 8) && anpu_mmu_root_valid(root) &&
              !anpu_mmu_root_valid(1ULL << 52),
              "root_valid: 4 KiB aligned and below 2^52 only");
    expect_fault(va, 1, RD, VASCEND_MMU_FAULT_TABLE_DMA, 3, va,
                 "misaligned top table: TABLE_DMA level 3");

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, va, A_BASE, W);
    for (int level = 2; level >= 0; level--) {
        char what[64];

        root = pt_reset();
        anpu_mmu_ctx_init(&ctx, root);
        map4k(root, va, A_BASE, W);
        t = pt_table(root, va, level + 1);
        pte_put(t, VASCEND_PT_INDEX(va, level + 1), NOWHERE | V);
        snprintf(what, sizeof(what), "level-%d table unreadable: TABLE_DMA",
                 level);
        expect_fault(va, 1, RD, VASCEND_MMU_FAULT_TABLE_DMA, level, va, what);
    }
    /*
     * A level-0 table only half of which is readable: a range over entries
     * 255 and 256 reads both at once, that fails, entry 255 alone works.
     */
    root = pt_reset();
    anpu_mmu_ctx_init(&ctx, root);
    memset(host_of(HALF_BASE), 0, HALF_SIZE);
    pte_put(HALF_BASE, 255, (A_BASE + 3 * PG) | V);
    pt_set(root, va, 1, HALF_BASE | V);
    expect_fault(va + 255 * PG + 0x10, PG, RD, VASCEND_MMU_FAULT_TABLE_DMA,
                 0, va + 256 * PG,
                 "level-0 table readable up to entry 255: TABLE_DMA at the "
                 "page of entry 256");
    rc = anpu_mmu_translate(&ctx, &env, va + 255 * PG, PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == host_of(A_BASE + 3 * PG),
              "and the page of entry 255 alone translates");
    anpu_mmu_release(&env, &x);

    /* Readable but not RAM: tables may live there, targets may not. */
    root = pt_reset();
    anpu_mmu_ctx_init(&ctx, root);
    memset(host_of(MMIO_BASE), 0, MMIO_SIZE);
    pte_put(MMIO_BASE, VASCEND_PT_INDEX(va, 0), (A_BASE + PG) | V);
    pt_set(root, va, 1, MMIO_BASE | V);
    rc = anpu_mmu_translate(&ctx, &env, va, 8, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == host_of(A_BASE + PG),
              "a level-0 table in a readable non-RAM page works");
    anpu_mmu_release(&env, &x);
    map4k(root, va + PG, MMIO_BASE, W);
    expect_fault(va + PG, 8, WR, VASCEND_MMU_FAULT_TARGET_DMA, 0, va + PG,
                 "leaf to a non-RAM page: TARGET_DMA level 0");
    map4k(root, va + 2 * PG, NOWHERE, W);
    expect_fault(va + 2 * PG + 4, 8, RD, VASCEND_MMU_FAULT_TARGET_DMA, 0,
                 va + 2 * PG + 4, "leaf to nothing: TARGET_DMA");
    map2m(root, va + LPG, NOWHERE, 0);
    expect_fault(va + LPG, 8, RD, VASCEND_MMU_FAULT_TARGET_DMA, 1, va + LPG,
                 "2 MiB leaf to nothing: TARGET_DMA level 1");
    /* A run off the end of B: mapped up to it, fault at the first byte. */
    map2m(root, va + 2 * LPG, B_BASE + B_SIZE - LPG, 0);
    map4k(root, va + 3 * LPG, B_BASE + B_SIZE, 0);
    expect_fault(va + 2 * LPG + 0x100, LPG, RD,
                 VASCEND_MMU_FAULT_TARGET_DMA, 0, va + 3 * LPG,
                 "2 MiB page at the end of RAM, then a 4 KiB page past it: "
                 "TARGET_DMA level 0 at the 4 KiB page");
    map4k(root, va + 4 * LPG, B_BASE + B_SIZE - PG, 0);
    map4k(root, va + 4 * LPG + PG, B_BASE + B_SIZE, 0);
    F.map_limit = 0x100;
    expect_fault(va + 4 * LPG, 2 * PG, RD, VASCEND_MMU_FAULT_TARGET_DMA, 0,
                 va + 4 * LPG + PG,
                 "same with ram_map answering 256 bytes at a time");
    F.map_limit = 0;
    counters_reset();
    F.map_zero = true;
    expect_fault(va + 4 * LPG + 8, 8, RD, VASCEND_MMU_FAULT_TARGET_DMA, 0,
                 va + 4 * LPG + 8, "ram_map answering 0 bytes: TARGET_DMA");
    TAP_CHECK(F.ram_maps == 1, "after one call (%u)", F.ram_maps);
    F.map_zero = false;
    /* The first bad byte wins even when it is found later. */
    map4k(root, va + 5 * LPG, NOWHERE, 0);
    pt_set(root, va + 5 * LPG + PG, 0, 0);
    expect_fault(va + 5 * LPG, 2 * PG, RD, VASCEND_MMU_FAULT_TARGET_DMA, 0,
                 va + 5 * LPG,
                 "page to nothing, then an absent page: TARGET_DMA first");
}

static void test_self_table(void)
{
    uint64_t root = pt_reset();
    struct anpu_xlate x;
    struct anpu_mmu_fault f;
    bool complete;
    uint64_t n;
    int rc;

    /* Entry 0 of the top table points at the top table itself. */
    anpu_mmu_ctx_init(&ctx, root);
    pte_put(root, 0, root | V);
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, 0x10, 8, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 1 && x.segs[0].host == host_of(root + 0x10),
              "a table pointing at itself maps VA 0 onto the table page");
    TAP_CHECK(F.table_reads == 4, "in four reads (%u)", F.table_reads);
    anpu_mmu_release(&env, &x);
    expect_fault(0x10, 8, WR, VASCEND_MMU_FAULT_READ_ONLY, 0, 0x10,
                 "writing it needs WRITE in the self entry");
    expect_fault(PG, 8, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0, PG,
                 "its other entries are absent");
    /* Every entry points at the table: every VA maps, all to one page. */
    for (unsigned i = 0; i < 512; i++) {
        pte_put(root, i, root | V | W);
    }
    anpu_mmu_invalidate(&ctx, 0, 0);
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, 0x7fffffff0000ULL, 64 * PG, WR, &x,
                            &f);
    TAP_CHECK(rc == 0 && x.nsegs == 64 && F.ram_maps == 64 &&
              F.table_reads <= 8,
              "64 pages of a fully self-mapped table: 64 segments, 64 maps, "
              "%u table reads", F.table_reads);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(maps_balanced(), "all unmapped");
    n = anpu_mmu_count_hbm(&env, root, 100000, &complete);
    TAP_CHECK(n == 0 && !complete,
              "count_hbm on it stops at the budget (incomplete, 0 bytes)");
}

static void test_cache(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0x600000000ULL;
    struct anpu_xlate x;
    struct anpu_mmu_fault f;
    uint64_t hits;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, va, A_BASE + 0x10000, W);
    map4k(root, va + PG, A_BASE + 0x20000, W);
    map4k(root, va + 2 * PG, A_BASE + 0x30000, W);
    rc = anpu_mmu_translate(&ctx, &env, va, 3 * PG, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && ctx.stats.tlb_misses == 3 && ctx.stats.tlb_hits == 0,
              "first translate: three misses");
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va, 3 * PG, WR, &x, &f);
    TAP_CHECK(rc == 0 && F.table_reads == 0 && ctx.stats.tlb_hits == 3,
              "second translate: no table read, three hits");
    anpu_mmu_release(&env, &x);

    /* Edit the PTE of the middle page without invalidating. */
    map4k(root, va + PG, A_BASE + 0x40000, 0);
    rc = anpu_mmu_translate(&ctx, &env, va + PG, 8, WR, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == host_of(A_BASE + 0x20000),
              "an edited PTE keeps its old translation until invalidated");
    anpu_mmu_release(&env, &x);
    anpu_mmu_invalidate(&ctx, va + 2 * PG, PG);
    rc = anpu_mmu_translate(&ctx, &env, va + PG, 8, WR, &x, &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == host_of(A_BASE + 0x20000),
              "invalidating the next page does not drop it");
    anpu_mmu_release(&env, &x);
    anpu_mmu_invalidate(&ctx, va + PG + PG - 1, 1);
    expect_fault(va + PG, 8, WR, VASCEND_MMU_FAULT_READ_ONLY, 0, va + PG,
                 "invalidating its last byte: the new (read-only) PTE");
    counters_reset();
    hits = ctx.stats.tlb_hits;
    rc = anpu_mmu_translate(&ctx, &env, va, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && F.table_reads == 0 && ctx.stats.tlb_hits == hits + 1,
              "the page before is still cached");
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va + 2 * PG, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && F.table_reads == 4,
              "the invalidated page after it is walked again (%u reads)",
              F.table_reads);

    /* Faults are not cached. */
    pt_set(root, va + 3 * PG, 0, 0);
    expect_fault(va + 3 * PG, 8, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0,
                 va + 3 * PG, "absent page faults");
    map4k(root, va + 3 * PG, A_BASE, 0);
    rc = anpu_mmu_translate(&ctx, &env, va + 3 * PG, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0, "mapped afterwards, it translates without invalidate");

    /* Large pages: invalidating one 4 KiB inside drops the whole entry. */
    map2m(root, 0x800000000ULL, 6 * LPG, H);
    rc = anpu_mmu_translate(&ctx, &env, 0x800000000ULL, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    map2m(root, 0x800000000ULL, 8 * LPG, H);
    rc = anpu_mmu_translate(&ctx, &env, 0x800000000ULL + LPG - 8, 8, RD, &x,
                            &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == F.hbm + 7 * LPG - 8,
              "edited 2 MiB PTE: old translation anywhere in the page");
    anpu_mmu_release(&env, &x);
    anpu_mmu_invalidate(&ctx, 0x800000000ULL + 0x5000, PG);
    rc = anpu_mmu_translate(&ctx, &env, 0x800000000ULL + LPG - 8, 8, RD, &x,
                            &f);
    TAP_CHECK(rc == 0 && x.segs[0].host == F.hbm + 9 * LPG - 8,
              "a 4 KiB invalidate inside it drops the whole 2 MiB entry");
    anpu_mmu_release(&env, &x);

    /* Invalidate everything; a huge size saturates instead of wrapping. */
    counters_reset();
    anpu_mmu_invalidate(&ctx, va, UINT64_MAX);
    rc = anpu_mmu_translate(&ctx, &env, va, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && F.table_reads == 4,
              "invalidate(va, UINT64_MAX) drops from va on");
    anpu_mmu_invalidate(&ctx, 0, 0);
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, 0x800000000ULL, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && F.table_reads == 3 && ctx.stats.invalidations == 5,
              "size 0 drops everything (%u reads, %llu invalidations)",
              F.table_reads, (unsigned long long)ctx.stats.invalidations);

    /* ctx_init forgets everything, including counters. */
    anpu_mmu_ctx_init(&ctx, root);
    TAP_CHECK(!ctx.stats.tlb_hits && !ctx.stats.tlb_misses &&
              !ctx.stats.faults && ctx.pt_root == root,
              "ctx_init: zero stats, new root");
    counters_reset();
    rc = anpu_mmu_translate(&ctx, &env, va, 8, RD, &x, &f);
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && F.table_reads == 4, "and an empty cache");
    /* A sequence wider than the cache still translates right. */
    for (unsigned i = 0; i < 600; i++) {
        map4k(root, 0x900000000ULL + i * PG, A_BASE + (599 - i) * PG, 0);
    }
    rc = anpu_mmu_translate(&ctx, &env, 0x900000000ULL, 600 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 600 &&
              x.segs[599].host == host_of(A_BASE),
              "600 pages (more than the cache holds) translate");
    anpu_mmu_release(&env, &x);
    rc = anpu_mmu_translate(&ctx, &env, 0x900000000ULL, 600 * PG, RD, &x, &f);
    TAP_CHECK(rc == 0 && x.nsegs == 600 &&
              x.segs[0].host == host_of(A_BASE + 599 * PG),
              "and again, partly from the cache");
    anpu_mmu_release(&env, &x);
}

static void test_copy_helpers(void)
{
    uint64_t root = pt_reset();
    uint64_t va = 0xa00000000ULL;
    struct anpu_mmu_fault f;
    uint8_t in[3 * 4096], out[3 * 4096];
    unsigned i;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, va, B_BASE + 0x8000, W);
    map4k(root, va + PG, 0x7000, H | W);
    map4k(root, va + 2 * PG, A_BASE + 0x2000, W);
    map4k(root, va + 3 * PG, A_BASE + 0x1000, W);
    for (i = 0; i < sizeof(in); i++) {
        in[i] = i * 7 + 3;
    }
    counters_reset();
    rc = anpu_mmu_write(&ctx, &env, va + 100, in, sizeof(in), &f);
    TAP_CHECK(rc == 0 && !memcmp(host_of(B_BASE + 0x8000 + 100), in,
                                 PG - 100) &&
              !memcmp(F.hbm + 0x7000, in + PG - 100, PG) &&
              !memcmp(host_of(A_BASE + 0x2000), in + 2 * PG - 100, PG) &&
              !memcmp(host_of(A_BASE + 0x1000), in + 3 * PG - 100, 100),
              "write across four pages of three kinds");
    memset(out, 0, sizeof(out));
    rc = anpu_mmu_read(&ctx, &env, va + 100, out, sizeof(out), &f);
    TAP_CHECK(rc == 0 && !memcmp(in, out, sizeof(out)), "read it back");
    TAP_CHECK(maps_balanced(), "copies leave nothing mapped");

    /* Many segments: the helpers go past their stack array. */
    for (i = 0; i < 16; i++) {
        map4k(root, va + 16 * PG + i * PG, A_BASE + 0x400000 - i * PG, W);
    }
    {
        static uint8_t big_in[16 * 4096], big_out[16 * 4096];

        for (i = 0; i < sizeof(big_in); i++) {
            big_in[i] = i ^ (i >> 8);
        }
        rc = anpu_mmu_write(&ctx, &env, va + 16 * PG, big_in, sizeof(big_in),
                            &f);
        rc |= anpu_mmu_read(&ctx, &env, va + 16 * PG, big_out,
                            sizeof(big_out), &f);
        TAP_CHECK(rc == 0 && !memcmp(big_in, big_out, sizeof(big_in)) &&
                  !memcmp(host_of(A_BASE + 0x400000 - 15 * PG),
                          big_in + 15 * PG, PG) && maps_balanced(),
                  "16 scattered pages: write and read back");
    }

    map4k(root, va + 4 * PG, A_BASE + 0x5000, 0);
    memset(host_of(A_BASE + 0x1000), 0x5a, PG);
    rc = anpu_mmu_write(&ctx, &env, va + 3 * PG, in, 2 * PG, &f);
    TAP_CHECK(rc == -1 && f.reason == VASCEND_MMU_FAULT_READ_ONLY &&
              f.va == va + 4 * PG && host_of(A_BASE + 0x1000)[0] == 0x5a &&
              maps_balanced(),
              "a faulting write copies nothing, even before the fault");
    memset(out, 0xee, sizeof(out));
    rc = anpu_mmu_read(&ctx, &env, va + 4 * PG, out, 2 * PG, &f);
    TAP_CHECK(rc == -1 && f.reason == VASCEND_MMU_FAULT_NOT_PRESENT &&
              f.va == va + 5 * PG && f.access == RD && out[0] == 0xee,
              "a faulting read: NOT_PRESENT at the next page, buffer "
              "untouched");
    rc = anpu_mmu_read(&ctx, &env, va, out, 0, &f);
    TAP_CHECK(rc == -1 && f.reason == ANPU_MMU_FAULT_INVALID,
              "read of 0 bytes: INVALID");
}

static void test_invalid_args(void)
{
    uint64_t root = pt_reset();
    struct anpu_xlate x;
    struct anpu_mmu_fault f = { 1, 2, 3, 4 };
    uint64_t faults;
    int rc;

    anpu_mmu_ctx_init(&ctx, root);
    map4k(root, 0x1000, A_BASE, W);
    faults = ctx.stats.faults;
    rc = anpu_mmu_translate(&ctx, &env, 0x1000, 0, RD, &x, &f);
    TAP_CHECK(rc == -1 && f.reason == ANPU_MMU_FAULT_INVALID && !x.segs &&
              f.va == 0x1000, "length 0: INVALID");
    rc = anpu_mmu_translate(&ctx, &env, 0x1000, 8, RD | WR, &x, &f);
    TAP_CHECK(rc == -1 && f.reason == ANPU_MMU_FAULT_INVALID,
              "access READ|WRITE: INVALID");
    rc = anpu_mmu_translate(&ctx, &env, 0x1000, 8, 0, &x, &f);
    TAP_CHECK(rc == -1 && f.reason == ANPU_MMU_FAULT_INVALID,
              "access 0: INVALID");
    TAP_CHECK(ctx.stats.faults == faults && maps_balanced(),
              "not counted as MMU faults");
    expect_fault(0x2000, 8, RD, VASCEND_MMU_FAULT_NOT_PRESENT, 0, 0x2000,
                 "a real fault");
    TAP_CHECK(ctx.stats.faults == faults + 1, "is counted");

    f.va = 0x1234;
    f.access = WR;
    f.reason = VASCEND_MMU_FAULT_BAD_PTE;
    f.level = 2;
    TAP_CHECK(anpu_mmu_fault_info(&f) == 0x00020302,
              "fault_info: access | reason << 8 | level << 16 (0x%08x)",
              anpu_mmu_fault_info(&f));
    TAP_CHECK(!strcmp(anpu_mmu_reason_name(VASCEND_MMU_FAULT_TARGET_DMA),
                      "target not RAM") &&
              !strcmp(anpu_mmu_reason_name(99), "unknown"),
              "reason names");
}

static void test_count_hbm(void)
{
    uint64_t root = pt_reset();
    uint64_t n, full, i;
    bool complete;

    n = anpu_mmu_count_hbm(&env, root, 1000, &complete);
    TAP_CHECK(n == 0 && complete, "empty table: 0 bytes, complete");
    for (i = 0; i < 10; i++) {
        map4k(root, 0x1000 + i * PG, i * PG, H);
    }
    map4k(root, 0x1000 + 10 * PG, A_BASE, W);          /* guest memory */
    map4k(root, 0x1000 + 11 * PG, HBM_SIZE, H);        /* past the end */
    map4k(root, 0x1000 + 12 * PG, 0, H | (1ULL << 60)); /* reserved bit */
    pt_set(root, 0x1000 + 13 * PG, 0, H);               /* not valid */
    for (i = 0; i < 3; i++) {
        map2m(root, 0x40000000ULL * 3 + i * LPG, i * LPG, H | W);
    }
    map2m(root, 0x40000000ULL * 3 + 3 * LPG, 36 * LPG, H); /* past the end */
    map2m(root, 0x40000000ULL * 3 + 4 * LPG, PG, H);     /* misaligned */
    pt_set(root, 0x40000000ULL * 5, 2, V | L | H);       /* LARGE at 2 */
    full = anpu_mmu_count_hbm(&env, root, UINT64_MAX, &complete);
    TAP_CHECK(full == 10 * PG + 3 * LPG && complete,
              "10 HBM pages and 3 HBM large pages counted, bad ones not "
              "(%llu)", (unsigned long long)full);
    /* Tables: top, one level-2, two level-1, one level-0: 5 * 512. */
    n = anpu_mmu_count_hbm(&env, root, 5 * 512, &complete);
    TAP_CHECK(n == full && complete,
              "a budget of exactly the entries walked is enough");
    n = anpu_mmu_count_hbm(&env, root, 5 * 512 - 1, &complete);
    TAP_CHECK(n <= full && !complete, "one less: incomplete");
    n = anpu_mmu_count_hbm(&env, root, 3, &complete);
    TAP_CHECK(n == 0 && !complete, "budget 3: nothing, incomplete");
    counters_reset();
    n = anpu_mmu_count_hbm(&env, root, 0, &complete);
    TAP_CHECK(n == 0 && !complete && F.table_reads == 0,
              "budget 0: no read at all");
    n = anpu_mmu_count_hbm(&env, NOWHERE, 100, &complete);
    TAP_CHECK(n == 0 && complete, "unreadable root: 0 bytes");
    n = anpu_mmu_count_hbm(&env, root + 8, 100, &complete);
    TAP_CHECK(n == 0 && complete, "misaligned root: 0 bytes");
}

/* ---- reference walker: one page at a time, no cache ---- */

struct ref {
    int rc;
    uint32_t reason;
    uint32_t level;
    uint64_t fva;
};

/* Host address of @va's byte, or a fault; @chunk: bytes to the next 4 KiB. */
static struct ref ref_byte(uint64_t root, uint64_t va, unsigned access,
                           uint8_t **host)
{
    struct ref r = { -1, 0, 0, va };
    uint64_t t = root, e = 0, addr, size = PG;
    int l;

    for (l = 3; l >= 0; l--) {
        if (t & ~VASCEND_PTE_ADDR_MASK || !find(t + VASCEND_PT_INDEX(va, l) * 8,
                                                8)) {
            r.reason = VASCEND_MMU_FAULT_TABLE_DMA;
            goto out;
        }
        e = pte_get(t, VASCEND_PT_INDEX(va, l));
        if (!(e & V)) {
            r.reason = VASCEND_MMU_FAULT_NOT_PRESENT;
            goto out;
        }
        if (e & VASCEND_PTE_RSVD_MASK) {
            r.reason = VASCEND_MMU_FAULT_BAD_PTE;
            goto out;
        }
        if (e & L) {
            if (l != 1 || (e & VASCEND_PTE_ADDR_MASK) % LPG) {
                r.reason = VASCEND_MMU_FAULT_BAD_PTE;
                goto out;
            }
            size = LPG;
            break;
        }
        if (l == 0) {
            break;
        }
        if (e & H) {
            r.reason = VASCEND_MMU_FAULT_BAD_PTE;
            goto out;
        }
        t = e & VASCEND_PTE_ADDR_MASK;
    }
    if (access == WR && !(e & W)) {
        r.reason = VASCEND_MMU_FAULT_READ_ONLY;
        goto out;
    }
    addr = (e & VASCEND_PTE_ADDR_MASK) + va % size;
    if (e & H) {
        if ((e & VASCEND_PTE_ADDR_MASK) + size > HBM_SIZE) {
            r.reason = VASCEND_MMU_FAULT_ADDR_RANGE;
            goto out;
        }
        *host = F.hbm + addr;
    } else {
        struct block *b = find(addr, 1);

        if (!b || !b->ram) {
            r.reason = VASCEND_MMU_FAULT_TARGET_DMA;
            goto out;
        }
        *host = b->host + (addr - b->base);
    }
    r.rc = 0;
out:
    r.level = l < 0 ? 0 : l;
    return r;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#define FUZZ_TABLES 8

/*
 * A random entry for pool table @table: the first half of the pool holds
 * mostly plain table pointers, the second half anything.
 */
static uint64_t fuzz_entry(unsigned table)
{
    uint64_t r = rnd(), addr, e;
    unsigned k = r % 100;

    if (table < FUZZ_TABLES / 2 && r % 8 < 7) {
        return (T_BASE + (rnd() % FUZZ_TABLES) * PG) | V | (rnd() & W);
    }    bool target = k >= 55;

    if (k < 55) {
        addr = T_BASE + (rnd() % FUZZ_TABLES) * PG;
    } else if (k < 70) {
        addr = A_BASE + (rnd() % (A_SIZE / PG)) * PG;
    } else if (k < 75) {
        addr = B_BASE + (rnd() % (B_SIZE / PG + 4)) * PG;
    } else if (k < 90) {
        addr = (rnd() % (HBM_SIZE / PG + 1024)) * PG;
    } else if (k < 93) {
        addr = MMIO_BASE;
    } else if (k < 97) {
        addr = (rnd() % 8) * LPG;
    } else {
        addr = rnd() & VASCEND_PTE_ADDR_MASK;
    }
    if (target && rnd() % 2) {
        addr &= ~(LPG - 1);
    }
    e = addr;
    r = rnd();
    if (r % 10 < 9) {
        e |= V;
    }
    if (r & 0x100) {
        e |= W;
    }
    if (target ? (r >> 12) % 4 == 0 : (r >> 12) % 32 == 0) {
        e |= L;
    }
    if (k >= 75 && k < 97 ? (r >> 16) % 4 != 0 : (r >> 16) % 32 == 0) {
        e |= H;
    }
    if ((r >> 20) % 64 == 0) {
        e |= 1ULL << (4 + (r >> 32) % 8);
    }
    if ((r >> 26) % 64 == 0) {
        e |= 1ULL << (52 + (r >> 40) % 12);
    }
    return e;
}

/*
 * A VA: half the time one whose first byte the reference translates (out
 * of a few random tries), so that ranges start inside mappings.
 */
static uint64_t fuzz_va(uint64_t root, unsigned access)
{
    uint64_t va = 0;
    uint8_t *host;
    int i;
    uint64_t k = rnd() % 16;

    if (k == 0) {
        return VA_LIMIT - (rnd() % (4 * PG));
    }
    if (k == 1) {
        return rnd();
    }
    if (k < 8) {
        return rnd() & (VA_LIMIT - 1);
    }
    for (i = 0; i < 16; i++) {
        va = rnd() & (VA_LIMIT - 1);
        if (!ref_byte(root, va, access, &host).rc) {
            break;
        }
    }
    return va;
}

static uint64_t fuzz_len(void)
{
    uint64_t r = rnd();

    switch (r % 16) {
    case 0:
        return rnd() % (8 * LPG) + 1;
    case 1:
        return rnd() | 1;
    case 2:
        return 0;
    default:
        return rnd() % (6 * PG) + 1;
    }
}

/* Segment [host, host + len) inside one RAM block (ram) or HBM (not). */
static bool seg_inside(const struct anpu_seg *s)
{
    size_t i;

    if (!s->ram) {
        return s->host >= F.hbm && s->len <= HBM_SIZE &&
               (uint64_t)(s->host - F.hbm) <= HBM_SIZE - s->len;
    }
    for (i = 0; i < NBLK; i++) {
        if (F.blk[i].ram && s->host >= F.blk[i].host &&
            s->len <= F.blk[i].size &&
            (uint64_t)(s->host - F.blk[i].host) <= F.blk[i].size - s->len) {
            return true;
        }
    }
    return false;
}

/* Compare one translation with the reference; false on a mismatch. */
static bool fuzz_check(uint64_t root, uint64_t va, uint64_t len,
                       unsigned access, int rc, const struct anpu_xlate *x,
                       const struct anpu_mmu_fault *f, char *why, size_t n)
{
    uint64_t cur, off, step, seg_off = 0;
    size_t si = 0, i;
    uint8_t *host = NULL;
    struct ref r;

    if (!len) {
        snprintf(why, n, "len 0");
        return rc == -1 && f->reason == ANPU_MMU_FAULT_INVALID;
    }
    if (va >= VA_LIMIT || len > VA_LIMIT - va) {
        snprintf(why, n, "range");
        return rc == -1 && f->reason == VASCEND_MMU_FAULT_ADDR_RANGE &&
               f->level == 3 && f->va == (va >= VA_LIMIT ? va : VA_LIMIT);
    }
    if (rc == 0) {
        uint64_t sum = 0;

        for (i = 0; i < x->nsegs; i++) {
            if (!seg_inside(&x->segs[i]) || !x->segs[i].len ||
                x->segs[i].write != (access == WR)) {
                snprintf(why, n, "segment %zu outside memory", i);
                return false;
            }
            sum += x->segs[i].len;
        }
        if (sum != len || x->len != len ||
            (!F.map_limit && x->nsegs > len / PG + 2)) {
            snprintf(why, n, "segments sum %llu of %llu, %zu segs",
                     (unsigned long long)sum, (unsigned long long)len,
                     x->nsegs);
            return false;
        }
    }
    for (cur = va; cur - va < len; cur += step) {
        step = PG - cur % PG;
        if (step > len - (cur - va)) {
            step = len - (cur - va);
        }
        r = ref_byte(root, cur, access, &host);
        if (r.rc) {
            snprintf(why, n, "reference faults %u/%u at 0x%llx; got rc %d "
                     "%u/%u at 0x%llx", r.reason, r.level,
                     (unsigned long long)cur, rc, f->reason, f->level,
                     (unsigned long long)f->va);
            return rc == -1 && f->reason == r.reason && f->level == r.level &&
                   f->va == cur && f->access == access;
        }
        if (rc == 0) {
            off = cur - va;
            while (si < x->nsegs && off >= seg_off + x->segs[si].len) {
                seg_off += x->segs[si].len;
                si++;
            }
            if (si == x->nsegs ||
                x->segs[si].host + (off - seg_off) != host) {
                snprintf(why, n, "byte 0x%llx maps elsewhere",
                         (unsigned long long)cur);
                return false;
            }
        }
    }
    snprintf(why, n, "reference translates; got rc %d reason %u", rc,
             f->reason);
    return rc == 0;
}

static void test_fuzz(void)
{
    const unsigned iters = 4000;
    unsigned i, j, bad = 0, ok = 0, faults = 0, balanced = 1;
    uint64_t root, va, len;
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    char why[160], first[256] = "";
    unsigned access;
    bool complete;
    int rc;

    F.t_next = 0;
    for (i = 0; i < FUZZ_TABLES; i++) {
        pt_alloc();
    }
    for (i = 0; i < FUZZ_TABLES * 512; i++) {
        pte_put(T_BASE + (i / 512) * PG, i % 512, fuzz_entry(i / 512));
    }
    memset(host_of(MMIO_BASE), 0, MMIO_SIZE);
    root = T_BASE;
    anpu_mmu_ctx_init(&ctx, root);
    for (i = 0; i < iters; i++) {
        /* Mutate some entries, then drop the cache (or a new context). */
        for (j = 0; j < 32; j++) {
            uint64_t idx = rnd() % (FUZZ_TABLES * 512);

            pte_put(T_BASE + (idx / 512) * PG, idx % 512,
                    fuzz_entry(idx / 512));
        }
        if (rnd() % 8 == 0) {
            root = T_BASE + (rnd() % FUZZ_TABLES) * PG;
            anpu_mmu_ctx_init(&ctx, rnd() % 64 ? root : root + 8);
            root = ctx.pt_root;
        } else {
            anpu_mmu_invalidate(&ctx, 0, 0);
        }
        F.map_limit = rnd() % 4 == 0 ? (rnd() % 3 + 1) * PG : 0;
        if (rnd() % 16 == 0) {
            F.map_limit = rnd() % 5000 + 1;
        }
        for (j = 0; j < 2; j++) {
            /* Same range twice: the second mostly from the cache. */
            if (j == 0) {
                access = rnd() % 2 ? RD : WR;
                va = fuzz_va(root, access);
                len = fuzz_len();
            }
            rc = anpu_mmu_translate(&ctx, &env, va, len, access, &x, &f);
            if (rc == 0) {
                ok++;
            } else {
                faults++;
            }
            if (!fuzz_check(root, va, len, access, rc, &x, &f, why,
                            sizeof(why))) {
                if (!bad++) {
                    snprintf(first, sizeof(first),
                             "iteration %u.%u va 0x%llx len 0x%llx "
                             "access %u: %s", i, j, (unsigned long long)va,
                             (unsigned long long)len, access, why);
                }
            }
            anpu_mmu_release(&env, &x);
            if (!maps_balanced()) {
                balanced = 0;
            }
        }
        if (rnd() % 4 == 0) {
            uint8_t buf[256];

            len = rnd() % sizeof(buf);
            (void)anpu_mmu_read(&ctx, &env, fuzz_va(root, RD), buf, len, &f);
        }
        if (rnd() % 64 == 0) {
            uint64_t budget = rnd() % 20000;
            uint64_t n = anpu_mmu_count_hbm(&env, root, budget, &complete);

            if (n > budget * LPG) {
                bad++;
            }
        }
    }
    F.map_limit = 0;
    printf("# fuzz: %u translations, %u ok, %u faulted\n", ok + faults, ok,
           faults);
    TAP_CHECK(!bad, "fuzz: %u translations of random tables match the "
              "reference walker, segments inside memory (%u mismatches%s%s)",
              ok + faults, bad, bad ? "; first: " : "", first);
    TAP_CHECK(balanced && maps_balanced(), "fuzz: every map was unmapped");
    TAP_CHECK(ok > iters / 10 && faults > iters / 10,
              "fuzz: both outcomes are common (%u ok, %u faulted)", ok,
              faults);
}

/* ---- the cost of a 64 MiB translation ---- */

static void test_cost_64m(void)
{
    uint64_t root = pt_reset();
    uint64_t va4k = 0x100000000000ULL, va2m = 0x200000000000ULL, i;
    const uint64_t len = 64ULL << 20;
    const int reps = 20;
    struct anpu_mmu_fault f;
    struct anpu_xlate x;
    double t0, t_4k, t_2m, t_memcpy;
    unsigned reads_4k, reads_2m;
    size_t segs_4k, segs_2m;
    int rc = 0, r;

    for (i = 0; i < len / PG; i++) {
        map4k(root, va4k + i * PG, A_BASE + i * PG, W);
    }
    for (i = 0; i < len / LPG; i++) {
        map2m(root, va2m + i * LPG, i * LPG, H | W);
    }
    anpu_mmu_ctx_init(&ctx, root);

    counters_reset();
    rc |= anpu_mmu_translate(&ctx, &env, va4k, len, RD, &x, &f);
    reads_4k = F.table_reads;
    segs_4k = x.nsegs;
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && segs_4k == 1 && reads_4k <= 40 && F.ram_maps == 1,
              "64 MiB of contiguous 4 KiB pages: %zu segment, %u table "
              "reads, %u ram_map", segs_4k, reads_4k, F.ram_maps);
    counters_reset();
    rc |= anpu_mmu_translate(&ctx, &env, va2m, len, WR, &x, &f);
    reads_2m = F.table_reads;
    segs_2m = x.nsegs;
    anpu_mmu_release(&env, &x);
    TAP_CHECK(rc == 0 && segs_2m == 1 && reads_2m == 3 && F.hbm_maps == 1,
              "64 MiB of 2 MiB pages: %zu segment, %u table reads",
              segs_2m, reads_2m);

    t0 = now_ms();
    for (r = 0; r < reps; r++) {
        anpu_mmu_invalidate(&ctx, 0, 0);
        rc |= anpu_mmu_translate(&ctx, &env, va4k, len, WR, &x, &f);
        anpu_mmu_release(&env, &x);
    }
    t_4k = (now_ms() - t0) / reps;
    t0 = now_ms();
    for (r = 0; r < reps; r++) {
        anpu_mmu_invalidate(&ctx, 0, 0);
        rc |= anpu_mmu_translate(&ctx, &env, va2m, len, WR, &x, &f);
        anpu_mmu_release(&env, &x);
    }
    t_2m = (now_ms() - t0) / reps;
    memcpy(F.hbm, host_of(A_BASE), len);         /* fault the pages in */
    t0 = now_ms();
    for (r = 0; r < 3; r++) {
        memcpy(F.hbm, host_of(A_BASE), len);
    }
    t_memcpy = (now_ms() - t0) / 3;
    TAP_CHECK(rc == 0 && maps_balanced(), "timed translations succeed");
    printf("# 64 MiB translate, cold cache: 4 KiB pages %.3f ms, 2 MiB pages "
           "%.4f ms; memcpy of 64 MiB %.2f ms (this build's flags)\n",
           t_4k, t_2m, t_memcpy);
}

int main(void)
{
    fake_init();
    test_4k_read_write();
    test_large_page();
    test_mixed();
    test_merging();
    test_cross_into_unmapped();
    test_not_present();
    test_bad_pte();
    test_addr_range();
    test_dma_faults();
    test_self_table();
    test_cache();
    test_copy_helpers();
    test_invalid_args();
    test_count_hbm();
    test_fuzz();
    test_cost_64m();
    return tap_done();
}
