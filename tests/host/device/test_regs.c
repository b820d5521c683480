// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Registers of the ascend-npu core: identification, scratch, read-only and
 * reserved space, IRQ status write-1-to-clear, reset magic, configuration
 * checks.
 */
#include "harness.h"

static void test_identity(void)
{
    struct anpu_config cfg;
    struct env *e;
    char soc[VASCEND_SOC_NAME_LEN + 1] = { 0 };
    uint32_t w;
    int i;

    env_config(&cfg);
    cfg.aicores = 5;
    cfg.hbm_size = 1ULL << 33;      /* 8 GiB: HBM_SIZE_HI must be non-zero */
    snprintf(cfg.soc_name, sizeof(cfg.soc_name), "Ascend910B4-test");
    {
        const char *why = NULL;

        TAP_CHECK(anpu_config_check(&cfg, &why), "8 GiB config accepted");
    }
    /* Registers only: no HBM behind this device, no DMA happens here. */
    e = calloc(1, sizeof(*e));
    anpu_init(&e->dev, &cfg, &env_ops, e);

    TAP_CHECK(rd(e, VASCEND_REG_MAGIC) == VASCEND_HW_MAGIC,
              "MAGIC reads 0x%08x", rd(e, VASCEND_REG_MAGIC));
    TAP_CHECK(memcmp((uint32_t[]){ rd(e, VASCEND_REG_MAGIC) }, "ASCN", 4) == 0,
              "MAGIC is \"ASCN\" in memory order");
    TAP_CHECK(rd(e, VASCEND_REG_VERSION) ==
              VASCEND_HW_VERSION(VASCEND_HW_VERSION_MAJOR,
                                 VASCEND_HW_VERSION_MINOR),
              "VERSION is 1.1 (0x%08x)", rd(e, VASCEND_REG_VERSION));
    TAP_CHECK(rd(e, VASCEND_REG_CAPS_LO) ==
              (VASCEND_HW_CAP_DMA | VASCEND_HW_CAP_MSIX |
               VASCEND_HW_CAP_FW_BOOT | VASCEND_HW_CAP_QUEUES |
               VASCEND_HW_CAP_MMU | VASCEND_HW_CAP_HDC |
               VASCEND_HW_CAP_FAULT_INJECT | VASCEND_HW_CAP_FLR),
              "CAPS_LO has every v1.1 capability (0x%08x)",
              rd(e, VASCEND_REG_CAPS_LO));
    TAP_CHECK(rd(e, VASCEND_REG_CAPS_HI) == 0, "CAPS_HI is 0");
    TAP_CHECK(rd(e, VASCEND_REG_AICORE_COUNT) == 5, "AICORE_COUNT is %u",
              rd(e, VASCEND_REG_AICORE_COUNT));
    TAP_CHECK(rd(e, VASCEND_REG_MSIX_COUNT) == ANPU_MSIX_VECTORS &&
              rd(e, VASCEND_REG_MSIX_COUNT) >= VASCEND_MSIX_MIN_VECTORS,
              "MSIX_COUNT is %u", rd(e, VASCEND_REG_MSIX_COUNT));
    TAP_CHECK(rd(e, VASCEND_REG_HBM_SIZE_LO) == 0 &&
              rd(e, VASCEND_REG_HBM_SIZE_HI) == 2,
              "HBM_SIZE is 8 GiB split LO/HI (0x%08x 0x%08x)",
              rd(e, VASCEND_REG_HBM_SIZE_HI), rd(e, VASCEND_REG_HBM_SIZE_LO));

    for (i = 0; i < VASCEND_SOC_NAME_LEN; i += 4) {
        w = rd(e, VASCEND_REG_SOC_NAME + i);
        soc[i] = w;
        soc[i + 1] = w >> 8;
        soc[i + 2] = w >> 16;
        soc[i + 3] = w >> 24;
    }
    TAP_CHECK(strcmp(soc, "Ascend910B4-test") == 0, "SOC_NAME reads \"%s\"",
              soc);
    TAP_CHECK(rd(e, VASCEND_REG_SOC_NAME + 28) == 0,
              "SOC_NAME is NUL padded to 32 bytes");
    TAP_CHECK(rd(e, VASCEND_REG_SOC_NAME + VASCEND_SOC_NAME_LEN) == 0,
              "word after SOC_NAME is reserved (0)");

    TAP_CHECK(rd(e, VASCEND_REG_STATUS) == 0, "STATUS is 0 at power-on");
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF,
              "FW_STATUS is OFF at power-on");
    TAP_CHECK(rd(e, VASCEND_REG_FW_VERSION) == 0, "FW_VERSION is 0");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_IDLE,
              "DMA_STATUS is IDLE at power-on");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_SEQ) == 0, "DMA_SEQ is 0 at power-on");
    TAP_CHECK(e->errors == 0, "reads raise no guest error");
    free(e);
}

static void test_scratch_and_readonly(void)
{
    struct env *e = env_new();
    unsigned int before;

    wr(e, VASCEND_REG_SCRATCH, 0xdeadbeef);
    TAP_CHECK(rd(e, VASCEND_REG_SCRATCH) == 0xdeadbeef,
              "SCRATCH holds 0xdeadbeef");
    wr(e, VASCEND_REG_SCRATCH, 0x12345678);
    TAP_CHECK(rd(e, VASCEND_REG_SCRATCH) == 0x12345678,
              "SCRATCH holds a second value");
    TAP_CHECK(e->errors == 0 && e->kicks == 0,
              "SCRATCH has no side effect");

    before = e->errors;
    wr(e, VASCEND_REG_MAGIC, 0);
    wr(e, VASCEND_REG_AICORE_COUNT, 99);
    wr(e, VASCEND_REG_DMA_SEQ, 7);
    wr(e, VASCEND_REG_SOC_NAME, 0x41414141);
    TAP_CHECK(rd(e, VASCEND_REG_MAGIC) == VASCEND_HW_MAGIC &&
              rd(e, VASCEND_REG_AICORE_COUNT) == 8 &&
              rd(e, VASCEND_REG_DMA_SEQ) == 0 &&
              (rd(e, VASCEND_REG_SOC_NAME) & 0xff) == 'A' &&
              (rd(e, VASCEND_REG_SOC_NAME) >> 8 & 0xff) == 's',
              "read-only registers ignore writes");
    TAP_CHECK(e->errors == before + 4 && strstr(e->last_error, "read-only"),
              "each read-only write is a guest error (%u)",
              e->errors - before);

    before = e->errors;
    wr(e, 0x03c, 1);
    wr(e, 0xfffc, 1);
    TAP_CHECK(rd(e, 0x03c) == 0 && rd(e, 0xfffc) == 0 && rd(e, 0x1000) == 0,
              "reserved space reads as zero after writes");
    TAP_CHECK(e->errors == before + 2 && strstr(e->last_error, "reserved"),
              "reserved writes are guest errors");
    TAP_CHECK(rd(e, VASCEND_REG_FW_CTRL) == 0 && rd(e, VASCEND_REG_DMA_CTRL) == 0 &&
              rd(e, VASCEND_REG_RESET) == 0,
              "write-only registers read as zero");
    TAP_CHECK(e->kicks == 0, "none of this scheduled work");
    env_free(e);
}

static void test_addresses_hold(void)
{
    struct env *e = env_new();

    wr64(e, VASCEND_REG_FW_ADDR_LO, 0x123456789abcdef0ULL);
    wr(e, VASCEND_REG_FW_SIZE, 4096);
    wr64(e, VASCEND_REG_DMA_HOST_LO, 0xfedcba9876543210ULL);
    wr64(e, VASCEND_REG_DMA_DEV_LO, 0x0000000100000040ULL);
    wr(e, VASCEND_REG_DMA_LEN, 77);
    TAP_CHECK(rd(e, VASCEND_REG_FW_ADDR_LO) == 0x9abcdef0 &&
              rd(e, VASCEND_REG_FW_ADDR_HI) == 0x12345678,
              "FW_ADDR LO/HI read back");
    TAP_CHECK(rd(e, VASCEND_REG_FW_SIZE) == 4096, "FW_SIZE reads back");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_HOST_LO) == 0x76543210 &&
              rd(e, VASCEND_REG_DMA_HOST_HI) == 0xfedcba98,
              "DMA_HOST LO/HI read back");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_DEV_LO) == 0x40 &&
              rd(e, VASCEND_REG_DMA_DEV_HI) == 1, "DMA_DEV LO/HI read back");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_LEN) == 77, "DMA_LEN reads back");
    /* Rewriting the low half leaves the high half alone. */
    wr(e, VASCEND_REG_DMA_HOST_LO, 1);
    TAP_CHECK(rd(e, VASCEND_REG_DMA_HOST_HI) == 0xfedcba98 &&
              rd(e, VASCEND_REG_DMA_HOST_LO) == 1,
              "writing DMA_HOST_LO keeps DMA_HOST_HI");
    env_free(e);
}

static void test_irq_status_w1c(void)
{
    struct env *e = env_new();

    e->dev.irq_status = VASCEND_IRQ_FW_BOOT | VASCEND_IRQ_DMA_DONE;
    wr(e, VASCEND_REG_IRQ_STATUS, 0);
    TAP_CHECK(rd(e, VASCEND_REG_IRQ_STATUS) == 3,
              "writing 0 to IRQ_STATUS clears nothing");
    wr(e, VASCEND_REG_IRQ_STATUS, VASCEND_IRQ_DMA_DONE);
    TAP_CHECK(rd(e, VASCEND_REG_IRQ_STATUS) == VASCEND_IRQ_FW_BOOT,
              "writing 1 clears only that cause");
    wr(e, VASCEND_REG_IRQ_STATUS, 0xffffffff);
    TAP_CHECK(rd(e, VASCEND_REG_IRQ_STATUS) == 0, "writing all ones clears");
    env_free(e);
}

static void test_reset(void)
{
    struct env *e = env_new();
    unsigned int before;

    wr(e, VASCEND_REG_SCRATCH, 0x55aa55aa);
    wr64(e, VASCEND_REG_DMA_HOST_LO, 0x1000);
    wr(e, VASCEND_REG_DMA_LEN, 8);
    e->dev.irq_status = VASCEND_IRQ_DMA_DONE;
    e->dev.fw_status = VASCEND_FW_STATUS_RUNNING;
    e->dev.fw_version = 0x010203;
    e->dev.dma_seq = 9;
    e->dev.dma_status = VASCEND_DMA_STATUS_DONE;
    TAP_CHECK(rd(e, VASCEND_REG_STATUS) == VASCEND_STATUS_FW_RUNNING,
              "STATUS shows FW_RUNNING while running");

    before = e->errors;
    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC ^ 1);
    TAP_CHECK(rd(e, VASCEND_REG_SCRATCH) == 0x55aa55aa &&
              rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "RESET with a wrong value is ignored");
    TAP_CHECK(e->errors == before + 1, "and logged as a guest error");

    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    TAP_CHECK(rd(e, VASCEND_REG_SCRATCH) == 0, "reset clears SCRATCH");
    TAP_CHECK(rd(e, VASCEND_REG_IRQ_STATUS) == 0, "reset clears IRQ_STATUS");
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF &&
              rd(e, VASCEND_REG_FW_VERSION) == 0,
              "reset stops the firmware");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_STATUS) == VASCEND_DMA_STATUS_IDLE &&
              rd(e, VASCEND_REG_DMA_SEQ) == 0,
              "reset idles DMA and zeroes DMA_SEQ");
    TAP_CHECK(rd(e, VASCEND_REG_DMA_HOST_LO) == 0 &&
              rd(e, VASCEND_REG_DMA_LEN) == 0,
              "reset clears the DMA registers");
    TAP_CHECK(rd(e, VASCEND_REG_STATUS) == 0, "STATUS is 0 after reset");
    TAP_CHECK(rd(e, VASCEND_REG_MAGIC) == VASCEND_HW_MAGIC &&
              rd(e, VASCEND_REG_AICORE_COUNT) == 8,
              "identification survives reset");
    TAP_CHECK(e->kicks == 0 && !anpu_work_pending(&e->dev),
              "an idle reset is immediate");
    env_free(e);
}

static void test_config_check(void)
{
    struct anpu_config cfg;
    const char *why;

    env_config(&cfg);
    why = NULL;
    TAP_CHECK(anpu_config_check(&cfg, &why), "default config accepted");
    cfg.aicores = 0;
    why = NULL;
    TAP_CHECK(!anpu_config_check(&cfg, &why) && why && strstr(why, "aicores"),
              "aicores=0 refused (%s)", why ? why : "-");
    cfg.aicores = ANPU_AICORES_MAX + 1;
    TAP_CHECK(!anpu_config_check(&cfg, &why), "aicores=65 refused");
    cfg.aicores = ANPU_AICORES_MAX;
    TAP_CHECK(anpu_config_check(&cfg, &why), "aicores=64 accepted");
    cfg.hbm_size = 3ULL << 20;
    why = NULL;
    TAP_CHECK(!anpu_config_check(&cfg, &why) && why && strstr(why, "hbm"),
              "hbm=3M refused (%s)", why ? why : "-");
    cfg.hbm_size = 512ULL << 10;
    TAP_CHECK(!anpu_config_check(&cfg, &why), "hbm=512K refused");
    cfg.hbm_size = 1ULL << 20;
    TAP_CHECK(anpu_config_check(&cfg, &why), "hbm=1M accepted");
    cfg.hbm_size = ANPU_HBM_MAX * 2;
    TAP_CHECK(!anpu_config_check(&cfg, &why), "hbm above the limit refused");
    cfg.hbm_size = TEST_HBM_SIZE;
    cfg.msix_vectors = 1;
    TAP_CHECK(!anpu_config_check(&cfg, &why), "1 MSI-X vector refused");
    cfg.msix_vectors = ANPU_MSIX_VECTORS;
    memset(cfg.soc_name, 0, sizeof(cfg.soc_name));
    why = NULL;
    TAP_CHECK(!anpu_config_check(&cfg, &why) && why && strstr(why, "soc"),
              "empty soc refused");
    memset(cfg.soc_name, 'A', sizeof(cfg.soc_name));
    TAP_CHECK(!anpu_config_check(&cfg, &why), "unterminated soc refused");
    snprintf(cfg.soc_name, sizeof(cfg.soc_name), "bad\nname");
    TAP_CHECK(!anpu_config_check(&cfg, &why), "non-printable soc refused");
}

int main(void)
{
    test_identity();
    test_scratch_and_readonly();
    test_addresses_hold();
    test_irq_status_w1c();
    test_reset();
    test_config_check();
    return tap_done();
}
