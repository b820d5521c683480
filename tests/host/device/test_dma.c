// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DMA channel 0 of the ascend-npu core: refusals (not booted, CTRL, length,
 * HBM range, host memory), copies in both directions, and the status, DMA_SEQ
 * and IRQ_STATUS bookkeeping around them.
 */
#include "anpu_dma.h"
#include "fwimage.h"
#include "harness.h"

static struct img im;

/* A device whose firmware runs. */
static struct env *booted_env(void)
{
    struct env *e = env_new();

    img_valid(&im);
    memcpy(e->guest, im.buf, im.len);
    wr64(e, VASCEND_REG_FW_ADDR_LO, GUEST_BASE);
    wr(e, VASCEND_REG_FW_SIZE, im.len);
    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
    env_process(e);
    if (rd(e, VASCEND_REG_FW_STATUS) != VASCEND_FW_STATUS_RUNNING) {
        printf("Bail out! test firmware did not boot\n");
        exit(1);
    }
    wr(e, VASCEND_REG_IRQ_STATUS, 0xffffffff);
    memset(e->irqs, 0, sizeof(e->irqs));
    e->kicks = 0;
    e->errors = 0;
    e->host_reads = 0;
    return e;
}

static void start(struct env *e, uint64_t host, uint64_t dev, uint32_t len,
                  uint32_t ctrl)
{
    wr64(e, VASCEND_REG_DMA_HOST_LO, host);
    wr64(e, VASCEND_REG_DMA_DEV_LO, dev);
    wr(e, VASCEND_REG_DMA_LEN, len);
    wr(e, VASCEND_REG_DMA_CTRL, ctrl);
}

/* Start, run the work, return DMA_STATUS. */
static uint32_t run(struct env *e, uint64_t host, uint64_t dev, uint32_t len,
                    uint32_t ctrl)
{
    start(e, host, dev, len, ctrl);
    env_process(e);
    return rd(e, VASCEND_REG_DMA_STATUS);
}

#define H2D     VASCEND_DMA_CTRL_START
#define D2H     (VASCEND_DMA_CTRL_START | VASCEND_DMA_CTRL_DIR_D2H)

static void test_not_booted(void)
{
    struct env *e = env_new();
    uint32_t st;

    st = run(e, GUEST_BASE, 0, 64, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_NOT_BOOTED,
              "DMA before boot: ERR_NOT_BOOTED (0x%02x)", st);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 1 &&
              e->irqs[VASCEND_MSIX_VEC_DMA] == 1 &&
              (rd(e, VASCEND_REG_IRQ_STATUS) & VASCEND_IRQ_DMA_DONE),
              "a refusal still counts in DMA_SEQ and raises the DMA vector");
    TAP_CHECK(e->host_reads == 0, "nothing was read");

    /* START latched while booting: the firmware was not running yet. */
    img_valid(&im);
    memcpy(e->guest, im.buf, im.len);
    wr64(e, VASCEND_REG_FW_ADDR_LO, GUEST_BASE);
    wr(e, VASCEND_REG_FW_SIZE, im.len);
    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
    start(e, GUEST_BASE, 0, 64, H2D);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING &&
              rd(e, VASCEND_REG_DMA_STATUS) ==
              VASCEND_DMA_STATUS_ERR_NOT_BOOTED,
              "DMA started while booting: ERR_NOT_BOOTED");
    st = run(e, GUEST_BASE, 0, 64, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_DONE, "once running, DMA works");
    env_free(e);
}

static void test_refusals(void)
{
    struct env *e = booted_env();
    uint32_t st;

    st = run(e, GUEST_BASE, 0, 64, H2D | 0x4);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_CTRL,
              "reserved CTRL bit 2: ERR_CTRL (0x%02x)", st);
    st = run(e, GUEST_BASE, 0, 64, D2H | 0x80000000U);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_CTRL,
              "reserved CTRL bit 31: ERR_CTRL (0x%02x)", st);

    st = run(e, GUEST_BASE, 0, 0, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_LEN, "length 0: ERR_LEN (0x%02x)",
              st);
    st = run(e, GUEST_BASE, 0, VASCEND_DMA_MAX_LEN + 1, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_LEN,
              "length above the limit: ERR_LEN (0x%02x)", st);

    st = run(e, GUEST_BASE, TEST_HBM_SIZE - 8, 16, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_RANGE,
              "HBM range crossing the end: ERR_RANGE (0x%02x)", st);
    st = run(e, GUEST_BASE, TEST_HBM_SIZE, 1, D2H);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_RANGE,
              "HBM offset at the end: ERR_RANGE (0x%02x)", st);
    st = run(e, GUEST_BASE, UINT64_MAX - 3, 8, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_RANGE,
              "HBM offset that would wrap: ERR_RANGE (0x%02x)", st);
    st = run(e, GUEST_BASE, 1ULL << 32, 8, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_RANGE,
              "HBM offset only in DMA_DEV_HI: ERR_RANGE (0x%02x)", st);

    st = run(e, UINT64_MAX - 7, 0, 16, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_HOST,
              "host range wrapping the address space: ERR_HOST (0x%02x)", st);
    st = run(e, 0x1000, 0, 16, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_HOST,
              "host address outside guest memory: ERR_HOST (0x%02x)", st);

    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 10,
              "every refusal counted in DMA_SEQ (%u)",
              rd(e, VASCEND_REG_DMA_SEQ));
    TAP_CHECK(e->irqs[VASCEND_MSIX_VEC_DMA] == 10 &&
              e->irqs[VASCEND_MSIX_VEC_ADMIN] == 0,
              "each raised the DMA vector only");
    TAP_CHECK(e->errors == 10, "each logged as a guest error (%u)",
              e->errors);
    TAP_CHECK(!memcmp(e->hbm, (uint8_t[16]){ 0 }, 16),
              "no refused command touched HBM");
    env_free(e);
}

static void test_check_order(void)
{
    struct env *e = env_new();
    struct anpu_dma_cmd cmd = {
        .host = GUEST_BASE, .dev = TEST_HBM_SIZE, .len = 0,
        .ctrl = H2D | 0x10, .booted = false,
    };
    char why[ANPU_WHY_LEN];

    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_NOT_BOOTED,
              "all wrong: NOT_BOOTED reported first");
    cmd.booted = true;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_CTRL, "then CTRL");
    cmd.ctrl = H2D;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_LEN, "then LEN");
    cmd.len = 4;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_RANGE, "then RANGE");
    cmd.dev = TEST_HBM_SIZE - 4;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_DONE, "last 4 bytes of HBM are in range");
    cmd.len = 5;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_RANGE,
              "one byte past the HBM end is out of range");
    /* The host range is checked by the core, not only by the callbacks. */
    cmd.dev = 0;
    cmd.len = 16;
    cmd.host = UINT64_MAX - 14;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_ERR_HOST,
              "host range one byte past 2^64: ERR_HOST");
    cmd.host = UINT64_MAX - 15;
    TAP_CHECK(anpu_dma_check(&e->dev, &cmd, why, sizeof(why)) ==
              VASCEND_DMA_STATUS_DONE,
              "host range ending exactly at 2^64 passes the check");
    env_free(e);
}

static void test_copies(void)
{
    struct env *e = booted_env();
    const uint32_t len = 3 * ANPU_DMA_CHUNK + 123;     /* several chunks */
    uint32_t i, st;
    int same;

    for (i = 0; i < len; i++) {
        e->guest[0x100000 + i] = (uint8_t)(i * 7 + 1);
    }
    st = run(e, GUEST_BASE + 0x100000, 0x1000, len, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_DONE, "H2D copy DONE (0x%02x)", st);
    TAP_CHECK(memcmp(e->hbm + 0x1000, e->guest + 0x100000, len) == 0,
              "H2D: HBM holds the host bytes");
    TAP_CHECK(e->hbm[0xfff] == 0 && e->hbm[0x1000 + len] == 0,
              "H2D wrote nothing outside its range");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 1, "DMA_SEQ is 1");
    TAP_CHECK(e->irqs[VASCEND_MSIX_VEC_DMA] == 1 &&
              rd(e, VASCEND_REG_IRQ_STATUS) == VASCEND_IRQ_DMA_DONE,
              "DMA vector raised and IRQ_STATUS.DMA_DONE set");
    TAP_CHECK(!(rd(e, VASCEND_REG_STATUS) & VASCEND_STATUS_DMA_BUSY),
              "STATUS.DMA_BUSY clear when done");

    wr(e, VASCEND_REG_IRQ_STATUS, VASCEND_IRQ_DMA_DONE);
    memset(e->hbm + 0x1000 + 10, 0xee, 5);
    st = run(e, GUEST_BASE + 0x300000, 0x1000, len, D2H);
    TAP_CHECK(st == VASCEND_DMA_STATUS_DONE, "D2H copy DONE (0x%02x)", st);
    TAP_CHECK(memcmp(e->guest + 0x300000, e->hbm + 0x1000, len) == 0 &&
              e->guest[0x300000 + 12] == 0xee,
              "D2H: host holds the HBM bytes");
    TAP_CHECK(e->guest[0x300000 - 1] == 0 && e->guest[0x300000 + len] == 0,
              "D2H wrote nothing outside its range");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 2 &&
              e->irqs[VASCEND_MSIX_VEC_DMA] == 2 &&
              rd(e, VASCEND_REG_IRQ_STATUS) == VASCEND_IRQ_DMA_DONE,
              "DMA_SEQ 2, second interrupt, cause set again after clearing");

    /* The very last byte of HBM, and the maximum length. */
    e->guest[0] = 0x5a;
    st = run(e, GUEST_BASE, TEST_HBM_SIZE - 1, 1, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_DONE &&
              e->hbm[TEST_HBM_SIZE - 1] == 0x5a, "1 byte at the HBM end");
    st = run(e, GUEST_BASE, 0, TEST_HBM_SIZE, D2H);
    same = st == VASCEND_DMA_STATUS_DONE &&
           !memcmp(e->guest, e->hbm, TEST_HBM_SIZE);
    TAP_CHECK(same, "whole HBM copied to the host (0x%02x)", st);
    env_free(e);
}

static void test_host_failure(void)
{
    struct env *e = booted_env();
    uint32_t st;

    e->fail_host_read = 1;
    st = run(e, GUEST_BASE, 0, 256, H2D);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_HOST,
              "failing host read: ERR_HOST (0x%02x)", st);
    e->fail_host_read = 0;
    e->fail_host_write = 1;
    st = run(e, GUEST_BASE, 0, 256, D2H);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_HOST,
              "failing host write: ERR_HOST (0x%02x)", st);
    e->fail_host_write = 0;
    /* Fails in its second chunk: the end of guest memory. */
    st = run(e, GUEST_BASE + GUEST_SIZE - ANPU_DMA_CHUNK, 0,
             2 * ANPU_DMA_CHUNK, D2H);
    TAP_CHECK(st == VASCEND_DMA_STATUS_ERR_HOST && e->host_writes >= 2,
              "running off guest memory mid-copy: ERR_HOST (0x%02x)", st);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 3 &&
              e->irqs[VASCEND_MSIX_VEC_DMA] == 3,
              "host failures complete and interrupt like any command");
    st = run(e, GUEST_BASE, 0, 256, D2H);
    TAP_CHECK(st == VASCEND_DMA_STATUS_DONE, "the channel works afterwards");
    env_free(e);
}

static void test_busy_and_reset(void)
{
    struct env *e = booted_env();
    unsigned int errors;

    memset(e->guest, 0x11, 64);
    memset(e->guest + 64, 0x22, 64);
    start(e, GUEST_BASE, 0, 64, H2D);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_BUSY &&
              (rd(e, VASCEND_REG_STATUS) & VASCEND_STATUS_DMA_BUSY),
              "DMA_STATUS BUSY and STATUS.DMA_BUSY until the work runs");
    TAP_CHECK(e->kicks == 1 && e->host_reads == 0 && e->hbm[0] == 0,
              "START only schedules: nothing copied in the register write");

    errors = e->errors;
    start(e, GUEST_BASE + 64, 0, 64, H2D);
    TAP_CHECK(e->kicks == 1 && e->errors == errors + 1,
              "START while busy is ignored and logged");
    wr(e, VASCEND_REG_DMA_CTRL, VASCEND_DMA_CTRL_DIR_D2H);
    TAP_CHECK(e->kicks == 1, "CTRL without START does nothing");
    env_process(e);
    TAP_CHECK(e->hbm[0] == 0x11 && rd(e, VASCEND_REG_DMA_SEQ) == 1,
              "the first command ran with its latched registers");

    /* RESET while a command is pending: it finishes, then the reset. */
    start(e, GUEST_BASE + 64, 0, 64, H2D);
    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_BUSY &&
              anpu_work_pending(&e->dev),
              "reset waits for the pending DMA");
    start(e, GUEST_BASE, 0, 64, H2D);
    env_process(e);
    TAP_CHECK(e->hbm[0] == 0x22, "the pending DMA finished first");
    TAP_CHECK(e->irqs[VASCEND_MSIX_VEC_DMA] == 2,
              "and raised its interrupt");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_IDLE &&
              rd(e, VASCEND_REG_DMA_SEQ) == 0 &&
              rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF &&
              rd(e, VASCEND_REG_IRQ_STATUS) == 0,
              "then the reset took effect");
    TAP_CHECK(!anpu_work_pending(&e->dev), "and nothing else is pending");

    /* Device reset drops pending work outright. */
    start(e, GUEST_BASE, 0, 64, H2D);
    anpu_reset(&e->dev);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 0 &&
              rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_IDLE &&
              e->irqs[VASCEND_MSIX_VEC_DMA] == 2,
              "a device reset cancels a pending DMA");
    env_free(e);
}

int main(void)
{
    test_not_booted();
    test_refusals();
    test_check_order();
    test_copies();
    test_host_failure();
    test_busy_and_reset();
    return tap_done();
}
