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

#include "anpu_limits.h"

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
    /*
     * When status is RUNNING: the op table section's entries (struct
     * vascend_fw_op, inside the validated image; NULL when it has none)
     * and the HDC services the image lists.
     */
    const uint8_t *ops;
    uint32_t op_count;
    uint32_t services[ANPU_FW_MAX_SERVICES];
    uint32_t service_count;
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
 * words, image_size against @len, CRC-32, the firmware major version, the
 * section count, then each section (header and data inside the image, known
 * type, zero padding; exactly one NUL-terminated ASCII build-info; at most
 * one op table and one HDC service list, each well formed, without repeats,
 * naming only what the device implements) and that the sections end at
 * image_size.
 */
void anpu_fw_validate(const uint8_t *img, size_t len,
                      struct anpu_fw_result *res);

#endif /* ANPU_FW_H */
