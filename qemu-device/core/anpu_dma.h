/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * DMA channel 0: one copy between host (bus) memory and HBM, checked against
 * the contract before a byte moves.
 */
#ifndef ANPU_DMA_H
#define ANPU_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "anpu.h"

/*
 * Check a latched command: firmware state, CTRL bits, length, HBM range and
 * host range, in that order. Returns VASCEND_DMA_STATUS_DONE when the copy
 * may go ahead, else the error status, with @why set
 * (@why_len bytes; ANPU_WHY_LEN is enough).
 */
uint32_t anpu_dma_check(const struct anpu *d, const struct anpu_dma_cmd *cmd,
                        char *why, size_t why_len);

/*
 * Check and run @cmd, ANPU_DMA_CHUNK bytes per host memory callback through
 * d->bounce (the guest may point the host address at the HBM BAR itself, so
 * source and destination are never handed to one memcpy). Returns the final
 * VASCEND_DMA_STATUS_*; on an error @why says what went wrong.
 */
uint32_t anpu_dma_run(struct anpu *d, const struct anpu_dma_cmd *cmd,
                      char *why, size_t why_len);

#endif /* ANPU_DMA_H */
