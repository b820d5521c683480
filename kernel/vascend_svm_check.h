/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argument checks of /dev/devmm_svm (include/uapi/vascend_svm.h): one
 * function per ioctl, one error code per rule, so each rule has its KUnit
 * case and its debug line. Pure: no PCI, no device, no locks.
 */

#ifndef __VASCEND_SVM_CHECK_H__
#define __VASCEND_SVM_CHECK_H__

#include <linux/types.h>

#include <uapi/vascend_svm.h>

/* Which rule a check failed; every one is EINVAL to the caller. */
enum vascend_svm_check_err {
	VASCEND_SVM_CHECK_OK = 0,
	VASCEND_SVM_CHECK_RSVD,		/* a reserved or pad field not zero */
	VASCEND_SVM_CHECK_FLAGS,	/* a flag not defined for this ioctl */
	VASCEND_SVM_CHECK_POLICY,	/* ALLOC: policy value not defined */
	VASCEND_SVM_CHECK_SIZE,		/* size 0, too large, or not allowed here */
	VASCEND_SVM_CHECK_ALIGN,	/* address or size not 4 KiB aligned */
	VASCEND_SVM_CHECK_RANGE,	/* range wraps or leaves the 48-bit VA space */
	VASCEND_SVM_CHECK_WINDOW_SIZE,	/* mmap: length not a 2 MiB multiple in range */
	VASCEND_SVM_CHECK_WINDOW_OFFSET,/* mmap: offset not 0 */
};

int vascend_svm_check_alloc(const struct vascend_svm_alloc *args);
int vascend_svm_check_free(const struct vascend_svm_range *args);
int vascend_svm_check_register(const struct vascend_svm_range *args);
int vascend_svm_check_unregister(const struct vascend_svm_range *args);
int vascend_svm_check_query(const struct vascend_svm_query *args);
int vascend_svm_check_window(u64 length, u64 offset);
const char *vascend_svm_check_name(int err);

#endif /* __VASCEND_SVM_CHECK_H__ */
