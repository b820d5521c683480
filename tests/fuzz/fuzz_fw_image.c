// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the device's firmware image validator (the image is written
 * by the guest, so every byte is untrusted). The validator must return a
 * status for any input without reading outside it; for accepted images the
 * result must be self-consistent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_fw.h"
#include "vascend_hw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anpu_fw_result res;
	/* An exact-size heap copy, so ASan sees any read past the end. */
	uint8_t *img = malloc(size ? size : 1);

	if (!img)
		return 0;
	memcpy(img, data, size);
	memset(&res, 0xa5, sizeof(res));
	anpu_fw_validate(img, size, &res);
	if (res.status != VASCEND_FW_STATUS_RUNNING &&
	    !VASCEND_FW_STATUS_IS_ERROR(res.status))
		abort();
	if (memchr(res.why, '\0', sizeof(res.why)) == NULL)
		abort();
	free(img);
	return 0;
}
