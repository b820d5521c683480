// SPDX-License-Identifier: MIT
/*
 * Process-wide life cycle: aclInit, aclFinalize, and the interface version.
 */
#include "acl_config.h"
#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

struct acl_runtime acl_rt = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.copier_free = PTHREAD_COND_INITIALIZER,
};

aclError acl_lock_initialized(const char *api)
{
	acl_lock();
	if (acl_rt.initialized)
		return ACL_SUCCESS;
	acl_unlock();
	return acl_fail(ACL_ERROR_UNINITIALIZE, api, "AscendCL is not initialized; call aclInit first");
}

aclError acl_check_init(const char *api)
{
	aclError ret = acl_lock_initialized(api);

	if (!ret)
		acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclInit(const char *configPath)
{
	aclError ret;

	acl_log_configure();
	acl_lock();
	if (acl_rt.initialized) {
		ret = acl_fail(ACL_ERROR_REPEAT_INITIALIZE, "aclInit",
			       "already initialized; call aclFinalize first");
		goto unlock;
	}
	ret = acl_config_load(configPath);
	if (ret)
		goto unlock;
	acl_rt.initialized = true;
	acl_rt.finalized = false;
	ACL_LOG_INFO("aclInit: initialized (config %s, HAL backend %s)",
		     configPath && *configPath ? configPath : "none",
		     halVascendBackend() ? halVascendBackend() : "none");
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclFinalize(void)
{
	aclError ret = ACL_SUCCESS;

	acl_lock();
	if (!acl_rt.initialized) {
		if (acl_rt.finalized)
			ret = acl_fail(ACL_ERROR_REPEAT_FINALIZE, "aclFinalize", "already finalized");
		else
			ret = acl_fail(ACL_ERROR_UNINITIALIZE, "aclFinalize",
				       "AscendCL is not initialized; call aclInit first");
		goto unlock;
	}
	acl_subs_free_all_locked();
	acl_device_close_all_locked();
	acl_pinned_free_all_locked();
	/* nothing is allocated any more: give the SVM window back */
	halVascendSvmRelease();
	acl_rt.initialized = false;
	acl_rt.finalized = true;
	ACL_LOG_INFO("aclFinalize: finalized");
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtGetVersion(int32_t *majorVersion, int32_t *minorVersion,
					     int32_t *patchVersion)
{
	if (!majorVersion || !minorVersion || !patchVersion)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtGetVersion",
				"majorVersion, minorVersion and patchVersion must not be NULL");
	*majorVersion = ACL_MAJOR_VERSION;
	*minorVersion = ACL_MINOR_VERSION;
	*patchVersion = ACL_PATCH_VERSION;
	return ACL_SUCCESS;
}
