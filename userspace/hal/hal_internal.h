/* SPDX-License-Identifier: MIT */
/*
 * The HAL's table of open devices, shared by the files that use an open
 * device (hal_device.c owns it, hal_dma.c borrows from it).
 */
#ifndef VASCEND_HAL_INTERNAL_H
#define VASCEND_HAL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ascend_hal.h"
#include "hal_os.h"

/* "/dev/davinci63" and room to spare */
#define HAL_NODE_PATH_MAX 32

/* An open device, valid between hal_dev_get() and hal_dev_put(). */
struct hal_dev_ref {
	uint32_t id;
	const struct hal_os_ops *os;	/* the backend the device was opened with */
	int fd;
	const struct halVascendDeviceInfo *info;
	const char *path;	/* "/dev/davinciN", for messages; static */
};

/*
 * Borrow open device @id: on success the device cannot be closed until
 * hal_dev_put(). DRV_ERROR_UNINIT (recorded) when it is not open.
 */
drvError_t hal_dev_get(uint32_t id, struct hal_dev_ref *ref);
void hal_dev_put(struct hal_dev_ref *ref);

/* How many devices are open; the backend must not change while any is. */
unsigned int hal_dev_open_count(void);

void hal_node_path(uint32_t id, char *buf, unsigned int len);

/* The backend, or DRV_ERROR_CONFIG_READ_FAIL (recorded) when none is configured. */
drvError_t hal_backend(const struct hal_os_ops **os);

/* hal_svm.c: whether /dev/devmm_svm is open (the backend must not change then). */
bool hal_svm_in_use(void);

/* Same-named helpers for the misc nodes: "/dev/<name>". */
#define HAL_SVM_NODE		"/dev/devmm_svm"
#define HAL_MANAGER_NODE	"/dev/davinci_manager"
#define HAL_HDC_NODE		"/dev/hisi_hdc"

#endif /* VASCEND_HAL_INTERNAL_H */
