/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: BAR0 registers, reset, and the bookkeeping around
 * the work the doorbells start (status, sequence numbers, interrupt causes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu.h"
#include "anpu_dma.h"
#include "anpu_fw.h"
#include "vascend_fw.h"
#include "vascend_hw.h"

#define ANPU_CAPS \
    (VASCEND_HW_CAP_DMA | VASCEND_HW_CAP_MSIX | VASCEND_HW_CAP_FW_BOOT)

static void __attribute__((format(printf, 2, 3)))
guest_error(struct anpu *d, const char *fmt, ...)
{
    char msg[ANPU_WHY_LEN + 64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    d->ops->guest_error(d->opaque, msg);
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

void anpu_init(struct anpu *d, const struct anpu_config *cfg,
               const struct anpu_ops *ops, void *opaque)
{
    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    d->ops = ops;
    d->opaque = opaque;
    anpu_reset(d);
}

void anpu_reset(struct anpu *d)
{
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
    d->fw_pending = false;
    d->fw_cmd_addr = 0;
    d->fw_cmd_size = 0;
    d->dma_pending = false;
    memset(&d->dma_cmd, 0, sizeof(d->dma_cmd));
    d->reset_pending = false;
}

bool anpu_work_pending(const struct anpu *d)
{
    return d->fw_pending || d->dma_pending || d->reset_pending;
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

uint32_t anpu_reg_read(struct anpu *d, uint64_t off)
{
    uint32_t v;

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
        /* Write-only registers and reserved space read as zero. */
        return 0;
    }
}

static void fw_ctrl_write(struct anpu *d, uint32_t val)
{
    if (val & ~VASCEND_FW_CTRL_BOOT) {
        guest_error(d, "FW_CTRL 0x%08x has reserved bits set: ignored", val);
        return;
    }
    if (!(val & VASCEND_FW_CTRL_BOOT)) {
        return;
    }
    if (d->reset_pending) {
        guest_error(d, "firmware boot requested during a reset: ignored");
        return;
    }
    if (d->fw_status == VASCEND_FW_STATUS_BOOTING ||
        d->fw_status == VASCEND_FW_STATUS_RUNNING) {
        guest_error(d, "firmware boot requested while %s: ignored "
                    "(reset first)",
                    d->fw_status == VASCEND_FW_STATUS_BOOTING ?
                    "booting" : "running");
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
            guest_error(d, "DMA_CTRL 0x%08x without START: ignored", val);
        }
        return;
    }
    if (d->reset_pending) {
        guest_error(d, "DMA started during a reset: ignored");
        return;
    }
    if (d->dma_pending) {
        guest_error(d, "DMA started while one is running: ignored");
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

static void reset_write(struct anpu *d, uint32_t val)
{
    if (val != VASCEND_RESET_MAGIC) {
        guest_error(d, "RESET written with 0x%08x, not the magic: ignored",
                    val);
        return;
    }
    if (d->fw_pending || d->dma_pending) {
        /* Work in flight finishes first; anpu_process() resets after it. */
        d->reset_pending = true;
        return;
    }
    anpu_reset(d);
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
        guest_error(d, "write 0x%08x to read-only register 0x%03llx: "
                    "ignored", val, (unsigned long long)off);
        break;
    default:
        if (off >= VASCEND_REG_SOC_NAME &&
            off < VASCEND_REG_SOC_NAME + VASCEND_SOC_NAME_LEN) {
            guest_error(d, "write 0x%08x to read-only register 0x%03llx: "
                        "ignored", val, (unsigned long long)off);
        } else {
            guest_error(d, "write 0x%08x to reserved offset 0x%llx: "
                        "ignored", val, (unsigned long long)off);
        }
        break;
    }
}

static void raise_cause(struct anpu *d, uint32_t cause, unsigned int vector)
{
    d->irq_status |= cause;
    d->ops->raise_irq(d->opaque, vector);
}

static void fw_boot(struct anpu *d)
{
    struct anpu_fw_result res;
    uint8_t *img = NULL;

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
        }
        free(img);
    }
    d->fw_status = res.status;
    if (res.status == VASCEND_FW_STATUS_RUNNING) {
        d->fw_version = res.fw_version;
        snprintf(d->fw_build_info, sizeof(d->fw_build_info), "%s",
                 res.build_info);
    } else {
        guest_error(d, "firmware refused (status 0x%02x): %s", res.status,
                    res.why);
    }
    raise_cause(d, VASCEND_IRQ_FW_BOOT, VASCEND_MSIX_VEC_ADMIN);
}

static void dma_finish(struct anpu *d)
{
    char why[ANPU_WHY_LEN];
    uint32_t status;

    status = anpu_dma_run(d, &d->dma_cmd, why, sizeof(why));
    if (status != VASCEND_DMA_STATUS_DONE) {
        guest_error(d, "DMA refused (status 0x%02x): %s", status, why);
    }
    d->dma_status = status;
    d->dma_seq++;
    raise_cause(d, VASCEND_IRQ_DMA_DONE, VASCEND_MSIX_VEC_DMA);
}

void anpu_process(struct anpu *d)
{
    if (d->fw_pending) {
        d->fw_pending = false;
        fw_boot(d);
    }
    if (d->dma_pending) {
        d->dma_pending = false;
        dma_finish(d);
    }
    if (d->reset_pending) {
        anpu_reset(d);
    }
}
