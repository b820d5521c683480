// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument checks of /dev/devmm_svm, in the order the rules are listed in
 * vascend_svm_check.h: the first rule broken is the one reported.
 */

#include <linux/align.h>
#include <linux/build_bug.h>
#include <linux/overflow.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include <uapi/vascend_mmu_hw.h>
#include <uapi/vascend_svm.h>

#include "vascend_svm_check.h"

/*
 * The uapi structs must look the same to 32- and 64-bit callers (i386
 * aligns __u64 to 4 bytes): no implicit padding anywhere.
 */
static_assert(sizeof(struct vascend_svm_alloc) == 56);
static_assert(offsetof(struct vascend_svm_alloc, reserved) == 40);
static_assert(sizeof(struct vascend_svm_range) == 40);
static_assert(offsetof(struct vascend_svm_range, reserved) == 24);
static_assert(sizeof(struct vascend_svm_query) == 80);
static_assert(offsetof(struct vascend_svm_query, reserved) == 64);

static bool rsvd_set(const __u64 *rsvd, size_t size)
{
	return memchr_inv(rsvd, 0, size);
}

/**
 * vascend_svm_check_alloc() - SVM_ALLOC's argument
 * @args: as copied in (the out fields are not looked at)
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_alloc(const struct vascend_svm_alloc *args)
{
	if (rsvd_set(args->reserved, sizeof(args->reserved)))
		return VASCEND_SVM_CHECK_RSVD;
	if (args->flags & ~VASCEND_SVM_POLICY_MASK)
		return VASCEND_SVM_CHECK_FLAGS;
	if (args->flags != VASCEND_SVM_HUGE_FIRST &&
	    args->flags != VASCEND_SVM_HUGE_ONLY &&
	    args->flags != VASCEND_SVM_NORMAL_ONLY)
		return VASCEND_SVM_CHECK_POLICY;
	/* No window is larger: such a size could never be placed. */
	if (!args->size || args->size > VASCEND_SVM_WINDOW_MAX)
		return VASCEND_SVM_CHECK_SIZE;
	return VASCEND_SVM_CHECK_OK;
}

/**
 * vascend_svm_check_free() - SVM_FREE's argument
 * @args: as copied in
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_free(const struct vascend_svm_range *args)
{
	if (rsvd_set(args->reserved, sizeof(args->reserved)))
		return VASCEND_SVM_CHECK_RSVD;
	if (args->flags)
		return VASCEND_SVM_CHECK_FLAGS;
	if (args->size)
		return VASCEND_SVM_CHECK_SIZE;
	if (!IS_ALIGNED(args->addr, VASCEND_PAGE_SIZE))
		return VASCEND_SVM_CHECK_ALIGN;
	return VASCEND_SVM_CHECK_OK;
}

/**
 * vascend_svm_check_register() - SVM_REGISTER's argument
 * @args: as copied in
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_register(const struct vascend_svm_range *args)
{
	u64 end;

	if (rsvd_set(args->reserved, sizeof(args->reserved)))
		return VASCEND_SVM_CHECK_RSVD;
	if (args->flags & ~VASCEND_SVM_REG_READONLY)
		return VASCEND_SVM_CHECK_FLAGS;
	if (!args->size)
		return VASCEND_SVM_CHECK_SIZE;
	if (!IS_ALIGNED(args->addr, VASCEND_PAGE_SIZE) ||
	    !IS_ALIGNED(args->size, VASCEND_PAGE_SIZE))
		return VASCEND_SVM_CHECK_ALIGN;
	if (check_add_overflow(args->addr, args->size, &end) ||
	    end > (1ULL << VASCEND_VA_BITS))
		return VASCEND_SVM_CHECK_RANGE;
	return VASCEND_SVM_CHECK_OK;
}

/**
 * vascend_svm_check_unregister() - SVM_UNREGISTER's argument
 * @args: as copied in
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_unregister(const struct vascend_svm_range *args)
{
	/* Like SVM_FREE, the range is named by its start address alone. */
	return vascend_svm_check_free(args);
}

/**
 * vascend_svm_check_query() - SVM_QUERY's argument
 * @args: as copied in (the out fields are not looked at)
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_query(const struct vascend_svm_query *args)
{
	if (args->pad || rsvd_set(args->reserved, sizeof(args->reserved)))
		return VASCEND_SVM_CHECK_RSVD;
	return VASCEND_SVM_CHECK_OK;
}

/**
 * vascend_svm_check_window() - an mmap() of /dev/devmm_svm
 * @length: bytes
 * @offset: bytes
 *
 * Return: VASCEND_SVM_CHECK_*.
 */
int vascend_svm_check_window(u64 length, u64 offset)
{
	if (offset)
		return VASCEND_SVM_CHECK_WINDOW_OFFSET;
	if (length < VASCEND_SVM_WINDOW_MIN || length > VASCEND_SVM_WINDOW_MAX ||
	    !IS_ALIGNED(length, VASCEND_LARGE_PAGE_SIZE))
		return VASCEND_SVM_CHECK_WINDOW_SIZE;
	return VASCEND_SVM_CHECK_OK;
}

/**
 * vascend_svm_check_name() - a rule's name, for debug lines
 * @err: VASCEND_SVM_CHECK_*
 *
 * Return: a constant string.
 */
const char *vascend_svm_check_name(int err)
{
	switch (err) {
	case VASCEND_SVM_CHECK_OK:
		return "ok";
	case VASCEND_SVM_CHECK_RSVD:
		return "reserved field not zero";
	case VASCEND_SVM_CHECK_FLAGS:
		return "undefined flag";
	case VASCEND_SVM_CHECK_POLICY:
		return "undefined page-size policy";
	case VASCEND_SVM_CHECK_SIZE:
		return "size not allowed";
	case VASCEND_SVM_CHECK_ALIGN:
		return "not 4 KiB aligned";
	case VASCEND_SVM_CHECK_RANGE:
		return "range wraps or leaves the 48-bit VA space";
	case VASCEND_SVM_CHECK_WINDOW_SIZE:
		return "window length not a multiple of 2 MiB in 2 MiB..1 TiB";
	case VASCEND_SVM_CHECK_WINDOW_OFFSET:
		return "window offset not 0";
	default:
		return "unknown rule";
	}
}
