/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware image validation (include/uapi/vascend_fw.h): pure functions over
 * a byte buffer, with no PCI or device code, so KUnit can test them under UML.
 */

#ifndef __VASCEND_FW_IMAGE_H__
#define __VASCEND_FW_IMAGE_H__

#include <linux/types.h>

/* Long enough for every reason vascend_fw_image_check() writes. */
#define VASCEND_FW_REASON_LEN	128

/**
 * enum vascend_fw_image_error - why an image is invalid
 * @VASCEND_FW_IMAGE_OK: the image is valid
 * @VASCEND_FW_IMAGE_ERR_MAGIC: header magic wrong
 * @VASCEND_FW_IMAGE_ERR_FORMAT: format version or header size unknown
 * @VASCEND_FW_IMAGE_ERR_SIZE: sizes disagree or exceed limits
 * @VASCEND_FW_IMAGE_ERR_CHECKSUM: CRC-32 mismatch
 * @VASCEND_FW_IMAGE_ERR_SECTION: malformed, unknown or missing section, or
 *	sections that do not end exactly at the end of the image
 * @VASCEND_FW_IMAGE_ERR_RESERVED: header flags or a reserved word not zero
 *
 * The classes are those of the device's VASCEND_FW_STATUS_ERR_* refusals,
 * so the driver and the device can be compared on the same image.
 */
enum vascend_fw_image_error {
	VASCEND_FW_IMAGE_OK = 0,
	VASCEND_FW_IMAGE_ERR_MAGIC,
	VASCEND_FW_IMAGE_ERR_FORMAT,
	VASCEND_FW_IMAGE_ERR_SIZE,
	VASCEND_FW_IMAGE_ERR_CHECKSUM,
	VASCEND_FW_IMAGE_ERR_SECTION,
	VASCEND_FW_IMAGE_ERR_RESERVED,
};

/**
 * struct vascend_fw_image_info - what a valid image says about itself
 * @fw_version: VASCEND_FW_VERSION() encoding
 * @section_count: sections in the image
 * @build_info: the BUILD_INFO section's string, inside the checked image
 *	buffer (valid as long as that buffer is)
 */
struct vascend_fw_image_info {
	u32 fw_version;
	u32 section_count;
	const char *build_info;
};

enum vascend_fw_image_error
vascend_fw_image_check(const void *data, size_t size,
		       struct vascend_fw_image_info *info,
		       char *reason, size_t reason_len);

#endif /* __VASCEND_FW_IMAGE_H__ */
