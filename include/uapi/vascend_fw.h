/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend firmware image format: part of the driver <-> device contract.
 *
 * firmware/ builds the image, the driver loads it with request_firmware()
 * (VASCEND_FW_NAME) and checks it, and the device checks it again before it
 * runs it (see VASCEND_REG_FW_* in vascend_hw.h). Little-endian throughout.
 *
 * Layout: struct vascend_fw_header, then section_count sections, each a
 * struct vascend_fw_section followed by its size bytes of data and zero
 * padding up to the next multiple of 8. The sections end exactly at
 * image_size.
 */
#ifndef _UAPI_VASCEND_FW_H
#define _UAPI_VASCEND_FW_H

#include <linux/types.h>

/* Path under /lib/firmware. */
#define VASCEND_FW_NAME			"vascend/vascend_fw.bin"

#define VASCEND_FW_MAGIC		0x57464156	/* "VAFW" in memory order */
#define VASCEND_FW_FORMAT_VERSION	1
#define VASCEND_FW_MAX_SIZE		(16U << 20)
#define VASCEND_FW_MAX_SECTIONS		64
#define VASCEND_FW_ALIGN		8

/* fw_version encoding: major.minor.patch */
#define VASCEND_FW_VERSION(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define VASCEND_FW_VERSION_MAJOR(v)	(((v) >> 16) & 0xffff)
#define VASCEND_FW_VERSION_MINOR(v)	(((v) >> 8) & 0xff)
#define VASCEND_FW_VERSION_PATCH(v)	((v) & 0xff)

/**
 * struct vascend_fw_header - first 64 bytes of a firmware image
 * @magic: VASCEND_FW_MAGIC
 * @format_version: VASCEND_FW_FORMAT_VERSION
 * @header_size: sizeof(struct vascend_fw_header)
 * @fw_version: VASCEND_FW_VERSION() of the firmware itself
 * @image_size: bytes in the whole image, header included; at most
 *	VASCEND_FW_MAX_SIZE
 * @crc32: CRC-32 (IEEE 802.3, as zlib's crc32()) of the whole image,
 *	computed with this field taken as zero
 * @section_count: sections after the header, at most VASCEND_FW_MAX_SECTIONS
 * @flags: none defined; must be zero
 * @reserved: must be zero
 */
struct vascend_fw_header {
	__u32 magic;
	__u16 format_version;
	__u16 header_size;
	__u32 fw_version;
	__u32 image_size;
	__u32 crc32;
	__u32 section_count;
	__u32 flags;
	__u32 reserved[9];
};

/**
 * struct vascend_fw_section - header of one section
 * @type: VASCEND_FW_SECT_*; unknown types make the image invalid
 * @size: data bytes that follow, excluding this header and the padding
 */
struct vascend_fw_section {
	__u32 type;
	__u32 size;
};

/* NUL-terminated ASCII: who built the image, from what. Exactly one. */
#define VASCEND_FW_SECT_BUILD_INFO	1
/*
 * The ops the firmware enables: an array of struct vascend_fw_op, at most
 * one section. An op the device does not implement makes the image
 * VASCEND_FW_STATUS_ERR_MISMATCH; a repeated id or name, ERR_SECTION.
 * KERNEL_LAUNCH of an op_id not listed completes with
 * VASCEND_CQE_STATUS_OP_UNKNOWN.
 */
#define VASCEND_FW_SECT_OP_TABLE	2
/*
 * The HDC services the firmware runs: an array of struct
 * vascend_fw_hdc_service, at most one section; CONNECT to any other service
 * is refused. An unknown service type is ERR_MISMATCH, a repeat ERR_SECTION.
 */
#define VASCEND_FW_SECT_HDC_SERVICES	3

/*
 * The firmware major version the device runs; other majors are refused with
 * VASCEND_FW_STATUS_ERR_VERSION (vascend_hw.h).
 */
#define VASCEND_FW_SUPPORTED_MAJOR	1

/**
 * struct vascend_fw_op - one op table entry
 * @op_id: the id KERNEL_LAUNCH uses (non-zero)
 * @version: op implementation version (non-zero)
 * @name: op type name as users call it (e.g. "Add"), NUL-padded, not empty
 */
struct vascend_fw_op {
	__u32 op_id;
	__u32 version;
	char name[24];
};

/**
 * struct vascend_fw_hdc_service - one HDC service
 * @type: VASCEND_HDC_SVC_* (vascend_hdc_hw.h)
 * @version: service protocol version (non-zero)
 * @name: human-readable name, NUL-padded
 */
struct vascend_fw_hdc_service {
	__u32 type;
	__u32 version;
	char name[24];
};

#endif /* _UAPI_VASCEND_FW_H */
