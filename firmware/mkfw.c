// SPDX-License-Identifier: MIT
/*
 * mkfw: build a vascend firmware image (include/uapi/vascend_fw.h).
 *
 *	mkfw -v 1.0.0 -i "build info" -O ops.txt -S hdc_services.txt \
 *	     -o vascend_fw.bin
 *	mkfw -v 1.0.0 -i "build info" -c crc -o bad_crc.bin
 *
 * -O and -S add the op table and the HDC service list, read from text files
 * of "id version name" lines (# starts a comment). -c makes a deliberately
 * broken image of the named kind, for the tests that prove the driver and
 * the device refuse it. The CRC comes from zlib, an implementation
 * independent of the driver's and the device's.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	{ "unknown-op", "the op table names an op the device lacks" },
	{ "dup-op-id", "two op table entries with the same id" },
	{ "unknown-service", "the HDC service list names type 99" },
	{ "major-2", "firmware major version 2" },
};

/* An entry of the op table or the service list: same layout for both. */
struct entry {
	uint32_t id;
	uint32_t version;
	char name[24];
};

#define MAX_ENTRIES	1024

_Static_assert(sizeof(struct entry) == sizeof(struct vascend_fw_op),
	       "op entry layout");
_Static_assert(sizeof(struct entry) == sizeof(struct vascend_fw_hdc_service),
	       "service entry layout");

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: mkfw -v MAJOR.MINOR.PATCH -i BUILD_INFO -o OUT [-O OPS]\n"
		"            [-S SERVICES] [-c KIND]\n"
		"  -v  firmware version\n"
		"  -i  build-info string stored in the image\n"
		"  -o  output file\n"
		"  -O  op table: lines of \"op_id version name\" (id decimal or 0x hex)\n"
		"  -S  HDC services: lines of \"type version name\"\n"
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

/*
 * Read "id version name" lines from @path into @list; # starts a comment.
 * Returns the number of entries, or -1 (with a message) on a bad file.
 */
static int read_list(const char *path, struct entry *list)
{
	char line[256], idstr[64], name[64], *p, *end;
	unsigned long id = 0, version;
	int n = 0, lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "mkfw: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (!*p)
			continue;
		/* Ids are decimal, or hex with 0x (op ids read as 0x0101). */
		if (sscanf(p, "%63s %lu %63s", idstr, &version, name) == 3 &&
		    isdigit((unsigned char)idstr[0])) {
			errno = 0;
			id = strtoul(idstr, &end, strncasecmp(idstr, "0x", 2) ? 10 : 16);
			if (errno || *end)
				id = 0;
		} else {
			id = 0;
		}
		if (!id || id > UINT32_MAX || !version || version > UINT32_MAX ||
		    strlen(name) >= sizeof(list[0].name) || n == MAX_ENTRIES) {
			fprintf(stderr,
				"mkfw: %s:%d: want \"id version name\" (ids 1..2^32-1 decimal or 0x hex, versions 1..2^32-1, names up to 23 characters, at most %d lines)\n",
				path, lineno, MAX_ENTRIES);
			fclose(f);
			return -1;
		}
		memset(&list[n], 0, sizeof(list[n]));
		list[n].id = (uint32_t)id;
		list[n].version = (uint32_t)version;
		memcpy(list[n].name, name, strlen(name));
		n++;
	}
	fclose(f);
	return n;
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
	const char *ops_path = NULL, *svc_path = NULL;
	static struct entry ops[MAX_ENTRIES + 1], svcs[MAX_ENTRIES + 1];
	int nops = 0, nsvcs = 0;
	struct vascend_fw_header hdr;
	uint32_t version = 0;
	size_t info_len, size, pos, i;
	int have_version = 0, opt, known = 0;
	uint8_t *img;
	int ret;

	while ((opt = getopt(argc, argv, "v:i:o:c:O:S:h")) != -1) {
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
		case 'O':
			ops_path = optarg;
			break;
		case 'S':
			svc_path = optarg;
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

	if (ops_path) {
		nops = read_list(ops_path, ops);
		if (nops < 0)
			return 2;
	}
	if (svc_path) {
		nsvcs = read_list(svc_path, svcs);
		if (nsvcs < 0)
			return 2;
	}
	if (IS("unknown-op")) {
		memset(&ops[nops], 0, sizeof(ops[nops]));
		ops[nops].id = 0x7e57;
		ops[nops].version = 1;
		strcpy(ops[nops].name, "NoSuchOp");
		nops++;
	}
	if (IS("dup-op-id")) {
		memset(&ops[nops], 0, sizeof(ops[nops]));
		ops[nops].id = nops ? ops[0].id : 1;
		ops[nops].version = 1;
		strcpy(ops[nops].name, "DuplicateId");
		nops++;
		if (nops == 1) {
			ops[nops] = ops[0];
			strcpy(ops[nops].name, "DuplicateId2");
			nops++;
		}
	}
	if (IS("unknown-service")) {
		memset(&svcs[nsvcs], 0, sizeof(svcs[nsvcs]));
		svcs[nsvcs].id = 99;
		svcs[nsvcs].version = 1;
		strcpy(svcs[nsvcs].name, "nosuch");
		nsvcs++;
	}

	info_len = strlen(info) + 1;
	/* Room for the build info, the lists and one extra (bogus) section. */
	size = sizeof(hdr) + 4 * sizeof(struct vascend_fw_section) +
	       align_up(info_len) + VASCEND_FW_ALIGN +
	       (size_t)(nops + nsvcs) * sizeof(struct entry);
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
	if (nops && !IS("no-build-info") && !IS("section-overrun")) {
		put_section(img, &pos, VASCEND_FW_SECT_OP_TABLE, ops,
			    (uint32_t)(nops * sizeof(struct entry)));
		hdr.section_count++;
	}
	if (nsvcs && !IS("no-build-info") && !IS("section-overrun")) {
		put_section(img, &pos, VASCEND_FW_SECT_HDC_SERVICES, svcs,
			    (uint32_t)(nsvcs * sizeof(struct entry)));
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
	if (IS("major-2"))
		hdr.fw_version = VASCEND_FW_VERSION(2, 0, 0);
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
