/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/devmm_svm (include/uapi/vascend_svm.h): one misc device for all
 * cards; the SVM window, device memory and registered host memory of the
 * calling process.
 */

#ifndef __VASCEND_SVM_H__
#define __VASCEND_SVM_H__

/**
 * vascend_svm_init() - module load: register /dev/devmm_svm
 *
 * Call before the PCI driver registers (cards look it up at probe).
 *
 * Return: 0, or a negative errno.
 */
int vascend_svm_init(void);

/**
 * vascend_svm_fini() - module unload: unregister /dev/devmm_svm
 *
 * Call after the PCI driver is unregistered. No file can be open then (an
 * open file or window mapping holds the module).
 */
void vascend_svm_fini(void);

#endif /* __VASCEND_SVM_H__ */
