// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IO queues of the ascend-npu core: every task type through a context's
 * page table, CQE contents, ordering within a queue and concurrency across
 * queues, events across queues, notify, coalescing, phase wrap-around, CQ
 * back-pressure, queue stop and recovery, MMU fault CQEs, and the negative
 * cases (opcodes, reserved bits, unused words, lengths, doorbells).
 */
#include "devtest.h"

#define VA_RAM          0x100000ULL     /* 1 MiB of DATA, 4 KiB pages */
#define VA_RO           0x400000ULL     /* 64 KiB of DATA + 1 MiB, read-only */
#define VA_SCAT         0x800000ULL     /* 16 pages of DATA + 2 MiB, reversed */
#define VA_NOTRAM       0x900000ULL     /* a page of bus space that is not RAM */
#define VA_BADHBM       0xa00000ULL     /* a page past the end of HBM */
#define VA_HBM          0x10000000ULL   /* 8 MiB of HBM, 2 MiB pages */
#define VA_EV           (VA_RAM + 0xf0000)

static struct pt pt;

static uint8_t *ram(struct dt *t, uint64_t off)
{
    return gptr(t->e, DATA + off);
}

/* A device with context 1 (the mappings above) and queue 1 of @depth. */
static struct dt *setup(uint32_t depth)
{
    struct dt *t = dt_new();
    int i;

    pt_init(&pt, t->e, PT_POOL, PT_POOL_SIZE);
    pt_map(&pt, VA_RAM, DATA, 1 << 20, PT_W);
    pt_map(&pt, VA_RO, DATA + (1 << 20), 64 << 10, 0);
    for (i = 0; i < 16; i++) {
        pt_map(&pt, VA_SCAT + i * 4096ULL, DATA + (2 << 20) + (15 - i) * 4096ULL,
               4096, PT_W);
    }
    pt_map(&pt, VA_NOTRAM, 0xf0000000ULL, 4096, PT_W);
    pt_map(&pt, VA_BADHBM, DT_HBM_SIZE, 4096, PT_W | PT_HBM);
    pt_map2m(&pt, VA_HBM, 0, 8 << 20, PT_W | PT_HBM);
    if (dt_create_ctx(t, 1, pt.root) || dt_create_queue(t, 1, 1, depth)) {
        printf("Bail out! context or queue setup failed\n");
        exit(1);
    }
    return t;
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 31 + seed);
    }
}

static void test_nop(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s = sqe_op(VASCEND_OP_NOP);
    struct vascend_cqe c;
    unsigned int irq = t->e->irqs[2];

    s.task_id = 0xabcdef;
    t->e->clock += 777;
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0, "NOP: SUCCESS");
    TAP_CHECK(c.task_id == 0xabcdef && c.sq_id == 1 && c.sq_head == 1 &&
              c.flags == VASCEND_CQE_F_PHASE && c.info == 0 &&
              c.result == 0 && !c.rsvd[0] && !c.rsvd[1] && !c.rsvd[2],
              "NOP CQE: task id, queue, SQ head 1, phase 1, nothing else");
    TAP_CHECK(c.start_ts >= 777 && c.end_ts >= c.start_ts,
              "NOP CQE: timestamps from the device clock (%llu, %llu)",
              (unsigned long long)c.start_ts,
              (unsigned long long)c.end_ts);
    TAP_CHECK(t->e->irqs[2] == irq + 1, "the queue's vector 2 fired once");
    s = sqe_op(VASCEND_OP_NOP);
    s.u.raw[6] = 1;
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_INVALID_FIELD &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "NOP with an unused word set: INVALID_FIELD, queue stopped");
    dt_free(t);
}

static void test_memcpy(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;

    fill(ram(t, 0x100), 40000, 1);
    s = sqe_memcpy(VA_HBM + 0x1234, VA_RAM + 0x100, 40000);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && c.result == 40000,
              "MEMCPY RAM -> HBM: SUCCESS, result 40000 bytes");
    TAP_CHECK(!memcmp(t->e->hbm + 0x1234, ram(t, 0x100), 40000) &&
              t->e->hbm[0x1233] == 0 && t->e->hbm[0x1234 + 40000] == 0,
              "the bytes arrived in HBM, nothing around them");
    s = sqe_memcpy(VA_HBM + (3 << 20) - 100, VA_HBM + 0x1234, 40000);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0 &&
              !memcmp(t->e->hbm + (3 << 20) - 100, ram(t, 0x100), 40000),
              "MEMCPY HBM -> HBM across a 2 MiB page boundary");
    s = sqe_memcpy(VA_SCAT + 5, VA_HBM + (3 << 20) - 100, 40000);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0, "MEMCPY HBM -> scattered RAM");
    TAP_CHECK(!memcmp(ram(t, (2 << 20) + 15 * 4096 + 5), ram(t, 0x100),
                      4096 - 5) &&
              !memcmp(ram(t, (2 << 20) + 14 * 4096), ram(t, 0x100 + 4091),
                      4096) &&
              !memcmp(ram(t, (2 << 20) + 6 * 4096),
                      ram(t, 0x100 + 4091 + 8 * 4096), 40000 - 4091 - 8 * 4096),
              "each page of a reversed mapping got its part");
    s = sqe_memcpy(VA_RAM + 0x80000, VA_SCAT + 5, 40000);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0 &&
              !memcmp(ram(t, 0x80000), ram(t, 0x100), 40000),
              "MEMCPY scattered RAM -> RAM round trip");
    s = sqe_memcpy(VA_RAM + 0x80000, VA_RO, 4096);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0, "reading a read-only page is fine");
    TAP_CHECK(t->e->maps_out == 0, "every guest RAM mapping was undone");
    dt_free(t);
}

static void test_memcpy_refusals(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;

    s = sqe_memcpy(VA_HBM, VA_RAM, 0);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_INVALID_FIELD &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "MEMCPY of 0 bytes: INVALID_FIELD, queue stopped");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0xffff,
              "a stopped queue runs nothing more");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, &c) == 0 &&
              c.result == 1,
              "RESET_QUEUE drops the 1 waiting SQE (result %llu)",
              (unsigned long long)c.result);
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && c.sq_head == 3,
              "after RESET_QUEUE the queue runs again");
    s = sqe_memcpy(VA_HBM, VA_RAM, VASCEND_MAX_XFER_LEN + 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_TOO_LARGE,
              "MEMCPY above 64 MiB: TOO_LARGE");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_memcpy(VA_HBM + 100, VA_HBM, 200);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "overlapping MEMCPY: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_memcpy(VA_HBM, VA_RAM, 64);
    s.u.raw[3] = 1;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "MEMCPY with an unused word set: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_op(0x07);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_INVALID_OPCODE &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "IO opcode 0x07: INVALID_OPCODE");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_op(VASCEND_ADMIN_IDENTIFY);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_OPCODE,
              "an admin opcode on an IO queue: INVALID_OPCODE");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_op(VASCEND_OP_NOP);
    s.flags = 2;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "SQE flag bit 1: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_op(VASCEND_OP_NOP);
    s.rsvd0 = 0x100;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "SQE rsvd0: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_memset(VA_HBM, 1, 16);
    s.u.memset.value = 0x101;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "MEMSET value above 8 bits: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_memset(VA_HBM, 1, 16);
    s.u.memset.rsvd = 1;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "MEMSET rsvd: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_memset(VA_HBM, 1, VASCEND_MAX_XFER_LEN + 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_TOO_LARGE,
              "MEMSET above 64 MiB: TOO_LARGE");
    dt_free(t);
}

static void test_memset(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;
    size_t i;
    int ok = 1;

    memset(ram(t, 0), 0x11, 16384);
    s = sqe_memset(VA_RAM + 3, 0xab, 9000);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && c.result == 9000,
              "MEMSET 9000 bytes: SUCCESS");
    for (i = 0; i < 16384; i++) {
        ok &= ram(t, 0)[i] == ((i >= 3 && i < 9003) ? 0xab : 0x11);
    }
    TAP_CHECK(ok, "exactly the bytes asked for were set");
    s = sqe_memset(VA_HBM + (2 << 20) - 10, 0x5c, 20);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0 &&
              t->e->hbm[(2 << 20) - 10] == 0x5c &&
              t->e->hbm[(2 << 20) + 9] == 0x5c &&
              t->e->hbm[(2 << 20) + 10] == 0,
              "MEMSET across a 2 MiB HBM page boundary");
    dt_free(t);
}

static void test_mmu_faults(void)
{
    struct dt *t = setup(8);
    struct vascend_telemetry *tm = gptr(t->e, ANSWER);
    struct vascend_sqe s;
    struct vascend_cqe c;

    s = sqe_memcpy(VA_HBM, 0x5000000ULL + 0x10, 64);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "MEMCPY from an unmapped VA: MMU_FAULT, queue stopped");
    TAP_CHECK(c.result == 0x5000010ULL &&
              (c.info & 0xff) == VASCEND_FAULT_ACCESS_READ &&
              VASCEND_FAULT_REASON(c.info) == VASCEND_MMU_FAULT_NOT_PRESENT,
              "fault CQE: result is the VA 0x%llx, access READ, reason "
              "NOT_PRESENT (info 0x%x)", (unsigned long long)c.result,
              c.info);
    TAP_CHECK(VASCEND_FAULT_LEVEL(c.info) == 1,
              "fault level: the level-1 entry was missing (%u)",
              VASCEND_FAULT_LEVEL(c.info));
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_memcpy(VA_RO + 4096, VA_RAM, 64);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              c.result == VA_RO + 4096 &&
              (c.info & 0xff) == VASCEND_FAULT_ACCESS_WRITE &&
              VASCEND_FAULT_REASON(c.info) == VASCEND_MMU_FAULT_READ_ONLY &&
              VASCEND_FAULT_LEVEL(c.info) == 0,
              "MEMCPY into a read-only page: READ_ONLY, access WRITE, level 0");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_memset(VA_RAM + (1 << 20) - 8, 0, 16);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              c.result == VA_RAM + (1 << 20),
              "MEMSET running off the mapping faults at the first "
              "unmapped byte (0x%llx)", (unsigned long long)c.result);
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_memset(1ULL << 48, 0, 16);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              VASCEND_FAULT_REASON(c.info) == VASCEND_MMU_FAULT_ADDR_RANGE,
              "a VA at 2^48: ADDR_RANGE");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_memset(VA_NOTRAM, 0, 16);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              VASCEND_FAULT_REASON(c.info) == VASCEND_MMU_FAULT_TARGET_DMA &&
              t->e->map_refusals > 0,
              "a page of bus space that is not RAM: TARGET_DMA");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_memset(VA_BADHBM, 0, 16);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_MMU_FAULT &&
              VASCEND_FAULT_REASON(c.info) == VASCEND_MMU_FAULT_ADDR_RANGE,
              "an HBM page past the end of the BAR: ADDR_RANGE");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_op(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = sizeof(*tm);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0 && tm->faults == 6,
              "telemetry counts the 6 MMU faults (%llu)",
              (unsigned long long)tm->faults);
    TAP_CHECK(t->e->traces[ANPU_TRACE_MMU_FAULT] == 6,
              "each fault was traced");
    TAP_CHECK(t->e->maps_out == 0, "no mapping left behind by a fault");
    dt_free(t);
}

static void test_events(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint64_t *slot = (uint64_t *)ram(t, VA_EV - VA_RAM);

    t->e->clock += 4242;
    s = sqe_event(VASCEND_OP_EVENT_RECORD, VA_EV, 17);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && slot[0] == 17 &&
              slot[1] >= 4242 && c.result == slot[1],
              "EVENT_RECORD writes {17, timestamp %llu}",
              (unsigned long long)slot[1]);
    s = sqe_event(VASCEND_OP_EVENT_RECORD, VA_EV + 8, 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "EVENT_RECORD not 16-byte aligned: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_event(VASCEND_OP_EVENT_RECORD, VA_RO, 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_MMU_FAULT,
              "EVENT_RECORD to a read-only page: MMU_FAULT");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_event(VASCEND_OP_EVENT_RECORD, VA_EV, 1);
    s.u.raw[2] = 1;
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "EVENT_RECORD with an unused word: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV, 17);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && c.result == 17,
              "EVENT_WAIT for a value already reached completes at once");
    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV + 4, 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "EVENT_WAIT not 8-byte aligned: INVALID_FIELD");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);
    s = sqe_event(VASCEND_OP_EVENT_WAIT, 0x7000000, 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_MMU_FAULT,
              "EVENT_WAIT on an unmapped VA: MMU_FAULT");
    dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL);

    s = sqe_event(VASCEND_OP_NOTIFY, VA_EV + 32, 0x1122334455667788ULL);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 &&
              slot[4] == 0x1122334455667788ULL,
              "NOTIFY writes its value");
    s = sqe_event(VASCEND_OP_NOTIFY, VA_EV + 33, 1);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "NOTIFY not 8-byte aligned: INVALID_FIELD");
    dt_free(t);
}

static void test_wait_across_queues(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint64_t *slot = (uint64_t *)ram(t, VA_EV - VA_RAM);
    unsigned int before;

    TAP_CHECK(dt_create_queue(t, 2, 1, 8) == 0, "a second queue on context 1");
    slot[0] = 5;
    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV, 10);
    s.task_id = 1;
    dt_push(t, 1, &s);
    s = sqe_op(VASCEND_OP_NOP);
    s.task_id = 2;
    dt_push(t, 1, &s);
    dt_ring(t, 1);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 1, &c), "EVENT_WAIT for 10 while 5: the queue parks,"
              " the NOP behind it waits");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0, "queue 2 runs meanwhile");
    TAP_CHECK(!dt_peek(t, 1, &c), "still parked after an unrelated task");
    s = sqe_event(VASCEND_OP_EVENT_RECORD, VA_EV, 10);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0, "EVENT_RECORD 10 on queue 2");
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 1 && c.status == 0 &&
              c.result == 10 && dt_reap(t, 1, &c) && c.task_id == 2,
              "the record released the wait, then the NOP ran");

    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV + 16, 3);
    dt_submit(t, 1, &s);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 1, &c), "parked on a second slot");
    slot[2] = 3;
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 1, &c),
              "the host writing the value alone does not wake it");
    before = t->e->errors;
    wr(t->e, VASCEND_DOORBELL(2) + VASCEND_DB_SQ_TAIL, t->q[2].tail);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 1, &c) && c.status == 0 && c.result == 3 &&
              t->e->errors == before,
              "a same-value SQ_TAIL kick on another queue wakes it");

    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV + 16, 4);
    dt_submit(t, 1, &s);
    env_process(t->e);
    slot[2] = 4;
    s = sqe_event(VASCEND_OP_NOTIFY, VA_EV + 48, 1);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0 && dt_reap(t, 1, &c) &&
              c.result == 4, "a NOTIFY completing on any queue wakes it too");
    dt_free(t);
}

static void test_ordering_and_concurrency(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;

    env_jobs(t->e, JOBS_MANUAL);
    TAP_CHECK(dt_create_queue(t, 2, 1, 8) == 0, "queue 2");
    fill(ram(t, 0), 8192, 7);
    s = sqe_memcpy(VA_RAM + 0x10000, VA_RAM, 8192);
    s.task_id = 1;
    dt_push(t, 1, &s);
    s = sqe_memcpy(VA_RAM + 0x20000, VA_RAM + 0x10000, 8192);
    s.task_id = 2;
    dt_push(t, 1, &s);
    dt_ring(t, 1);
    s = sqe_memset(VA_HBM, 0x77, 4096);
    s.task_id = 3;
    dt_submit(t, 2, &s);
    env_process(t->e);
    TAP_CHECK(env_jobs_waiting(t->e) == 2,
              "queue 1's first copy and queue 2's fill are out together; "
              "queue 1's second copy waits (%u jobs out)",
              env_jobs_waiting(t->e));
    env_run_jobs(t->e, 2);
    env_process_once(t->e);
    TAP_CHECK(dt_reap(t, 2, &c) && c.task_id == 3 && t->e->hbm[0] == 0x77,
              "queue 2's fill completed");
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 1 && !dt_peek(t, 1, &c) &&
              env_jobs_waiting(t->e) == 1,
              "queue 1's first copy completed, then its second started");
    env_run_jobs(t->e, 1);
    env_process_once(t->e);
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 2 &&
              !memcmp(ram(t, 0x20000), ram(t, 0), 8192),
              "the second copy saw the first one's result (in order)");
    dt_free(t);
}

static void test_phase_wrap(void)
{
    struct dt *t = setup(4);
    struct vascend_sqe s;
    struct vascend_cqe c;
    int i, j, ok = 1, n = 0;

    /* Five passes through a 4-entry ring, three SQEs per doorbell. */
    for (i = 0; i < 7; i++) {
        for (j = 0; j < 3; j++) {
            s = sqe_op(VASCEND_OP_NOP);
            s.task_id = 1000 + n + j;
            dt_push(t, 1, &s);
        }
        dt_ring(t, 1);
        env_process(t->e);
        for (j = 0; j < 3; j++) {
            if (!dt_reap(t, 1, &c) || c.task_id != (uint32_t)(1000 + n) ||
                c.sq_head != (uint32_t)((n + 1) % 4)) {
                ok = 0;
            }
            n++;
        }
    }
    TAP_CHECK(ok && n == 21, "21 NOPs through a 4-entry queue: every CQE "
              "found by its phase, in order, with the right SQ head");
    TAP_CHECK(t->q[1].phase == ((21 / 4) % 2 ? 0 : 1),
              "the phase flipped once per pass");

    /* CQ full: 3 CQEs fill a 4-entry CQ; the 4th waits for a slot. */
    for (j = 0; j < 3; j++) {
        s = sqe_op(VASCEND_OP_NOP);
        s.task_id = 2000 + j;
        dt_push(t, 1, &s);
    }
    dt_ring(t, 1);
    env_process(t->e);
    for (j = 0; j < 2; j++) {
        s = sqe_op(VASCEND_OP_NOP);
        s.task_id = 2003 + j;
        dt_push(t, 1, &s);
    }
    dt_ring(t, 1);
    env_process(t->e);
    ok = 1;
    for (j = 0; j < 5; j++) {
        if (!dt_reap(t, 1, &c) || c.task_id != (uint32_t)(2000 + j)) {
            ok = 0;
        }
        env_process(t->e);
    }
    TAP_CHECK(ok, "a full CQ holds completions back until CQ_HEAD frees "
              "slots; none is lost or reordered");

    wr(t->e, VASCEND_DOORBELL(1) + VASCEND_DB_SQ_TAIL, 4);
    TAP_CHECK(strstr(t->e->last_error, "outside") &&
              rd(t->e, VASCEND_DOORBELL(1) + VASCEND_DB_SQ_TAIL) ==
              t->q[1].tail,
              "SQ tail = depth: ignored, logged; the doorbell reads back the "
              "last good value");
    wr(t->e, VASCEND_DOORBELL(1) + VASCEND_DB_CQ_HEAD, 0xffffffff);
    TAP_CHECK(strstr(t->e->last_error, "outside"),
              "CQ head 0xffffffff: ignored, logged");
    wr(t->e, VASCEND_DOORBELL(1) + VASCEND_DB_CQ_HEAD, (t->q[1].head + 1) % 4);
    TAP_CHECK(strstr(t->e->last_error, "passes the tail"),
              "CQ head past the tail: ignored, logged");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0, "the queue still works");
    dt_free(t);
}

static void test_coalescing(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;
    unsigned int irq;
    int i;

    TAP_CHECK(dt_create_queue_co(t, 2, 1, 16, 3, 4, 0) == 0,
              "queue 2: vector 3, coalesce 4 CQEs, no time limit");
    irq = t->e->irqs[3];
    for (i = 0; i < 8; i++) {
        s = sqe_op(VASCEND_OP_NOP);
        dt_push(t, 2, &s);
    }
    dt_ring(t, 2);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[3] == irq + 2, "8 CQEs: 2 interrupts (%u)",
              t->e->irqs[3] - irq);
    for (i = 0; i < 8; i++) {
        dt_reap(t, 2, &c);
    }
    irq = t->e->irqs[3];
    for (i = 0; i < 3; i++) {
        s = sqe_op(VASCEND_OP_NOP);
        dt_push(t, 2, &s);
    }
    dt_ring(t, 2);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[3] == irq + 1,
              "3 CQEs then idle: one interrupt (count-only coalescing "
              "flushes when the queue has nothing left)");
    for (i = 0; i < 3; i++) {
        dt_reap(t, 2, &c);
    }

    TAP_CHECK(dt_create_queue_co(t, 3, 1, 16, 4, 100, 50) == 0,
              "queue 3: vector 4, 100 CQEs or 50 us");
    irq = t->e->irqs[4];
    for (i = 0; i < 3; i++) {
        s = sqe_op(VASCEND_OP_NOP);
        dt_push(t, 3, &s);
    }
    dt_ring(t, 3);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[4] == irq && dt_peek(t, 3, &c),
              "3 CQEs posted, no interrupt yet");
    TAP_CHECK(t->e->timer_when == t->e->dev.clock_base + c.end_ts + 50000,
              "timer armed 50 us after the first CQE");
    t->e->clock += 49000;
    env_fire_timer(t->e);
    TAP_CHECK(t->e->irqs[4] == irq, "not before 50 us");
    t->e->clock += 2000;
    env_fire_timer(t->e);
    TAP_CHECK(t->e->irqs[4] == irq + 1 &&
              t->e->timer_when == ANPU_TIMER_OFF,
              "the timer raised the vector once, then disarmed");
    for (i = 0; i < 3; i++) {
        dt_reap(t, 3, &c);
    }
    s = sqe_op(VASCEND_OP_NOP);
    s.flags = VASCEND_SQE_F_IRQ_NOW;
    dt_submit(t, 3, &s);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[4] == irq + 2, "IRQ_NOW interrupts at once");
    dt_reap(t, 3, &c);
    s = sqe_event(VASCEND_OP_NOTIFY, VA_EV, 9);
    dt_submit(t, 3, &s);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[4] == irq + 3, "NOTIFY interrupts at once");
    dt_reap(t, 3, &c);
    s = sqe_op(0x33);
    dt_submit(t, 3, &s);
    env_process(t->e);
    TAP_CHECK(t->e->irqs[4] == irq + 4, "an error CQE interrupts at once");
    dt_free(t);
}

static void test_reset_context(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s;
    struct vascend_cqe c;
    struct pt pt2;

    pt_init(&pt2, t->e, PT_POOL + 0x100000, 0x100000);
    pt_map(&pt2, 0x1000, DATA + (4 << 20), 64 << 10, PT_W);
    TAP_CHECK(dt_create_ctx(t, 2, pt2.root) == 0 &&
              dt_create_queue(t, 2, 2, 8) == 0 &&
              dt_create_queue(t, 3, 1, 8) == 0,
              "context 2 with queue 2; queue 3 on context 1");
    s = sqe_memset(0x99000000, 0, 8);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == VASCEND_CQE_STATUS_MMU_FAULT,
              "queue 1 (context 1) faults");
    s = sqe_op(VASCEND_OP_NOP);
    dt_submit(t, 1, &s);
    s = sqe_memset(0x1000, 0x42, 100);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0 && ram(t, 4 << 20)[99] == 0x42,
              "context 2 carries on");
    TAP_CHECK(dt_ctx_cmd(t, VASCEND_ADMIN_RESET_CONTEXT, 1) == 0,
              "RESET_CONTEXT 1");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 1, &s, &c) == 0 && !dt_peek(t, 1, &c),
              "queue 1 runs again (the NOP queued before the reset was "
              "dropped)");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 3, &s, NULL) == 0 && dt_io(t, 2, &s, NULL) == 0,
              "queues 3 and 2 still work");
    dt_free(t);
}

static void test_bad_rings(void)
{
    struct dt *t = setup(8);
    struct vascend_sqe s = sqe_op(VASCEND_ADMIN_CREATE_QUEUE);
    struct vascend_cqe c;

    /* An SQ in bus space that is not memory: the fetch fails. */
    s.u.queue.qid = 5;
    s.u.queue.ctx_id = 1;
    s.u.queue.depth = 8;
    s.u.queue.vector = 1;
    s.u.queue.sq_base = 0x1000;
    s.u.queue.cq_base = RING(5) + RING_CQ;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "queue 5 with its SQ at bus 0x1000");
    t->q[5].depth = 8;
    t->q[5].phase = 1;
    wr(t->e, VASCEND_DOORBELL(5), 1);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 5, &c) && c.status == VASCEND_CQE_STATUS_DMA_ERROR &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "an unreadable SQE completes with DMA_ERROR and stops the "
              "queue");
    wr(t->e, VASCEND_DOORBELL(5), 3);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 5, &c), "nothing more is read from it");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_DELETE_QUEUE, 5, NULL) == 0,
              "and it can be deleted");
    wr(t->e, VASCEND_DOORBELL(VASCEND_MAX_QUEUES) + 0x800, 1);
    wr(t->e, VASCEND_REGS_BAR_SIZE - 4, 1);
    TAP_CHECK(strstr(t->e->last_error, "reserved offset") &&
              rd(t->e, VASCEND_REGS_BAR_SIZE - 4) == 0,
              "writes past the HDC doorbell page: reserved, ignored");
    dt_free(t);
}

int main(void)
{
    test_nop();
    test_memcpy();
    test_memcpy_refusals();
    test_memset();
    test_mmu_faults();
    test_events();
    test_wait_across_queues();
    test_ordering_and_concurrency();
    test_phase_wrap();
    test_coalescing();
    test_reset_context();
    test_bad_rings();
    return tap_done();
}
