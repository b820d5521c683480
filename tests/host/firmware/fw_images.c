// SPDX-License-Identifier: MIT
/*
 * The firmware images firmware/ builds, checked by the device's own validator
 * (qemu-device/core/anpu_fw.c): the real image is accepted with its version
 * and build info, and every deliberately broken one is refused with the
 * status the contract assigns to that kind of damage. mkfw computes its CRC
 * with zlib and the device with its own code, so this also cross-checks the
 * two CRC-32 implementations.
 *
 *	fw_images FIRMWARE_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_fw.h"
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
	struct anpu_fw_result res;
	char path[4096];
	uint8_t *img;
	size_t len = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FIRMWARE_DIR\n", argv[0]);
		return 2;
	}

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
		TAP_CHECK(res.op_count == 1 && res.ops &&
			  !memcmp(res.ops + 8, "TestVectorAdd", 14),
			  "its op table (firmware/ops.txt) lists TestVectorAdd");
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
