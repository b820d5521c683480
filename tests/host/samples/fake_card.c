// SPDX-License-Identifier: MIT
/*
 * Linked into each sample for the host suite: before the sample's main()
 * runs, the HAL is switched to two fake cards (card 0 and 1) that carry the
 * operator library's op table and run KERNEL_LAUNCH with the library's
 * reference path in this process (tests/host/acl/test_op_fake.h). The
 * sample itself is compiled unchanged.
 *
 * SAMPLE_FAKE_CORRUPT=1 flips an exponent bit of the first element of the
 * first output of every op the card runs, after it ran: a sample that checks its numbers must then
 * fail.
 */
#include <stdlib.h>

#include "test_op_fake.h"

#define SAMPLE_HBM (96ull << 20)

static uint32_t corrupting_launch(void *ctx, uint32_t dev, const struct vascend_task *task,
				  uint32_t *info, uint64_t *result)
{
	const struct vascend_op_desc *h;
	const struct vascend_tensor_desc *out;
	uint8_t *p;
	uint32_t st, esize;

	st = fake_launch(ctx, dev, task, info, result);
	if (st != VASCEND_CQE_STATUS_SUCCESS)
		return st;
	h = hal_fake_dev_ptr(dev, task->u.launch.desc, task->u.launch.desc_size, false);
	if (!h || h->num_outputs == 0)
		return st;
	out = (const struct vascend_tensor_desc *)(h + 1) + h->num_inputs;
	esize = (uint32_t)aop_dtype_size(out->dtype);
	p = esize && out->size >= esize ? hal_fake_dev_ptr(dev, out->addr, esize, true) : NULL;
	/* the top byte of the first element: sign and exponent of a float */
	if (p)
		p[esize - 1] ^= 0x40;
	return st;
}

__attribute__((constructor)) static void sample_fake_cards(void)
{
	const char *corrupt = getenv("SAMPLE_FAKE_CORRUPT");

	fake_op_cards(SAMPLE_HBM);
	if (corrupt && *corrupt == '1')
		hal_fake_set_launch(corrupting_launch, NULL);
}
