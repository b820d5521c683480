/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device MMU: walks a context's page table and caches leaves.
 *
 * Everything in the table is guest controlled. A table entry may point
 * anywhere, including at its own table or at a device BAR; the walker only
 * ever hands such an address to env->table_read and uses what comes back as
 * data. Walks have a fixed depth, so they cannot loop, and a range costs one
 * walk step per page it covers.
 *
 * A range is walked in runs: consecutive pages whose targets are
 * contiguous (bus addresses or HBM offsets) become one run, mapped with one
 * hbm_map or as few ram_map calls as possible. While walking a range the
 * walker keeps, per level, a window of the entries it read: it reads every
 * entry the rest of the range needs from a table with one table_read, so a
 * 64 MiB range of 4 KiB pages costs about 35 reads, a single page four.
 */
#include <stdlib.h>
#include <string.h>

#include "anpu_mmu.h"

#define MMU_VA_LIMIT        (1ULL << VASCEND_VA_BITS)
#define MMU_TOP_LEVEL       (VASCEND_PT_LEVELS - 1)
#define MMU_PTE_BYTES       8ULL
/* log2 of the VA span one entry of @level covers. */
#define MMU_LEVEL_SHIFT(l)  (VASCEND_PAGE_SHIFT + 9 * (l))
#define MMU_NO_TABLE        UINT64_MAX
/* Segment array: first heap size, then doubled. */
#define MMU_SEGS_INITIAL    8
/* Segments anpu_mmu_read/write keep on the stack before allocating. */
#define MMU_SEGS_STACK      4

_Static_assert(ANPU_ACCESS_READ == 1 && ANPU_ACCESS_WRITE == 2,
               "access bits are VASCEND_FAULT_ACCESS_*");
_Static_assert((ANPU_MMU_TLB_ENTRIES & (ANPU_MMU_TLB_ENTRIES - 1)) == 0 &&
               (ANPU_MMU_TLB_LARGE_ENTRIES &
                (ANPU_MMU_TLB_LARGE_ENTRIES - 1)) == 0,
               "TLB sizes are powers of two");

/*
 * Page table entries are little-endian whatever the host is; compilers
 * turn this into one load on a little-endian host.
 */
static uint64_t mmu_le64(const void *p)
{
    const uint8_t *b = p;

    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
           (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 |
           (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 |
           (uint64_t)b[7] << 56;
}

/* A leaf PTE and the level it was found at: 0 (4 KiB) or 1 (2 MiB). */
struct mmu_leaf {
    uint64_t pte;
    unsigned level;
};

static uint64_t leaf_size(const struct mmu_leaf *l)
{
    return l->level ? VASCEND_LARGE_PAGE_SIZE : VASCEND_PAGE_SIZE;
}

/* Entries [first, first + count) of the table at bus address @table. */
struct mmu_win {
    uint64_t table;
    uint32_t first;
    uint32_t count;
    uint64_t ent[VASCEND_PT_ENTRIES];
};

/* State of one translation. */
struct mmu_walk {
    struct anpu_mmu_ctx *c;
    const struct anpu_mmu_env *env;
    uint64_t end;               /* end of the range: bounds read-ahead */
    unsigned access;
    /*
     * The level-0 table of the last walk and the 2 MiB VA region it serves
     * (MMU_NO_TABLE: none): the next page of a range skips levels 3..1.
     */
    uint64_t l0_region;
    uint64_t l0_table;
    struct mmu_win win[VASCEND_PT_LEVELS];
};

/* Contiguous pages: [va, va + len) maps to [target, target + len). */
struct mmu_run {
    uint64_t va;
    uint64_t target;            /* bus address, or HBM offset when hbm */
    uint64_t len;
    bool hbm;
    unsigned level;
};

/* The segments of a translation being built. */
struct mmu_segs {
    struct anpu_seg *segs;
    size_t n;
    size_t cap;
    struct anpu_seg *stack;     /* caller's array, never freed */
};

static void set_fault(struct anpu_mmu_fault *f, uint64_t va, unsigned access,
                      uint32_t reason, unsigned level)
{
    f->va = va;
    f->access = access;
    f->reason = reason;
    f->level = level;
}

bool anpu_mmu_root_valid(uint64_t pt_root)
{
    return !(pt_root & ~VASCEND_PTE_ADDR_MASK);
}

void anpu_mmu_ctx_init(struct anpu_mmu_ctx *c, uint64_t pt_root)
{
    memset(c, 0, sizeof(*c));
    c->pt_root = pt_root;
}

void anpu_mmu_invalidate(struct anpu_mmu_ctx *c, uint64_t va, uint64_t size)
{
    uint64_t last, page;
    size_t i;

    c->stats.invalidations++;
    if (!size) {
        memset(c->tlb, 0, sizeof(c->tlb));
        memset(c->tlb_large, 0, sizeof(c->tlb_large));
        return;
    }
    last = size - 1 > UINT64_MAX - va ? UINT64_MAX : va + size - 1;
    /* Small caches: scanning them costs less than probing every page. */
    for (i = 0; i < ANPU_MMU_TLB_ENTRIES; i++) {
        page = (c->tlb[i].tag & ~ANPU_MMU_TLBE_VALID) << VASCEND_PAGE_SHIFT;
        if ((c->tlb[i].tag & ANPU_MMU_TLBE_VALID) && page <= last &&
            page + (VASCEND_PAGE_SIZE - 1) >= va) {
            c->tlb[i].tag = 0;
        }
    }
    for (i = 0; i < ANPU_MMU_TLB_LARGE_ENTRIES; i++) {
        page = (c->tlb_large[i].tag & ~ANPU_MMU_TLBE_VALID) <<
               VASCEND_LARGE_PAGE_SHIFT;
        if ((c->tlb_large[i].tag & ANPU_MMU_TLBE_VALID) && page <= last &&
            page + (VASCEND_LARGE_PAGE_SIZE - 1) >= va) {
            c->tlb_large[i].tag = 0;
        }
    }
}

static struct anpu_mmu_tlbe *tlb_slot(struct anpu_mmu_ctx *c, uint64_t va,
                                      unsigned level, uint64_t *tag)
{
    uint64_t vpn;

    if (level) {
        vpn = va >> VASCEND_LARGE_PAGE_SHIFT;
        *tag = ANPU_MMU_TLBE_VALID | vpn;
        return &c->tlb_large[vpn & (ANPU_MMU_TLB_LARGE_ENTRIES - 1)];
    }
    vpn = va >> VASCEND_PAGE_SHIFT;
    *tag = ANPU_MMU_TLBE_VALID | vpn;
    return &c->tlb[vpn & (ANPU_MMU_TLB_ENTRIES - 1)];
}

static bool tlb_lookup(struct anpu_mmu_ctx *c, uint64_t va,
                       struct mmu_leaf *leaf)
{
    struct anpu_mmu_tlbe *e;
    unsigned level = 1;
    uint64_t tag;

    /* Large pages first: one entry covers 512 small ones. */
    e = tlb_slot(c, va, level, &tag);
    if (e->tag != tag) {
        level = 0;
        e = tlb_slot(c, va, level, &tag);
        if (e->tag != tag) {
            return false;
        }
    }
    leaf->pte = e->pte;
    leaf->level = level;
    return true;
}

static void tlb_insert(struct anpu_mmu_ctx *c, uint64_t va,
                       const struct mmu_leaf *leaf)
{
    uint64_t tag;
    struct anpu_mmu_tlbe *e = tlb_slot(c, va, leaf->level, &tag);

    e->tag = tag;
    e->pte = leaf->pte;
}

/*
 * Entry of @va in the table at @table of @level. When the window does not
 * hold it, read it together with every later entry of that table the range
 * still needs.
 */
static int walk_entry(struct mmu_walk *w, uint64_t table, unsigned level,
                      uint64_t va, uint64_t *pte)
{
    struct mmu_win *win = &w->win[level];
    uint32_t idx = VASCEND_PT_INDEX(va, level);
    uint32_t last = VASCEND_PT_ENTRIES - 1;
    unsigned span = MMU_LEVEL_SHIFT(level) + 9;
    const struct anpu_mmu_env *env = w->env;
    uint64_t n;

    if (win->table != table || idx < win->first ||
        idx - win->first >= win->count) {
        if ((w->end - 1) >> span == va >> span) {
            last = VASCEND_PT_INDEX(w->end - 1, level);
        }
        n = last - idx + 1;
        win->table = MMU_NO_TABLE;
        w->c->stats.table_reads++;
        if (env->table_read(env->opaque, table + idx * MMU_PTE_BYTES,
                            win->ent, n * MMU_PTE_BYTES)) {
            /* Only a later entry may be unreadable: try this one alone. */
            if (n == 1) {
                return -1;
            }
            n = 1;
            w->c->stats.table_reads++;
            if (env->table_read(env->opaque, table + idx * MMU_PTE_BYTES,
                                win->ent, MMU_PTE_BYTES)) {
                return -1;
            }
        }
        win->table = table;
        win->first = idx;
        win->count = n;
    }
    *pte = mmu_le64(&win->ent[idx - win->first]);
    return 0;
}

/* Walk the table for @va down to its leaf; see anpu_mmu.h for the order. */
static int walk(struct mmu_walk *w, uint64_t va, struct mmu_leaf *leaf,
                struct anpu_mmu_fault *f)
{
    uint64_t table = w->c->pt_root;
    uint64_t pte;
    uint32_t reason;
    int level = MMU_TOP_LEVEL;

    if (va >> VASCEND_LARGE_PAGE_SHIFT == w->l0_region) {
        table = w->l0_table;
        level = 0;
    } else if (!anpu_mmu_root_valid(table)) {
        set_fault(f, va, w->access, VASCEND_MMU_FAULT_TABLE_DMA,
                  MMU_TOP_LEVEL);
        return -1;
    }
    for (; level >= 0; level--) {
        if (walk_entry(w, table, level, va, &pte)) {
            reason = VASCEND_MMU_FAULT_TABLE_DMA;
            goto fault;
        }
        if (!(pte & VASCEND_PTE_VALID)) {
            reason = VASCEND_MMU_FAULT_NOT_PRESENT;
            goto fault;
        }
        if (pte & VASCEND_PTE_RSVD_MASK) {
            reason = VASCEND_MMU_FAULT_BAD_PTE;
            goto fault;
        }
        if (pte & VASCEND_PTE_LARGE) {
            if (level != 1 || (pte & VASCEND_PTE_ADDR_MASK &
                               (VASCEND_LARGE_PAGE_SIZE - 1))) {
                reason = VASCEND_MMU_FAULT_BAD_PTE;
                goto fault;
            }
            break;
        }
        if (level == 0) {
            break;
        }
        if (pte & VASCEND_PTE_HBM) {
            reason = VASCEND_MMU_FAULT_BAD_PTE;
            goto fault;
        }
        table = pte & VASCEND_PTE_ADDR_MASK;
        if (level == 1) {
            w->l0_region = va >> VASCEND_LARGE_PAGE_SHIFT;
            w->l0_table = table;
        }
    }
    leaf->pte = pte;
    leaf->level = level;
    return 0;

fault:
    set_fault(f, va, w->access, reason, level);
    return -1;
}

/* The leaf for @va (cached or walked), checked for this access. */
static int resolve(struct mmu_walk *w, uint64_t va, struct mmu_leaf *leaf,
                   struct anpu_mmu_fault *f)
{
    struct anpu_mmu_ctx *c = w->c;
    uint64_t addr, size, hbm_size = w->env->hbm_size;

    if (tlb_lookup(c, va, leaf)) {
        c->stats.tlb_hits++;
    } else {
        c->stats.tlb_misses++;
        if (walk(w, va, leaf, f)) {
            return -1;
        }
        tlb_insert(c, va, leaf);
    }
    if ((w->access & ANPU_ACCESS_WRITE) && !(leaf->pte & VASCEND_PTE_WRITE)) {
        set_fault(f, va, w->access, VASCEND_MMU_FAULT_READ_ONLY, leaf->level);
        return -1;
    }
    addr = leaf->pte & VASCEND_PTE_ADDR_MASK;
    size = leaf_size(leaf);
    if ((leaf->pte & VASCEND_PTE_HBM) &&
        (addr > hbm_size || size > hbm_size - addr)) {
        set_fault(f, va, w->access, VASCEND_MMU_FAULT_ADDR_RANGE,
                  leaf->level);
        return -1;
    }
    return 0;
}

/* Bytes of @leaf's page from @va on, up to @end. */
static uint64_t page_rest(uint64_t va, uint64_t end,
                          const struct mmu_leaf *leaf)
{
    uint64_t n = leaf_size(leaf) - (va & (leaf_size(leaf) - 1));

    return n < end - va ? n : end - va;
}

static uint64_t leaf_target(uint64_t va, const struct mmu_leaf *leaf)
{
    return (leaf->pte & VASCEND_PTE_ADDR_MASK) +
           (va & (leaf_size(leaf) - 1));
}

static void run_start(struct mmu_run *r, uint64_t va, uint64_t end,
                      const struct mmu_leaf *leaf)
{
    r->va = va;
    r->target = leaf_target(va, leaf);
    r->len = page_rest(va, end, leaf);
    r->hbm = leaf->pte & VASCEND_PTE_HBM;
    r->level = leaf->level;
}

/*
 * Add @leaf's page at @va (the end of @r) to @r when its target follows.
 * Guest-memory runs keep one leaf size, so that a TARGET_DMA fault found
 * when mapping the run knows its level; HBM runs mix both sizes (hbm_map
 * cannot fail once resolve() checked the range).
 */
static bool run_extend(struct mmu_run *r, uint64_t va, uint64_t end,
                       const struct mmu_leaf *leaf)
{
    bool hbm = leaf->pte & VASCEND_PTE_HBM;

    if (hbm != r->hbm || (!hbm && leaf->level != r->level) ||
        leaf_target(va, leaf) != r->target + r->len) {
        return false;
    }
    r->len += page_rest(va, end, leaf);
    return true;
}

static void segs_put(const struct anpu_mmu_env *env, struct mmu_segs *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (s->segs[i].ram) {
            env->ram_unmap(env->opaque, s->segs[i].host, s->segs[i].len,
                           s->segs[i].write);
        }
    }
    if (s->segs != s->stack) {
        free(s->segs);
    }
    s->segs = NULL;
    s->n = 0;
    s->cap = 0;
}

static void seg_add(struct mmu_segs *s, uint8_t *host, uint64_t len, bool ram,
                    bool write)
{
    struct anpu_seg *grown;
    size_t cap;

    if (s->n == s->cap) {
        cap = s->cap ? s->cap * 2 : MMU_SEGS_INITIAL;
        if (s->segs == s->stack) {
            grown = malloc(cap * sizeof(*grown));
            if (grown && s->n) {
                memcpy(grown, s->segs, s->n * sizeof(*grown));
            }
        } else {
            grown = realloc(s->segs, cap * sizeof(*grown));
        }
        if (!grown) {
            /* As g_malloc would: the device cannot go on without memory. */
            abort();
        }
        s->segs = grown;
        s->cap = cap;
    }
    s->segs[s->n].host = host;
    s->segs[s->n].len = len;
    s->segs[s->n].ram = ram;
    s->segs[s->n].write = write;
    s->n++;
}

/* Map @r into segments; on failure the caller unmaps what was added. */
static int map_run(struct mmu_walk *w, const struct mmu_run *r,
                   struct mmu_segs *s, struct anpu_mmu_fault *f)
{
    const struct anpu_mmu_env *env = w->env;
    bool write = w->access & ANPU_ACCESS_WRITE;
    uint64_t done, n;
    uint8_t *host;

    if (r->hbm) {
        host = env->hbm_map(env->opaque, r->target, r->len);
        if (!host) {
            set_fault(f, r->va, w->access, VASCEND_MMU_FAULT_ADDR_RANGE,
                      r->level);
            return -1;
        }
        seg_add(s, host, r->len, false, write);
        return 0;
    }
    for (done = 0; done < r->len; done += n) {
        n = r->len - done;
        host = env->ram_map(env->opaque, r->target + done, &n, write);
        if (!host) {
            goto fault;
        }
        if (n > r->len - done) {
            n = r->len - done;
        }
        seg_add(s, host, n, true, write);
        if (!n) {
            goto fault;
        }
    }
    return 0;

fault:
    set_fault(f, r->va + done, w->access, VASCEND_MMU_FAULT_TARGET_DMA,
              r->level);
    return -1;
}

static int mmu_translate(struct anpu_mmu_ctx *c,
                         const struct anpu_mmu_env *env, uint64_t va,
                         uint64_t len, unsigned access, struct mmu_segs *s,
                         struct anpu_mmu_fault *fault)
{
    struct mmu_walk w;
    struct mmu_leaf leaf;
    struct anpu_mmu_fault later;
    struct mmu_run run;
    bool pending = false;
    uint64_t next;
    unsigned level;

    if (!len || (access != ANPU_ACCESS_READ && access != ANPU_ACCESS_WRITE)) {
        set_fault(fault, va, access, ANPU_MMU_FAULT_INVALID, 0);
        return -1;
    }
    if (va >= MMU_VA_LIMIT || len > MMU_VA_LIMIT - va) {
        c->stats.faults++;
        set_fault(fault, va >= MMU_VA_LIMIT ? va : MMU_VA_LIMIT, access,
                  VASCEND_MMU_FAULT_ADDR_RANGE, MMU_TOP_LEVEL);
        return -1;
    }
    w.c = c;
    w.env = env;
    w.end = va + len;
    w.access = access;
    w.l0_region = MMU_NO_TABLE;
    for (level = 0; level < VASCEND_PT_LEVELS; level++) {
        w.win[level].table = MMU_NO_TABLE;
    }

    if (resolve(&w, va, &leaf, fault)) {
        goto fail;
    }
    for (;;) {
        run_start(&run, va, w.end, &leaf);
        next = run.va + run.len;
        while (next < w.end) {
            if (resolve(&w, next, &leaf, &later)) {
                pending = true;
                break;
            }
            if (!run_extend(&run, next, w.end, &leaf)) {
                break;
            }
            next = run.va + run.len;
        }
        /* A TARGET_DMA fault inside this run comes before @later. */
        if (map_run(&w, &run, s, fault)) {
            goto fail;
        }
        if (pending) {
            *fault = later;
            goto fail;
        }
        if (next >= w.end) {
            return 0;
        }
        va = next;
    }

fail:
    c->stats.faults++;
    segs_put(env, s);
    return -1;
}

int anpu_mmu_translate(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                       uint64_t va, uint64_t len, unsigned access,
                       struct anpu_xlate *out, struct anpu_mmu_fault *fault)
{
    struct mmu_segs s = { 0 };

    out->segs = NULL;
    out->nsegs = 0;
    out->len = 0;
    if (mmu_translate(c, env, va, len, access, &s, fault)) {
        return -1;
    }
    out->segs = s.segs;
    out->nsegs = s.n;
    out->len = len;
    return 0;
}

void anpu_mmu_release(const struct anpu_mmu_env *env, struct anpu_xlate *x)
{
    struct mmu_segs s = {
        .segs = x->segs, .n = x->nsegs, .cap = x->nsegs, .stack = NULL,
    };

    segs_put(env, &s);
    x->segs = NULL;
    x->nsegs = 0;
    x->len = 0;
}

/* Copy between @buf and the VA range: the whole range translates first. */
static int mmu_copy(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                    uint64_t va, uint8_t *rbuf, const uint8_t *wbuf,
                    uint64_t len, struct anpu_mmu_fault *fault)
{
    struct anpu_seg stack[MMU_SEGS_STACK];
    struct mmu_segs s = {
        .segs = stack, .n = 0, .cap = MMU_SEGS_STACK, .stack = stack,
    };
    uint64_t off = 0;
    size_t i;

    if (mmu_translate(c, env, va, len,
                      rbuf ? ANPU_ACCESS_READ : ANPU_ACCESS_WRITE, &s,
                      fault)) {
        return -1;
    }
    for (i = 0; i < s.n; i++) {
        if (rbuf) {
            memcpy(rbuf + off, s.segs[i].host, s.segs[i].len);
        } else {
            memcpy(s.segs[i].host, wbuf + off, s.segs[i].len);
        }
        off += s.segs[i].len;
    }
    segs_put(env, &s);
    return 0;
}

int anpu_mmu_read(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                  uint64_t va, void *buf, uint64_t len,
                  struct anpu_mmu_fault *fault)
{
    return mmu_copy(c, env, va, buf, NULL, len, fault);
}

int anpu_mmu_write(struct anpu_mmu_ctx *c, const struct anpu_mmu_env *env,
                   uint64_t va, const void *buf, uint64_t len,
                   struct anpu_mmu_fault *fault)
{
    return mmu_copy(c, env, va, NULL, buf, len, fault);
}

struct mmu_count {
    const struct anpu_mmu_env *env;
    uint64_t budget;
    uint64_t bytes;
    bool complete;
};

/* Whether leaf @pte of @size is an HBM page a translation would accept. */
static bool count_leaf(const struct mmu_count *k, uint64_t pte, uint64_t size)
{
    uint64_t addr = pte & VASCEND_PTE_ADDR_MASK;

    return (pte & VASCEND_PTE_HBM) && !(addr & (size - 1)) &&
           addr <= k->env->hbm_size && size <= k->env->hbm_size - addr;
}

static void count_table(struct mmu_count *k, uint64_t table, unsigned level)
{
    uint64_t ent[VASCEND_PT_ENTRIES];
    uint64_t pte;
    unsigned i;

    if (!k->budget) {
        k->complete = false;
        return;
    }
    if (k->env->table_read(k->env->opaque, table, ent, sizeof(ent))) {
        return;
    }
    for (i = 0; i < VASCEND_PT_ENTRIES; i++) {
        if (!k->budget) {
            k->complete = false;
            return;
        }
        k->budget--;
        pte = mmu_le64(&ent[i]);
        if (!(pte & VASCEND_PTE_VALID) || (pte & VASCEND_PTE_RSVD_MASK)) {
            continue;
        }
        if (pte & VASCEND_PTE_LARGE) {
            if (level == 1 && count_leaf(k, pte, VASCEND_LARGE_PAGE_SIZE)) {
                k->bytes += VASCEND_LARGE_PAGE_SIZE;
            }
        } else if (level == 0) {
            if (count_leaf(k, pte, VASCEND_PAGE_SIZE)) {
                k->bytes += VASCEND_PAGE_SIZE;
            }
        } else if (!(pte & VASCEND_PTE_HBM)) {
            count_table(k, pte & VASCEND_PTE_ADDR_MASK, level - 1);
        }
    }
}

uint64_t anpu_mmu_count_hbm(const struct anpu_mmu_env *env, uint64_t pt_root,
                            uint64_t budget, bool *complete)
{
    struct mmu_count k = {
        .env = env, .budget = budget, .bytes = 0, .complete = true,
    };

    if (anpu_mmu_root_valid(pt_root)) {
        count_table(&k, pt_root, MMU_TOP_LEVEL);
    }
    *complete = k.complete;
    return k.bytes;
}

const char *anpu_mmu_reason_name(uint32_t reason)
{
    static const char *const names[] = {
        [ANPU_MMU_FAULT_INVALID] = "invalid request",
        [VASCEND_MMU_FAULT_NOT_PRESENT] = "not present",
        [VASCEND_MMU_FAULT_READ_ONLY] = "read-only",
        [VASCEND_MMU_FAULT_BAD_PTE] = "bad PTE",
        [VASCEND_MMU_FAULT_ADDR_RANGE] = "address out of range",
        [VASCEND_MMU_FAULT_TABLE_DMA] = "page table unreadable",
        [VASCEND_MMU_FAULT_TARGET_DMA] = "target not RAM",
    };

    if (reason >= sizeof(names) / sizeof(names[0])) {
        return "unknown";
    }
    return names[reason];
}
