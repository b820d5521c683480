// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hostile guest at random, with fixed seeds: register and doorbell writes,
 * admin and IO SQEs with random fields, page tables full of random entries,
 * injected faults and resets, thrown at the core under ASan and UBSan. The
 * device must never crash, leak a guest RAM mapping or answer with a status
 * the contract does not define, and must still come up cleanly afterwards.
 */
#include "devtest.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: deterministic, good enough to pick fields. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(uint64_t n)
{
    return n ? rnd() % n : 0;
}

/* A VA: mostly in the mapped window, sometimes anywhere. */
static uint64_t rnd_va(void)
{
    switch (pick(4)) {
    case 0:
        return rnd();
    case 1:
        return pick(1ULL << 49);
    default:
        return 0x100000 + pick(4 << 20);
    }
}

static uint64_t rnd_len(void)
{
    switch (pick(4)) {
    case 0:
        return rnd();
    case 1:
        return pick(1 << 22);
    default:
        return pick(9000);
    }
}

static struct pt pt;
static unsigned int seen[VASCEND_CQE_STATUS_BUSY + 1], cqes, restarts;

/* Boot, admin queue, context 1 (partly random table), queues 1..3. */
static void bring_up(struct dt *t)
{
    static struct img im;
    uint64_t *p;
    int i;

    dt_fw_image(&im);
    dt_boot_image(t->e, &im);
    dt_admin_enable(t, ADEPTH);
    pt_init(&pt, t->e, PT_POOL, 0x100000);
    pt_map(&pt, 0x100000, DATA, 4 << 20, PT_W);
    pt_map2m(&pt, 0x40000000, 0, 4 << 20, PT_W | PT_HBM);
    /* A descriptor and event slots the random SQEs aim at. */
    desc_vadd(gptr(t->e, DATA + 0xe0000), VADD_ID, 0x40000000,
              0x40100000, 0x40200000, pick(100000));
    /* Random entries in the spare tables the next context uses. */
    p = gptr(t->e, PT_POOL + 0x100000);
    for (i = 0; i < 4 * 512; i++) {
        p[i] = pick(3) ? 0 : rnd() & ~VASCEND_PTE_RSVD_MASK;
        if (pick(2)) {
            p[i] = (PT_POOL + 0x100000 + pick(4) * 4096) | VASCEND_PTE_VALID;
        }
    }
    dt_create_ctx(t, 1, pt.root);
    dt_create_ctx(t, 2, PT_POOL + 0x100000);
    for (i = 1; i <= 3; i++) {
        dt_create_queue_co(t, i, i == 3 ? 2 : 1, 16, pick(8),
                           pick(3) ? 0 : pick(8), pick(3) ? 0 : pick(100));
    }
}

static int status_ok(uint16_t st)
{
    return st <= VASCEND_CQE_STATUS_BUSY;
}

/* An SQE: mostly well formed for its opcode with random values, else junk. */
static void rnd_sqe(struct vascend_sqe *s, int admin)
{
    unsigned int i;

    memset(s, 0, sizeof(*s));
    s->opcode = admin ? 0x80 + pick(15) : pick(8);
    s->task_id = rnd();
    if (!pick(8)) {
        s->opcode = rnd();
        s->flags = pick(2) ? rnd() : 0;
        for (i = 0; i < 7; i++) {
            s->u.raw[i] = pick(2) ? rnd() : 0;
        }
        return;
    }
    s->flags = pick(4) ? 0 : VASCEND_SQE_F_IRQ_NOW;
    switch (s->opcode) {
    case VASCEND_OP_MEMCPY:
        s->u.memcpy.src = rnd_va();
        s->u.memcpy.dst = rnd_va();
        s->u.memcpy.len = rnd_len();
        break;
    case VASCEND_OP_MEMSET:
        s->u.memset.dst = rnd_va();
        s->u.memset.len = rnd_len();
        s->u.memset.value = pick(300);
        break;
    case VASCEND_OP_EVENT_RECORD:
    case VASCEND_OP_EVENT_WAIT:
    case VASCEND_OP_NOTIFY:
        s->u.event.addr = pick(3) ? 0x1f0000 + pick(8) * 16 : rnd_va();
        s->u.event.value = pick(4);
        break;
    case VASCEND_OP_KERNEL_LAUNCH:
        *s = sqe_launch(pick(3) ? 0x1e0000 : rnd_va(), 64 + pick(400),
                        pick(20), pick(3) ? VADD_ID : pick(10));
        break;
    case VASCEND_ADMIN_IDENTIFY:
    case VASCEND_ADMIN_TELEMETRY:
    case VASCEND_ADMIN_GET_OP_TABLE:
        s->u.query.addr = pick(3) ? ANSWER : rnd();
        s->u.query.size = pick(5000);
        break;
    case VASCEND_ADMIN_CREATE_CONTEXT:
    case VASCEND_ADMIN_DELETE_CONTEXT:
    case VASCEND_ADMIN_RESET_CONTEXT:
        s->u.context.ctx_id = pick(5);
        if (s->opcode == VASCEND_ADMIN_CREATE_CONTEXT) {
            s->u.context.pt_root = pick(2) ? pt.root : rnd() & ~0xfffULL;
        }
        break;
    case VASCEND_ADMIN_CREATE_QUEUE:
        s->u.queue.qid = 4 + pick(4);
        s->u.queue.depth = 1U << pick(6);
        s->u.queue.sq_base = RING(s->u.queue.qid);
        s->u.queue.cq_base = RING(s->u.queue.qid) + RING_CQ;
        s->u.queue.ctx_id = pick(3);
        s->u.queue.vector = pick(9);
        break;
    case VASCEND_ADMIN_DELETE_QUEUE:
    case VASCEND_ADMIN_RESET_QUEUE:
        s->u.queue.qid = pick(9);
        break;
    case VASCEND_ADMIN_TLB_INVALIDATE:
        s->u.tlb.ctx_id = pick(4);
        s->u.tlb.va = rnd_va();
        s->u.tlb.size = rnd_len();
        break;
    case VASCEND_ADMIN_DEVICE_RESET:
        if (pick(4)) {
            s->opcode = VASCEND_ADMIN_FW_STATUS;
        }
        break;
    case VASCEND_ADMIN_HDC_SETUP:
        s->u.hdc.h2d_base = DATA + pick(4) * 0x10000;
        s->u.hdc.d2h_base = DATA + 0x40000;
        s->u.hdc.status_addr = DATA + 0x80000;
        s->u.hdc.slot_count = 1U << pick(6);
        s->u.hdc.slot_size = 256U << pick(3);
        s->u.hdc.vector = pick(9);
        break;
    default:
        break;
    }
}

static void one_run(uint64_t seed, unsigned int steps, int *bad_status)
{
    struct dt *t;
    struct vascend_sqe s;
    struct vascend_cqe c;
    unsigned int i, q;
    uint64_t off;

    rng_state = seed;
    t = dt_new_cfg(NULL, 0);
    t->e->quiet = 1;
    if (seed & 1) {
        env_jobs(t->e, JOBS_THREADS);
    }
    bring_up(t);
    for (i = 0; i < steps; i++) {
        switch (pick(10)) {
        case 0:
            rnd_sqe(&s, 1);
            dt_push(t, 0, &s);
            dt_ring(t, 0);
            break;
        case 1:
            off = pick(2) ? pick(0x400) & ~3ULL :
                  VASCEND_DOORBELL_BASE + pick(0x71000) * 4 % 0x70000;
            if (off == VASCEND_REG_RESET && pick(4)) {
                break;
            }
            wr(t->e, off, pick(2) ? pick(40) : (uint32_t)rnd());
            break;
        case 2:
            if (!pick(20)) {
                wr(t->e, VASCEND_REG_FAULT_INJECT, pick(6));
            }
            break;
        default:
            q = 1 + pick(3);
            rnd_sqe(&s, 0);
            dt_push(t, q, &s);
            dt_ring(t, q);
            break;
        }
        if (pick(3)) {
            env_process(t->e);
        }
        t->e->clock += pick(100000);
        if (!pick(50)) {
            env_fire_timer(t->e);
        }
        for (q = 0; q <= 3; q++) {
            while (t->q[q].depth && dt_reap(t, q, &c)) {
                if (!status_ok(c.status)) {
                    (*bad_status)++;
                } else {
                    seen[c.status]++;
                }
                cqes++;
                if (q && (c.flags & VASCEND_CQE_F_QUEUE_STOPPED) &&
                    pick(4)) {
                    s = sqe_op(VASCEND_ADMIN_RESET_QUEUE);
                    s.u.queue.qid = q;
                    dt_push(t, 0, &s);
                    dt_ring(t, 0);
                }
            }
        }
        if (rd(t->e, VASCEND_REG_FW_STATUS) != VASCEND_FW_STATUS_RUNNING ||
            !(rd(t->e, VASCEND_REG_AQ_STATUS) & VASCEND_AQ_STATUS_READY)) {
            restarts++;
            wr(t->e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
            env_process(t->e);
            memset(t->q, 0, sizeof(t->q));
            bring_up(t);
        }
    }
    env_process(t->e);
    dt_free(t);         /* bails out on a leaked mapping */
}

int main(void)
{
    int bad = 0;
    uint64_t seed;

    for (seed = 1; seed <= 8; seed++) {
        one_run(seed * 0x9e3779b97f4a7c15ULL | 1, 6000, &bad);
        one_run(seed * 0x9e3779b97f4a7c15ULL & ~1ULL, 6000, &bad);
    }
    printf("# %u CQEs, %u restarts; by status:", cqes, restarts);
    for (seed = 0; seed <= VASCEND_CQE_STATUS_BUSY; seed++) {
        printf(" %u", seen[seed]);
    }
    printf("\n");
    TAP_CHECK(cqes > 4000 && seen[0] > 1000 &&
              seen[VASCEND_CQE_STATUS_MMU_FAULT] > 100 &&
              seen[VASCEND_CQE_STATUS_OP_ERROR] > 0,
              "the random guest got far: CQEs of many kinds");
    TAP_CHECK(bad == 0, "16 runs of 6000 random guest actions: no crash, "
              "no leaked mapping, every CQE status defined (%d bad)", bad);
    return tap_done();
}
