// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The v1.1 register blocks (limits, clock, admin queue, fatal status, fault
 * injection) and every admin command of the ascend-npu core, with each of
 * its invalid-field and invalid-id cases.
 */
#include "devtest.h"

static struct vascend_sqe adm(uint8_t op)
{
    return sqe_op(op);
}

static void test_limits_and_clock(void)
{
    struct env *e = env_new();
    uint32_t lo, hi;

    TAP_CHECK(rd(e, VASCEND_REG_MAX_QUEUES) == 64 &&
              rd(e, VASCEND_REG_MAX_QUEUE_DEPTH) == ANPU_MAX_QUEUE_DEPTH &&
              rd(e, VASCEND_REG_MAX_CONTEXTS) == ANPU_MAX_CONTEXTS &&
              rd(e, VASCEND_REG_DOORBELL_BASE) == VASCEND_DOORBELL_BASE,
              "limits: 64 queues, depth %u, %u contexts, doorbells at 0x%x",
              rd(e, VASCEND_REG_MAX_QUEUE_DEPTH),
              rd(e, VASCEND_REG_MAX_CONTEXTS),
              rd(e, VASCEND_REG_DOORBELL_BASE));
    e->clock += 0x123456789ULL;
    lo = rd(e, VASCEND_REG_CLOCK_LO);
    e->clock += 0x100000000ULL;
    hi = rd(e, VASCEND_REG_CLOCK_HI);
    TAP_CHECK(((uint64_t)hi << 32 | lo) == 0x123456789ULL,
              "CLOCK counts ns since reset; reading LO latches HI "
              "(0x%x%08x)", hi, lo);
    wr(e, VASCEND_REG_CLOCK_LO, 5);
    wr(e, VASCEND_REG_MAX_QUEUES, 5);
    TAP_CHECK(rd(e, VASCEND_REG_MAX_QUEUES) == 64 &&
              strstr(e->last_error, "read-only"),
              "limit and clock registers are read-only");
    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    lo = rd(e, VASCEND_REG_CLOCK_LO);
    TAP_CHECK(lo == 0 && rd(e, VASCEND_REG_CLOCK_HI) == 0,
              "RESET restarts the device clock at 0");
    env_free(e);
}

static void test_aq_enable(void)
{
    struct dt *t = calloc(1, sizeof(*t));
    struct env *e = env_new();
    unsigned int errs;

    t->e = e;
    t->next_task = 1;
    wr64(e, VASCEND_REG_AQ_SQ_BASE_LO, 0x1234567000ULL);
    wr64(e, VASCEND_REG_AQ_CQ_BASE_LO, 0xabc000ULL);
    wr(e, VASCEND_REG_AQ_DEPTH, 77);
    TAP_CHECK(rd(e, VASCEND_REG_AQ_SQ_BASE_LO) == 0x34567000 &&
              rd(e, VASCEND_REG_AQ_SQ_BASE_HI) == 0x12 &&
              rd(e, VASCEND_REG_AQ_CQ_BASE_LO) == 0xabc000 &&
              rd(e, VASCEND_REG_AQ_DEPTH) == 77 &&
              rd(e, VASCEND_REG_AQ_STATUS) == 0,
              "AQ registers read back; not ready at power-on");

    errs = e->errors;
    TAP_CHECK(dt_admin_enable(t, 0) == VASCEND_AQ_STATUS_ERROR,
              "AQ depth 0: ERROR");
    TAP_CHECK(dt_admin_enable(t, 1) == VASCEND_AQ_STATUS_ERROR,
              "AQ depth 1: ERROR");
    TAP_CHECK(dt_admin_enable(t, 12) == VASCEND_AQ_STATUS_ERROR,
              "AQ depth 12 (not a power of two): ERROR");
    TAP_CHECK(dt_admin_enable(t, ANPU_MAX_QUEUE_DEPTH * 2) ==
              VASCEND_AQ_STATUS_ERROR, "AQ depth 8192: ERROR");
    TAP_CHECK(e->errors == errs + 4, "each refusal is a guest error");
    wr64(e, VASCEND_REG_AQ_SQ_BASE_LO, ASQ + 64);
    wr(e, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE);
    TAP_CHECK(rd(e, VASCEND_REG_AQ_STATUS) == VASCEND_AQ_STATUS_ERROR,
              "AQ SQ base not 4 KiB aligned: ERROR");
    wr64(e, VASCEND_REG_AQ_SQ_BASE_LO, ASQ);
    wr64(e, VASCEND_REG_AQ_CQ_BASE_LO, 0xfffffffffffff000ULL);
    wr(e, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE);
    TAP_CHECK(rd(e, VASCEND_REG_AQ_STATUS) == VASCEND_AQ_STATUS_ERROR,
              "AQ CQ ring wrapping past 2^64: ERROR");
    wr(e, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE | 2);
    TAP_CHECK(strstr(e->last_error, "reserved"),
              "AQ_CTRL reserved bits: ignored and logged");

    errs = e->errors;
    wr(e, VASCEND_DOORBELL(0), 1);
    TAP_CHECK(e->errors == errs + 1 && strstr(e->last_error, "not exist"),
              "admin doorbell before enable: ignored and logged");
    TAP_CHECK(dt_admin_enable(t, 4) == VASCEND_AQ_STATUS_READY &&
              rd(e, VASCEND_REG_AQ_CTRL) == VASCEND_AQ_CTRL_ENABLE,
              "valid rings: READY");
    TAP_CHECK(dt_admin_enable(t, 4) == VASCEND_AQ_STATUS_READY,
              "ENABLE while ready changes nothing");
    dt_free(t);
}

static void test_before_boot(void)
{
    struct dt *t = dt_new_cfg(NULL, 0);
    struct vascend_identify *id = gptr(t->e, ANSWER);
    struct vascend_sqe s;
    struct vascend_cqe c;
    unsigned int irq0 = t->e->irqs[0];

    s = adm(VASCEND_ADMIN_IDENTIFY);
    s.u.query.addr = ANSWER;
    s.u.query.size = 4096;
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == sizeof(*id) &&
              id->fw_version == 0 && id->op_count == 0 &&
              id->aicore_count == 8,
              "IDENTIFY works before boot (fw_version 0, no ops)");
    TAP_CHECK(t->e->irqs[0] == irq0 + 1 &&
              (rd(t->e, VASCEND_REG_IRQ_STATUS) & VASCEND_IRQ_ADMIN_CQ),
              "an admin completion raises vector 0 with IRQ_ADMIN_CQ");
    s = adm(VASCEND_ADMIN_FW_STATUS);
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == VASCEND_FW_STATUS_OFF,
              "FW_STATUS before boot: OFF");
    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == VASCEND_CQE_STATUS_NOT_BOOTED,
              "CREATE_CONTEXT before boot: NOT_BOOTED");
    s = adm(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = 64;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_NOT_BOOTED,
              "TELEMETRY before boot: NOT_BOOTED");
    s = adm(VASCEND_ADMIN_DEVICE_RESET);
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_NOT_BOOTED,
              "DEVICE_RESET before boot: NOT_BOOTED");
    s = adm(0x7f);
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_OPCODE,
              "an IO opcode on the admin queue: INVALID_OPCODE");
    s = adm(VASCEND_ADMIN_HDC_TEARDOWN + 1);
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_OPCODE,
              "admin opcode 0x8e: INVALID_OPCODE");
    s = adm(VASCEND_OP_NOP);
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_OPCODE,
              "NOP on the admin queue: INVALID_OPCODE");
    dt_boot(t);
    s = adm(VASCEND_ADMIN_FW_STATUS);
    TAP_CHECK(dt_admin(t, &s, &c) == 0 &&
              c.result == VASCEND_FW_STATUS_RUNNING,
              "FW_STATUS after boot: RUNNING");
    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == 0,
              "CREATE_CONTEXT works once booted");
    dt_free(t);
}

static void test_identify_and_op_table(void)
{
    struct dt *t = dt_new();
    struct vascend_identify *id = gptr(t->e, ANSWER);
    struct vascend_op_entry *op = gptr(t->e, ANSWER);
    struct vascend_sqe s;
    struct vascend_cqe c;

    memset(id, 0xee, 4096);
    s = adm(VASCEND_ADMIN_IDENTIFY);
    s.u.query.addr = ANSWER;
    s.u.query.size = 4096;
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == sizeof(*id) &&
              c.sq_id == 0 && (c.flags & VASCEND_CQE_F_PHASE),
              "IDENTIFY: SUCCESS, result %llu = its size, phase 1",
              (unsigned long long)c.result);
    TAP_CHECK(id->hw_version == 0x10001 && id->fw_version == TEST_FW_VERSION &&
              id->caps == ((uint64_t)rd(t->e, VASCEND_REG_CAPS_HI) << 32 |
                           rd(t->e, VASCEND_REG_CAPS_LO)) &&
              id->hbm_size == DT_HBM_SIZE && id->aicore_count == 8 &&
              id->max_queues == 64 &&
              id->max_queue_depth == ANPU_MAX_QUEUE_DEPTH &&
              id->max_contexts == ANPU_MAX_CONTEXTS && id->msix_count == 8,
              "IDENTIFY: versions, caps, HBM, cores, limits");
    TAP_CHECK(id->op_count == 1 && id->hdc_service_count == 4 &&
              id->page_sizes == ((1ULL << 12) | (1ULL << 21)) &&
              id->clock_hz == 1000000000ULL &&
              !strcmp(id->soc_name, "Ascend910B3") &&
              !strcmp(id->fw_build_info, TEST_BUILD_INFO) && !id->rsvd0 &&
              !id->rsvd[0] && !id->rsvd[7],
              "IDENTIFY: op and service counts, page sizes, clock, names");
    TAP_CHECK(((uint8_t *)id)[sizeof(*id)] == 0xee,
              "nothing written past the answer");

    memset(id, 0xee, 4096);
    s.u.query.size = 8;
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == sizeof(*id) &&
              id->hw_version == 0x10001 &&
              ((uint8_t *)id)[8] == 0xee,
              "IDENTIFY with 8 bytes of room: cut to 8, result the size");
    s.u.query.rsvd = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "IDENTIFY with rsvd set: INVALID_FIELD");
    s.u.query.rsvd = 0;
    s.u.raw[3] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "IDENTIFY with an unused word set: INVALID_FIELD");
    s.u.raw[3] = 0;
    s.u.query.addr = 0xfff00000000ULL;
    s.u.query.size = 64;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_DMA_ERROR,
              "IDENTIFY to unreachable memory: DMA_ERROR");
    s = adm(VASCEND_ADMIN_IDENTIFY);
    s.flags = 0x80;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "admin SQE with reserved flags: INVALID_FIELD");
    s = adm(VASCEND_ADMIN_IDENTIFY);
    s.rsvd0 = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "admin SQE with rsvd0 set: INVALID_FIELD");

    memset(op, 0xee, 256);
    s = adm(VASCEND_ADMIN_GET_OP_TABLE);
    s.u.query.addr = ANSWER;
    s.u.query.size = 256;
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == sizeof(*op) &&
              op->op_id == VADD_ID && op->version == 1 &&
              !strcmp(op->name, "TestVectorAdd") &&
              ((uint8_t *)op)[sizeof(*op)] == 0xee,
              "GET_OP_TABLE: the firmware's one entry");
    s = adm(VASCEND_ADMIN_FW_STATUS);
    s.u.raw[0] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "FW_STATUS with an argument word set: INVALID_FIELD");
    dt_free(t);
}

static void test_contexts(void)
{
    struct dt *t = dt_new();
    struct vascend_sqe s;

    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == 0, "CREATE_CONTEXT 1");
    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == VASCEND_CQE_STATUS_INVALID_ID,
              "CREATE_CONTEXT 1 again: INVALID_ID");
    TAP_CHECK(dt_create_ctx(t, 0, PT_POOL) == VASCEND_CQE_STATUS_INVALID_ID,
              "context id 0: INVALID_ID");
    TAP_CHECK(dt_create_ctx(t, ANPU_MAX_CONTEXTS, PT_POOL) ==
              VASCEND_CQE_STATUS_INVALID_ID, "context id MAX_CONTEXTS: "
              "INVALID_ID");
    TAP_CHECK(dt_create_ctx(t, ANPU_MAX_CONTEXTS - 1, PT_POOL) == 0,
              "context id MAX_CONTEXTS-1 is valid");
    TAP_CHECK(dt_create_ctx(t, 2, PT_POOL + 8) ==
              VASCEND_CQE_STATUS_INVALID_FIELD,
              "pt_root not 4 KiB aligned: INVALID_FIELD");
    TAP_CHECK(dt_create_ctx(t, 2, 1ULL << 60) ==
              VASCEND_CQE_STATUS_INVALID_FIELD,
              "pt_root above 2^52: INVALID_FIELD");
    s = adm(VASCEND_ADMIN_CREATE_CONTEXT);
    s.u.context.ctx_id = 2;
    s.u.context.flags = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "CREATE_CONTEXT flags: INVALID_FIELD");
    s.u.context.flags = 0;
    s.u.raw[6] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "CREATE_CONTEXT unused word: INVALID_FIELD");

    TAP_CHECK(dt_create_queue(t, 1, 1, 8) == 0, "a queue on context 1");
    TAP_CHECK(dt_ctx_cmd(t, VASCEND_ADMIN_DELETE_CONTEXT, 1) ==
              VASCEND_CQE_STATUS_BUSY,
              "DELETE_CONTEXT while a queue uses it: BUSY");
    TAP_CHECK(dt_ctx_cmd(t, VASCEND_ADMIN_DELETE_CONTEXT, 9) ==
              VASCEND_CQE_STATUS_INVALID_ID,
              "DELETE_CONTEXT of no context: INVALID_ID");
    TAP_CHECK(dt_ctx_cmd(t, VASCEND_ADMIN_RESET_CONTEXT, 9) ==
              VASCEND_CQE_STATUS_INVALID_ID,
              "RESET_CONTEXT of no context: INVALID_ID");
    s = adm(VASCEND_ADMIN_DELETE_CONTEXT);
    s.u.context.ctx_id = ANPU_MAX_CONTEXTS - 1;
    s.u.context.pt_root = PT_POOL;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "DELETE_CONTEXT with pt_root set: INVALID_FIELD");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_DELETE_QUEUE, 1, NULL) == 0 &&
              dt_ctx_cmd(t, VASCEND_ADMIN_DELETE_CONTEXT, 1) == 0,
              "DELETE_QUEUE then DELETE_CONTEXT");
    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == 0,
              "a deleted context id can be created again");
    dt_free(t);
}

static void test_queues(void)
{
    struct dt *t = dt_new();
    struct vascend_sqe s;
    unsigned int errs;

    TAP_CHECK(dt_create_ctx(t, 3, PT_POOL) == 0, "context 3");
    TAP_CHECK(dt_create_queue(t, 1, 3, 2) == 0, "queue 1, depth 2");
    TAP_CHECK(dt_create_queue(t, 1, 3, 8) == VASCEND_CQE_STATUS_INVALID_ID,
              "queue 1 again: INVALID_ID");
    TAP_CHECK(dt_create_queue(t, 0, 3, 8) == VASCEND_CQE_STATUS_INVALID_ID,
              "qid 0: INVALID_ID");
    TAP_CHECK(dt_create_queue(t, 64, 3, 8) == VASCEND_CQE_STATUS_INVALID_ID,
              "qid 64: INVALID_ID");
    TAP_CHECK(dt_create_queue(t, 63, 3, 8) == 0, "qid 63 is valid");
    TAP_CHECK(dt_create_queue(t, 2, 3, 1) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "depth 1: INVALID_FIELD");
    TAP_CHECK(dt_create_queue(t, 2, 3, 0) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "depth 0: INVALID_FIELD");
    TAP_CHECK(dt_create_queue(t, 2, 3, 24) ==
              VASCEND_CQE_STATUS_INVALID_FIELD,
              "depth 24 (not a power of two): INVALID_FIELD");
    TAP_CHECK(dt_create_queue(t, 2, 3, ANPU_MAX_QUEUE_DEPTH * 2) ==
              VASCEND_CQE_STATUS_INVALID_FIELD,
              "depth 8192: INVALID_FIELD");
    TAP_CHECK(dt_create_queue(t, 2, 4, 8) == VASCEND_CQE_STATUS_INVALID_ID,
              "context that does not exist: INVALID_ID");
    TAP_CHECK(dt_create_queue_co(t, 2, 3, 8, 8, 0, 0) ==
              VASCEND_CQE_STATUS_INVALID_FIELD,
              "vector 8 of 8: INVALID_FIELD");

    s = adm(VASCEND_ADMIN_CREATE_QUEUE);
    s.u.queue.qid = 2;
    s.u.queue.ctx_id = 3;
    s.u.queue.depth = ANPU_MAX_QUEUE_DEPTH;
    s.u.queue.sq_base = RING(2);
    s.u.queue.cq_base = RING(2) + 0x800;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "CQ base not 4 KiB aligned: INVALID_FIELD");
    s.u.queue.cq_base = RING(2) + RING_CQ;
    s.u.queue.sq_base = RING(2) + 64;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "SQ base not 4 KiB aligned: INVALID_FIELD");
    s.u.queue.sq_base = RING(2);
    s.u.raw[4] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "CREATE_QUEUE unused word: INVALID_FIELD");
    s.u.raw[4] = 0;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "depth %u is the maximum",
              ANPU_MAX_QUEUE_DEPTH);

    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_DELETE_QUEUE, 5, NULL) ==
              VASCEND_CQE_STATUS_INVALID_ID, "DELETE_QUEUE of no queue");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_RESET_QUEUE, 5, NULL) ==
              VASCEND_CQE_STATUS_INVALID_ID, "RESET_QUEUE of no queue");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_DELETE_QUEUE, 0, NULL) ==
              VASCEND_CQE_STATUS_INVALID_ID, "DELETE_QUEUE 0 (admin)");
    s = adm(VASCEND_ADMIN_DELETE_QUEUE);
    s.u.queue.qid = 1;
    s.u.queue.vector = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "DELETE_QUEUE with vector set: INVALID_FIELD");
    s = adm(VASCEND_ADMIN_RESET_QUEUE);
    s.u.queue.qid = 1;
    s.u.raw[1] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "RESET_QUEUE with sq_base set: INVALID_FIELD");
    TAP_CHECK(dt_queue_cmd(t, VASCEND_ADMIN_DELETE_QUEUE, 1, NULL) == 0,
              "DELETE_QUEUE 1");
    errs = t->e->errors;
    wr(t->e, VASCEND_DOORBELL(1), 1);
    TAP_CHECK(t->e->errors == errs + 1 &&
              rd(t->e, VASCEND_DOORBELL(1)) == 0,
              "doorbell of a deleted queue: ignored and logged");
    TAP_CHECK(dt_create_queue(t, 1, 3, 4) == 0,
              "a deleted qid can be created again");
    dt_free(t);
}

static void test_tlb_and_telemetry(void)
{
    struct dt *t = dt_new();
    struct vascend_telemetry *tm = gptr(t->e, ANSWER);
    struct vascend_sqe s;
    struct vascend_cqe c;
    struct pt pt;

    pt_init(&pt, t->e, PT_POOL, PT_POOL_SIZE);
    pt_map(&pt, 0x10000, 0x3000, 3 * 4096, PT_W | PT_HBM);
    pt_map2m(&pt, 0x40000000, 0x200000, 2 << 20, PT_HBM);
    pt_map(&pt, 0x20000, DATA, 8 * 4096, PT_W);
    TAP_CHECK(dt_create_ctx(t, 1, pt.root) == 0 &&
              dt_create_ctx(t, 2, PT_POOL + PT_POOL_SIZE - 4096) == 0 &&
              dt_create_queue(t, 1, 1, 8) == 0 &&
              dt_create_queue(t, 2, 1, 8) == 0 &&
              dt_create_queue(t, 3, 2, 8) == 0,
              "two contexts, three queues");
    s = adm(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = sizeof(*tm);
    t->e->clock += 5000;
    TAP_CHECK(dt_admin(t, &s, &c) == 0 && c.result == sizeof(*tm),
              "TELEMETRY: SUCCESS, result its size");
    TAP_CHECK(tm->active_contexts == 2 && tm->active_queues == 3,
              "telemetry counts 2 contexts and 3 queues");
    TAP_CHECK(tm->hbm_mapped == 3 * 4096 + (2 << 20),
              "hbm_mapped counts the HBM leaves: %llu",
              (unsigned long long)tm->hbm_mapped);
    TAP_CHECK(tm->temperature_mc == ANPU_TEMP_IDLE_MC &&
              tm->power_mw == ANPU_POWER_IDLE_MW && tm->utilization == 0 &&
              tm->aicore_busy_ns == 0 && tm->faults == 0,
              "an idle device: idle temperature %u and power %u",
              tm->temperature_mc, tm->power_mw);
    TAP_CHECK(tm->tasks_completed == 5 && tm->timestamp >= 5000 &&
              !tm->rsvd0 && !tm->rsvd[3],
              "tasks_completed counts the admin commands (%llu)",
              (unsigned long long)tm->tasks_completed);

    pt_unmap(&pt, 0x10000, 4096);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0 &&
              tm->hbm_mapped == 3 * 4096 + (2 << 20),
              "an edited table is not walked again before TLB_INVALIDATE");
    s = adm(VASCEND_ADMIN_TLB_INVALIDATE);
    s.u.tlb.ctx_id = 1;
    s.u.tlb.va = 0x10000;
    s.u.tlb.size = 4096;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "TLB_INVALIDATE of one page");
    s = adm(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = sizeof(*tm);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0 &&
              tm->hbm_mapped == 2 * 4096 + (2 << 20),
              "after TLB_INVALIDATE hbm_mapped is recounted: %llu",
              (unsigned long long)tm->hbm_mapped);

    s = adm(VASCEND_ADMIN_TLB_INVALIDATE);
    s.u.tlb.ctx_id = 9;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_ID,
              "TLB_INVALIDATE of no context: INVALID_ID");
    s.u.tlb.ctx_id = 1;
    s.u.tlb.rsvd = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "TLB_INVALIDATE rsvd: INVALID_FIELD");
    s.u.tlb.rsvd = 0;
    s.u.tlb.va = 0xfffffffffffff000ULL;
    s.u.tlb.size = 0x2000;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "TLB_INVALIDATE range wrapping 2^64: INVALID_FIELD");
    s.u.tlb.va = 0;
    s.u.tlb.size = 0;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "TLB_INVALIDATE of everything");

    s = adm(VASCEND_ADMIN_DEVICE_RESET);
    s.u.raw[0] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "DEVICE_RESET with a word set: INVALID_FIELD");
    s.u.raw[0] = 0;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "DEVICE_RESET");
    s = adm(VASCEND_ADMIN_TELEMETRY);
    s.u.query.addr = ANSWER;
    s.u.query.size = sizeof(*tm);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0 && tm->active_contexts == 0 &&
              tm->active_queues == 0 && tm->hbm_mapped == 0,
              "after DEVICE_RESET: no contexts, queues or mapped HBM");
    TAP_CHECK(rd(t->e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING &&
              dt_create_ctx(t, 1, pt.root) == 0 &&
              dt_create_queue(t, 1, 1, 8) == 0,
              "the firmware still runs; ids are free again");
    dt_free(t);
}

static void test_admin_rings(void)
{
    struct dt *t = dt_new();
    struct vascend_sqe s;
    struct vascend_cqe c;
    int i, ok = 1, got;

    /* 3 passes through the 16-entry ring: the phase flips each pass. */
    for (i = 0; i < 3 * ADEPTH; i++) {
        s = adm(VASCEND_ADMIN_FW_STATUS);
        if (dt_admin(t, &s, &c) || c.result != VASCEND_FW_STATUS_RUNNING) {
            ok = 0;
        }
    }
    TAP_CHECK(ok && t->q[0].phase == 0,
              "48 commands through a 16-entry admin queue, phase wraps");

    /* A full CQ holds completions back until the driver returns slots. */
    t->q[0].tail = t->q[0].head;
    for (i = 0; i < ADEPTH - 1; i++) {
        s = adm(VASCEND_ADMIN_FW_STATUS);
        s.task_id = 100 + i;
        dt_push(t, 0, &s);
    }
    dt_ring(t, 0);
    env_process(t->e);
    for (i = 0; i < 3; i++) {
        s = adm(VASCEND_ADMIN_FW_STATUS);
        s.task_id = 200 + i;
        dt_push(t, 0, &s);
    }
    dt_ring(t, 0);
    env_process(t->e);
    for (got = 0; dt_peek(t, 0, &c) && got < 100; got++) {
        if (c.task_id != (uint32_t)(got < ADEPTH - 1 ? 100 + got :
                                    200 + got - (ADEPTH - 1))) {
            ok = 0;
        }
        dt_reap(t, 0, &c);
        env_process(t->e);
    }
    TAP_CHECK(ok && got == ADEPTH - 1 + 3,
              "CQ full: completions wait, then arrive in order (%d)", got);

    wr(t->e, VASCEND_DOORBELL(0) + VASCEND_DB_SQ_TAIL, ADEPTH);
    TAP_CHECK(strstr(t->e->last_error, "outside"),
              "SQ tail = depth: ignored and logged");
    wr(t->e, VASCEND_DOORBELL(0) + VASCEND_DB_CQ_HEAD,
       (t->q[0].head + 3) % ADEPTH);
    TAP_CHECK(strstr(t->e->last_error, "passes the tail"),
              "CQ head beyond what was posted: ignored and logged");
    wr(t->e, VASCEND_DOORBELL(0) + 8, 1);
    TAP_CHECK(strstr(t->e->last_error, "reserved offset"),
              "write to an unused doorbell offset: logged");
    s = adm(VASCEND_ADMIN_FW_STATUS);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0,
              "the admin queue works after the bad doorbells");
    dt_free(t);
}

static void test_aq_disable(void)
{
    struct dt *t = dt_new();
    struct vascend_sqe s;

    TAP_CHECK(dt_create_ctx(t, 1, PT_POOL) == 0 &&
              dt_create_queue(t, 1, 1, 8) == 0, "context and queue");
    wr(t->e, VASCEND_REG_AQ_CTRL, 0);
    env_process(t->e);
    TAP_CHECK(rd(t->e, VASCEND_REG_AQ_STATUS) == 0,
              "clearing ENABLE: not READY");
    wr(t->e, VASCEND_DOORBELL(1), 1);
    TAP_CHECK(strstr(t->e->last_error, "not exist"),
              "clearing ENABLE deleted the IO queues");
    TAP_CHECK(dt_admin_enable(t, ADEPTH) == VASCEND_AQ_STATUS_READY &&
              dt_create_ctx(t, 1, PT_POOL) == 0,
              "re-enabled; the contexts were forgotten");
    s = adm(VASCEND_ADMIN_HDC_TEARDOWN);
    s.u.raw[2] = 4;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "HDC_TEARDOWN with a word set: INVALID_FIELD");
    s.u.raw[2] = 0;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "HDC_TEARDOWN when not set up");
    s = adm(VASCEND_ADMIN_HDC_SETUP);
    s.u.hdc.h2d_base = DATA;
    s.u.hdc.d2h_base = DATA + 0x100000;
    s.u.hdc.status_addr = DATA + 0x200000;
    s.u.hdc.slot_count = 16;
    s.u.hdc.slot_size = 4096;
    s.u.hdc.vector = 3;
    s.u.raw[6] = 1;
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_INVALID_FIELD,
              "HDC_SETUP with an unused word set: INVALID_FIELD");
    s.u.raw[6] = 0;
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "HDC_SETUP delegated: SUCCESS");
    TAP_CHECK(dt_admin(t, &s, NULL) == VASCEND_CQE_STATUS_BUSY,
              "HDC_SETUP again: BUSY (the HDC module's answer)");
    s = adm(VASCEND_ADMIN_HDC_TEARDOWN);
    TAP_CHECK(dt_admin(t, &s, NULL) == 0, "HDC_TEARDOWN");
    dt_free(t);
}

int main(void)
{
    test_limits_and_clock();
    test_aq_enable();
    test_before_boot();
    test_identify_and_op_table();
    test_contexts();
    test_queues();
    test_tlb_and_telemetry();
    test_admin_rings();
    test_aq_disable();
    return tap_done();
}
