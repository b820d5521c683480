/* SPDX-License-Identifier: MIT */
/*
 * State the runtime's concern files share: whether aclInit ran, the devices
 * this process has set, and each thread's current device.
 */
#ifndef VASCEND_ACL_INTERNAL_H
#define VASCEND_ACL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "acl/acl.h"
#include "ascend_hal.h"

#define ACL_MAX_DEVICES HAL_VASCEND_MAX_DEVICES

struct acl_hbm;
struct acl_host_block;

struct acl_device {
	unsigned int refs;	/* aclrtSetDevice calls not yet reset; 0: closed */
	uint64_t gen;		/* this opening; thread contexts from another are stale */
	struct halVascendDeviceInfo info;
	struct acl_hbm *hbm;	/* aclrtMalloc memory */
};

struct acl_runtime {
	/*
	 * Protects everything in this struct and the contents of every
	 * acl_device. Never held across a DMA: copies run unlocked.
	 */
	pthread_mutex_t lock;
	bool initialized;
	bool finalized;		/* aclFinalize ran after the last aclInit */
	uint64_t last_gen;
	struct acl_device dev[ACL_MAX_DEVICES];
	struct acl_host_block *host_blocks;	/* live aclrtMallocHost memory */
	/* SoC names handed out by aclrtGetSocName; never freed */
	char soc_name[ACL_MAX_DEVICES][HAL_VASCEND_SOC_NAME_MAX];
};

extern struct acl_runtime acl_rt;

/*
 * Take acl_rt.lock for @api and check aclInit ran. On success the lock is
 * held; on failure it is not, and the error is recorded.
 */
aclError acl_lock_initialized(const char *api);

static inline void acl_unlock(void)
{
	pthread_mutex_unlock(&acl_rt.lock);
}

/*
 * With acl_rt.lock held: the calling thread's current device, or
 * ACL_ERROR_RT_CONTEXT_NULL (recorded) when it has none or it was reset.
 */
aclError acl_current_device_locked(const char *api, int32_t *id);

/* With acl_rt.lock held: whether device @id is set in this process. */
static inline bool acl_device_is_open_locked(int32_t id)
{
	return id >= 0 && id < ACL_MAX_DEVICES && acl_rt.dev[id].refs;
}

/* With acl_rt.lock held: close every device and free host memory (aclFinalize). */
void acl_device_close_all_locked(void);
void acl_mem_release_host_locked(void);

#endif /* VASCEND_ACL_INTERNAL_H */
