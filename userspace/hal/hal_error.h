/* SPDX-License-Identifier: MIT */
/*
 * The calling thread's record of its last HAL failure, behind
 * halVascendLastErrorMsg() and halVascendLastErrno().
 */
#ifndef VASCEND_HAL_ERROR_H
#define VASCEND_HAL_ERROR_H

#include "ascend_hal.h"

/*
 * Record a failure and return @code. The message is @fmt, followed by
 * ": strerror(@err)" when @err is not 0.
 */
drvError_t hal_fail(drvError_t code, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The drvError_t a failed system call with errno @err stands for. */
drvError_t hal_errno_to_drv(int err);

#endif /* VASCEND_HAL_ERROR_H */
