/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: fatal errors and fault injection
 * (VASCEND_REG_FATAL_STATUS, VASCEND_REG_FAULT_INJECT). Faults are armed
 * from a register write or the host (qom-set), and fire from
 * anpu_process(), never inside the access that armed them.
 */
#ifndef ANPU_FAULT_H
#define ANPU_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct anpu;

/* VASCEND_FAULT_* by name ("aicore-hang", ...); -1 when unknown. */
int anpu_fault_parse(const char *name);

/* Name of VASCEND_FAULT_* @code ("none" for VASCEND_FAULT_NONE). */
const char *anpu_fault_name(uint32_t code);

/*
 * Arm fault @code (VASCEND_FAULT_*; NONE disarms). Returns false, changing
 * nothing, for an unknown code.
 */
bool anpu_fault_arm(struct anpu *d, uint32_t code);

/* Fire the faults that fire "now" (ECC, firmware crash) if armed. */
void anpu_fault_process(struct anpu *d);

/* Take the armed fault if it is @code: the caller makes it happen. */
bool anpu_fault_take(struct anpu *d, uint32_t code);

/*
 * A fatal error: set @bit in FATAL_STATUS, complete every task in flight
 * with @status, stop every IO queue, raise VASCEND_IRQ_FATAL on vector 0.
 */
void anpu_fatal(struct anpu *d, uint32_t bit, uint16_t status);

#endif /* ANPU_FAULT_H */
