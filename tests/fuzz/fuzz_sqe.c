// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the queues. The harness brings a device up as a driver
 * would (valid firmware, admin queue, contexts 1 and 2, IO queues 1..n with
 * input-chosen depths, vectors and coalescing, a page table mapping guest
 * pages, a 2 MiB HBM page and 4 KiB HBM pages), then the input plays the
 * guest: IO and admin SQEs (raw, or built from compact fields so that
 * addresses land in the mapped windows), doorbells, page-table entries, op
 * descriptors and any other guest memory, faults, failing DMA, the clock,
 * and when jobs run and come back. Then it runs the device until idle.
 *
 * Invariants, on top of fuzz_harness.h's (writes only to the CQ slot at a
 * tail, the admin answer buffer or the HDC ring; mappings; bookkeeping;
 * no missed wakeup): every CQE the driver reaps is well formed (defined
 * status, its own queue id, phase bit as the pass says, STOPPED exactly on
 * IO errors, consistent MMU fault info), nothing is mapped while no task is
 * in flight, and at the end every job is back and every mapping undone.
 */
#include "fuzz_harness.h"
#include "vascend_op.h"

#define RAM_SIZE        (512U << 10)
#define HBM_SIZE        (2U << 20)
#define MAX_STEPS       1000

/* Guest memory layout (bus addresses). */
#define FW_AT           (FZ_GUEST_BASE + 0x00000)
#define ASQ             (FZ_GUEST_BASE + 0x01000)
#define ACQ             (FZ_GUEST_BASE + 0x02000)
#define ANSWER          (FZ_GUEST_BASE + 0x03000)
#define PT_POOL         (FZ_GUEST_BASE + 0x08000)
#define PT_TABLES       8
#define RING(q)         (FZ_GUEST_BASE + 0x10000 + ((q) - 1) * 0x8000ULL)
#define RING_CQ         0x4000
#define RING_QUEUES     4
#define HDC_H2D         (FZ_GUEST_BASE + 0x30000)
#define HDC_D2H         (FZ_GUEST_BASE + 0x34000)
#define HDC_STATUS      (FZ_GUEST_BASE + 0x38000)
#define DATA            (FZ_GUEST_BASE + 0x40000)
#define DATA_SIZE       (RAM_SIZE - 0x40000)

/* Device VA windows of context 1's base mapping. */
#define VA_GUEST        0x100000ULL         /* DATA, 4 KiB pages */
#define VA_HBM_SMALL    0x400000ULL         /* HBM 1 MiB.., 4 KiB pages */
#define VA_HOLE         0x600000ULL         /* unmapped */
#define VA_HBM_LARGE    0x40000000ULL       /* HBM 0, one 2 MiB page */
#define HBM_SMALL_PAGES 64

static const uint64_t va_base[] = {
    VA_GUEST, VA_HBM_LARGE, VA_HBM_SMALL, VA_HOLE,
};

static struct fz_mem mem;
static struct fz_dev fd;
static struct img im;
/* SQEs written to a queue since its doorbell was last rung. */
static uint32_t pending[ANPU_MAX_QUEUES];
static uint32_t next_task;
static bool cq_unreliable;
static uint64_t last_desc_va;
static uint32_t last_desc_size;

#define PT(i)           (PT_POOL + (uint64_t)(i) * 4096)

static void pte_set(unsigned int table, unsigned int idx, uint64_t pte)
{
    uint64_t *t = fz_ram_ptr(&mem, PT(table), 4096);

    t[idx % 512] = pte;
}

/*
 * Context 1: root table 0 -> table 1 (level 2) -> table 2 (level 1) ->
 * table 3 (level 0, VA 0..2 MiB) and table 5 (level 0, VA 4..6 MiB);
 * table 1 -> table 4 (level 1, VA 1 GiB..) with the 2 MiB HBM page.
 * Tables 6 and 7 are spare (context 2's root is table 6).
 */
static void base_mapping(void)
{
    unsigned int i;

    pte_set(0, 0, PT(1) | VASCEND_PTE_VALID);
    pte_set(1, 0, PT(2) | VASCEND_PTE_VALID);
    pte_set(1, 1, PT(4) | VASCEND_PTE_VALID);
    pte_set(2, 0, PT(3) | VASCEND_PTE_VALID);
    pte_set(2, 2, PT(5) | VASCEND_PTE_VALID);
    for (i = 0; i < DATA_SIZE / 4096; i++) {
        pte_set(3, VASCEND_PT_INDEX(VA_GUEST, 0) + i,
                (DATA + i * 4096ULL) | VASCEND_PTE_WRITE | VASCEND_PTE_VALID);
    }
    for (i = 0; i < HBM_SMALL_PAGES; i++) {
        pte_set(5, i, ((1ULL << 20) + i * 4096ULL) | VASCEND_PTE_HBM |
                VASCEND_PTE_WRITE | VASCEND_PTE_VALID);
    }
    pte_set(4, 0, VASCEND_PTE_HBM | VASCEND_PTE_LARGE | VASCEND_PTE_WRITE |
            VASCEND_PTE_VALID);
}

/* A value: a window base plus an offset, or anything. */
static uint64_t in_va(struct fin *in)
{
    uint8_t sel = fin_u8(in);

    if (sel >= 0xc0) {
        return fin_u64(in);
    }
    return va_base[sel % 4] +
           (fin_u32(in) & ((1U << (8 + (sel >> 2) % 16)) - 1));
}

static uint64_t in_len(struct fin *in)
{
    uint8_t sel = fin_u8(in);

    switch (sel >> 6) {
    case 0:
        return sel;
    case 1:
        return fin_u16(in);
    case 2:
        return fin_u32(in) & 0x3fffff;
    default:
        return fin_u64(in);
    }
}

/* A page-table entry: to guest memory, HBM, a pool table, or anything. */
static uint64_t in_pte(struct fin *in)
{
    uint8_t sel = fin_u8(in);
    uint64_t flags = sel & 0xf;
    uint32_t v = fin_u32(in);

    switch (sel >> 4) {
    case 0:
    case 1:
        return (FZ_GUEST_BASE + (v % (RAM_SIZE / 4096)) * 4096ULL) | flags;
    case 2:
    case 3:
        return ((v % (HBM_SIZE / 4096)) * 4096ULL) | VASCEND_PTE_HBM | flags;
    case 4:
    case 5:
        return PT(v % PT_TABLES) | flags;
    case 6:
        return ((uint64_t)(v % 4) << 21) | VASCEND_PTE_LARGE | flags;
    case 7:
        return (FZ_GUEST_BASE + ((uint64_t)(v % 2) << 21)) |
               VASCEND_PTE_LARGE | flags;
    default:
        return fin_u64(in);
    }
}

/* Write @sqe at queue @qid's next free slot (as far as the driver knows). */
static void push(unsigned int qid, const struct vascend_sqe *sqe)
{
    const struct anpu_queue *q = &fd.dev.queues[qid];
    uint64_t addr;

    if (!q->exists) {
        return;
    }
    addr = q->sq_base +
           (uint64_t)((q->sq_tail + pending[qid]) & (q->depth - 1)) *
           VASCEND_SQE_SIZE;
    if (fz_in_ram(&mem, addr, sizeof(*sqe))) {
        fz_mem_write(&mem, addr, sqe, sizeof(*sqe));
    }
    pending[qid]++;
}

static void ring(unsigned int qid)
{
    const struct anpu_queue *q = &fd.dev.queues[qid];

    if (q->exists) {
        fz_wr(&fd, VASCEND_DOORBELL(qid) + VASCEND_DB_SQ_TAIL,
              (q->sq_tail + pending[qid]) & (q->depth - 1));
    }
    pending[qid] = 0;
}

/* A reaped CQE of queue @qid in slot @slot must be what the contract says. */
static FZ_NOCOV void check_cqe(unsigned int qid, uint32_t slot,
                      const struct vascend_cqe *c)
{
    const struct anpu_queue *q = &fd.dev.queues[qid];
    bool phase = slot < q->cq_tail ? q->cq_phase : !q->cq_phase;
    unsigned int reason, access, level;

    FZ_LOG("cqe q%u task %u status 0x%x info 0x%x result 0x%llx\n", qid,
           c->task_id, c->status, c->info, (unsigned long long)c->result);
    FZ_CHECK(c->status <= VASCEND_CQE_STATUS_BUSY,
             "queue %u: CQE status 0x%x", qid, c->status);
    FZ_CHECK(c->sq_id == qid, "queue %u: CQE for sq %u", qid, c->sq_id);
    FZ_CHECK(c->sq_head < q->depth, "queue %u: CQE sq_head %u", qid,
             c->sq_head);
    FZ_CHECK(!(c->flags & ~(VASCEND_CQE_F_PHASE |
                            VASCEND_CQE_F_QUEUE_STOPPED)) &&
             !c->rsvd[0] && !c->rsvd[1] && !c->rsvd[2],
             "queue %u: CQE reserved bits", qid);
    FZ_CHECK(!!(c->flags & VASCEND_CQE_F_PHASE) == phase,
             "queue %u: CQE in slot %u has the wrong phase", qid, slot);
    FZ_CHECK(!!(c->flags & VASCEND_CQE_F_QUEUE_STOPPED) ==
             (qid && c->status), "queue %u: STOPPED flag 0x%x with status "
             "0x%x", qid, c->flags, c->status);
    FZ_CHECK(c->end_ts >= c->start_ts, "queue %u: CQE ends before it "
             "starts", qid);
    if (c->status == VASCEND_CQE_STATUS_MMU_FAULT) {
        access = c->info & 0xff;
        reason = VASCEND_FAULT_REASON(c->info);
        level = VASCEND_FAULT_LEVEL(c->info);
        FZ_CHECK(qid && (access == VASCEND_FAULT_ACCESS_READ ||
                         access == VASCEND_FAULT_ACCESS_WRITE) &&
                 reason >= VASCEND_MMU_FAULT_NOT_PRESENT &&
                 reason <= VASCEND_MMU_FAULT_TARGET_DMA && level <= 3 &&
                 !(c->info >> 24), "queue %u: MMU fault info 0x%x", qid,
                 c->info);
        FZ_CHECK(reason != VASCEND_MMU_FAULT_READ_ONLY ||
                 access == VASCEND_FAULT_ACCESS_WRITE,
                 "queue %u: read-only fault on a read", qid);
        FZ_CHECK(reason != VASCEND_MMU_FAULT_TARGET_DMA || level <= 1,
                 "queue %u: target fault at table level %u", qid, level);
        FZ_CHECK(reason != VASCEND_MMU_FAULT_ADDR_RANGE ||
                 c->result < (1ULL << VASCEND_VA_BITS) || level == 3,
                 "queue %u: VA range fault at level %u", qid, level);
    }
}

/* The driver takes every CQE the device posted on @qid and frees the slots. */
static void reap(unsigned int qid)
{
    const struct anpu_queue *q = &fd.dev.queues[qid];
    struct vascend_cqe c;
    uint32_t slot;
    uint64_t addr;
    bool dirty;

    if (!q->exists) {
        return;
    }
    /* A ring the guest (or a task it ordered) wrote over says nothing. */
    dirty = fd.cq_dirty & (1ULL << qid);
    fd.cq_dirty &= ~(1ULL << qid);
    for (slot = q->cq_head; slot != q->cq_tail;
         slot = (slot + 1) & (q->depth - 1)) {
        addr = q->cq_base + (uint64_t)slot * VASCEND_CQE_SIZE;
        if (cq_unreliable || dirty || !fz_in_ram(&mem, addr, sizeof(c))) {
            continue;
        }
        memcpy(&c, mem.ram + (addr - FZ_GUEST_BASE), sizeof(c));
        check_cqe(qid, slot, &c);
    }
    fz_wr(&fd, VASCEND_DOORBELL(qid) + VASCEND_DB_CQ_HEAD, q->cq_tail);
}

static void reap_all(void)
{
    unsigned int i;

    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        reap(i);
    }
}

/* Run one admin command during bring-up; returns its CQE status. */
static uint16_t admin(struct vascend_sqe *s)
{
    const struct anpu_queue *q = &fd.dev.queues[0];
    uint32_t slot = q->cq_head;
    struct vascend_cqe c;

    s->task_id = ++next_task;
    push(0, s);
    ring(0);
    fz_settle(&fd);
    if (q->cq_tail == slot) {
        return 0xffff;
    }
    memcpy(&c, mem.ram + (q->cq_base + slot * 64ULL - FZ_GUEST_BASE),
           sizeof(c));
    reap(0);
    return c.task_id == s->task_id ? c.status : 0xfffe;
}

static void bring_up(struct fin *in)
{
    struct vascend_sqe s;
    uint8_t flags = fin_u8(in);
    unsigned int nq = 1 + flags % 3, qid;
    uint8_t b;

    fz_fw_standard(&im);
    fz_fw_boot(&fd, &im, FW_AT);
    fz_settle(&fd);
    FZ_CHECK(fd.dev.fw_status == VASCEND_FW_STATUS_RUNNING,
             "harness firmware did not boot");
    fz_wr64(&fd, VASCEND_REG_AQ_SQ_BASE_LO, ASQ);
    fz_wr64(&fd, VASCEND_REG_AQ_CQ_BASE_LO, ACQ);
    fz_wr(&fd, VASCEND_REG_AQ_DEPTH, 4U << (flags >> 2 & 3));
    fz_wr(&fd, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE);
    FZ_CHECK(fz_rd(&fd, VASCEND_REG_AQ_STATUS) == VASCEND_AQ_STATUS_READY,
             "admin queue did not come up");
    if (!(flags & 0x80)) {
        base_mapping();
    }
    memset(&s, 0, sizeof(s));
    s.opcode = VASCEND_ADMIN_CREATE_CONTEXT;
    s.u.context.ctx_id = 1;
    s.u.context.pt_root = PT(0);
    FZ_CHECK(admin(&s) == 0, "CREATE_CONTEXT 1 failed");
    s.u.context.ctx_id = 2;
    s.u.context.pt_root = PT(6);
    FZ_CHECK(admin(&s) == 0, "CREATE_CONTEXT 2 failed");
    for (qid = 1; qid <= nq; qid++) {
        memset(&s, 0, sizeof(s));
        s.opcode = VASCEND_ADMIN_CREATE_QUEUE;
        b = fin_u8(in);
        s.u.queue.qid = qid;
        s.u.queue.ctx_id = qid == 3 ? 2 : 1;
        s.u.queue.depth = 2U << (b % 7);
        s.u.queue.vector = b >> 5;
        s.u.queue.sq_base = RING(qid);
        s.u.queue.cq_base = RING(qid) + RING_CQ;
        if (b & 0x08) {
            s.u.queue.coalesce_count = fin_u8(in) % 8;
            s.u.queue.coalesce_usecs = fin_u8(in) % 64;
        }
        FZ_CHECK(admin(&s) == 0, "CREATE_QUEUE %u failed", qid);
    }
}

/* An IO SQE from compact fields, addresses mostly in the mapped windows. */
static void io_sqe(struct fin *in, struct vascend_sqe *s)
{
    uint8_t op = fin_u8(in);

    memset(s, 0, sizeof(*s));
    s->opcode = op & 7;
    if (s->opcode == 7) {
        s->opcode = fin_u8(in);
    }
    s->flags = op & 8 ? VASCEND_SQE_F_IRQ_NOW : 0;
    switch (s->opcode) {
    case VASCEND_OP_MEMCPY:
        s->u.memcpy.src = in_va(in);
        s->u.memcpy.dst = in_va(in);
        s->u.memcpy.len = in_len(in);
        break;
    case VASCEND_OP_MEMSET:
        s->u.memset.dst = in_va(in);
        s->u.memset.len = in_len(in);
        s->u.memset.value = fin_u8(in);
        break;
    case VASCEND_OP_EVENT_RECORD:
    case VASCEND_OP_EVENT_WAIT:
    case VASCEND_OP_NOTIFY:
        s->u.event.addr = in_va(in) & ~(op & 0x10 ? 0ULL : 15ULL);
        s->u.event.value = fin_u8(in);
        break;
    case VASCEND_OP_KERNEL_LAUNCH:
        if (op & 0x40) {
            /* The descriptor the last descriptor step wrote. */
            s->u.launch.desc = last_desc_va;
            s->u.launch.desc_size = last_desc_size;
        } else {
            s->u.launch.desc = in_va(in);
            s->u.launch.desc_size = fin_u16(in);
        }
        s->u.launch.block_dim = fin_u8(in) % 40;
        s->u.launch.op_id = op & 0x10 ? fin_u8(in) : FZ_VADD_ID;
        break;
    default:
        break;
    }
    if (op & 0x20) {
        /* One field wrong somewhere. */
        ((uint8_t *)s)[fin_u8(in) % sizeof(*s)] = fin_u8(in);
    }
}

/* An admin SQE from compact fields. */
static void admin_sqe(struct fin *in, struct vascend_sqe *s)
{
    uint8_t op = fin_u8(in), b;

    memset(s, 0, sizeof(*s));
    s->opcode = VASCEND_ADMIN_IDENTIFY + (op & 0x3f) % 15;
    switch (s->opcode) {
    case VASCEND_ADMIN_IDENTIFY:
    case VASCEND_ADMIN_TELEMETRY:
    case VASCEND_ADMIN_GET_OP_TABLE:
        s->u.query.addr = op & 0x80 ? fin_u64(in) : ANSWER;
        s->u.query.size = fin_u16(in);
        break;
    case VASCEND_ADMIN_CREATE_CONTEXT:
    case VASCEND_ADMIN_DELETE_CONTEXT:
    case VASCEND_ADMIN_RESET_CONTEXT:
        s->u.context.ctx_id = fin_u8(in) % 5;
        if (s->opcode == VASCEND_ADMIN_CREATE_CONTEXT) {
            s->u.context.pt_root = op & 0x80 ? fin_u64(in) :
                                   PT(fin_u8(in) % PT_TABLES);
        }
        break;
    case VASCEND_ADMIN_CREATE_QUEUE:
        b = fin_u8(in);
        s->u.queue.qid = 1 + b % RING_QUEUES;
        s->u.queue.ctx_id = fin_u8(in) % 4;
        s->u.queue.depth = 1U << (fin_u8(in) % 9);
        s->u.queue.vector = fin_u8(in) % 9;
        s->u.queue.sq_base = RING(s->u.queue.qid);
        s->u.queue.cq_base = RING(s->u.queue.qid) + RING_CQ;
        if (b & 0x80) {
            s->u.queue.cq_base = s->u.queue.sq_base;
        }
        if (b & 0x40) {
            s->u.queue.coalesce_count = fin_u8(in) % 8;
            s->u.queue.coalesce_usecs = fin_u8(in) % 64;
        }
        break;
    case VASCEND_ADMIN_DELETE_QUEUE:
    case VASCEND_ADMIN_RESET_QUEUE:
        s->u.queue.qid = fin_u8(in) % 6;
        break;
    case VASCEND_ADMIN_TLB_INVALIDATE:
        s->u.tlb.ctx_id = fin_u8(in) % 3;
        s->u.tlb.va = in_va(in);
        s->u.tlb.size = in_len(in);
        break;
    case VASCEND_ADMIN_HDC_SETUP:
        b = fin_u8(in);
        s->u.hdc.h2d_base = HDC_H2D;
        s->u.hdc.d2h_base = HDC_D2H;
        s->u.hdc.status_addr = HDC_STATUS;
        /* 16 KiB rings: 2..64 slots of 256..8192 bytes. */
        s->u.hdc.slot_size = 256U << (b % 6);
        s->u.hdc.slot_count = 1U << (1 + (b >> 3) % (6 - b % 6));
        s->u.hdc.vector = fin_u8(in) % 9;
        break;
    default:
        break;
    }
    if (op & 0x40) {
        ((uint8_t *)s)[fin_u8(in) % sizeof(*s)] = fin_u8(in);
    }
}

/*
 * An op descriptor at a DATA offset: TestVectorAdd's (c = a + b, fp32, n
 * elements), or with other tensor counts, dtypes, formats and shapes, with
 * attributes, and perhaps one byte off. Its VA and size are remembered for
 * a launch that names "the last descriptor".
 */
static void descriptor(struct fin *in)
{
    static const char *const names[] = { "axis", "", "keep_dims", "alpha" };
    uint8_t buf[1024];
    struct vascend_op_desc *h = (void *)buf;
    struct vascend_tensor_desc *t = (void *)(h + 1);
    struct vascend_op_attr *a;
    uint32_t off8 = fin_u16(in), nt, na, i, k, bytes;
    int64_t n = fin_u16(in);
    uint8_t b = fin_u8(in);
    uint64_t addr;

    memset(buf, 0, sizeof(buf));
    h->magic = VASCEND_OP_DESC_MAGIC;
    h->version = VASCEND_OP_DESC_VERSION;
    h->header_size = sizeof(*h);
    h->op_id = FZ_VADD_ID;
    h->num_inputs = 2;
    h->num_outputs = 1;
    if (b & 4) {
        h->num_inputs = fin_u8(in) % 5;
        h->num_outputs = fin_u8(in) % 3;
    }
    nt = h->num_inputs + h->num_outputs;
    for (i = 0; i < nt; i++) {
        t[i].addr = in_va(in);
        t[i].size = (uint64_t)n * 4;
        t[i].format = 2;
        t[i].ndim = 1;
        t[i].dims[0] = n;
        if (b & 8) {
            t[i].dtype = fin_u8(in) % 30;
            t[i].format = fin_u8(in) % 4;
            t[i].ndim = fin_u8(in) % 10;
            t[i].dims[1] = (int16_t)fin_u16(in);
            t[i].size = fin_u32(in);
        }
    }
    h->attr_offset = sizeof(*h) + nt * sizeof(*t);
    k = h->attr_offset;
    na = b & 2 ? 1 + fin_u8(in) % 3 : 0;
    for (i = 0; i < na; i++) {
        a = (void *)(buf + k);
        snprintf(a->name, sizeof(a->name), "%s", names[fin_u8(in) % 4]);
        a->type = fin_u8(in) % 6;
        a->count = fin_u8(in) % 9;
        k += sizeof(*a);
        bytes = a->type == VASCEND_ATTR_INT ? 8 * a->count :
                a->type == VASCEND_ATTR_FLOAT ? 4 * a->count : a->count;
        bytes = (bytes + 7) & ~7U;
        fin_bytes(in, buf + k, bytes);
        k += bytes;
    }
    h->attr_count = na;
    h->total_size = k;
    if (b & 1) {
        buf[fin_u16(in) % k] = fin_u8(in);
    }
    addr = DATA + (off8 * 8ULL) % (DATA_SIZE - k);
    fz_mem_write(&mem, addr, buf, k);
    last_desc_va = VA_GUEST + (addr - DATA);
    last_desc_size = k;
}

static void hdc_slot(struct fin *in)
{
    const struct anpu_hdc *h = &fd.dev.hdc;
    uint8_t slot[32 + 256];
    uint32_t len = 32 + fin_u8(in);
    uint64_t addr;

    fin_bytes(in, slot, len);
    if (!h->up) {
        return;
    }
    addr = h->h2d_base +
           (uint64_t)(h->h2d_tail & (h->slot_count - 1)) * h->slot_size;
    if (len > h->slot_size) {
        len = h->slot_size;
    }
    if (fz_in_ram(&mem, addr, len)) {
        fz_mem_write(&mem, addr, slot, len);
    }
    fz_wr(&fd, VASCEND_DOORBELL_HDC + VASCEND_HDC_DB_H2D_TAIL,
          h->h2d_tail + 1);
}

/* No task in flight anywhere: then nothing may be mapped. */
static void check_no_maps(void)
{
    unsigned int i;

    if (fd.dev.jobs_out) {
        return;
    }
    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        if (fd.dev.queues[i].task) {
            return;
        }
    }
    FZ_CHECK(mem.maps_out == 0, "%llu guest RAM mappings with no task in "
             "flight", (unsigned long long)mem.maps_out);
}

static void step(struct fin *in)
{
    struct vascend_sqe s;
    uint8_t op = fin_u8(in), b;
    uint64_t addr;
    uint8_t buf[256];
    unsigned int qid;

    switch ((op & 0x7f) % 20) {
    case 0:
    case 1:
    case 2:
        qid = 1 + fin_u8(in) % RING_QUEUES;
        io_sqe(in, &s);
        s.task_id = ++next_task;
        push(qid, &s);
        if (op & 0x80) {
            ring(qid);
        }
        break;
    case 3:
        qid = fin_u8(in) % (RING_QUEUES + 1);
        fin_bytes(in, &s, sizeof(s));
        push(qid, &s);
        if (op & 0x80) {
            ring(qid);
        }
        break;
    case 4:
        admin_sqe(in, &s);
        s.task_id = ++next_task;
        push(0, &s);
        if (!(op & 0x80)) {
            ring(0);
        }
        break;
    case 5:
        ring(fin_u8(in) % (RING_QUEUES + 1));
        break;
    case 6:
        b = fin_u8(in);
        if (b & 0x80) {
            reap_all();
        } else {
            reap(b % (RING_QUEUES + 1));
        }
        break;
    case 7:
        b = fin_u8(in);
        pte_set(b % PT_TABLES, fin_u16(in), in_pte(in));
        break;
    case 8:
        b = fin_u8(in);
        addr = b & 0x80 ? FZ_GUEST_BASE + fin_u32(in) % RAM_SIZE :
               DATA + fin_u16(in) % DATA_SIZE;
        b = 1 + fin_u8(in);
        fin_bytes(in, buf, b);
        if (fz_in_ram(&mem, addr, b)) {
            fz_mem_write(&mem, addr, buf, b);
        }
        break;
    case 9:
        descriptor(in);
        break;
    case 10:
        fz_settle(&fd);
        break;
    case 11:
        if (fd.bh) {
            fz_bh(&fd);
        }
        break;
    case 12:
        fz_run_jobs(&fd, 1 + fin_u8(in) % 4);
        break;
    case 13:
        fd.clock += fin_u16(in) * 64ULL;
        fz_timer_check(&fd);
        break;
    case 14:
        b = fin_u8(in);
        switch (b >> 6) {
        case 0:
            mem.fail_read = b & 1;
            mem.fail_write = b & 2;
            cq_unreliable |= mem.fail_write;
            mem.block = b & 0x3c ? 256ULL << (b >> 2 & 7) : 0;
            break;
        case 1:
            /* Admin queue off (and everything with it) or on again. */
            fz_wr(&fd, VASCEND_REG_AQ_CTRL, b & 0x21);
            pending[0] = 0;
            break;
        default:
            fz_wr(&fd, VASCEND_REG_FAULT_INJECT, (b & 0x3f) % 6);
            break;
        }
        break;
    case 15:
        b = fin_u8(in);
        qid = (b >> 1) % (RING_QUEUES + 2);
        if (qid > RING_QUEUES) {
            fz_wr(&fd, VASCEND_DOORBELL_HDC + (b & 1) * 4, fin_u32(in));
        } else {
            fz_wr(&fd, VASCEND_DOORBELL(qid) + (b & 1) * 4, fin_u16(in));
        }
        break;
    case 16:
        hdc_slot(in);
        break;
    case 17:
        fz_wr(&fd, VASCEND_DOORBELL_HDC + VASCEND_HDC_DB_D2H_HEAD,
              fd.dev.hdc.d2h_tail);
        break;
    case 18:
        /* An event slot's value, as the host CPU would set it. */
        addr = DATA + (fin_u16(in) * 8ULL) % DATA_SIZE;
        *(uint64_t *)fz_ram_ptr(&mem, addr, 8) = fin_u8(in);
        break;
    default:
        /* Rarely: an FLR (the device comes back with nothing set up). */
        if ((op & 0x80) && (fin_u8(in) & 1)) {
            fz_flr(&fd);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct anpu_config cfg;
    unsigned int steps;
    uint8_t b;

    if (!mem.ram) {
        fz_mem_init(&mem, RAM_SIZE, HBM_SIZE);
    }
    last_desc_va = VA_GUEST;
    last_desc_size = 0;
    memset(pending, 0, sizeof(pending));
    next_task = 0;
    cq_unreliable = false;
    /* Config byte: AI Cores (bits 1:0), scheduling (4:2), clock (7:5). */
    b = fin_u8(&in);
    fz_config(&cfg, 1 + b % 4, HBM_SIZE);
    fz_dev_init(&fd, &mem, &cfg);
    fd.sched = (b >> 2 & 7) * 0x9e3779b9U;
    fd.clock_step = (b >> 5) * 250;
    bring_up(&in);
    for (steps = 0; steps < MAX_STEPS && fin_more(&in); steps++) {
        step(&in);
    }
    mem.fail_read = mem.fail_write = false;
    fz_settle(&fd);
    reap_all();
    fz_settle(&fd);
    reap_all();
    fz_settle(&fd);
    check_no_maps();
    for (steps = 0; steps < ANPU_MAX_QUEUES && fz_verbose(); steps++) {
        const struct anpu_queue *q = &fd.dev.queues[steps];

        if (q->exists) {
            FZ_LOG("queue %u: sq %u..%u cq %u..%u%s%s%s\n", steps,
                   q->sq_head, q->sq_tail, q->cq_head, q->cq_tail,
                   q->stopped ? " stopped" : "", q->task ? " busy" : "",
                   q->cqe_pending ? " cqe-pending" : "");
        }
    }
    fz_probe_idle(&fd);
    fz_dev_finish(&fd);
    return 0;
}
