/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: moving bytes over MMU segment lists
 * (struct anpu_xlate). Runs on worker threads: touches only the segments'
 * host memory and checks the cancel flag every ANPU_XFER_CHUNK bytes, so a
 * reset never waits long for a transfer in flight.
 */
#ifndef ANPU_XFER_H
#define ANPU_XFER_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_mmu.h"

/* Bytes moved between two looks at the cancel flag. */
#define ANPU_XFER_CHUNK         (2U << 20)

/* True once *@cancel was set (read atomically). */
bool anpu_xfer_cancelled(const int *cancel);

/*
 * Copy @src's bytes to @dst's (the same total length). Returns false when
 * it stopped because *@cancel was set.
 */
bool anpu_xfer_copy(const struct anpu_xlate *dst,
                    const struct anpu_xlate *src, const int *cancel);

/* Fill every byte of @dst with @byte. */
bool anpu_xfer_fill(const struct anpu_xlate *dst, uint8_t byte,
                    const int *cancel);

/* Copy @src's bytes into the contiguous @buf. */
bool anpu_xfer_gather(uint8_t *buf, const struct anpu_xlate *src,
                      const int *cancel);

/* Copy the contiguous @buf into @dst's segments. */
bool anpu_xfer_scatter(const struct anpu_xlate *dst, const uint8_t *buf,
                       const int *cancel);

#endif /* ANPU_XFER_H */
