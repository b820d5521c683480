// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fault injection and recovery on the ascend-npu core: each injected fault
 * (hang, DMA error, ECC, firmware crash) from the register and by name, what
 * it does to the tasks in flight and the queues, and the resets that bring
 * the device back; and resets, queue deletes and queue resets while jobs
 * are out on the worker pool (nothing may be written afterwards, nothing
 * leaked or used after free).
 */
#include "anpu_fault.h"
#include "anpu_xfer.h"
#include "devtest.h"

#define VA_RAM          0x100000ULL
#define VA_HBM          0x40000000ULL
#define VA_DESC         0x30000000ULL
#define VA_EV           0x1f0000ULL

static struct pt pt;

static struct dt *setup(void)
{
    struct dt *t = dt_new();

    pt_init(&pt, t->e, PT_POOL, PT_POOL_SIZE);
    pt_map(&pt, VA_RAM, DATA, 4 << 20, PT_W);
    pt_map2m(&pt, VA_HBM, 0, DT_HBM_SIZE, PT_W | PT_HBM);
    pt_map(&pt, VA_DESC, DATA + (15 << 20), 64 << 10, PT_W);
    if (dt_create_ctx(t, 1, pt.root) || dt_create_queue(t, 1, 1, 16) ||
        dt_create_queue(t, 2, 1, 16) || dt_create_queue(t, 3, 1, 16)) {
        printf("Bail out! setup failed\n");
        exit(1);
    }
    return t;
}

static uint32_t vadd_desc(struct dt *t)
{
    return desc_vadd(gptr(t->e, DATA + (15 << 20)), VADD_ID, VA_HBM,
                     VA_HBM + (1 << 20), VA_HBM + (2 << 20), 1000);
}

static void test_register_and_names(void)
{
    struct dt *t = setup();
    unsigned int errs = t->e->errors;

    TAP_CHECK(rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_NONE,
              "FAULT_INJECT reads NONE at power-on");
    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_DMA_ERROR);
    TAP_CHECK(rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_DMA_ERROR,
              "an armed fault reads back");
    wr(t->e, VASCEND_REG_FAULT_INJECT, 5);
    TAP_CHECK(t->e->errors == errs + 1 &&
              rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_DMA_ERROR,
              "code 5: ignored and logged, the armed fault stays");
    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_NONE);
    TAP_CHECK(rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_NONE,
              "NONE disarms");
    TAP_CHECK(anpu_fault_parse("aicore-hang") == VASCEND_FAULT_AICORE_HANG &&
              anpu_fault_parse("dma-error") == VASCEND_FAULT_DMA_ERROR &&
              anpu_fault_parse("ecc") == VASCEND_FAULT_ECC &&
              anpu_fault_parse("fw-crash") == VASCEND_FAULT_FW_CRASH &&
              anpu_fault_parse("none") == VASCEND_FAULT_NONE &&
              anpu_fault_parse("ECC") == -1 && anpu_fault_parse("") == -1,
              "fault names (the inject-fault property) parse exactly");
    TAP_CHECK(!strcmp(anpu_fault_name(VASCEND_FAULT_FW_CRASH), "fw-crash") &&
              !strcmp(anpu_fault_name(77), "unknown"), "and print back");
    TAP_CHECK(!anpu_fault_arm(&t->e->dev, 9) &&
              anpu_fault_arm(&t->e->dev, VASCEND_FAULT_AICORE_HANG) &&
              rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_AICORE_HANG,
              "arming by name (qom-set's path) is the register's");
    TAP_CHECK(t->e->traces[ANPU_TRACE_FAULT_ARMED] == 3,
              "arming is traced");
    dt_free(t);
}

static void test_dma_error(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;

    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_DMA_ERROR);
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0 &&
              rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_DMA_ERROR,
              "a NOP does not take the DMA fault");
    s = sqe_memcpy(VA_HBM, VA_RAM, 4096);
    TAP_CHECK(dt_io(t, 1, &s, &c) == VASCEND_CQE_STATUS_DMA_ERROR &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "the next MEMCPY: DMA_ERROR, queue stopped");
    TAP_CHECK(rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_NONE &&
              t->e->traces[ANPU_TRACE_FAULT_FIRED] == 1,
              "the fault fired once: FAULT_INJECT reads NONE");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL) == 0 &&
              dt_io(t, 1, &s, NULL) == 0,
              "RESET_QUEUE: the same MEMCPY now works");
    anpu_fault_arm(&t->e->dev, anpu_fault_parse("dma-error"));
    s = sqe_memset(VA_HBM, 0, 64);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == VASCEND_CQE_STATUS_DMA_ERROR &&
              dt_io(t, 3, &s, NULL) == 0,
              "armed by name: the next MEMSET fails, the one after works");
    TAP_CHECK(t->e->maps_out == 0, "no mapping left behind");
    dt_free(t);
}

static void test_hang(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint32_t size = vadd_desc(t);

    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_AICORE_HANG);
    s = sqe_launch(VA_DESC, size, 0, VADD_ID);
    s.task_id = 10;
    dt_push(t, 1, &s);
    s = sqe_op(VASCEND_OP_NOP);
    s.task_id = 11;
    dt_push(t, 1, &s);
    dt_ring(t, 1);
    env_process(t->e);
    t->e->clock += 10000000000ULL;
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 1, &c) &&
              rd(t->e, VASCEND_REG_FAULT_INJECT) == VASCEND_FAULT_NONE,
              "the hung launch never completes, the NOP behind it waits");
    s = sqe_launch(VA_DESC, size, 0, VADD_ID);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0,
              "another queue still launches (the hang took one launch)");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, &c) == 0 &&
              c.result == 1, "RESET_QUEUE drops the NOP (result 1)");
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 10 &&
              c.status == VASCEND_CQE_STATUS_ABORTED && !dt_peek(t, 1, &c),
              "the hung launch completes ABORTED");
    s = sqe_launch(VA_DESC, size, 0, VADD_ID);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0, "the queue launches again");

    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_AICORE_HANG);
    dt_submit(t, 1, &s);
    env_process(t->e);
    wr(t->e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF &&
              rd(t->e, VASCEND_REG_AQ_STATUS) == 0 && !dt_peek(t, 1, &c),
              "RESET with a hung launch: power-on state at once, no CQE");
    dt_free(t);
}

static void test_ecc(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint64_t *slot = gptr(t->e, DATA + (VA_EV - VA_RAM));
    unsigned int irq0;

    env_jobs(t->e, JOBS_MANUAL);
    s = sqe_event(VASCEND_OP_EVENT_WAIT, VA_EV, 1);
    s.task_id = 20;
    dt_submit(t, 1, &s);
    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    s.task_id = 21;
    dt_submit(t, 2, &s);
    env_process(t->e);
    TAP_CHECK(env_jobs_waiting(t->e) == 1 && !dt_peek(t, 1, &c),
              "a parked wait on queue 1, a copy out on queue 2");
    irq0 = t->e->irqs[0];
    wr(t->e, VASCEND_REG_IRQ_STATUS, 0xffffffff);
    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_ECC);
    TAP_CHECK(rd(t->e, VASCEND_REG_FATAL_STATUS) == 0,
              "nothing happens inside the register write");
    env_process_once(t->e);
    TAP_CHECK(rd(t->e, VASCEND_REG_FATAL_STATUS) == VASCEND_FATAL_ECC &&
              rd(t->e, VASCEND_REG_ECC_ADDR_LO) == DT_HBM_SIZE / 2 &&
              rd(t->e, VASCEND_REG_ECC_ADDR_HI) == 0,
              "FATAL_STATUS ECC, ECC_ADDR in HBM (0x%x)",
              rd(t->e, VASCEND_REG_ECC_ADDR_LO));
    TAP_CHECK(t->e->irqs[0] == irq0 + 1 &&
              (rd(t->e, VASCEND_REG_IRQ_STATUS) & VASCEND_IRQ_FATAL),
              "vector 0 with IRQ_FATAL");
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 20 &&
              c.status == VASCEND_CQE_STATUS_ECC_ERROR &&
              (c.flags & VASCEND_CQE_F_QUEUE_STOPPED),
              "the parked wait completes ECC_ERROR, queue stopped");
    TAP_CHECK(!dt_peek(t, 2, &c), "the copy's CQE waits for its job");
    s = sqe_op(VASCEND_ADMIN_RESET_QUEUE);
    s.task_id = 600;
    s.u.queue.qid = 2;
    dt_submit(t, 0, &s);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 0, &c), "a RESET_QUEUE meanwhile waits for the job");
    env_run_jobs(t->e, 1);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 2, &c) && c.task_id == 21 &&
              c.status == VASCEND_CQE_STATUS_ECC_ERROR,
              "once back, the copy completes ECC_ERROR (the first reason, "
              "not the reset's ABORTED)");
    TAP_CHECK(dt_reap(t, 0, &c) && c.task_id == 600 && c.status == 0,
              "then the RESET_QUEUE completes");
    env_jobs(t->e, JOBS_DEFERRED);
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 3, &s, NULL) == 0xffff,
              "an idle queue takes no new work either");
    wr(t->e, VASCEND_REG_FATAL_STATUS, VASCEND_FATAL_ECC);
    TAP_CHECK(rd(t->e, VASCEND_REG_FATAL_STATUS) == 0,
              "FATAL_STATUS is write-1-to-clear");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 1, NULL) == 0 &&
              dt_io(t, 1, &s, NULL) == 0xffff,
              "RESET_QUEUE does not restart a queue after ECC");
    slot[0] = 1;
    s = sqe_op(VASCEND_ADMIN_DEVICE_RESET);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "DEVICE_RESET");
    TAP_CHECK(dt_create_ctx(t, 1, pt.root) == 0 &&
              dt_create_queue(t, 1, 1, 8) == 0,
              "queues and contexts are created again");
    s = sqe_memcpy(VA_HBM, VA_RAM, 4096);
    TAP_CHECK(dt_io(t, 1, &s, NULL) == 0, "and work again");
    dt_free(t);
}

static void test_fw_crash(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint32_t size = vadd_desc(t);

    wr(t->e, VASCEND_REG_FAULT_INJECT, VASCEND_FAULT_AICORE_HANG);
    s = sqe_launch(VA_DESC, size, 0, VADD_ID);
    s.task_id = 30;
    dt_submit(t, 1, &s);
    env_process(t->e);
    anpu_fault_arm(&t->e->dev, anpu_fault_parse("fw-crash"));
    env_process(t->e);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_CRASHED &&
              rd(t->e, VASCEND_REG_FATAL_STATUS) == VASCEND_FATAL_FW_CRASH &&
              !(rd(t->e, VASCEND_REG_STATUS) & VASCEND_STATUS_FW_RUNNING),
              "fw-crash: FW_STATUS CRASHED, FATAL_FW_CRASH");
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 30 &&
              c.status == VASCEND_CQE_STATUS_FW_CRASHED,
              "the task in flight completes FW_CRASHED");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0xffff, "queues are dead");
    s = sqe_op(VASCEND_ADMIN_FW_STATUS);
    TAP_CHECK(dt_admin(t, &s, &c) == 0 &&
              c.result == VASCEND_FW_STATUS_CRASHED,
              "FW_STATUS still answers: CRASHED");
    TAP_CHECK(dt_create_ctx(t, 5, pt.root) == VASCEND_CQE_STATUS_NOT_BOOTED,
              "other admin commands: NOT_BOOTED");
    wr(t->e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
    TAP_CHECK(strstr(t->e->last_error, "crashed") &&
              rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_CRASHED,
              "BOOT while crashed is ignored: reset first");
    wr(t->e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    dt_boot(t);
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_admin_enable(t, ADEPTH) == VASCEND_AQ_STATUS_READY &&
              dt_create_ctx(t, 1, pt.root) == 0 &&
              dt_create_queue(t, 1, 1, 8) == 0 &&
              dt_io(t, 1, &s, NULL) == 0 &&
              rd(t->e, VASCEND_REG_FATAL_STATUS) == 0,
              "RESET and a new boot bring the device back");
    dt_free(t);
}

static void test_reset_with_jobs(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;
    uint8_t *dst = t->e->hbm;

    env_jobs(t->e, JOBS_MANUAL);
    memset(gptr(t->e, DATA), 0x5a, 4 << 20);
    s = sqe_memcpy(VA_HBM, VA_RAM, 4 << 20);
    dt_submit(t, 1, &s);
    env_process(t->e);
    TAP_CHECK(env_jobs_waiting(t->e) == 1, "a 4 MiB copy is out");
    wr(t->e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING &&
              anpu_work_pending(&t->e->dev),
              "RESET waits for the job in flight");
    wr(t->e, VASCEND_DOORBELL(2), 1);
    TAP_CHECK(strstr(t->e->last_error, "during a reset"),
              "doorbells during the reset are ignored");
    env_process_once(t->e);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "still waiting while the job is out");
    env_run_jobs(t->e, 1);
    TAP_CHECK(dst[0] != 0x5a && dst[(4 << 20) - 1] != 0x5a,
              "the copy, cancelled before a worker took it, wrote nothing");
    env_process_once(t->e);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF &&
              !dt_peek(t, 1, &c) && t->e->maps_out == 0 &&
              !anpu_work_pending(&t->e->dev),
              "once it is back: reset done, no CQE, no mapping left");
    dt_free(t);

    /* A bus reset (FLR) cannot wait: the jobs are orphaned. */
    t = setup();
    env_jobs(t->e, JOBS_MANUAL);
    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    dt_submit(t, 1, &s);
    s = sqe_launch(VA_DESC, vadd_desc(t), 4, VADD_ID);
    dt_submit(t, 2, &s);
    env_process(t->e);
    TAP_CHECK(env_jobs_waiting(t->e) == 5, "a copy and 4 AI Core jobs out");
    anpu_reset(&t->e->dev);
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF,
              "anpu_reset (FLR) takes effect at once");
    env_run_jobs(t->e, ~0U);
    env_process_once(t->e);
    TAP_CHECK(!dt_peek(t, 1, &c) && !dt_peek(t, 2, &c) &&
              t->e->maps_out == 0,
              "the orphaned jobs come back to nothing: no CQE, no leak");
    dt_free(t);
}

/* Transfers running when the cancel comes stop at a chunk boundary. */
static void test_xfer_cancel(void)
{
    static uint8_t a[3 * ANPU_XFER_CHUNK], b[3 * ANPU_XFER_CHUNK];
    struct anpu_seg sa[3], sb[2];
    struct anpu_xlate xa = { sa, 3, sizeof(a) }, xb = { sb, 2, sizeof(b) };
    int cancel = 0;

    memset(a, 1, sizeof(a));
    sa[0] = (struct anpu_seg){ a, 100, true, false };
    sa[1] = (struct anpu_seg){ a + 100, ANPU_XFER_CHUNK, true, false };
    sa[2] = (struct anpu_seg){ a + 100 + ANPU_XFER_CHUNK,
                               sizeof(a) - 100 - ANPU_XFER_CHUNK, true, false };
    sb[0] = (struct anpu_seg){ b, 3 * ANPU_XFER_CHUNK / 2, true, true };
    sb[1] = (struct anpu_seg){ b + 3 * ANPU_XFER_CHUNK / 2,
                               3 * ANPU_XFER_CHUNK / 2, true, true };
    TAP_CHECK(anpu_xfer_copy(&xb, &xa, &cancel) && !memcmp(a, b, sizeof(a)),
              "a copy between differently split lists moves every byte");
    memset(b, 0, sizeof(b));
    cancel = 1;
    TAP_CHECK(!anpu_xfer_copy(&xb, &xa, &cancel) &&
              b[ANPU_XFER_CHUNK - 1] == 1 && b[ANPU_XFER_CHUNK] == 0,
              "cancelled: it stops after exactly one chunk");
    memset(b, 0, sizeof(b));
    TAP_CHECK(!anpu_xfer_fill(&xb, 7, &cancel) && b[0] == 7 &&
              b[sizeof(b) - 1] == 0, "a cancelled fill stops early too");
}

static void test_admin_waits_for_jobs(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    struct vascend_cqe c;

    env_jobs(t->e, JOBS_MANUAL);
    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    s.task_id = 40;
    dt_submit(t, 1, &s);
    s = sqe_op(VASCEND_OP_NOP);
    s.task_id = 41;
    dt_submit(t, 1, &s);
    env_process(t->e);
    s = sqe_op(VASCEND_ADMIN_RESET_QUEUE);
    s.task_id = 500;
    s.u.queue.qid = 1;
    dt_submit(t, 0, &s);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 0, &c), "RESET_QUEUE waits while the copy is out");
    s = sqe_op(VASCEND_OP_NOP);
    TAP_CHECK(dt_io(t, 2, &s, NULL) == 0, "other queues run meanwhile");
    env_run_jobs(t->e, 1);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 1, &c) && c.task_id == 40 &&
              c.status == VASCEND_CQE_STATUS_ABORTED && !dt_peek(t, 1, &c),
              "the copy completes ABORTED, the NOP behind it never runs");
    TAP_CHECK(dt_reap(t, 0, &c) && c.task_id == 500 && c.status == 0 &&
              c.result == 1,
              "then RESET_QUEUE completes (1 SQE dropped)");

    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    s.task_id = 42;
    dt_submit(t, 1, &s);
    env_process(t->e);
    s = sqe_op(VASCEND_ADMIN_DELETE_QUEUE);
    s.task_id = 501;
    s.u.queue.qid = 1;
    dt_submit(t, 0, &s);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 0, &c), "DELETE_QUEUE waits too");
    env_run_jobs(t->e, 1);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 0, &c) && c.task_id == 501 && c.status == 0 &&
              !dt_peek(t, 1, &c),
              "then completes; the deleted queue got no CQE");

    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    s.task_id = 43;
    dt_submit(t, 2, &s);
    env_process(t->e);
    s = sqe_op(VASCEND_ADMIN_TLB_INVALIDATE);
    s.task_id = 502;
    s.u.tlb.ctx_id = 1;
    dt_submit(t, 0, &s);
    env_process(t->e);
    TAP_CHECK(!dt_peek(t, 0, &c),
              "TLB_INVALIDATE waits for the jobs using old translations");
    env_run_jobs(t->e, 1);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 2, &c) && c.task_id == 43 && c.status == 0 &&
              dt_reap(t, 0, &c) && c.task_id == 502 && c.status == 0,
              "the copy completes normally, then the invalidation");
    s = sqe_op(VASCEND_ADMIN_DEVICE_RESET);
    s.task_id = 503;
    dt_submit(t, 0, &s);
    s = sqe_memcpy(VA_HBM, VA_RAM, 1 << 20);
    dt_submit(t, 2, &s);
    env_process(t->e);
    env_run_jobs(t->e, ~0U);
    env_process(t->e);
    TAP_CHECK(dt_reap(t, 0, &c) && c.task_id == 503 && c.status == 0 &&
              t->e->maps_out == 0, "DEVICE_RESET with work queued: clean");
    dt_free(t);
}

static void test_threads_reset(void)
{
    struct dt *t = setup();
    struct vascend_sqe s;
    int round;

    env_jobs(t->e, JOBS_THREADS);
    for (round = 0; round < 20; round++) {
        if (round) {
            dt_boot(t);
            dt_admin_enable(t, ADEPTH);
            dt_create_ctx(t, 1, pt.root);
            dt_create_queue(t, 1, 1, 16);
            dt_create_queue(t, 2, 1, 16);
        }
        s = sqe_memcpy(VA_HBM, VA_RAM, 4 << 20);
        dt_submit(t, 1, &s);
        s = sqe_launch(VA_DESC, vadd_desc(t), 0, VADD_ID);
        dt_submit(t, 2, &s);
        env_process_once(t->e);
        if (round & 1) {
            anpu_reset(&t->e->dev);
        } else {
            wr(t->e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
        }
        env_process(t->e);
        if (rd(t->e, VASCEND_REG_FW_STATUS) != VASCEND_FW_STATUS_OFF) {
            break;
        }
    }
    TAP_CHECK(round == 20 && t->e->maps_out == 0,
              "20 resets racing real worker threads: clean every time");
    dt_free(t);
}

int main(void)
{
    test_register_and_names();
    test_dma_error();
    test_hang();
    test_ecc();
    test_fw_crash();
    test_reset_with_jobs();
    test_xfer_cancel();
    test_admin_waits_for_jobs();
    test_threads_reset();
    return tap_done();
}
