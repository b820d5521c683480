// SPDX-License-Identifier: MIT
/*
 * The firmware images firmware/ builds, checked by the device's own validator
 * (qemu-device/core/anpu_fw.c): the real image is accepted with its version
 * and build info, and every deliberately broken one is refused with the
 * status the contract assigns to that kind of damage. mkfw computes its CRC
 * with zlib and the device with its own code, so this also cross-checks the
 * two CRC-32 implementations.
 *
 * The firmware's op table (firmware/ops.txt) is also checked against the
 * operator library's (qemu-device/ops/aop_table.c), so the two cannot
 * drift: every library op is listed under its id and version, and every
 * line names an op the device implements in that version.
 *
 *	fw_images FIRMWARE_DIR OPS_TXT
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anpu_engine.h"
#include "anpu_fw.h"
#include "anpu_oplib.h"
#include "aop.h"
#include "vascend_fw.h"
#include "vascend_hdc_hw.h"
#include "vascend_hw.h"
#include "../tap.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* One line of ops.txt. */
struct fw_line {
	unsigned long id, version;
	char name[64];
	int lineno;
};

#define MAX_LINES 1024

/*
 * Read ops.txt as mkfw does ("id version name", id decimal or 0x hex,
 * # comments). Returns the line count, or -1 after a failed check.
 */
static int read_ops_txt(const char *path, struct fw_line *lines)
{
	char buf[256], idstr[64], *p, *end;
	int n = 0, lineno = 0, ok = 1;
	FILE *f = fopen(path, "r");

	if (!TAP_CHECK(f, "read %s", path))
		return -1;
	while (fgets(buf, sizeof(buf), f) && n < MAX_LINES) {
		lineno++;
		p = strchr(buf, '#');
		if (p)
			*p = '\0';
		for (p = buf; isspace((unsigned char)*p); p++)
			;
		if (!*p)
			continue;
		lines[n].id = 0;
		lines[n].lineno = lineno;
		if (sscanf(p, "%63s %lu %63s", idstr, &lines[n].version,
			   lines[n].name) == 3 && isdigit((unsigned char)idstr[0])) {
			errno = 0;
			lines[n].id = strtoul(idstr, &end,
					      strncasecmp(idstr, "0x", 2) ? 10 : 16);
			if (errno || *end)
				lines[n].id = 0;
		}
		if (!lines[n].id) {
			ok = TAP_CHECK(0, "%s:%d reads as \"id version name\"",
				       path, lineno);
			continue;
		}
		n++;
	}
	fclose(f);
	return ok ? n : -1;
}

/* ops.txt against the library's table and the engine's ops. */
static void check_op_table(const struct fw_line *lines, int n,
			   const struct anpu_fw_result *res)
{
	const struct anpu_op_impl *impl;
	const struct aop_op_info *op;
	int i, k, found, same;
	size_t j;

	for (j = 0; j < aop_op_count(); j++) {
		op = aop_op_at(j);
		found = -1;
		for (i = 0; i < n; i++)
			if (!strcmp(lines[i].name, op->cann))
				found = i;
		TAP_CHECK(found >= 0 && lines[found].id == op->id &&
			  lines[found].version == op->version,
			  "ops.txt lists library op %s as 0x%04x version %u (%s)",
			  op->cann, op->id, op->version,
			  found < 0 ? "missing" : "as listed");
	}
	for (i = 0; i < n; i++) {
		impl = anpu_engine_find_op(lines[i].name);
		op = aop_op_by_id((uint32_t)lines[i].id);
		TAP_CHECK(impl && impl->version == lines[i].version &&
			  (!impl->op_id || impl->op_id == lines[i].id) &&
			  (!op || !strcmp(op->cann, lines[i].name)),
			  "ops.txt line %d: %s (id 0x%lx version %lu) is an op the device implements under that id",
			  lines[i].lineno, lines[i].name, lines[i].id,
			  lines[i].version);
	}
	same = res->ops && res->op_count == (uint32_t)n;
	for (k = 0; same && k < n; k++) {
		struct vascend_fw_op e;

		memcpy(&e, res->ops + (size_t)k * sizeof(e), sizeof(e));
		same = e.op_id == lines[k].id && e.version == lines[k].version &&
		       !strncmp(e.name, lines[k].name, sizeof(e.name));
	}
	TAP_CHECK(same, "the image's op table is ops.txt's %d ops (image has %u)",
		  n, res->op_count);
}

static const struct {
	const char *kind;
	uint32_t status;
} broken[] = {
	{ "magic", VASCEND_FW_STATUS_ERR_MAGIC },
	{ "format", VASCEND_FW_STATUS_ERR_FORMAT },
	{ "header-size", VASCEND_FW_STATUS_ERR_FORMAT },
	{ "truncated", VASCEND_FW_STATUS_ERR_SIZE },
	{ "crc", VASCEND_FW_STATUS_ERR_CHECKSUM },
	{ "section-type", VASCEND_FW_STATUS_ERR_SECTION },
	{ "section-overrun", VASCEND_FW_STATUS_ERR_SECTION },
	{ "no-build-info", VASCEND_FW_STATUS_ERR_SECTION },
	{ "reserved", VASCEND_FW_STATUS_ERR_RESERVED },
	{ "flags", VASCEND_FW_STATUS_ERR_RESERVED },
	{ "too-big", VASCEND_FW_STATUS_ERR_SIZE },
	{ "unknown-op", VASCEND_FW_STATUS_ERR_MISMATCH },
	{ "dup-op-id", VASCEND_FW_STATUS_ERR_SECTION },
	{ "unknown-service", VASCEND_FW_STATUS_ERR_MISMATCH },
	{ "major-2", VASCEND_FW_STATUS_ERR_VERSION },
};

int main(int argc, char **argv)
{
	static struct fw_line lines[MAX_LINES];
	struct anpu_fw_result res;
	char path[4096];
	uint8_t *img;
	size_t len = 0, i;
	int nlines;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FIRMWARE_DIR OPS_TXT\n", argv[0]);
		return 2;
	}
	/* The device as QEMU builds it: core ops plus the library's. */
	anpu_oplib_register();
	nlines = read_ops_txt(argv[2], lines);

	snprintf(path, sizeof(path), "%s/vascend_fw.bin", argv[1]);
	img = slurp(path, &len);
	if (TAP_CHECK(img, "read %s", path)) {
		memset(&res, 0, sizeof(res));
		anpu_fw_validate(img, len, &res);
		TAP_CHECK(res.status == VASCEND_FW_STATUS_RUNNING,
			  "the shipped image is accepted (status 0x%x: %s)",
			  res.status, res.why);
		TAP_CHECK(res.fw_version == VASCEND_FW_VERSION(1, 0, 0),
			  "its version reads 1.0.0 (0x%x)", res.fw_version);
		TAP_CHECK(!strncmp(res.build_info, "vascend firmware 1.0.0", 22),
			  "its build info reads '%s'", res.build_info);
		TAP_CHECK(len % VASCEND_FW_ALIGN == 0 && len < 4096,
			  "it is small and 8-byte aligned (%zu bytes)", len);
		TAP_CHECK(res.op_count > aop_op_count() && res.ops &&
			  !memcmp(res.ops + 8, "TestVectorAdd", 14),
			  "its op table (firmware/ops.txt) lists TestVectorAdd first and the library's %zu ops (%u)",
			  aop_op_count(), res.op_count);
		if (nlines >= 0)
			check_op_table(lines, nlines, &res);
		TAP_CHECK(res.service_count == 4 &&
			  res.services[0] == VASCEND_HDC_SVC_ECHO &&
			  res.services[3] == VASCEND_HDC_SVC_FILE,
			  "its HDC services (firmware/hdc_services.txt): echo, mgmt, log, file");
	}
	free(img);

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		snprintf(path, sizeof(path), "%s/bad/%s.bin", argv[1], broken[i].kind);
		img = slurp(path, &len);
		if (!TAP_CHECK(img, "read %s", path))
			continue;
		memset(&res, 0, sizeof(res));
		anpu_fw_validate(img, len, &res);
		TAP_CHECK(res.status == broken[i].status,
			  "%s image refused with 0x%x (got 0x%x: %s)", broken[i].kind,
			  broken[i].status, res.status, res.why);
		TAP_CHECK(res.why[0] != '\0', "%s image refusal gives a reason",
			  broken[i].kind);
		free(img);
	}
	return tap_done();
}
