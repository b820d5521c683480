// SPDX-License-Identifier: MIT
/*
 * mkfw: build a vascend firmware image (include/uapi/vascend_fw.h).
 *
 *	mkfw -v 1.0.0 -i "build info" -o vascend_fw.bin
 *	mkfw -v 1.0.0 -i "build info" -c crc -o bad_crc.bin
 *
 * -c makes a deliberately broken image of the named kind, for the tests that
 * prove the driver and the device refuse it. The CRC comes from zlib, an
 * implementation independent of the driver's and the device's.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vascend_fw.h"

struct corruption {
	const char *name;
	const char *what;
};

static const struct corruption corruptions[] = {
	{ "magic", "header magic wrong" },
	{ "format", "unknown format version" },
	{ "header-size", "header_size not the header's size" },
	{ "truncated", "image shorter than image_size says" },
	{ "crc", "one payload byte flipped after the CRC was computed" },
	{ "section-type", "a section of unknown type" },
	{ "section-overrun", "a section whose size runs past the image" },
	{ "no-build-info", "no build-info section" },
	{ "reserved", "a reserved header word not zero" },
	{ "flags", "header flags not zero" },
	{ "too-big", "image_size above VASCEND_FW_MAX_SIZE" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: mkfw -v MAJOR.MINOR.PATCH -i BUILD_INFO -o OUT [-c KIND]\n"
		"  -v  firmware version\n"
		"  -i  build-info string stored in the image\n"
		"  -o  output file\n"
		"  -c  write a broken image of this KIND (for tests):\n");
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++)
		fprintf(f, "        %-16s %s\n", corruptions[i].name,
			corruptions[i].what);
}

static int parse_version(const char *s, uint32_t *out)
{
	unsigned int major, minor, patch;
	char end;

	if (sscanf(s, "%u.%u.%u%c", &major, &minor, &patch, &end) != 3 ||
	    major > 0xffff || minor > 0xff || patch > 0xff)
		return -1;
	*out = VASCEND_FW_VERSION(major, minor, patch);
	return 0;
}

static size_t align_up(size_t n)
{
	return (n + VASCEND_FW_ALIGN - 1) & ~(size_t)(VASCEND_FW_ALIGN - 1);
}

/* Append one section (header, data, zero padding) at *pos. */
static void put_section(uint8_t *img, size_t *pos, uint32_t type,
			const void *data, uint32_t size)
{
	struct vascend_fw_section sect = { .type = type, .size = size };

	memcpy(img + *pos, &sect, sizeof(sect));
	memcpy(img + *pos + sizeof(sect), data, size);
	*pos += sizeof(sect) + align_up(size);
}

static uint32_t image_crc(const uint8_t *img, size_t size)
{
	const size_t off = offsetof(struct vascend_fw_header, crc32);
	static const uint8_t zero[4];
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, img, off);
	crc = crc32(crc, zero, sizeof(zero));
	crc = crc32(crc, img + off + 4, size - off - 4);
	return (uint32_t)crc;
}

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "mkfw: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "mkfw: writing %s failed: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *info = NULL, *out = NULL, *corrupt = NULL;
	struct vascend_fw_header hdr;
	uint32_t version = 0;
	size_t info_len, size, pos, i;
	int have_version = 0, opt, known = 0;
	uint8_t *img;
	int ret;

	while ((opt = getopt(argc, argv, "v:i:o:c:h")) != -1) {
		switch (opt) {
		case 'v':
			if (parse_version(optarg, &version)) {
				fprintf(stderr, "mkfw: bad version '%s'\n", optarg);
				return 2;
			}
			have_version = 1;
			break;
		case 'i':
			info = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'c':
			corrupt = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!have_version || !info || !out || optind != argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; corrupt && i < sizeof(corruptions) / sizeof(corruptions[0]); i++)
		known |= !strcmp(corrupt, corruptions[i].name);
	if (corrupt && !known) {
		fprintf(stderr, "mkfw: unknown corruption '%s'\n", corrupt);
		usage(stderr);
		return 2;
	}
#define IS(kind) (corrupt && !strcmp(corrupt, kind))

	info_len = strlen(info) + 1;
	/* Room for the build info and one extra (possibly bogus) section. */
	size = sizeof(hdr) + 2 * sizeof(struct vascend_fw_section) +
	       align_up(info_len) + VASCEND_FW_ALIGN;
	img = calloc(1, size);
	if (!img) {
		fprintf(stderr, "mkfw: out of memory\n");
		return 1;
	}

	pos = sizeof(hdr);
	memset(&hdr, 0, sizeof(hdr));
	hdr.section_count = 0;
	if (!IS("no-build-info") && !IS("section-overrun")) {
		put_section(img, &pos, VASCEND_FW_SECT_BUILD_INFO, info,
			    (uint32_t)info_len);
		hdr.section_count++;
	}
	if (IS("section-type")) {
		put_section(img, &pos, 0x7e57, "junk", 4);
		hdr.section_count++;
	}
	if (IS("section-overrun")) {
		/* The only build info, claiming more data than the image holds. */
		put_section(img, &pos, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
		memcpy(img + pos - 8 - sizeof(struct vascend_fw_section) + 4,
		       &(uint32_t){ 0x10000 }, 4);
		hdr.section_count++;
	}
	size = pos;

	hdr.magic = IS("magic") ? 0x46574156 : VASCEND_FW_MAGIC;
	hdr.format_version = IS("format") ? VASCEND_FW_FORMAT_VERSION + 1 :
					    VASCEND_FW_FORMAT_VERSION;
	hdr.header_size = IS("header-size") ? sizeof(hdr) + 8 : sizeof(hdr);
	hdr.fw_version = version;
	hdr.image_size = (uint32_t)size;
	if (IS("truncated"))
		hdr.image_size += VASCEND_FW_ALIGN;
	if (IS("too-big"))
		hdr.image_size = VASCEND_FW_MAX_SIZE + VASCEND_FW_ALIGN;
	hdr.flags = IS("flags") ? 1 : 0;
	if (IS("reserved"))
		hdr.reserved[3] = 0xdead;
	memcpy(img, &hdr, sizeof(hdr));

	hdr.crc32 = image_crc(img, size);
	memcpy(img, &hdr, sizeof(hdr));
	if (IS("crc")) /* a build-info character, so only the CRC can tell */
		img[sizeof(hdr) + sizeof(struct vascend_fw_section)] ^= 0x20;

	ret = write_file(out, img, size) ? 1 : 0;
	free(img);
	return ret;
}
