/* SPDX-License-Identifier: MIT */
/*
 * Device pointers: what aclrtMalloc hands out. They are opaque values that
 * can never be host addresses, so a program that dereferences one faults at
 * once instead of scribbling on host memory, and every call can tell device
 * from host memory by the value alone.
 *
 *   63      56 55 54    48 47                         0
 *   [ 0xd5   ][1][ device ][ byte offset into HBM     ]
 *
 * The top byte makes the address non-canonical on x86-64 (faults on any
 * access); bit 55 puts it in the kernel half on arm64, where the top byte is
 * ignored. The offset field limits HBM to 256 TiB per card.
 */
#ifndef VASCEND_ACL_DEVPTR_H
#define VASCEND_ACL_DEVPTR_H

#include <stdbool.h>
#include <stdint.h>

#include "ascend_hal.h"

_Static_assert(sizeof(void *) == 8, "device pointers need 64-bit addresses");

#define ACL_DEVPTR_TAG		(0xd5ull << 56)
#define ACL_DEVPTR_HIGH_HALF	(1ull << 55)
#define ACL_DEVPTR_DEV_SHIFT	48
#define ACL_DEVPTR_DEV_MASK	0x7full
#define ACL_DEVPTR_OFF_BITS	48
#define ACL_DEVPTR_OFF_MASK	((1ull << ACL_DEVPTR_OFF_BITS) - 1)
#define ACL_DEVPTR_MARK_MASK	(0xffull << 56 | ACL_DEVPTR_HIGH_HALF)

_Static_assert(HAL_VASCEND_MAX_DEVICES - 1 <= ACL_DEVPTR_DEV_MASK, "device id does not fit");

static inline void *acl_devptr_make(int32_t dev, uint64_t off)
{
	return (void *)(uintptr_t)(ACL_DEVPTR_TAG | ACL_DEVPTR_HIGH_HALF |
				   (uint64_t)dev << ACL_DEVPTR_DEV_SHIFT |
				   (off & ACL_DEVPTR_OFF_MASK));
}

static inline bool acl_is_devptr(const void *p)
{
	return ((uint64_t)(uintptr_t)p & ACL_DEVPTR_MARK_MASK) ==
	       (ACL_DEVPTR_TAG | ACL_DEVPTR_HIGH_HALF);
}

static inline int32_t acl_devptr_dev(const void *p)
{
	return (int32_t)((uint64_t)(uintptr_t)p >> ACL_DEVPTR_DEV_SHIFT & ACL_DEVPTR_DEV_MASK);
}

static inline uint64_t acl_devptr_off(const void *p)
{
	return (uint64_t)(uintptr_t)p & ACL_DEVPTR_OFF_MASK;
}

#endif /* VASCEND_ACL_DEVPTR_H */
