// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for vascend_fw_image_check(): valid images are accepted with
 * what they say about themselves, and every rule of include/uapi/vascend_fw.h
 * rejects with its class and its exact reason line (the one the driver logs).
 *
 * Images are built here field by field, little-endian, with the CRC computed
 * independently of the validator's code path and pinned by a golden image
 * whose CRC-32 comes from zlib.
 */

#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include <uapi/vascend_fw.h>
#include <uapi/vascend_hdc_hw.h>

#include "vascend_fw_image.h"

#define FW_HDR		sizeof(struct vascend_fw_header)
#define FW_SECT		sizeof(struct vascend_fw_section)
#define FW_ENTRY	sizeof(struct vascend_fw_op)
#define FW_CAP		4096
/* "kunit-fw" and its NUL: 9 bytes, padded to 16. */
#define FW_BUILD_INFO	"kunit-fw"
#define FW_VERSION	VASCEND_FW_VERSION(1, 2, 3)
/* The standard image: header, then BUILD_INFO at 0x40; 88 bytes. */
#define FW_STD_SIZE	(FW_HDR + FW_SECT + 16)

/* A firmware image under construction. */
struct fw_img {
	u8 *buf;
	size_t size;
	u32 count;
};

#define HDR_OFF(field)	offsetof(struct vascend_fw_header, field)

static void fw_put32(struct fw_img *im, size_t off, u32 v)
{
	put_unaligned_le32(v, im->buf + off);
}

static void fw_put16(struct fw_img *im, size_t off, u16 v)
{
	put_unaligned_le16(v, im->buf + off);
}

static u32 fw_get32(const struct fw_img *im, size_t off)
{
	return get_unaligned_le32(im->buf + off);
}

/* zlib's crc32() over the image with the crc32 field read as zero. */
static u32 fw_crc(const struct fw_img *im)
{
	u8 *copy = kmemdup(im->buf, im->size, GFP_KERNEL);
	u32 crc;

	if (!copy)
		return 0;
	put_unaligned_le32(0, copy + HDR_OFF(crc32));
	crc = ~crc32_le(~0U, copy, im->size);
	kfree(copy);
	return crc;
}

static void fw_set_crc(struct fw_img *im)
{
	fw_put32(im, HDR_OFF(crc32), fw_crc(im));
}

/* A header alone: no section yet, sizes and CRC not set. */
static void fw_begin(struct kunit *test, struct fw_img *im)
{
	im->buf = kunit_kzalloc(test, FW_CAP, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, im->buf);
	im->size = FW_HDR;
	im->count = 0;
	fw_put32(im, HDR_OFF(magic), VASCEND_FW_MAGIC);
	fw_put16(im, HDR_OFF(format_version), VASCEND_FW_FORMAT_VERSION);
	fw_put16(im, HDR_OFF(header_size), FW_HDR);
	fw_put32(im, HDR_OFF(fw_version), FW_VERSION);
}

/* Append a section with its zero padding; returns its header's offset. */
static size_t fw_add(struct fw_img *im, u32 type, const void *data, u32 len)
{
	size_t off = im->size;

	fw_put32(im, off, type);
	fw_put32(im, off + 4, len);
	if (len)
		memcpy(im->buf + off + FW_SECT, data, len);
	im->size = off + FW_SECT + ALIGN(len, VASCEND_FW_ALIGN);
	im->count++;
	return off;
}

/* Append raw bytes (zero) that belong to no section. */
static void fw_append_zero(struct fw_img *im, size_t n)
{
	memset(im->buf + im->size, 0, n);
	im->size += n;
}

/* image_size, section_count and CRC from what was built. */
static void fw_seal(struct fw_img *im)
{
	fw_put32(im, HDR_OFF(image_size), im->size);
	fw_put32(im, HDR_OFF(section_count), im->count);
	fw_set_crc(im);
}

static void fw_add_build_info(struct fw_img *im)
{
	fw_add(im, VASCEND_FW_SECT_BUILD_INFO, FW_BUILD_INFO,
	       sizeof(FW_BUILD_INFO));
}

/* The standard valid image: header + BUILD_INFO, 88 bytes. */
static void fw_std(struct kunit *test, struct fw_img *im)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_seal(im);
}

/* One 32-byte op table / service list entry. */
static void fw_entry(u8 *e, u32 id, u32 version, const char *name)
{
	memset(e, 0, FW_ENTRY);
	put_unaligned_le32(id, e);
	put_unaligned_le32(version, e + 4);
	strscpy((char *)e + offsetof(struct vascend_fw_op, name), name,
		sizeof_field(struct vascend_fw_op, name));
}

/* BUILD_INFO, then a list section of @n entries built by fw_entry(). */
static size_t fw_std_list(struct kunit *test, struct fw_img *im, u32 type,
			  const u8 *entries, u32 n)
{
	size_t off;

	fw_begin(test, im);
	fw_add_build_info(im);
	off = fw_add(im, type, entries, n * FW_ENTRY);
	fw_seal(im);
	return off;
}

static enum vascend_fw_image_error fw_check(const struct fw_img *im,
					    struct vascend_fw_image_info *info,
					    char *reason)
{
	return vascend_fw_image_check(im->buf, im->size, info, reason,
				      VASCEND_FW_REASON_LEN);
}

/* ---- valid images ---- */

static void fw_valid_minimal(struct kunit *test)
{
	struct vascend_fw_image_info info = {};
	char reason[VASCEND_FW_REASON_LEN] = "";
	struct fw_img im;

	fw_std(test, &im);
	KUNIT_ASSERT_EQ(test, im.size, FW_STD_SIZE);
	KUNIT_ASSERT_EQ(test, fw_check(&im, &info, reason), VASCEND_FW_IMAGE_OK);
	KUNIT_EXPECT_EQ(test, info.fw_version, FW_VERSION);
	KUNIT_EXPECT_EQ(test, info.section_count, 1);
	KUNIT_EXPECT_STREQ(test, info.build_info, FW_BUILD_INFO);
	/* It points into the image, not at a copy. */
	KUNIT_EXPECT_PTR_EQ(test, info.build_info,
			    (const char *)im.buf + FW_HDR + FW_SECT);
	KUNIT_EXPECT_STREQ(test, reason, "");
}

/*
 * The same image written out byte by byte, CRC-32 from Python's
 * zlib.crc32(): pins the CRC convention (IEEE, crc32 field taken as zero).
 */
static const u8 fw_golden[FW_STD_SIZE] = {
	0x56, 0x41, 0x46, 0x57, 0x01, 0x00, 0x40, 0x00,	/* magic, format, hdr */
	0x03, 0x02, 0x01, 0x00, 0x58, 0x00, 0x00, 0x00,	/* fw_version, size */
	0xb0, 0x88, 0x58, 0x20, 0x01, 0x00, 0x00, 0x00,	/* crc32, count */
	[64] = 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,
	'k', 'u', 'n', 'i', 't', '-', 'f', 'w',
};

static void fw_valid_golden(struct kunit *test)
{
	struct vascend_fw_image_info info = {};
	char reason[VASCEND_FW_REASON_LEN] = "";
	struct fw_img im;

	KUNIT_EXPECT_EQ(test, ~crc32_le(~0U, "123456789", 9), 0xcbf43926);
	KUNIT_ASSERT_EQ(test, vascend_fw_image_check(fw_golden, sizeof(fw_golden),
						     &info, reason, sizeof(reason)),
			VASCEND_FW_IMAGE_OK);
	KUNIT_EXPECT_STREQ(test, info.build_info, FW_BUILD_INFO);

	/* The builder used by every other case makes the same bytes. */
	fw_std(test, &im);
	KUNIT_EXPECT_MEMEQ(test, im.buf, fw_golden, sizeof(fw_golden));
}

static void fw_valid_full(struct kunit *test)
{
	static const char * const svc[] = { "echo", "mgmt", "log", "file" };
	struct vascend_fw_image_info info = {};
	char reason[VASCEND_FW_REASON_LEN];
	u8 ops[3 * FW_ENTRY], svcs[4 * FW_ENTRY];
	struct fw_img im;
	unsigned int i;

	fw_entry(ops, 1, 1, "Add");
	fw_entry(ops + FW_ENTRY, 2, 3, "MatMul");
	/* A 23-character name fills the field but for its NUL. */
	fw_entry(ops + 2 * FW_ENTRY, 0xffffffff, 0xffffffff,
		 "ABCDEFGHIJKLMNOPQRSTUVW");
	for (i = 0; i < ARRAY_SIZE(svc); i++)
		fw_entry(svcs + i * FW_ENTRY, VASCEND_HDC_SVC_ECHO + i, 1, svc[i]);

	fw_begin(test, &im);
	fw_add(&im, VASCEND_FW_SECT_OP_TABLE, ops, sizeof(ops));
	fw_add(&im, VASCEND_FW_SECT_HDC_SERVICES, svcs, sizeof(svcs));
	/* BUILD_INFO need not come first; NUL padding inside it is fine. */
	fw_add(&im, VASCEND_FW_SECT_BUILD_INFO, "v1\0\0\0\0\0\0\0\0", 10);
	fw_seal(&im);
	KUNIT_ASSERT_EQ(test, fw_check(&im, &info, reason), VASCEND_FW_IMAGE_OK);
	KUNIT_EXPECT_EQ(test, info.section_count, 3);
	KUNIT_EXPECT_STREQ(test, info.build_info, "v1");
}

static void fw_valid_edges(struct kunit *test)
{
	struct vascend_fw_image_info info;
	char reason[VASCEND_FW_REASON_LEN];
	u8 svcs[2 * FW_ENTRY];
	struct fw_img im;
	u8 *shifted;

	/* Empty lists are whole entries (none). */
	fw_begin(test, &im);
	fw_add_build_info(&im);
	fw_add(&im, VASCEND_FW_SECT_OP_TABLE, NULL, 0);
	fw_add(&im, VASCEND_FW_SECT_HDC_SERVICES, NULL, 0);
	fw_seal(&im);
	KUNIT_EXPECT_EQ(test, fw_check(&im, &info, reason), VASCEND_FW_IMAGE_OK);

	/* Two services may share a name (ops may not): only ids must differ. */
	fw_entry(svcs, VASCEND_HDC_SVC_ECHO, 1, "svc");
	fw_entry(svcs + FW_ENTRY, VASCEND_HDC_SVC_LOG, 1, "svc");
	fw_std_list(test, &im, VASCEND_FW_SECT_HDC_SERVICES, svcs, 2);
	KUNIT_EXPECT_EQ(test, fw_check(&im, &info, reason), VASCEND_FW_IMAGE_OK);

	/* A BUILD_INFO of just the NUL, and exactly 64 sections. */
	fw_begin(test, &im);
	fw_add(&im, VASCEND_FW_SECT_BUILD_INFO, "", 1);
	while (im.count < VASCEND_FW_MAX_SECTIONS)
		fw_add(&im, VASCEND_FW_SECT_OP_TABLE + (im.count == 1), NULL, 0);
	KUNIT_EXPECT_EQ(test, im.count, VASCEND_FW_MAX_SECTIONS);
	fw_seal(&im);
	/* 62 more list sections are repeats: the count passes, then a repeat. */
	KUNIT_EXPECT_EQ(test, fw_check(&im, &info, reason),
			VASCEND_FW_IMAGE_ERR_SECTION);
	KUNIT_EXPECT_STREQ(test, reason,
			   "section 3 at offset 0x60: second section of type 2");

	/* Any alignment of the buffer: every field is read unaligned. */
	fw_std(test, &im);
	shifted = kunit_kzalloc(test, im.size + 3, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, shifted);
	memcpy(shifted + 3, im.buf, im.size);
	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(shifted + 3, im.size, &info,
						     reason, sizeof(reason)),
			VASCEND_FW_IMAGE_OK);
	KUNIT_EXPECT_PTR_EQ(test, info.build_info,
			    (const char *)shifted + 3 + FW_HDR + FW_SECT);
}

/* ---- every rejection ---- */

/**
 * struct fw_reject - one invalid image and what the validator must say
 * @name: parameter name in the results
 * @build: makes the image from scratch (usually fw_std() plus one change)
 * @arg: for @build
 * @err: the class
 * @reason: the exact reason line; NULL to check only @prefix
 * @prefix: with @reason NULL, what the reason starts with
 */
struct fw_reject {
	const char *name;
	void (*build)(struct kunit *test, struct fw_img *im, u32 arg);
	u32 arg;
	enum vascend_fw_image_error err;
	const char *reason;
	const char *prefix;
};

static void bad_short(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	im->size = arg;
}

static void bad_hdr32(struct kunit *test, struct fw_img *im, u32 arg)
{
	/* arg: offset << 16 | low 16 bits of the value (magic: its own case) */
	fw_std(test, im);
	fw_put32(im, arg >> 16, arg & 0xffff);
	fw_set_crc(im);
}

static void bad_magic(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(magic), arg);
	fw_set_crc(im);
}

static void bad_hdr16(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put16(im, arg >> 16, arg & 0xffff);
	fw_set_crc(im);
}

static void bad_reserved(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(reserved) + arg * 4, 0xdead);
	fw_set_crc(im);
}

static void bad_image_size(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(image_size), arg);
	fw_set_crc(im);
}

/* The file is longer than image_size says (trailing bytes outside it). */
static void bad_file_longer(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_append_zero(im, arg);
	fw_set_crc(im);
}

static void bad_crc_field(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(crc32), fw_get32(im, HDR_OFF(crc32)) ^ arg);
}

static void bad_crc_data(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	im->buf[arg] ^= 0x01;
}

/* A header rule and a bad CRC: the header rule is reported. */
static void bad_flags_and_crc(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(flags), arg);
}

static void bad_section_count(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, HDR_OFF(section_count), arg);
	fw_set_crc(im);
}

/* section_count one more than there are, with @arg stray bytes at the end. */
static void bad_sect_hdr_past_end(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_append_zero(im, arg);
	im->count++;
	fw_seal(im);
}

static void bad_sect_len(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	fw_put32(im, FW_HDR + 4, arg);
	fw_set_crc(im);
}

/* The image stops @arg bytes short of the section's padding. */
static void bad_sect_pad_cut(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	im->size -= arg;
	fw_seal(im);
}

static void bad_sect_pad_byte(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_std(test, im);
	im->buf[FW_HDR + FW_SECT + sizeof(FW_BUILD_INFO)] = arg;
	fw_set_crc(im);
}

static void bad_sect_type(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_add(im, arg, "x", 1);
	fw_seal(im);
}

static void bad_two_build_info(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_add_build_info(im);
	fw_seal(im);
}

/* BUILD_INFO contents, @arg selects which flaw. */
static void bad_build_info(struct kunit *test, struct fw_img *im, u32 arg)
{
	static const struct {
		const char *data;
		u32 len;
	} bi[] = {
		{ "kunit-fw", 8 },	/* no NUL */
		{ "kunit\x80", 7 },	/* not ASCII (NUL included) */
		{ "ab\0c", 5 },		/* a byte after the NUL */
		{ "", 0 },		/* empty */
	};

	fw_begin(test, im);
	fw_add(im, VASCEND_FW_SECT_BUILD_INFO, bi[arg].data, bi[arg].len);
	fw_seal(im);
}

static void bad_no_build_info(struct kunit *test, struct fw_img *im, u32 arg)
{
	u8 op[FW_ENTRY];

	fw_begin(test, im);
	if (arg) {
		fw_entry(op, 1, 1, "Add");
		fw_add(im, VASCEND_FW_SECT_OP_TABLE, op, sizeof(op));
	}
	fw_seal(im);
}

static void bad_trailing(struct kunit *test, struct fw_img *im, u32 arg)
{
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_append_zero(im, arg);
	fw_seal(im);
}

static void bad_list_repeat(struct kunit *test, struct fw_img *im, u32 arg)
{
	u8 e[FW_ENTRY];

	fw_entry(e, 1, 1, "Add");
	fw_begin(test, im);
	fw_add_build_info(im);
	fw_add(im, arg, e, sizeof(e));
	fw_add(im, arg, e, sizeof(e));
	fw_seal(im);
}

static void bad_list_len(struct kunit *test, struct fw_img *im, u32 arg)
{
	u8 e[2 * FW_ENTRY];

	fw_entry(e, 1, 1, "Add");
	fw_entry(e + FW_ENTRY, 2, 1, "Sub");
	fw_begin(test, im);
	fw_add_build_info(im);
	/* arg: type << 8 | bytes */
	fw_add(im, arg >> 8, e, arg & 0xff);
	fw_seal(im);
}

/* Entry 1 of a two-entry list is bad; @arg: type << 8 | flaw. */
static void bad_list_entry(struct kunit *test, struct fw_img *im, u32 arg)
{
	u8 e[2 * FW_ENTRY];
	char *name = (char *)e + FW_ENTRY + offsetof(struct vascend_fw_op, name);

	fw_entry(e, 1, 1, "Add");
	fw_entry(e + FW_ENTRY, 2, 1, "Sub");
	switch (arg & 0xff) {
	case 0:		/* zero id */
		put_unaligned_le32(0, e + FW_ENTRY);
		break;
	case 1:		/* zero version */
		put_unaligned_le32(0, e + FW_ENTRY + 4);
		break;
	case 2:		/* empty name */
		name[0] = 0;
		break;
	case 3:		/* no NUL in the name field */
		memset(name, 'A', sizeof_field(struct vascend_fw_op, name));
		break;
	case 4:		/* a byte after the name's NUL */
		name[sizeof_field(struct vascend_fw_op, name) - 1] = 'x';
		break;
	case 5:		/* the id of entry 0 */
		put_unaligned_le32(1, e + FW_ENTRY);
		break;
	case 6:		/* the name of entry 0 */
		strscpy(name, "Add", 4);
		break;
	}
	fw_std_list(test, im, arg >> 8, e, 2);
}

#define OPS	(VASCEND_FW_SECT_OP_TABLE << 8)
#define SVCS	(VASCEND_FW_SECT_HDC_SERVICES << 8)
#define H32(field, v)	((HDR_OFF(field) << 16) | (v))
#define ERR(x)	VASCEND_FW_IMAGE_ERR_##x
#define ENTRY_BAD(what)	"section 1 at offset 0x58: " what \
	" entry 1 has a zero id or version or a bad name"

static const struct fw_reject fw_rejects[] = {
	{ "empty_file", bad_short, 0, ERR(SIZE),
	  "file is 0 bytes, shorter than the 64-byte header" },
	{ "short_file", bad_short, 20, ERR(SIZE),
	  "file is 20 bytes, shorter than the 64-byte header" },
	{ "header_but_one_byte", bad_short, 63, ERR(SIZE),
	  "file is 63 bytes, shorter than the 64-byte header" },
	{ "magic_byte_swapped", bad_magic, 0x46574156, ERR(MAGIC),
	  "bad magic 0x46574156 (expected 0x57464156)" },
	{ "magic_zero", bad_magic, 0, ERR(MAGIC),
	  "bad magic 0x00000000 (expected 0x57464156)" },
	{ "format_version_2", bad_hdr16, (HDR_OFF(format_version) << 16) | 2,
	  ERR(FORMAT), "format version 2 not supported (expected 1)" },
	{ "format_version_0", bad_hdr16, (HDR_OFF(format_version) << 16) | 0,
	  ERR(FORMAT), "format version 0 not supported (expected 1)" },
	{ "header_size_72", bad_hdr16, (HDR_OFF(header_size) << 16) | 72,
	  ERR(FORMAT), "header_size 72 (expected 64)" },
	{ "header_size_56", bad_hdr16, (HDR_OFF(header_size) << 16) | 56,
	  ERR(FORMAT), "header_size 56 (expected 64)" },
	{ "flags_bit0", bad_hdr32, H32(flags, 1), ERR(RESERVED),
	  "header flags 0x00000001 not zero" },
	{ "flags_bit15", bad_hdr32, H32(flags, 0x8000), ERR(RESERVED),
	  "header flags 0x00008000 not zero" },
	{ "reserved0", bad_reserved, 0, ERR(RESERVED),
	  "header reserved[0] 0x0000dead not zero" },
	{ "reserved1", bad_reserved, 1, ERR(RESERVED),
	  "header reserved[1] 0x0000dead not zero" },
	{ "reserved2", bad_reserved, 2, ERR(RESERVED),
	  "header reserved[2] 0x0000dead not zero" },
	{ "reserved3", bad_reserved, 3, ERR(RESERVED),
	  "header reserved[3] 0x0000dead not zero" },
	{ "reserved4", bad_reserved, 4, ERR(RESERVED),
	  "header reserved[4] 0x0000dead not zero" },
	{ "reserved5", bad_reserved, 5, ERR(RESERVED),
	  "header reserved[5] 0x0000dead not zero" },
	{ "reserved6", bad_reserved, 6, ERR(RESERVED),
	  "header reserved[6] 0x0000dead not zero" },
	{ "reserved7", bad_reserved, 7, ERR(RESERVED),
	  "header reserved[7] 0x0000dead not zero" },
	{ "reserved8", bad_reserved, 8, ERR(RESERVED),
	  "header reserved[8] 0x0000dead not zero" },
	{ "image_size_above_limit", bad_image_size, VASCEND_FW_MAX_SIZE + 8,
	  ERR(SIZE), "image_size 16777224 above the limit of 16777216" },
	{ "image_size_above_file", bad_image_size, FW_STD_SIZE + 8, ERR(SIZE),
	  "image_size 96 but the file is 88 bytes" },
	{ "image_size_zero", bad_image_size, 0, ERR(SIZE),
	  "image_size 0 but the file is 88 bytes" },
	{ "file_longer_than_image_size", bad_file_longer, 8, ERR(SIZE),
	  "image_size 88 but the file is 96 bytes" },
	{ "crc_field_off_by_one_bit", bad_crc_field, 1, ERR(CHECKSUM), NULL,
	  "CRC-32 mismatch: header says 0x" },
	{ "crc_data_byte_flipped", bad_crc_data, FW_HDR + FW_SECT + 2,
	  ERR(CHECKSUM), NULL, "CRC-32 mismatch: header says 0x" },
	{ "crc_header_byte_flipped", bad_crc_data, HDR_OFF(fw_version),
	  ERR(CHECKSUM), NULL, "CRC-32 mismatch: header says 0x" },
	{ "flags_before_crc", bad_flags_and_crc, 2, ERR(RESERVED),
	  "header flags 0x00000002 not zero" },
	{ "section_count_65", bad_section_count, 65, ERR(SECTION),
	  "section_count 65 above the limit of 64" },
	{ "section_count_huge", bad_section_count, 0xffffffff, ERR(SECTION),
	  "section_count 4294967295 above the limit of 64" },
	{ "section_header_missing", bad_sect_hdr_past_end, 0, ERR(SECTION),
	  "section 1 at offset 0x58: header runs past the end of the image" },
	{ "section_header_cut", bad_sect_hdr_past_end, 4, ERR(SECTION),
	  "section 1 at offset 0x58: header runs past the end of the image" },
	{ "section_data_past_end", bad_sect_len, 0x10000, ERR(SECTION),
	  "section 0 at offset 0x40: 65536 data bytes run past the end of the image" },
	{ "section_data_u32_max", bad_sect_len, 0xffffffff, ERR(SECTION),
	  "section 0 at offset 0x40: 4294967295 data bytes run past the end of the image" },
	{ "section_padding_cut", bad_sect_pad_cut, 7, ERR(SECTION),
	  "section 0 at offset 0x40: padding to 8 bytes runs past the end of the image" },
	{ "section_padding_not_zero", bad_sect_pad_byte, 0xff, ERR(SECTION),
	  "section 0 at offset 0x40: padding not zero" },
	{ "section_type_unknown", bad_sect_type, 32343, ERR(SECTION),
	  "section 1 at offset 0x58: unknown type 32343" },
	{ "section_type_zero", bad_sect_type, 0, ERR(SECTION),
	  "section 1 at offset 0x58: unknown type 0" },
	{ "section_type_next", bad_sect_type, VASCEND_FW_SECT_HDC_SERVICES + 1,
	  ERR(SECTION), "section 1 at offset 0x58: unknown type 4" },
	{ "build_info_twice", bad_two_build_info, 0, ERR(SECTION),
	  "section 1 at offset 0x58: second BUILD_INFO section" },
	{ "build_info_no_nul", bad_build_info, 0, ERR(SECTION),
	  "section 0 at offset 0x40: BUILD_INFO not NUL-terminated ASCII" },
	{ "build_info_not_ascii", bad_build_info, 1, ERR(SECTION),
	  "section 0 at offset 0x40: BUILD_INFO not NUL-terminated ASCII" },
	{ "build_info_byte_after_nul", bad_build_info, 2, ERR(SECTION),
	  "section 0 at offset 0x40: BUILD_INFO not NUL-terminated ASCII" },
	{ "build_info_empty", bad_build_info, 3, ERR(SECTION),
	  "section 0 at offset 0x40: BUILD_INFO not NUL-terminated ASCII" },
	{ "no_sections", bad_no_build_info, 0, ERR(SECTION),
	  "no BUILD_INFO section" },
	{ "no_build_info", bad_no_build_info, 1, ERR(SECTION),
	  "no BUILD_INFO section" },
	{ "bytes_after_sections", bad_trailing, 8, ERR(SECTION),
	  "8 bytes after the last of 1 sections" },
	{ "byte_after_sections", bad_trailing, 1, ERR(SECTION),
	  "1 bytes after the last of 1 sections" },
	{ "op_table_twice", bad_list_repeat, VASCEND_FW_SECT_OP_TABLE,
	  ERR(SECTION), "section 2 at offset 0x80: second section of type 2" },
	{ "hdc_services_twice", bad_list_repeat, VASCEND_FW_SECT_HDC_SERVICES,
	  ERR(SECTION), "section 2 at offset 0x80: second section of type 3" },
	{ "op_table_part_entry", bad_list_len, OPS | 33, ERR(SECTION),
	  "section 1 at offset 0x58: OP_TABLE of 33 bytes is not whole 32-byte entries" },
	{ "hdc_services_part_entry", bad_list_len, SVCS | 16, ERR(SECTION),
	  "section 1 at offset 0x58: HDC_SERVICES of 16 bytes is not whole 32-byte entries" },
	{ "op_zero_id", bad_list_entry, OPS | 0, ERR(SECTION), ENTRY_BAD("OP_TABLE") },
	{ "op_zero_version", bad_list_entry, OPS | 1, ERR(SECTION),
	  ENTRY_BAD("OP_TABLE") },
	{ "op_empty_name", bad_list_entry, OPS | 2, ERR(SECTION),
	  ENTRY_BAD("OP_TABLE") },
	{ "op_name_no_nul", bad_list_entry, OPS | 3, ERR(SECTION),
	  ENTRY_BAD("OP_TABLE") },
	{ "op_name_junk_after_nul", bad_list_entry, OPS | 4, ERR(SECTION),
	  ENTRY_BAD("OP_TABLE") },
	{ "op_repeated_id", bad_list_entry, OPS | 5, ERR(SECTION),
	  "section 1 at offset 0x58: OP_TABLE entry 1 repeats entry 0" },
	{ "op_repeated_name", bad_list_entry, OPS | 6, ERR(SECTION),
	  "section 1 at offset 0x58: OP_TABLE entry 1 repeats entry 0" },
	{ "svc_zero_type", bad_list_entry, SVCS | 0, ERR(SECTION),
	  ENTRY_BAD("HDC_SERVICES") },
	{ "svc_zero_version", bad_list_entry, SVCS | 1, ERR(SECTION),
	  ENTRY_BAD("HDC_SERVICES") },
	{ "svc_empty_name", bad_list_entry, SVCS | 2, ERR(SECTION),
	  ENTRY_BAD("HDC_SERVICES") },
	{ "svc_name_no_nul", bad_list_entry, SVCS | 3, ERR(SECTION),
	  ENTRY_BAD("HDC_SERVICES") },
	{ "svc_name_junk_after_nul", bad_list_entry, SVCS | 4, ERR(SECTION),
	  ENTRY_BAD("HDC_SERVICES") },
	{ "svc_repeated_type", bad_list_entry, SVCS | 5, ERR(SECTION),
	  "section 1 at offset 0x58: HDC_SERVICES entry 1 repeats entry 0" },
};

static void fw_reject_desc(const struct fw_reject *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fw_reject, fw_rejects, fw_reject_desc);

static void fw_rejects_each(struct kunit *test)
{
	const struct fw_reject *r = test->param_value;
	struct vascend_fw_image_info info, before;
	char reason[VASCEND_FW_REASON_LEN];
	struct fw_img im;

	r->build(test, &im, r->arg);
	memset(&info, 0xa5, sizeof(info));
	before = info;
	memset(reason, 0, sizeof(reason));

	KUNIT_EXPECT_EQ(test, fw_check(&im, &info, reason), r->err);
	if (r->reason)
		KUNIT_EXPECT_STREQ(test, reason, r->reason);
	else
		KUNIT_EXPECT_TRUE_MSG(test, !strncmp(reason, r->prefix,
						     strlen(r->prefix)),
				      "reason \"%s\"", reason);
	/* The line was not cut short, and a failure leaves @info alone. */
	KUNIT_EXPECT_LT(test, strlen(reason), VASCEND_FW_REASON_LEN - 1);
	KUNIT_EXPECT_MEMEQ(test, &info, &before, sizeof(info));
}

KUNIT_DEFINE_ACTION_WRAPPER(fw_vfree, vfree, const void *);

/* The file-size limit needs a file one byte above 16 MiB. */
static void fw_reject_file_too_big(struct kunit *test)
{
	char reason[VASCEND_FW_REASON_LEN];
	struct vascend_fw_image_info info;
	struct fw_img im;
	u8 *big;

	fw_std(test, &im);
	big = vzalloc(VASCEND_FW_MAX_SIZE + 1);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fw_vfree, big), 0);
	memcpy(big, im.buf, im.size);

	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(big, VASCEND_FW_MAX_SIZE + 1,
						     &info, reason, sizeof(reason)),
			VASCEND_FW_IMAGE_ERR_SIZE);
	KUNIT_EXPECT_STREQ(test, reason,
			   "file is 16777217 bytes, above the limit of 16777216");

	/* Exactly the limit is allowed: the image is then judged on content. */
	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(big, VASCEND_FW_MAX_SIZE,
						     &info, reason, sizeof(reason)),
			VASCEND_FW_IMAGE_ERR_SIZE);
	KUNIT_EXPECT_STREQ(test, reason,
			   "image_size 88 but the file is 16777216 bytes");
}

/* The reason buffer is optional and may be small. */
static void fw_reason_buffer(struct kunit *test)
{
	struct vascend_fw_image_info info;
	char small[8];
	struct fw_img im;

	fw_std(test, &im);
	fw_put32(&im, HDR_OFF(magic), 0);
	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(im.buf, im.size, &info,
						     NULL, 0),
			VASCEND_FW_IMAGE_ERR_MAGIC);
	memset(small, 'x', sizeof(small));
	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(im.buf, im.size, &info,
						     small, 0),
			VASCEND_FW_IMAGE_ERR_MAGIC);
	KUNIT_EXPECT_EQ(test, small[0], 'x');
	KUNIT_EXPECT_EQ(test, vascend_fw_image_check(im.buf, im.size, &info,
						     small, sizeof(small)),
			VASCEND_FW_IMAGE_ERR_MAGIC);
	KUNIT_EXPECT_STREQ(test, small, "bad mag");
}

static struct kunit_case vascend_fw_image_cases[] = {
	KUNIT_CASE(fw_valid_minimal),
	KUNIT_CASE(fw_valid_golden),
	KUNIT_CASE(fw_valid_full),
	KUNIT_CASE(fw_valid_edges),
	KUNIT_CASE_PARAM(fw_rejects_each, fw_reject_gen_params),
	KUNIT_CASE(fw_reject_file_too_big),
	KUNIT_CASE(fw_reason_buffer),
	{}
};

static struct kunit_suite vascend_fw_image_suite = {
	.name = "vascend_fw_image",
	.test_cases = vascend_fw_image_cases,
};

kunit_test_suite(vascend_fw_image_suite);
