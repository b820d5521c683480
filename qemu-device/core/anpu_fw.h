/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Firmware image validation (include/uapi/vascend_fw.h): everything the
 * device checks before it agrees to run an image the guest handed it.
 */
#ifndef ANPU_FW_H
#define ANPU_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anpu.h"

#define ANPU_BUILD_INFO_LEN     64

struct anpu_fw_result {
    /* VASCEND_FW_STATUS_RUNNING or a VASCEND_FW_STATUS_ERR_* code. */
    uint32_t status;
    /* The header's fw_version, valid when status is RUNNING. */
    uint32_t fw_version;
    /* Start of the build-info string (truncated), when status is RUNNING. */
    char build_info[ANPU_BUILD_INFO_LEN];
    /* Why the image was refused, for the log. */
    char why[ANPU_WHY_LEN];
};

/*
 * Check the size the driver wrote to FW_SIZE before fetching anything.
 * Returns false (with @res filled in) when no image of that size can be valid.
 */
bool anpu_fw_check_size(uint32_t size, struct anpu_fw_result *res);

/*
 * Validate the @len byte image at @img (the whole FW_SIZE bytes the device
 * fetched). Checks, in this order, and stops at the first failure:
 * size limits, magic, format version and header size, flags and reserved
 * words, image_size against @len, CRC-32, section count, then each section
 * (header and data inside the image, known type, zero padding, exactly one
 * NUL-terminated ASCII build-info) and that the sections end at image_size.
 */
void anpu_fw_validate(const uint8_t *img, size_t len,
                      struct anpu_fw_result *res);

#endif /* ANPU_FW_H */
