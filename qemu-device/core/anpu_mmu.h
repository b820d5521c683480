/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device MMU: the page-table walker and translation cache of one
 * context (include/uapi/vascend_mmu_hw.h), in plain C11.
 *
 * Every device access to a context's virtual addresses goes through
 * anpu_mmu_translate() (or the anpu_mmu_read/write helpers), which turns a
 * VA range into host pointers obtained from struct anpu_mmu_env, or into an
 * MMU fault for the CQE. The module never touches memory it did not get
 * from the env: page tables are only read with env->table_read, targets only
 * through env->ram_map and env->hbm_map.
 *
 * Choices the contract leaves open:
 *
 * - TLB semantics: successful leaf translations are cached per context,
 *   keyed by VA page (4 KiB) or VA large page (2 MiB), and only
 *   anpu_mmu_invalidate() or anpu_mmu_ctx_init() drop them. A guest that
 *   edits a PTE without VASCEND_ADMIN_TLB_INVALIDATE may keep seeing the old
 *   translation for as long as it stays cached (and the new one once it is
 *   evicted). Faults are never cached. Table entries (non-leaf) are not
 *   cached across calls; within one call the walker reads the entries the
 *   range needs once, as a snapshot.
 * - Check order for each entry on a walk: not VALID -> NOT_PRESENT (other
 *   bits ignored); reserved bits -> BAD_PTE; LARGE at level 3, 2 or 0 ->
 *   BAD_PTE; LARGE at level 1 with an address not 2 MiB aligned -> BAD_PTE;
 *   HBM in a table entry -> BAD_PTE. WRITE in a table entry is ignored.
 * - Check order on a leaf for an access: WRITE missing on a write ->
 *   READ_ONLY; then for an HBM leaf the whole page (4 KiB or 2 MiB) must lie
 *   inside HBM, else ADDR_RANGE; for a guest-memory leaf ram_map must
 *   succeed, else TARGET_DMA. The level reported is the leaf's (0 or 1).
 * - The VA range is checked before any walk: a range that starts at or
 *   runs past 2^48 (including one whose end wraps around 2^64) faults with
 *   ADDR_RANGE at level 3, fault.va = max(va, 2^48), even when an earlier
 *   page would also fault.
 * - A pt_root with bits outside VASCEND_PTE_ADDR_MASK (not 4 KiB aligned,
 *   or above 2^52) is a top table that cannot be read: every translation
 *   faults TABLE_DMA at level 3. anpu_mmu_root_valid() lets the admin path
 *   refuse it up front instead.
 * - Segments merge when their targets are contiguous: HBM offsets in
 *   sequence (any leaf sizes), or bus addresses in sequence with one leaf
 *   size (so a TARGET_DMA fault knows its level). A guest-memory run is
 *   mapped with as few ram_map calls as ram_map allows; two separate
 *   ram_map results are never merged, since each is unmapped on its own.
 * - Work is bounded by the range length: one cache probe per 4 KiB or
 *   2 MiB page of the range and, on a miss, one walk whose table reads
 *   fetch every entry of that table the rest of the range needs (a 64 MiB
 *   range of 4 KiB pages: 35 reads). The caller bounds the length
 *   (TOO_LARGE): a hostile table that maps every page to one frame costs
 *   one segment (24 bytes) and one ram_map per 4 KiB page.
 * - A translation uses about 17 KiB of stack (the walker's table windows).
 *
 * Not thread-safe: a context's translations (they update its cache) are
 * serialised by the caller. anpu_mmu_count_hbm() has no state and may run
 * anywhere.
 */
#ifndef ANPU_MMU_H
#define ANPU_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vascend_mmu_hw.h"

/* Access kinds; the same bits as VASCEND_FAULT_ACCESS_*. */
enum { ANPU_ACCESS_READ = 1, ANPU_ACCESS_WRITE = 2 };

/*
 * fault.reason of a request that is not an MMU fault but a bad argument
 * (length 0, unknown access): the task is INVALID_FIELD, not MMU_FAULT.
 */
#define ANPU_MMU_FAULT_INVALID  0

/* Translation cache size: 4 KiB entries and 2 MiB entries, direct-mapped. */
#define ANPU_MMU_TLB_ENTRIES        256
#define ANPU_MMU_TLB_LARGE_ENTRIES  32

/*
 * What the walker needs from the device. All memory callbacks return 0 (or
 * a pointer) on success, -1 (or NULL) on failure.
 */
struct anpu_mmu_env {
    void *opaque;
    /* Read @len bytes of guest memory at bus address @addr (page tables). */
    int (*table_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    /*
     * Host pointer to guest RAM [@addr, @addr + *len) for direct access;
     * may shorten *len (stop at a RAM block boundary); NULL when @addr is
     * not RAM. Every successful map is later passed to ram_unmap with the
     * length used and whether it was written.
     */
    uint8_t *(*ram_map)(void *opaque, uint64_t addr, uint64_t *len,
                        bool is_write);
    void (*ram_unmap)(void *opaque, uint8_t *host, uint64_t len,
                      bool is_write);
    /* Host pointer to HBM [@off, @off + @len), NULL when outside HBM. */
    uint8_t *(*hbm_map)(void *opaque, uint64_t off, uint64_t len);
    uint64_t hbm_size;
};

/* An MMU fault, as the CQE reports it (cqe.result = va, cqe.info). */
struct anpu_mmu_fault {
    uint64_t va;        /* first VA that could not be translated */
    uint32_t access;    /* ANPU_ACCESS_* asked for */
    uint32_t reason;    /* VASCEND_MMU_FAULT_* */
    uint32_t level;     /* table level, 3..0 */
};

/* cqe.info of a VASCEND_CQE_STATUS_MMU_FAULT completion. */
static inline uint32_t anpu_mmu_fault_info(const struct anpu_mmu_fault *f)
{
    return (f->access & 0xff) | (f->reason & 0xff) << 8 |
           (f->level & 0xff) << 16;
}

/* One contiguous run of host memory backing part of a VA range. */
struct anpu_seg {
    uint8_t *host;
    uint64_t len;
    bool ram;           /* guest RAM: needs ram_unmap */
    bool write;         /* mapped for writing */
};

/* A translated VA range: owns its segment array; see anpu_mmu_release(). */
struct anpu_xlate {
    struct anpu_seg *segs;
    size_t nsegs;
    uint64_t len;
};

/* Counters of one context, for traces and telemetry. */
struct anpu_mmu_stats {
    uint64_t tlb_hits;          /* pages found in the cache */
    uint64_t tlb_misses;        /* pages walked */
    uint64_t table_reads;       /* table_read calls */
    uint64_t faults;
    uint64_t invalidations;
};

/* A cached leaf: the VA page it maps and the leaf PTE as read. */
struct anpu_mmu_tlbe {
    uint64_t tag;               /* ANPU_MMU_TLBE_VALID | VA page number */
    uint64_t pte;
};
#define ANPU_MMU_TLBE_VALID     (1ULL << 63)

/* Per-context MMU state; embed it, no allocation needed. */
struct anpu_mmu_ctx {
    uint64_t pt_root;           /* bus address of the level-3 table */
    struct anpu_mmu_tlbe tlb[ANPU_MMU_TLB_ENTRIES];
    struct anpu_mmu_tlbe tlb_large[ANPU_MMU_TLB_LARGE_ENTRIES];
    struct anpu_mmu_stats stats;
};

/* Start a context on table @pt_root with an empty cache and zero stats. */
void anpu_mmu_ctx_init(struct anpu_mmu_ctx *c, uint64_t pt_root);

/* Whether @pt_root can be a top table (4 KiB aligned, below 2^52). */
bool anpu_mmu_root_valid(uint64_t pt_root);

/* Forget cached translations of [@va, @va + @size); @size 0 = all. */
void anpu_mmu_invalidate(struct anpu_mmu_ctx *c, uint64_t va, uint64_t size);

/*
 * Translate [@va, @va + @len) for @access (ANPU_ACCESS_READ or _WRITE) into
 * host segments, merging runs that are contiguous. Returns 0 with @out
 * filled (release it with anpu_mmu_release), or -1 with @fault filled, @out
 * empty and nothing left mapped, for the first untranslatable byte. @len 0
 * or another @access is refused with -1 and reason ANPU_MMU_FAULT_INVALID.
 */
int anpu_mmu_translate(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                       uint64_t va, uint64_t len, unsigned access,
                       struct anpu_xlate *out, struct anpu_mmu_fault *fault);

/* Unmap @x's guest RAM segments and free its array; @x ends up empty. */
void anpu_mmu_release(const struct anpu_mmu_env *env, struct anpu_xlate *x);

/*
 * Copy @len bytes at @va into @buf (read) or from @buf to @va (write). On a
 * fault nothing is copied: returns -1 with @fault filled.
 */
int anpu_mmu_read(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                  uint64_t va, void *buf, uint64_t len,
                  struct anpu_mmu_fault *fault);
int anpu_mmu_write(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                   uint64_t va, const void *buf, uint64_t len,
                   struct anpu_mmu_fault *fault);

/*
 * Bytes of HBM mapped by the table at @pt_root: 4 KiB and 2 MiB leaves with
 * VASCEND_PTE_HBM that a translation would accept (well formed, whole page
 * inside HBM), counted once per leaf (aliases count twice). Examines at most
 * @budget entries; *@complete is false when the budget ran out first.
 * Tables that cannot be read count as mapping nothing.
 */
uint64_t anpu_mmu_count_hbm(const struct anpu_mmu_env *env, uint64_t pt_root,
                            uint64_t budget, bool *complete);

/* Short name of a VASCEND_MMU_FAULT_* reason, for logs and traces. */
const char *anpu_mmu_reason_name(uint32_t reason);

#endif /* ANPU_MMU_H */
