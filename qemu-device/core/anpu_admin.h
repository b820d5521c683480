/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the admin queue (queue 0, set up through the
 * VASCEND_REG_AQ_* registers) and its commands (VASCEND_ADMIN_*).
 */
#ifndef ANPU_ADMIN_H
#define ANPU_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "vascend_queue_hw.h"

struct anpu;

/* AQ_CTRL written. */
void anpu_admin_ctrl_write(struct anpu *d, uint32_t val);

/*
 * Run admin commands (bounded). Returns true when more are ready to run
 * now (call again soon).
 */
bool anpu_admin_process(struct anpu *d);

/* IDENTIFY's answer, also what HDC's management service reports. */
void anpu_admin_identify(struct anpu *d, struct vascend_identify *id);

/* Forget every IO queue, context and HDC state (DEVICE_RESET's effect). */
void anpu_admin_drop_all(struct anpu *d);

#endif /* ANPU_ADMIN_H */
