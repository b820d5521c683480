/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DMA channel 0. Every value comes from guest registers: the length, the
 * HBM range and the host range are all checked with subtraction, so no sum
 * can wrap, before any memory callback is made.
 */
#include <stdio.h>
#include <string.h>

#include "anpu_dma.h"
#include "vascend_hw.h"

uint32_t anpu_dma_check(const struct anpu *d, const struct anpu_dma_cmd *cmd,
                        char *why, size_t why_len)
{
    uint64_t hbm = d->cfg.hbm_size;

    if (!cmd->booted) {
        snprintf(why, why_len, "DMA started before the firmware runs");
        return VASCEND_DMA_STATUS_ERR_NOT_BOOTED;
    }
    if (cmd->ctrl & ~VASCEND_DMA_CTRL_VALID_MASK) {
        snprintf(why, why_len, "DMA_CTRL 0x%08x has reserved bits set",
                 cmd->ctrl);
        return VASCEND_DMA_STATUS_ERR_CTRL;
    }
    if (cmd->len == 0 || cmd->len > VASCEND_DMA_MAX_LEN) {
        snprintf(why, why_len, "DMA length %u is not in 1..%u", cmd->len,
                 VASCEND_DMA_MAX_LEN);
        return VASCEND_DMA_STATUS_ERR_LEN;
    }
    if (cmd->dev > hbm || cmd->len > hbm - cmd->dev) {
        snprintf(why, why_len,
                 "DMA HBM range 0x%llx+0x%x is outside the 0x%llx byte HBM",
                 (unsigned long long)cmd->dev, cmd->len,
                 (unsigned long long)hbm);
        return VASCEND_DMA_STATUS_ERR_RANGE;
    }
    if (cmd->len - 1 > UINT64_MAX - cmd->host) {
        snprintf(why, why_len,
                 "DMA host range 0x%llx+0x%x wraps around the address space",
                 (unsigned long long)cmd->host, cmd->len);
        return VASCEND_DMA_STATUS_ERR_HOST;
    }
    return VASCEND_DMA_STATUS_DONE;
}

uint32_t anpu_dma_run(struct anpu *d, const struct anpu_dma_cmd *cmd,
                      char *why, size_t why_len)
{
    bool d2h = cmd->ctrl & VASCEND_DMA_CTRL_DIR_D2H;
    uint32_t status, done, n;
    uint8_t *hbm;

    status = anpu_dma_check(d, cmd, why, why_len);
    if (status != VASCEND_DMA_STATUS_DONE) {
        return status;
    }
    for (done = 0; done < cmd->len; done += n) {
        n = cmd->len - done;
        if (n > sizeof(d->bounce)) {
            n = sizeof(d->bounce);
        }
        hbm = d->ops->hbm_map(d->opaque, cmd->dev + done, n);
        if (!hbm) {
            snprintf(why, why_len, "HBM 0x%llx+0x%x is not mapped",
                     (unsigned long long)(cmd->dev + done), n);
            return VASCEND_DMA_STATUS_ERR_RANGE;
        }
        if (d2h) {
            memcpy(d->bounce, hbm, n);
            if (d->ops->host_write(d->opaque, cmd->host + done, d->bounce,
                                   n)) {
                snprintf(why, why_len, "host write at 0x%llx+0x%x failed",
                         (unsigned long long)(cmd->host + done), n);
                return VASCEND_DMA_STATUS_ERR_HOST;
            }
        } else {
            if (d->ops->host_read(d->opaque, cmd->host + done, d->bounce,
                                  n)) {
                snprintf(why, why_len, "host read at 0x%llx+0x%x failed",
                         (unsigned long long)(cmd->host + done), n);
                return VASCEND_DMA_STATUS_ERR_HOST;
            }
            memcpy(hbm, d->bounce, n);
        }
    }
    return VASCEND_DMA_STATUS_DONE;
}
