/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: fault injection and fatal errors. What each
 * injected fault does is in vascend_hw.h (VASCEND_FAULT_*); this file arms
 * them, fires the immediate ones, and puts the device in the state real
 * hardware would be in after the error.
 */
#include <string.h>

#include "anpu.h"
#include "anpu_exec.h"
#include "anpu_fault.h"
#include "vascend_hw.h"
#include "vascend_queue_hw.h"

static const char *const fault_names[] = {
    [VASCEND_FAULT_NONE] = "none",
    [VASCEND_FAULT_AICORE_HANG] = "aicore-hang",
    [VASCEND_FAULT_DMA_ERROR] = "dma-error",
    [VASCEND_FAULT_ECC] = "ecc",
    [VASCEND_FAULT_FW_CRASH] = "fw-crash",
};

#define NFAULTS (sizeof(fault_names) / sizeof(fault_names[0]))

int anpu_fault_parse(const char *name)
{
    size_t i;

    for (i = 0; i < NFAULTS; i++) {
        if (!strcmp(name, fault_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

const char *anpu_fault_name(uint32_t code)
{
    return code < NFAULTS ? fault_names[code] : "unknown";
}

bool anpu_fault_arm(struct anpu *d, uint32_t code)
{
    if (code >= NFAULTS) {
        return false;
    }
    d->fault_armed = code;
    anpu_trace(d, ANPU_TRACE_FAULT_ARMED, code, 0, 0, 0, 0, 0,
               anpu_fault_name(code));
    if (code == VASCEND_FAULT_ECC || code == VASCEND_FAULT_FW_CRASH) {
        /* "Now" means the next anpu_process(), not inside this access. */
        d->fault_pending = true;
        d->ops->kick(d->opaque);
    }
    return true;
}

bool anpu_fault_take(struct anpu *d, uint32_t code)
{
    if (d->fault_armed != code) {
        return false;
    }
    d->fault_armed = VASCEND_FAULT_NONE;
    anpu_trace(d, ANPU_TRACE_FAULT_FIRED, code, 0, 0, 0, 0, 0,
               anpu_fault_name(code));
    anpu_log_event(d, "injected fault fired: %s", anpu_fault_name(code));
    return true;
}

void anpu_fatal(struct anpu *d, uint32_t bit, uint16_t status)
{
    unsigned int i;

    d->fatal_status |= bit;
    for (i = 1; i < ANPU_MAX_QUEUES; i++) {
        if (d->queues[i].exists) {
            anpu_exec_abort(d, &d->queues[i], status);
            /* Queues stay stopped until the reset the error calls for. */
            d->queues[i].stopped = true;
        }
    }
    anpu_trace(d, ANPU_TRACE_FATAL, d->fatal_status, 0, 0, 0, 0, 0, NULL);
    anpu_log_event(d, "fatal error: FATAL_STATUS 0x%x", d->fatal_status);
    anpu_raise(d, VASCEND_IRQ_FATAL, VASCEND_MSIX_VEC_ADMIN);
}

void anpu_fault_process(struct anpu *d)
{
    d->fault_pending = false;
    if (anpu_fault_take(d, VASCEND_FAULT_ECC)) {
        /* Device choice: the simulated cell sits in the middle of HBM. */
        d->ecc_addr = d->cfg.hbm_size / 2;
        d->ecc_stopped = true;
        anpu_fatal(d, VASCEND_FATAL_ECC, VASCEND_CQE_STATUS_ECC_ERROR);
    } else if (anpu_fault_take(d, VASCEND_FAULT_FW_CRASH)) {
        d->fw_status = VASCEND_FW_STATUS_CRASHED;
        anpu_fatal(d, VASCEND_FATAL_FW_CRASH, VASCEND_CQE_STATUS_FW_CRASHED);
    }
}
