// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware image validation. Everything here reads only the buffer it is
 * given: no PCI, no device, no allocation, so a KUnit suite can feed it
 * crafted images under UML. The image comes from the filesystem and is
 * untrusted: every offset and size is checked before it is used.
 */

#include <linux/align.h>
#include <linux/build_bug.h>
#include <linux/crc32.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include <uapi/vascend_fw.h>

#include "vascend_fw_image.h"

#define VASCEND_FW_HDR_SIZE	sizeof(struct vascend_fw_header)
#define VASCEND_FW_SECT_SIZE	sizeof(struct vascend_fw_section)
#define VASCEND_FW_HDR_RESERVED_WORDS \
	(sizeof_field(struct vascend_fw_header, reserved) / sizeof(u32))

/* The layout is the contract: catch a header edit that moves a field. */
static_assert(sizeof(struct vascend_fw_header) == 64);
static_assert(sizeof(struct vascend_fw_section) == 8);
static_assert(VASCEND_FW_HDR_SIZE % VASCEND_FW_ALIGN == 0);

/* Byte address of a field of the header at the start of @img. */
#define VASCEND_FW_HDR_FIELD(img, field) \
	((img) + offsetof(struct vascend_fw_header, field))
/* Byte address of a field of the section header at @img + @off. */
#define VASCEND_FW_SECT_FIELD(img, off, field) \
	((img) + (off) + offsetof(struct vascend_fw_section, field))

/* Little-endian reads that assume nothing about the buffer's alignment. */
static u32 vascend_fw_rd32(const u8 *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static u16 vascend_fw_rd16(const u8 *p)
{
	__le16 v;

	memcpy(&v, p, sizeof(v));
	return le16_to_cpu(v);
}

static __printf(4, 5) enum vascend_fw_image_error
vascend_fw_reject(enum vascend_fw_image_error err, char *reason,
		  size_t reason_len, const char *fmt, ...)
{
	va_list args;

	if (reason && reason_len) {
		va_start(args, fmt);
		vsnprintf(reason, reason_len, fmt, args);
		va_end(args);
	}
	return err;
}

/*
 * zlib's crc32() of the whole image with the crc32 field taken as zero;
 * zlib's CRC-32 is crc32_le() seeded with ~0 and inverted at the end.
 */
static u32 vascend_fw_image_crc(const u8 *img, size_t size)
{
	static const u8 zero_crc[sizeof_field(struct vascend_fw_header, crc32)];
	const size_t off = offsetof(struct vascend_fw_header, crc32);
	u32 crc;

	crc = crc32_le(~0U, img, off);
	crc = crc32_le(crc, zero_crc, sizeof(zero_crc));
	crc = crc32_le(crc, img + off + sizeof(zero_crc),
		       size - off - sizeof(zero_crc));
	return ~crc;
}

static enum vascend_fw_image_error
vascend_fw_image_check_header(const u8 *img, size_t size, char *reason,
			      size_t reason_len)
{
	u32 magic, image_size, crc, want_crc, flags, val;
	u16 format, hdr_size;
	unsigned int i;

	if (size > VASCEND_FW_MAX_SIZE)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SIZE, reason,
					 reason_len,
					 "file is %zu bytes, above the limit of %u",
					 size, VASCEND_FW_MAX_SIZE);
	if (size < VASCEND_FW_HDR_SIZE)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SIZE, reason,
					 reason_len,
					 "file is %zu bytes, shorter than the %zu-byte header",
					 size, VASCEND_FW_HDR_SIZE);

	magic = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, magic));
	if (magic != VASCEND_FW_MAGIC)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_MAGIC, reason,
					 reason_len,
					 "bad magic 0x%08x (expected 0x%08x)",
					 magic, VASCEND_FW_MAGIC);

	format = vascend_fw_rd16(VASCEND_FW_HDR_FIELD(img, format_version));
	if (format != VASCEND_FW_FORMAT_VERSION)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_FORMAT, reason,
					 reason_len,
					 "format version %u not supported (expected %u)",
					 format, VASCEND_FW_FORMAT_VERSION);

	hdr_size = vascend_fw_rd16(VASCEND_FW_HDR_FIELD(img, header_size));
	if (hdr_size != VASCEND_FW_HDR_SIZE)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_FORMAT, reason,
					 reason_len,
					 "header_size %u (expected %zu)",
					 hdr_size, VASCEND_FW_HDR_SIZE);

	flags = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, flags));
	if (flags)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_RESERVED, reason,
					 reason_len,
					 "header flags 0x%08x not zero", flags);

	for (i = 0; i < VASCEND_FW_HDR_RESERVED_WORDS; i++) {
		val = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, reserved) +
				      i * sizeof(u32));
		if (val)
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_RESERVED,
						 reason, reason_len,
						 "header reserved[%u] 0x%08x not zero",
						 i, val);
	}

	image_size = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, image_size));
	if (image_size > VASCEND_FW_MAX_SIZE)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SIZE, reason,
					 reason_len,
					 "image_size %u above the limit of %u",
					 image_size, VASCEND_FW_MAX_SIZE);
	if (image_size != size)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SIZE, reason,
					 reason_len,
					 "image_size %u but the file is %zu bytes",
					 image_size, size);

	want_crc = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, crc32));
	crc = vascend_fw_image_crc(img, size);
	if (crc != want_crc)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_CHECKSUM, reason,
					 reason_len,
					 "CRC-32 mismatch: header says 0x%08x, image has 0x%08x",
					 want_crc, crc);

	return VASCEND_FW_IMAGE_OK;
}

/*
 * BUILD_INFO data: ASCII up to a NUL, and only NULs from there to the end of
 * the section, so it is a C string wherever it is cut.
 */
static bool vascend_fw_build_info_ok(const u8 *data, u32 len)
{
	const u8 *nul = memchr(data, '\0', len);
	const u8 *p;

	if (!nul)
		return false;
	for (p = data; p < nul; p++) {
		if (!isascii(*p))
			return false;
	}
	return !memchr_inv(nul, 0, data + len - nul);
}

/* Op table and HDC service list entries share one 32-byte layout. */
static_assert(sizeof(struct vascend_fw_op) == 32);
static_assert(sizeof(struct vascend_fw_hdc_service) == 32);
static_assert(offsetof(struct vascend_fw_op, name) ==
	      offsetof(struct vascend_fw_hdc_service, name));
#define VASCEND_FW_ENTRY_SIZE	sizeof(struct vascend_fw_op)
#define VASCEND_FW_NAME_LEN	sizeof_field(struct vascend_fw_op, name)
#define VASCEND_FW_NAME_OFF	offsetof(struct vascend_fw_op, name)

/* A name field: not empty, NUL-terminated, only NULs after the first. */
static bool vascend_fw_name_ok(const u8 *name)
{
	const u8 *nul = memchr(name, '\0', VASCEND_FW_NAME_LEN);

	return nul && nul != name &&
	       !memchr_inv(nul, 0, name + VASCEND_FW_NAME_LEN - nul);
}

/*
 * The entries of an op table (@ops) or HDC service list: whole entries,
 * non-zero ids and versions, well-formed names, no id (and for ops no name)
 * twice. Whether the device implements them is the device's to say.
 */
static enum vascend_fw_image_error
vascend_fw_check_list(const u8 *data, u32 len, bool ops, unsigned int sect,
		      size_t off, char *reason, size_t reason_len)
{
	const char *what = ops ? "OP_TABLE" : "HDC_SERVICES";
	u32 n = len / VASCEND_FW_ENTRY_SIZE, i, j, id;
	const u8 *e;

	if (len % VASCEND_FW_ENTRY_SIZE)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION, reason,
					 reason_len,
					 "section %u at offset 0x%zx: %s of %u bytes is not whole %zu-byte entries",
					 sect, off, what, len,
					 VASCEND_FW_ENTRY_SIZE);
	for (i = 0; i < n; i++) {
		e = data + i * VASCEND_FW_ENTRY_SIZE;
		id = vascend_fw_rd32(e);
		if (!id || !vascend_fw_rd32(e + sizeof(u32)) ||
		    !vascend_fw_name_ok(e + VASCEND_FW_NAME_OFF))
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: %s entry %u has a zero id or version or a bad name",
						 sect, off, what, i);
		for (j = 0; j < i; j++) {
			const u8 *o = data + j * VASCEND_FW_ENTRY_SIZE;

			if (vascend_fw_rd32(o) == id ||
			    (ops && !memcmp(o + VASCEND_FW_NAME_OFF,
					    e + VASCEND_FW_NAME_OFF,
					    VASCEND_FW_NAME_LEN)))
				return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
							 reason, reason_len,
							 "section %u at offset 0x%zx: %s entry %u repeats entry %u",
							 sect, off, what, i, j);
		}
	}
	return VASCEND_FW_IMAGE_OK;
}

/*
 * Walk the sections that follow the header. Called only on an image whose
 * header passed, so size == image_size <= VASCEND_FW_MAX_SIZE and no sum
 * below can overflow a size_t.
 */
static enum vascend_fw_image_error
vascend_fw_image_check_sections(const u8 *img, size_t size,
				struct vascend_fw_image_info *info,
				char *reason, size_t reason_len)
{
	const char *build_info = NULL;
	size_t off = VASCEND_FW_HDR_SIZE;
	size_t data_off, padded;
	bool have_ops = false, have_svcs = false;
	enum vascend_fw_image_error err;
	u32 count, type, len;
	unsigned int i;

	count = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, section_count));
	if (count > VASCEND_FW_MAX_SECTIONS)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION, reason,
					 reason_len,
					 "section_count %u above the limit of %u",
					 count, VASCEND_FW_MAX_SECTIONS);

	for (i = 0; i < count; i++) {
		if (size - off < VASCEND_FW_SECT_SIZE)
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: header runs past the end of the image",
						 i, off);

		type = vascend_fw_rd32(VASCEND_FW_SECT_FIELD(img, off, type));
		len = vascend_fw_rd32(VASCEND_FW_SECT_FIELD(img, off, size));
		data_off = off + VASCEND_FW_SECT_SIZE;
		if (len > size - data_off)
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: %u data bytes run past the end of the image",
						 i, off, len);

		padded = ALIGN((size_t)len, VASCEND_FW_ALIGN);
		if (padded > size - data_off)
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: padding to %u bytes runs past the end of the image",
						 i, off, VASCEND_FW_ALIGN);
		if (memchr_inv(img + data_off + len, 0, padded - len))
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: padding not zero",
						 i, off);

		switch (type) {
		case VASCEND_FW_SECT_BUILD_INFO:
			if (build_info)
				return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
							 reason, reason_len,
							 "section %u at offset 0x%zx: second BUILD_INFO section",
							 i, off);
			if (!vascend_fw_build_info_ok(img + data_off, len))
				return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
							 reason, reason_len,
							 "section %u at offset 0x%zx: BUILD_INFO not NUL-terminated ASCII",
							 i, off);
			build_info = (const char *)img + data_off;
			break;
		case VASCEND_FW_SECT_OP_TABLE:
		case VASCEND_FW_SECT_HDC_SERVICES:
			if (type == VASCEND_FW_SECT_OP_TABLE ? have_ops : have_svcs)
				return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
							 reason, reason_len,
							 "section %u at offset 0x%zx: second section of type %u",
							 i, off, type);
			err = vascend_fw_check_list(img + data_off, len,
						    type == VASCEND_FW_SECT_OP_TABLE,
						    i, off, reason, reason_len);
			if (err)
				return err;
			if (type == VASCEND_FW_SECT_OP_TABLE)
				have_ops = true;
			else
				have_svcs = true;
			break;
		default:
			return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION,
						 reason, reason_len,
						 "section %u at offset 0x%zx: unknown type %u",
						 i, off, type);
		}
		off = data_off + padded;
	}

	if (off != size)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION, reason,
					 reason_len,
					 "%zu bytes after the last of %u sections",
					 size - off, count);
	if (!build_info)
		return vascend_fw_reject(VASCEND_FW_IMAGE_ERR_SECTION, reason,
					 reason_len, "no BUILD_INFO section");

	info->section_count = count;
	info->build_info = build_info;
	return VASCEND_FW_IMAGE_OK;
}

/**
 * vascend_fw_image_check() - validate a firmware image
 * @data: the image, as read from the file
 * @size: bytes at @data (the file size)
 * @info: filled in when the image is valid; untouched otherwise
 * @reason: on failure, a one-line reason with the offending values
 * @reason_len: bytes at @reason (VASCEND_FW_REASON_LEN is enough)
 *
 * Checks, in this order: the file size (a header's worth, at most
 * VASCEND_FW_MAX_SIZE), the header's magic, format version, header size,
 * flags and reserved words, image_size (equal to @size) and CRC-32; then the
 * section count, every section's bounds, zero padding and type, exactly one
 * BUILD_INFO section holding NUL-terminated ASCII (NUL padded), at most one
 * OP_TABLE and one HDC_SERVICES section, each of whole 32-byte entries with
 * non-zero ids and versions, NUL-padded names and no repeats, and that the
 * sections end exactly at the end of the image. The first failure is
 * reported. The rules, their order and the failure classes are the device's
 * (qemu-device/core/anpu_fw.c), so both refuse an image for the same reason;
 * what only the device can judge (the firmware's major version, ops and
 * services it implements) is left to the device.
 *
 * Return: VASCEND_FW_IMAGE_OK, or the class of the first failure.
 */
enum vascend_fw_image_error
vascend_fw_image_check(const void *data, size_t size,
		       struct vascend_fw_image_info *info,
		       char *reason, size_t reason_len)
{
	const u8 *img = data;
	enum vascend_fw_image_error err;

	err = vascend_fw_image_check_header(img, size, reason, reason_len);
	if (err)
		return err;

	err = vascend_fw_image_check_sections(img, size, info, reason,
					      reason_len);
	if (err)
		return err;

	info->fw_version = vascend_fw_rd32(VASCEND_FW_HDR_FIELD(img, fw_version));
	return VASCEND_FW_IMAGE_OK;
}
