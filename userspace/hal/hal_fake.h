/* SPDX-License-Identifier: MIT */
/*
 * hal_os_fake: cards that live in this process's memory, for unit tests of
 * the HAL and the runtime without a kernel. Each card answers the ioctls of
 * /dev/davinciN, /dev/devmm_svm, /dev/davinci_manager and /dev/hisi_hdc
 * with the driver's checks over in-process state:
 *  - streams run their tasks in the submitting thread, at SUBMIT (MEMCPY,
 *    MEMSET, EVENT_RECORD, EVENT_WAIT, NOTIFY on fake device memory and
 *    registered host memory, with device timestamps from CLOCK_MONOTONIC);
 *    a stream parked on EVENT_WAIT resumes when any later SUBMIT (any
 *    stream, any thread: the "doorbell") finds its slot satisfied;
 *    KERNEL_LAUNCH runs the hook tests plug (hal_fake_set_launch), else
 *    completes with OP_UNKNOWN; MODEL_EXECUTE likewise (hal_fake_set_model),
 *    else INVALID_OPCODE;
 *  - device memory is a per-card HBM array seen through the SVM window (a
 *    real PROT_NONE reservation, so the addresses are real and unique);
 *    an access outside an allocation or registration is an MMU fault CQE;
 *  - the manager reports the cards, made-up telemetry, this process;
 *  - HDC offers the echo service.
 *
 * Select it with hal_os_set(&hal_os_fake) (tests) or VASCEND_HAL_BACKEND=fake
 * (tests and demos only). Unless configured here first, it reads
 *   VASCEND_HAL_FAKE_DEVICES  comma-separated ids, default "0"
 *   VASCEND_HAL_FAKE_HBM_MB   HBM per card in MiB, default 64
 */
#ifndef VASCEND_HAL_FAKE_H
#define VASCEND_HAL_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "vascend_davinci.h"
#include "vascend_queue_hw.h"

#define HAL_FAKE_DEVICES_ENV	"VASCEND_HAL_FAKE_DEVICES"
#define HAL_FAKE_HBM_MB_ENV	"VASCEND_HAL_FAKE_HBM_MB"
#define HAL_FAKE_SOC_NAME	"vascend-fake"
#define HAL_FAKE_AICORES	8
/* Largest fake HBM: one card's slice of the SVM window. */
#define HAL_FAKE_HBM_MAX	(1ULL << 30)

struct hal_fake_card {
	uint32_t id;		/* appears as /dev/davinci<id> */
	uint64_t hbm_size;	/* at most HAL_FAKE_HBM_MAX */
	uint32_t uapi_version;	/* 0: the version this library speaks */
	const char *soc_name;	/* NULL: HAL_FAKE_SOC_NAME */
	bool no_dma_cap;	/* report no VASCEND_CAP_DMA_XFER */
	bool no_streams;	/* report no streams, SVM, op table */
	bool wrong_dev_id;	/* report dev_id + 1 in GET_INFO */
};

/*
 * Replace all cards; every fake fd must be closed. -EBUSY, -EINVAL
 * (duplicate or out-of-range id, HBM size), -ENOMEM.
 */
int hal_fake_configure(const struct hal_fake_card *cards, unsigned int n);
/* Replace all cards with what the environment asks for (see above). */
int hal_fake_configure_from_env(void);

/* Card @id's HBM (NULL when absent), for tests to look at or poke. */
uint8_t *hal_fake_hbm(uint32_t id);

/*
 * Device virtual address @va of card @dev as host memory for @len bytes
 * (fake HBM or registered host memory), or NULL when the card could not
 * reach it that way (an MMU fault). For launch hooks and tests.
 */
void *hal_fake_dev_ptr(uint32_t dev, uint64_t va, uint64_t len, bool write);

/*
 * KERNEL_LAUNCH executor: runs @task (type KERNEL_LAUNCH; its desc is a
 * device address: read it with hal_fake_dev_ptr) for card @dev; returns the
 * CQE status (VASCEND_CQE_STATUS_*) and may set *@info and *@result as the
 * device would. Called with the fake's state locked: it may call
 * hal_fake_dev_ptr, nothing else of the HAL.
 */
typedef uint32_t (*hal_fake_launch_fn)(void *ctx, uint32_t dev, const struct vascend_task *task,
				       uint32_t *info, uint64_t *result);
void hal_fake_set_launch(hal_fake_launch_fn fn, void *ctx);

/*
 * MODEL_EXECUTE executor, in the same style: runs @task (its image and
 * bindings are device addresses: read them with hal_fake_dev_ptr) for card
 * @dev and returns the CQE status, *@info and *@result as the device would
 * (vascend_queue_hw.h, VASCEND_MODEL_ERR_INFO). Without one, MODEL_EXECUTE
 * completes with INVALID_OPCODE (a card without a model runner). Tests
 * plug the real runner (qemu-device/model) here.
 */
typedef uint32_t (*hal_fake_model_fn)(void *ctx, uint32_t dev, const struct vascend_task *task,
				      uint32_t *info, uint64_t *result);
void hal_fake_set_model(hal_fake_model_fn fn, void *ctx);

/* The op table every fake card reports (copied; default: TestVectorAdd id 1 version 1). */
int hal_fake_set_op_table(const struct vascend_op_entry *entries, unsigned int n);

/* The next @times ioctls @req (0: any) on card @id fail with -@err. */
void hal_fake_fail_ioctl(uint32_t id, unsigned long req, int err, unsigned int times);
/* The next @times opens of card @id fail with -@err. */
void hal_fake_fail_open(uint32_t id, int err, unsigned int times);
/* The next @times scans fail with -@err. */
void hal_fake_fail_scan(int err, unsigned int times);
/* The next @times tasks of type @type run on card @id complete with @status (and @result). */
void hal_fake_fail_task(uint32_t id, uint8_t type, uint32_t status, uint64_t result,
			unsigned int times);

/* ioctls @req (0: any) card @id received since configured, failed ones too. */
unsigned int hal_fake_ioctl_calls(uint32_t id, unsigned long req);
/* Fake fds currently open (every node). */
unsigned int hal_fake_open_fds(void);
/* Streams currently existing on card @id. */
unsigned int hal_fake_streams(uint32_t id);
/* Tasks card @id has completed since configured, by type (VASCEND_TASK_*; 0xff: all). */
unsigned long hal_fake_tasks_run(uint32_t id, uint8_t type);

#endif /* VASCEND_HAL_FAKE_H */
