/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the limits the device reports (VASCEND_REG_MAX_*)
 * and the sizes of its internal tables, in one place so every file agrees.
 */
#ifndef ANPU_LIMITS_H
#define ANPU_LIMITS_H

#include "vascend_hw.h"

/* Room for the explanation of a refusal (firmware image, DMA command). */
#define ANPU_WHY_LEN            128

/* Queue pairs, admin (qid 0) included: VASCEND_REG_MAX_QUEUES. */
#define ANPU_MAX_QUEUES         VASCEND_MAX_QUEUES
/* Entries per ring, at most: VASCEND_REG_MAX_QUEUE_DEPTH. */
#define ANPU_MAX_QUEUE_DEPTH    4096
/* Context ids are 1..ANPU_MAX_CONTEXTS-1: VASCEND_REG_MAX_CONTEXTS. */
#define ANPU_MAX_CONTEXTS       256

/* Ops one firmware op table may list; more is a malformed section. */
#define ANPU_FW_MAX_OPS         1024
/* HDC services one firmware image may list. */
#define ANPU_FW_MAX_SERVICES    16

#define ANPU_AICORES_MIN        1
#define ANPU_AICORES_MAX        64

/* Vectors implemented; reported in VASCEND_REG_MSIX_COUNT. */
#define ANPU_MSIX_VECTORS       8

/*
 * Bounded work per anpu_process() call, so a guest with deep rings cannot
 * hold the BQL for long: SQEs taken from one queue per pass.
 */
#define ANPU_SQE_BUDGET         64

/*
 * Bytes all tensors of one KERNEL_LAUNCH may name together: bounds the
 * MMU's segment lists and the bounce buffers of split tensors (TOO_LARGE).
 */
#define ANPU_MAX_LAUNCH_BYTES   (1ULL << 30)

/*
 * Worker threads the environment runs a device's jobs on: min(aicores,
 * ANPU_MAX_WORKERS). It also caps the threads an op's fast path may use.
 */
#define ANPU_MAX_WORKERS        8

/* MODEL_EXECUTE: bytes of one execution's bindings together (TOO_LARGE). */
#define ANPU_MAX_MODEL_BINDING_BYTES    (1ULL << 30)
/* Validated models a context keeps, and their bytes per device at most. */
#define ANPU_MODEL_CACHE_SLOTS  8
#define ANPU_MODEL_CACHE_BYTES  (1ULL << 30)

/* Page-table entries one TELEMETRY may read per context to count HBM. */
#define ANPU_HBM_COUNT_BUDGET   (1U << 16)

#endif /* ANPU_LIMITS_H */
