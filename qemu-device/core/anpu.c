/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: BAR0 registers and doorbells, reset, firmware
 * boot, and the loop that runs the work the doorbells start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_admin.h"
#include "anpu_dma.h"
#include "anpu_engine.h"
#include "anpu_exec.h"
#include "anpu_fault.h"
#include "anpu_fw.h"
#include "vascend_fw.h"
#include "vascend_hdc_hw.h"
#include "vascend_hw.h"

#define ANPU_CAPS \
    (VASCEND_HW_CAP_DMA | VASCEND_HW_CAP_MSIX | VASCEND_HW_CAP_FW_BOOT | \
     VASCEND_HW_CAP_QUEUES | VASCEND_HW_CAP_MMU | VASCEND_HW_CAP_HDC | \
     VASCEND_HW_CAP_FAULT_INJECT | VASCEND_HW_CAP_FLR)

#define DB_END      (VASCEND_DOORBELL_BASE + \
                     ANPU_MAX_QUEUES * VASCEND_DOORBELL_STRIDE)

/*
 * Text the guest chose (firmware op and service names, build info) can hold
 * any byte: turn what is not printable ASCII into spaces, so that a guest
 * error or trace line can never forge another, as the device log does.
 */
static bool printable(unsigned char c)
{
    return c >= 0x20 && c <= 0x7e;
}

static void one_line(char *s)
{
    for (; *s; s++) {
        if (!printable(*s)) {
            *s = ' ';
        }
    }
}

void anpu_guest_error(struct anpu *d, const char *fmt, ...)
{
    char msg[ANPU_WHY_LEN + 96];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    one_line(msg);
    d->ops->guest_error(d->opaque, msg);
}

void anpu_trace(struct anpu *d, enum anpu_trace_kind kind, uint32_t a,
                uint32_t b, uint32_t c, uint32_t dd, uint64_t x, uint64_t y,
                const char *s)
{
    char text[ANPU_WHY_LEN];
    struct anpu_trace ev = {
        .kind = kind, .a = a, .b = b, .c = c, .d = dd, .x = x, .y = y,
        .s = s ? s : "",
    };
    const char *p;

    for (p = ev.s; *p; p++) {
        if (!printable(*p)) {
            snprintf(text, sizeof(text), "%s", ev.s);
            one_line(text);
            ev.s = text;
            break;
        }
    }
    if (d->ops->trace) {
        d->ops->trace(d->opaque, &ev);
    }
}

void anpu_raise(struct anpu *d, uint32_t cause, unsigned int vector)
{
    d->irq_status |= cause;
    d->ops->raise_irq(d->opaque, vector);
}

void anpu_log_event(struct anpu *d, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    anpu_log_add(&d->log, anpu_now(d), "%s", line);
    anpu_hdc_log_notify(&d->hdc);
}

uint64_t anpu_now(struct anpu *d)
{
    return d->ops->now_ns(d->opaque) - d->clock_base;
}

bool anpu_config_check(const struct anpu_config *cfg, const char **why)
{
    const char *end;
    const char *p;

    if (cfg->aicores < ANPU_AICORES_MIN || cfg->aicores > ANPU_AICORES_MAX) {
        *why = "aicores must be between 1 and 64";
        return false;
    }
    if (cfg->hbm_size < ANPU_HBM_MIN || cfg->hbm_size > ANPU_HBM_MAX ||
        (cfg->hbm_size & (cfg->hbm_size - 1))) {
        *why = "hbm must be a power of two between 1M and 16G";
        return false;
    }
    if (cfg->msix_vectors < VASCEND_MSIX_MIN_VECTORS ||
        cfg->msix_vectors > 2048) {
        *why = "MSI-X vector count must be between 2 and 2048";
        return false;
    }
    end = memchr(cfg->soc_name, 0, sizeof(cfg->soc_name));
    if (!end || end == cfg->soc_name) {
        *why = "soc must be 1 to 31 characters";
        return false;
    }
    for (p = cfg->soc_name; p < end; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            *why = "soc must be printable ASCII";
            return false;
        }
    }
    return true;
}

/* The environment the MMU and HDC see: the core's ops, behind the core. */
static int env_host_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    struct anpu *d = opaque;

    return d->ops->host_read(d->opaque, addr, buf, len);
}

static int env_host_write(void *opaque, uint64_t addr, const void *buf,
                          uint64_t len)
{
    struct anpu *d = opaque;

    return d->ops->host_write(d->opaque, addr, buf, len);
}

static uint8_t *env_ram_map(void *opaque, uint64_t addr, uint64_t *len,
                            bool is_write)
{
    struct anpu *d = opaque;

    return d->ops->ram_map(d->opaque, addr, len, is_write);
}

static void env_ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                          bool is_write)
{
    struct anpu *d = opaque;

    d->ops->ram_unmap(d->opaque, host, len, is_write);
}

static uint8_t *env_hbm_map(void *opaque, uint64_t off, uint64_t len)
{
    struct anpu *d = opaque;

    if (off > d->cfg.hbm_size || len > d->cfg.hbm_size - off) {
        return NULL;
    }
    return d->ops->hbm_map(d->opaque, off, len);
}

static void env_raise_irq(void *opaque, unsigned int vector)
{
    struct anpu *d = opaque;

    if (vector < d->cfg.msix_vectors) {
        d->ops->raise_irq(d->opaque, vector);
    }
}

static uint64_t env_now(void *opaque)
{
    return anpu_now(opaque);
}

static void env_identify(void *opaque, struct vascend_identify *id)
{
    anpu_admin_identify(opaque, id);
}

static void env_telemetry(void *opaque, struct vascend_telemetry *t)
{
    anpu_tele_sample(opaque, t);
}

static void env_guest_error(void *opaque, const char *msg)
{
    struct anpu *d = opaque;
    char line[ANPU_WHY_LEN + 160];

    snprintf(line, sizeof(line), "%s", msg);
    one_line(line);
    d->ops->guest_error(d->opaque, line);
}

void anpu_init(struct anpu *d, const struct anpu_config *cfg,
               const struct anpu_ops *ops, void *opaque)
{
    struct anpu_hdc_env henv = {
        .opaque = d,
        .host_read = env_host_read,
        .host_write = env_host_write,
        .raise_irq = env_raise_irq,
        .now_ns = env_now,
        .identify = env_identify,
        .telemetry = env_telemetry,
        .guest_error = env_guest_error,
        .log = &d->log,
        .file_dir = cfg->hdc_dir,
        .file_max = cfg->hdc_file_max,
        .msix_vectors = cfg->msix_vectors,
    };

    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    d->ops = ops;
    d->opaque = opaque;
    d->mmu_env.opaque = d;
    d->mmu_env.table_read = env_host_read;
    d->mmu_env.ram_map = env_ram_map;
    d->mmu_env.ram_unmap = env_ram_unmap;
    d->mmu_env.hbm_map = env_hbm_map;
    d->mmu_env.hbm_size = cfg->hbm_size;
    henv.log = &d->log;
    anpu_log_init(&d->log);
    anpu_hdc_init(&d->hdc, &henv);
    d->timer_when = ANPU_TIMER_OFF;
    anpu_reset(d);
}

static void forget_firmware(struct anpu *d)
{
    free(d->op_table);
    d->op_table = NULL;
    d->op_count = 0;
    d->hdc_service_count = 0;
    anpu_hdc_set_services(&d->hdc, NULL, 0);
}

void anpu_reset(struct anpu *d)
{
    anpu_admin_drop_all(d);
    if (d->queues[0].task) {
        anpu_exec_abort(d, &d->queues[0], 0);
    }
    anpu_queue_clear(&d->queues[0]);
    forget_firmware(d);

    d->scratch = 0;
    d->irq_status = 0;
    d->fw_addr = 0;
    d->fw_size = 0;
    d->fw_status = VASCEND_FW_STATUS_OFF;
    d->fw_version = 0;
    d->fw_build_info[0] = '\0';
    d->dma_host = 0;
    d->dma_dev = 0;
    d->dma_len = 0;
    d->dma_status = VASCEND_DMA_STATUS_IDLE;
    d->dma_seq = 0;
    d->clock_hi_latch = 0;
    d->aq_sq_base = 0;
    d->aq_cq_base = 0;
    d->aq_depth = 0;
    d->aq_ctrl = 0;
    d->aq_status = 0;
    d->fatal_status = 0;
    d->ecc_addr = 0;
    d->fault_armed = VASCEND_FAULT_NONE;
    d->fw_pending = false;
    d->fw_cmd_addr = 0;
    d->fw_cmd_size = 0;
    d->dma_pending = false;
    memset(&d->dma_cmd, 0, sizeof(d->dma_cmd));
    d->reset_pending = false;
    d->aq_disable_pending = false;
    d->wait_recheck = false;
    d->fault_pending = false;
    d->ecc_stopped = false;
    d->io_frozen = false;
    d->clock_base = d->ops->now_ns(d->opaque);
    anpu_tele_reset(&d->tele, 0);
    if (d->timer_when != ANPU_TIMER_OFF) {
        d->timer_when = ANPU_TIMER_OFF;
        d->ops->timer_arm(d->opaque, ANPU_TIMER_OFF);
    }
}

void anpu_fini(struct anpu *d)
{
    anpu_reset(d);
    anpu_hdc_fini(&d->hdc);
}

bool anpu_work_pending(const struct anpu *d)
{
    return d->fw_pending || d->dma_pending || d->reset_pending ||
           d->fault_pending || d->aq_disable_pending;
}

static uint32_t lo32(uint64_t v)
{
    return (uint32_t)v;
}

static uint32_t hi32(uint64_t v)
{
    return (uint32_t)(v >> 32);
}

static uint64_t set_lo32(uint64_t v, uint32_t lo)
{
    return (v & 0xffffffff00000000ULL) | lo;
}

static uint64_t set_hi32(uint64_t v, uint32_t hi)
{
    return (v & 0xffffffffULL) | (uint64_t)hi << 32;
}

static uint32_t soc_name_word(const struct anpu *d, uint64_t off)
{
    const uint8_t *p = (const uint8_t *)d->cfg.soc_name +
                       (off - VASCEND_REG_SOC_NAME);

    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t doorbell_read(struct anpu *d, uint64_t off)
{
    uint64_t rel = off - VASCEND_DOORBELL_BASE;

    if (off < DB_END) {
        return anpu_queue_db_read(d, rel / VASCEND_DOORBELL_STRIDE,
                                  rel % VASCEND_DOORBELL_STRIDE);
    }
    return anpu_hdc_db_read(&d->hdc, off - VASCEND_DOORBELL_HDC);
}

uint32_t anpu_reg_read(struct anpu *d, uint64_t off)
{
    uint32_t v;
    uint64_t clk;

    switch (off) {
    case VASCEND_REG_MAGIC:
        return VASCEND_HW_MAGIC;
    case VASCEND_REG_VERSION:
        return VASCEND_HW_VERSION(VASCEND_HW_VERSION_MAJOR,
                                  VASCEND_HW_VERSION_MINOR);
    case VASCEND_REG_CAPS_LO:
        return lo32(ANPU_CAPS);
    case VASCEND_REG_CAPS_HI:
        return hi32(ANPU_CAPS);
    case VASCEND_REG_AICORE_COUNT:
        return d->cfg.aicores;
    case VASCEND_REG_MSIX_COUNT:
        return d->cfg.msix_vectors;
    case VASCEND_REG_HBM_SIZE_LO:
        return lo32(d->cfg.hbm_size);
    case VASCEND_REG_HBM_SIZE_HI:
        return hi32(d->cfg.hbm_size);
    case VASCEND_REG_SCRATCH:
        return d->scratch;
    case VASCEND_REG_STATUS:
        v = 0;
        if (d->fw_status == VASCEND_FW_STATUS_RUNNING) {
            v |= VASCEND_STATUS_FW_RUNNING;
        }
        if (d->dma_status == VASCEND_DMA_STATUS_BUSY) {
            v |= VASCEND_STATUS_DMA_BUSY;
        }
        return v;
    case VASCEND_REG_IRQ_STATUS:
        return d->irq_status;
    case VASCEND_REG_MAX_QUEUES:
        return ANPU_MAX_QUEUES;
    case VASCEND_REG_MAX_QUEUE_DEPTH:
        return ANPU_MAX_QUEUE_DEPTH;
    case VASCEND_REG_MAX_CONTEXTS:
        return ANPU_MAX_CONTEXTS;
    case VASCEND_REG_DOORBELL_BASE:
        return VASCEND_DOORBELL_BASE;
    case VASCEND_REG_CLOCK_LO:
        clk = anpu_now(d);
        d->clock_hi_latch = hi32(clk);
        return lo32(clk);
    case VASCEND_REG_CLOCK_HI:
        return d->clock_hi_latch;
    case VASCEND_REG_AQ_SQ_BASE_LO:
        return lo32(d->aq_sq_base);
    case VASCEND_REG_AQ_SQ_BASE_HI:
        return hi32(d->aq_sq_base);
    case VASCEND_REG_AQ_CQ_BASE_LO:
        return lo32(d->aq_cq_base);
    case VASCEND_REG_AQ_CQ_BASE_HI:
        return hi32(d->aq_cq_base);
    case VASCEND_REG_AQ_DEPTH:
        return d->aq_depth;
    case VASCEND_REG_AQ_CTRL:
        return d->aq_ctrl;
    case VASCEND_REG_AQ_STATUS:
        return d->aq_status;
    case VASCEND_REG_FATAL_STATUS:
        return d->fatal_status;
    case VASCEND_REG_ECC_ADDR_LO:
        return lo32(d->ecc_addr);
    case VASCEND_REG_ECC_ADDR_HI:
        return hi32(d->ecc_addr);
    case VASCEND_REG_FAULT_INJECT:
        return d->fault_armed;
    case VASCEND_REG_FW_ADDR_LO:
        return lo32(d->fw_addr);
    case VASCEND_REG_FW_ADDR_HI:
        return hi32(d->fw_addr);
    case VASCEND_REG_FW_SIZE:
        return d->fw_size;
    case VASCEND_REG_FW_STATUS:
        return d->fw_status;
    case VASCEND_REG_FW_VERSION:
        return d->fw_version;
    case VASCEND_REG_DMA_HOST_LO:
        return lo32(d->dma_host);
    case VASCEND_REG_DMA_HOST_HI:
        return hi32(d->dma_host);
    case VASCEND_REG_DMA_DEV_LO:
        return lo32(d->dma_dev);
    case VASCEND_REG_DMA_DEV_HI:
        return hi32(d->dma_dev);
    case VASCEND_REG_DMA_LEN:
        return d->dma_len;
    case VASCEND_REG_DMA_STATUS:
        return d->dma_status;
    case VASCEND_REG_DMA_SEQ:
        return d->dma_seq;
    default:
        if (off >= VASCEND_REG_SOC_NAME &&
            off < VASCEND_REG_SOC_NAME + VASCEND_SOC_NAME_LEN &&
            !(off & 3)) {
            return soc_name_word(d, off);
        }
        if (off >= VASCEND_DOORBELL_BASE &&
            off < VASCEND_DOORBELL_HDC + VASCEND_DOORBELL_STRIDE &&
            !(off & 3)) {
            return doorbell_read(d, off);
        }
        /* Write-only registers and reserved space read as zero. */
        return 0;
    }
}

static void fw_ctrl_write(struct anpu *d, uint32_t val)
{
    if (val & ~VASCEND_FW_CTRL_BOOT) {
        anpu_guest_error(d, "FW_CTRL 0x%08x has reserved bits set: ignored",
                         val);
        return;
    }
    if (!(val & VASCEND_FW_CTRL_BOOT)) {
        return;
    }
    if (d->reset_pending) {
        anpu_guest_error(d, "firmware boot requested during a reset: "
                         "ignored");
        return;
    }
    if (d->fw_status == VASCEND_FW_STATUS_BOOTING ||
        d->fw_status == VASCEND_FW_STATUS_RUNNING ||
        d->fw_status == VASCEND_FW_STATUS_CRASHED) {
        anpu_guest_error(d, "firmware boot requested while %s: ignored "
                         "(reset first)",
                         d->fw_status == VASCEND_FW_STATUS_BOOTING ?
                         "booting" : d->fw_status ==
                         VASCEND_FW_STATUS_RUNNING ? "running" : "crashed");
        return;
    }
    d->fw_cmd_addr = d->fw_addr;
    d->fw_cmd_size = d->fw_size;
    d->fw_status = VASCEND_FW_STATUS_BOOTING;
    d->fw_version = 0;
    d->fw_build_info[0] = '\0';
    d->fw_pending = true;
    d->ops->kick(d->opaque);
}

static void dma_ctrl_write(struct anpu *d, uint32_t val)
{
    if (!(val & VASCEND_DMA_CTRL_START)) {
        if (val) {
            anpu_guest_error(d, "DMA_CTRL 0x%08x without START: ignored",
                             val);
        }
        return;
    }
    if (d->reset_pending) {
        anpu_guest_error(d, "DMA started during a reset: ignored");
        return;
    }
    if (d->dma_pending) {
        anpu_guest_error(d, "DMA started while one is running: ignored");
        return;
    }
    d->dma_cmd.host = d->dma_host;
    d->dma_cmd.dev = d->dma_dev;
    d->dma_cmd.len = d->dma_len;
    d->dma_cmd.ctrl = val;
    d->dma_cmd.booted = d->fw_status == VASCEND_FW_STATUS_RUNNING;
    d->dma_status = VASCEND_DMA_STATUS_BUSY;
    d->dma_pending = true;
    d->ops->kick(d->opaque);
}

/* Cancel every task in flight and forget it: nothing it does counts now. */
static void orphan_all_tasks(struct anpu *d)
{
    unsigned int i;

    for (i = 0; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].task) {
            anpu_exec_abort(d, &d->queues[i], 0);
        }
    }
}

static void reset_write(struct anpu *d, uint32_t val)
{
    if (val != VASCEND_RESET_MAGIC) {
        anpu_guest_error(d, "RESET written with 0x%08x, not the magic: "
                         "ignored", val);
        return;
    }
    orphan_all_tasks(d);
    if (d->fw_pending || d->dma_pending || d->jobs_out) {
        /*
         * Work in flight finishes (jobs: stop at their next chunk) first;
         * anpu_process() resets after it.
         */
        d->reset_pending = true;
        d->ops->kick(d->opaque);
        return;
    }
    anpu_trace(d, ANPU_TRACE_RESET, 0, 0, 0, 0, 0, 0, "RESET register");
    anpu_reset(d);
}

static void fault_inject_write(struct anpu *d, uint32_t val)
{
    if (!anpu_fault_arm(d, val)) {
        anpu_guest_error(d, "FAULT_INJECT 0x%08x is not a fault code: "
                         "ignored", val);
    }
}

static void doorbell_write(struct anpu *d, uint64_t off, uint32_t val)
{
    uint64_t rel = off - VASCEND_DOORBELL_BASE;

    if (d->reset_pending) {
        anpu_guest_error(d, "doorbell 0x%llx written during a reset: "
                         "ignored", (unsigned long long)off);
        return;
    }
    /* Any doorbell makes a parked EVENT_WAIT look again. */
    d->wait_recheck = true;
    if (off < DB_END) {
        anpu_queue_db_write(d, rel / VASCEND_DOORBELL_STRIDE,
                            rel % VASCEND_DOORBELL_STRIDE, val);
    } else {
        anpu_hdc_db_write(&d->hdc, off - VASCEND_DOORBELL_HDC, val);
    }
    d->ops->kick(d->opaque);
}

static bool read_only(uint64_t off)
{
    switch (off) {
    case VASCEND_REG_MAGIC:
    case VASCEND_REG_VERSION:
    case VASCEND_REG_CAPS_LO:
    case VASCEND_REG_CAPS_HI:
    case VASCEND_REG_AICORE_COUNT:
    case VASCEND_REG_MSIX_COUNT:
    case VASCEND_REG_HBM_SIZE_LO:
    case VASCEND_REG_HBM_SIZE_HI:
    case VASCEND_REG_STATUS:
    case VASCEND_REG_FW_STATUS:
    case VASCEND_REG_FW_VERSION:
    case VASCEND_REG_DMA_STATUS:
    case VASCEND_REG_DMA_SEQ:
    case VASCEND_REG_MAX_QUEUES:
    case VASCEND_REG_MAX_QUEUE_DEPTH:
    case VASCEND_REG_MAX_CONTEXTS:
    case VASCEND_REG_DOORBELL_BASE:
    case VASCEND_REG_CLOCK_LO:
    case VASCEND_REG_CLOCK_HI:
    case VASCEND_REG_AQ_STATUS:
    case VASCEND_REG_ECC_ADDR_LO:
    case VASCEND_REG_ECC_ADDR_HI:
        return true;
    default:
        return off >= VASCEND_REG_SOC_NAME &&
               off < VASCEND_REG_SOC_NAME + VASCEND_SOC_NAME_LEN;
    }
}

void anpu_reg_write(struct anpu *d, uint64_t off, uint32_t val)
{
    switch (off) {
    case VASCEND_REG_SCRATCH:
        d->scratch = val;
        break;
    case VASCEND_REG_IRQ_STATUS:
        d->irq_status &= ~val;
        break;
    case VASCEND_REG_RESET:
        reset_write(d, val);
        break;
    case VASCEND_REG_FW_ADDR_LO:
        d->fw_addr = set_lo32(d->fw_addr, val);
        break;
    case VASCEND_REG_FW_ADDR_HI:
        d->fw_addr = set_hi32(d->fw_addr, val);
        break;
    case VASCEND_REG_FW_SIZE:
        d->fw_size = val;
        break;
    case VASCEND_REG_FW_CTRL:
        fw_ctrl_write(d, val);
        break;
    case VASCEND_REG_DMA_HOST_LO:
        d->dma_host = set_lo32(d->dma_host, val);
        break;
    case VASCEND_REG_DMA_HOST_HI:
        d->dma_host = set_hi32(d->dma_host, val);
        break;
    case VASCEND_REG_DMA_DEV_LO:
        d->dma_dev = set_lo32(d->dma_dev, val);
        break;
    case VASCEND_REG_DMA_DEV_HI:
        d->dma_dev = set_hi32(d->dma_dev, val);
        break;
    case VASCEND_REG_DMA_LEN:
        d->dma_len = val;
        break;
    case VASCEND_REG_DMA_CTRL:
        dma_ctrl_write(d, val);
        break;
    case VASCEND_REG_AQ_SQ_BASE_LO:
        d->aq_sq_base = set_lo32(d->aq_sq_base, val);
        break;
    case VASCEND_REG_AQ_SQ_BASE_HI:
        d->aq_sq_base = set_hi32(d->aq_sq_base, val);
        break;
    case VASCEND_REG_AQ_CQ_BASE_LO:
        d->aq_cq_base = set_lo32(d->aq_cq_base, val);
        break;
    case VASCEND_REG_AQ_CQ_BASE_HI:
        d->aq_cq_base = set_hi32(d->aq_cq_base, val);
        break;
    case VASCEND_REG_AQ_DEPTH:
        d->aq_depth = val;
        break;
    case VASCEND_REG_AQ_CTRL:
        anpu_admin_ctrl_write(d, val);
        break;
    case VASCEND_REG_FATAL_STATUS:
        d->fatal_status &= ~val;
        break;
    case VASCEND_REG_FAULT_INJECT:
        fault_inject_write(d, val);
        break;
    default:
        if (read_only(off)) {
            anpu_guest_error(d, "write 0x%08x to read-only register "
                             "0x%03llx: ignored", val,
                             (unsigned long long)off);
        } else if (off >= VASCEND_DOORBELL_BASE &&
                   off < VASCEND_DOORBELL_HDC + VASCEND_DOORBELL_STRIDE) {
            doorbell_write(d, off, val);
        } else {
            anpu_guest_error(d, "write 0x%08x to reserved offset 0x%llx: "
                             "ignored", val, (unsigned long long)off);
        }
        break;
    }
}

/* Take what the running firmware enables from a validated image. */
static bool adopt_firmware(struct anpu *d, const struct anpu_fw_result *res)
{
    const struct vascend_fw_op *op;
    struct anpu_op_slot *table = NULL;
    uint32_t i;

    if (res->op_count) {
        table = calloc(res->op_count, sizeof(*table));
        if (!table) {
            return false;
        }
    }
    for (i = 0; i < res->op_count; i++) {
        op = (const struct vascend_fw_op *)(res->ops + i * sizeof(*op));
        memcpy(&table[i].op_id, &op->op_id, sizeof(table[i].op_id));
        memcpy(&table[i].version, &op->version, sizeof(table[i].version));
        memcpy(table[i].name, op->name, sizeof(table[i].name));
        table[i].impl = anpu_engine_find_op(table[i].name);
    }
    d->op_table = table;
    d->op_count = res->op_count;
    memcpy(d->hdc_services, res->services, sizeof(d->hdc_services));
    d->hdc_service_count = res->service_count;
    anpu_hdc_set_services(&d->hdc, d->hdc_services, d->hdc_service_count);
    return true;
}

static void fw_boot(struct anpu *d)
{
    struct anpu_fw_result res;
    uint8_t *img = NULL;

    anpu_trace(d, ANPU_TRACE_FW_BOOT, d->fw_cmd_size, 0, 0, 0,
               d->fw_cmd_addr, 0, NULL);
    if (anpu_fw_check_size(d->fw_cmd_size, &res)) {
        img = malloc(d->fw_cmd_size);
        if (!img) {
            res.status = VASCEND_FW_STATUS_ERR_DMA;
            snprintf(res.why, sizeof(res.why),
                     "no memory for a %u byte image", d->fw_cmd_size);
        } else if (d->ops->host_read(d->opaque, d->fw_cmd_addr, img,
                                     d->fw_cmd_size)) {
            res.status = VASCEND_FW_STATUS_ERR_DMA;
            snprintf(res.why, sizeof(res.why),
                     "image at 0x%llx+0x%x is not readable by DMA",
                     (unsigned long long)d->fw_cmd_addr, d->fw_cmd_size);
        } else {
            anpu_fw_validate(img, d->fw_cmd_size, &res);
            if (res.status == VASCEND_FW_STATUS_RUNNING &&
                !adopt_firmware(d, &res)) {
                res.status = VASCEND_FW_STATUS_ERR_SIZE;
                snprintf(res.why, sizeof(res.why),
                         "no memory for a %u entry op table", res.op_count);
            }
        }
    }
    free(img);
    d->fw_status = res.status;
    if (res.status == VASCEND_FW_STATUS_RUNNING) {
        d->fw_version = res.fw_version;
        snprintf(d->fw_build_info, sizeof(d->fw_build_info), "%s",
                 res.build_info);
        anpu_log_event(d, "firmware %u.%u.%u running: %s (%u ops, "
                       "%u HDC services)",
                       VASCEND_FW_VERSION_MAJOR(res.fw_version),
                       VASCEND_FW_VERSION_MINOR(res.fw_version),
                       VASCEND_FW_VERSION_PATCH(res.fw_version),
                       d->fw_build_info, d->op_count, d->hdc_service_count);
    } else {
        anpu_guest_error(d, "firmware refused (status 0x%02x): %s",
                         res.status, res.why);
        anpu_log_event(d, "firmware refused (status 0x%02x): %s",
                       res.status, res.why);
    }
    anpu_trace(d, ANPU_TRACE_FW_DONE, d->fw_status, d->fw_version, 0, 0, 0,
               0, d->fw_build_info);
    anpu_raise(d, VASCEND_IRQ_FW_BOOT, VASCEND_MSIX_VEC_ADMIN);
}

static void dma_finish(struct anpu *d)
{
    char why[ANPU_WHY_LEN];
    uint32_t status;

    anpu_trace(d, ANPU_TRACE_DMA_START, d->dma_cmd.len, d->dma_cmd.ctrl, 0,
               0, d->dma_cmd.host, d->dma_cmd.dev, NULL);
    status = anpu_dma_run(d, &d->dma_cmd, why, sizeof(why));
    if (status != VASCEND_DMA_STATUS_DONE) {
        anpu_guest_error(d, "DMA refused (status 0x%02x): %s", status, why);
    }
    d->dma_status = status;
    d->dma_seq++;
    anpu_trace(d, ANPU_TRACE_DMA_DONE, status, d->dma_seq, 0, 0, 0, 0, NULL);
    anpu_raise(d, VASCEND_IRQ_DMA_DONE, VASCEND_MSIX_VEC_DMA);
}

static void arm_timer(struct anpu *d, uint64_t next)
{
    uint64_t when = next ? next + d->clock_base : ANPU_TIMER_OFF;

    if (when != d->timer_when) {
        d->timer_when = when;
        d->ops->timer_arm(d->opaque, when);
    }
}

void anpu_timer(struct anpu *d)
{
    d->timer_when = ANPU_TIMER_OFF;
    arm_timer(d, anpu_queue_timers(d, anpu_now(d)));
}

void anpu_process(struct anpu *d)
{
    bool more = false;
    unsigned int i;

    if (d->fw_pending) {
        d->fw_pending = false;
        fw_boot(d);
    }
    if (d->dma_pending) {
        d->dma_pending = false;
        dma_finish(d);
    }
    if (d->reset_pending) {
        if (d->jobs_out) {
            /* anpu_job_done() brings us back here. */
            return;
        }
        anpu_trace(d, ANPU_TRACE_RESET, 0, 0, 0, 0, 0, 0,
                   "RESET register, after pending work");
        anpu_reset(d);
        return;
    }
    if (d->fault_pending) {
        anpu_fault_process(d);
    }
    more |= anpu_admin_process(d);
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].exists) {
            more |= anpu_exec_queue(d, &d->queues[i]);
        }
    }
    if (d->wait_recheck) {
        d->wait_recheck = false;
        more |= anpu_exec_recheck_waits(d);
        more |= d->wait_recheck;
    }
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].exists) {
            anpu_queue_idle_flush(d, &d->queues[i]);
        }
    }
    if (d->fw_status == VASCEND_FW_STATUS_RUNNING &&
        anpu_hdc_work_pending(&d->hdc)) {
        more |= anpu_hdc_process(&d->hdc);
    }
    arm_timer(d, anpu_queue_timers(d, anpu_now(d)));
    if (more) {
        d->ops->kick(d->opaque);
    }
}
