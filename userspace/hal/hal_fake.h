/* SPDX-License-Identifier: MIT */
/*
 * hal_os_fake: cards that live in this process's memory, for unit tests of
 * the HAL and the runtime without a kernel. Each card answers
 * VASCEND_IOCTL_GET_INFO and VASCEND_IOCTL_DMA_XFER with the checks the
 * driver makes (reserved fields, flags, direction, bounds) over an HBM
 * array; failures can be injected per card and request.
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

#define HAL_FAKE_DEVICES_ENV	"VASCEND_HAL_FAKE_DEVICES"
#define HAL_FAKE_HBM_MB_ENV	"VASCEND_HAL_FAKE_HBM_MB"
#define HAL_FAKE_SOC_NAME	"vascend-fake"
#define HAL_FAKE_AICORES	8

struct hal_fake_card {
	uint32_t id;		/* appears as /dev/davinci<id> */
	uint64_t hbm_size;
	uint32_t uapi_version;	/* 0: the version this library speaks */
	const char *soc_name;	/* NULL: HAL_FAKE_SOC_NAME */
	bool no_dma_cap;	/* report no VASCEND_CAP_DMA_XFER */
	bool wrong_dev_id;	/* report dev_id + 1 in GET_INFO */
};

/*
 * Replace all cards; every fake fd must be closed. -EBUSY, -EINVAL
 * (duplicate or out-of-range id), -ENOMEM.
 */
int hal_fake_configure(const struct hal_fake_card *cards, unsigned int n);
/* Replace all cards with what the environment asks for (see above). */
int hal_fake_configure_from_env(void);

/* Card @id's HBM (NULL when absent), for tests to look at or poke. */
uint8_t *hal_fake_hbm(uint32_t id);

/* The next @times ioctls @req (0: any) on card @id fail with -@err. */
void hal_fake_fail_ioctl(uint32_t id, unsigned long req, int err, unsigned int times);
/* The next @times opens of card @id fail with -@err. */
void hal_fake_fail_open(uint32_t id, int err, unsigned int times);
/* The next @times scans fail with -@err. */
void hal_fake_fail_scan(int err, unsigned int times);

/* ioctls @req (0: any) card @id received since configured, failed ones too. */
unsigned int hal_fake_ioctl_calls(uint32_t id, unsigned long req);
/* Fake fds currently open. */
unsigned int hal_fake_open_fds(void);

#endif /* VASCEND_HAL_FAKE_H */
