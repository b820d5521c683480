/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds device page tables (include/uapi/vascend_mmu_hw.h) in the test
 * harness's guest memory: tables come from a pool of 4 KiB pages, entries
 * are written the way a driver would (little-endian, 64-bit). Written from
 * the header alone, independent of the device's MMU.
 *
 *	struct pt pt;
 *	pt_init(&pt, e, POOL, POOL_SIZE);
 *	pt_map(&pt, 0x10000, GUEST_BASE + 0x800000, 8192, PT_W);
 *	pt_map2m(&pt, 0x40000000, 0, 4 << 20, PT_W | PT_HBM);
 */
#ifndef VASCEND_TEST_DEVICE_PAGETABLE_H
#define VASCEND_TEST_DEVICE_PAGETABLE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vascend_mmu_hw.h"

/* Leaf flags for pt_map*(). */
#define PT_W            VASCEND_PTE_WRITE
#define PT_HBM          VASCEND_PTE_HBM

struct pt {
    struct env *e;
    uint64_t root;      /* bus address of the level-3 table */
    uint64_t next;      /* next free table in the pool */
    uint64_t end;
};

static inline uint64_t *pt_ptr(struct pt *pt, uint64_t bus)
{
    if (!env_in_guest(bus, 8)) {
        printf("Bail out! page table address 0x%llx outside guest memory\n",
               (unsigned long long)bus);
        exit(1);
    }
    return (uint64_t *)(pt->e->guest + (bus - GUEST_BASE));
}

static inline uint64_t pt_table(struct pt *pt)
{
    uint64_t t = pt->next;

    if (t + VASCEND_PAGE_SIZE > pt->end) {
        printf("Bail out! page table pool exhausted\n");
        exit(1);
    }
    pt->next += VASCEND_PAGE_SIZE;
    memset(pt_ptr(pt, t), 0, VASCEND_PAGE_SIZE);
    return t;
}

/* A pool of [@pool, @pool + @size) (4 KiB aligned) and an empty root. */
static inline void pt_init(struct pt *pt, struct env *e, uint64_t pool,
                           uint64_t size)
{
    pt->e = e;
    pt->next = pool;
    pt->end = pool + size;
    pt->root = pt_table(pt);
}

/*
 * The entry for @va in the table of @level (3 = top), creating the tables
 * above it as needed.
 */
static inline uint64_t *pt_slot(struct pt *pt, uint64_t va, int level)
{
    uint64_t table = pt->root, *ent;
    int l;

    for (l = 3; l > level; l--) {
        ent = pt_ptr(pt, table + 8 * VASCEND_PT_INDEX(va, l));
        if (!(*ent & VASCEND_PTE_VALID)) {
            *ent = pt_table(pt) | VASCEND_PTE_VALID;
        }
        table = *ent & VASCEND_PTE_ADDR_MASK;
    }
    return pt_ptr(pt, table + 8 * VASCEND_PT_INDEX(va, level));
}

/* Map [@va, @va + @len) to @target (bus address, or HBM offset with PT_HBM) in 4 KiB pages. */
static inline void pt_map(struct pt *pt, uint64_t va, uint64_t target,
                          uint64_t len, uint64_t flags)
{
    uint64_t off;

    for (off = 0; off < len; off += VASCEND_PAGE_SIZE) {
        *pt_slot(pt, va + off, 0) = (target + off) | flags | VASCEND_PTE_VALID;
    }
}

/* The same with 2 MiB pages (level-1 leaves). */
static inline void pt_map2m(struct pt *pt, uint64_t va, uint64_t target,
                            uint64_t len, uint64_t flags)
{
    uint64_t off;

    for (off = 0; off < len; off += VASCEND_LARGE_PAGE_SIZE) {
        *pt_slot(pt, va + off, 1) = (target + off) | flags |
                                    VASCEND_PTE_LARGE | VASCEND_PTE_VALID;
    }
}

/* Clear the 4 KiB leaves of [@va, @va + @len). */
static inline void pt_unmap(struct pt *pt, uint64_t va, uint64_t len)
{
    uint64_t off;

    for (off = 0; off < len; off += VASCEND_PAGE_SIZE) {
        *pt_slot(pt, va + off, 0) = 0;
    }
}

#endif /* VASCEND_TEST_DEVICE_PAGETABLE_H */
