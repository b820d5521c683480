// SPDX-License-Identifier: MIT
/*
 * Devices through AscendCL: counting (ids with gaps), setting, resetting
 * with reference counts, the current device of a thread, SoC names, memory
 * info, and cards that cannot be used.
 */
#include <errno.h>

#include "acl_test.h"
#include "vascend_davinci.h"

static void setup(void)
{
	static const struct hal_fake_card cards[] = {
		{ .id = 0, .hbm_size = 4 * MiB + 100, .soc_name = "Ascend-test0" },
		{ .id = 2, .hbm_size = 2 * MiB, .soc_name = "Ascend-test2" },
	};

	use_fake_card_list(cards, ARRAY_SIZE(cards));
	if (aclInit(NULL))
		bail_out("aclInit failed");
}

static void count_and_ids(void)
{
	uint32_t n = 0;
	int32_t id = -1;

	CHECK_RET(aclrtGetDeviceCount(&n), ACL_SUCCESS);
	TAP_CHECK(n == 2, "two nodes, two devices (%u)", n);
	CHECK_RET(aclrtGetDeviceCount(NULL), ACL_ERROR_INVALID_PARAM);

	CHECK_RET_MSG(aclrtGetDevice(&id), ACL_ERROR_RT_CONTEXT_NULL,
		      "aclrtGetDevice: no current context in this thread; call aclrtSetDevice");
	CHECK_RET_MSG(aclrtSetDevice(-1), ACL_ERROR_RT_INVALID_DEVICEID,
		      "aclrtSetDevice: device id -1 is out of range [0, 64)");
	CHECK_RET(aclrtSetDevice(64), ACL_ERROR_RT_INVALID_DEVICEID);
	CHECK_RET_MSG(aclrtSetDevice(1), ACL_ERROR_RT_INVALID_DEVICEID,
		      "aclrtSetDevice: device 1 not found: HAL: /dev/davinci1: No such file or directory");
	TAP_CHECK(hal_fake_open_fds() == 0, "failed sets leave nothing open");
}

static void set_get_reset(void)
{
	size_t free_b = 1, total_b = 1;
	const char *soc;
	int32_t id = -1;

	CHECK_RET(aclrtSetDevice(2), ACL_SUCCESS);
	CHECK_RET(aclrtGetDevice(&id), ACL_SUCCESS);
	TAP_CHECK(id == 2, "device id is N of /dev/davinciN (%d)", id);
	CHECK_RET(aclrtGetDevice(NULL), ACL_ERROR_INVALID_PARAM);
	soc = aclrtGetSocName();
	TAP_CHECK(str_is(soc, "Ascend-test2"), "SoC of the current device: %s", soc ? soc : "NULL");

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtGetDevice(&id), ACL_SUCCESS);
	TAP_CHECK(id == 0 && hal_fake_open_fds() == 2, "switching devices keeps both open");
	soc = aclrtGetSocName();
	TAP_CHECK(str_is(soc, "Ascend-test0"), "SoC follows the current device: %s", soc ? soc : "NULL");

	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(total_b == 4 * MiB + 100 && free_b == total_b,
		  "HBM of device 0: %zu of %zu free (whole pages only)", free_b, total_b);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM_HUGE, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(total_b == 4 * MiB + 100, "huge-page HBM is the same pool");
	CHECK_RET(aclrtGetMemInfo(ACL_DDR_MEM, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(free_b == 0 && total_b == 0, "the card has no DDR");
	CHECK_RET_MSG(aclrtGetMemInfo((aclrtMemAttr)99, &free_b, &total_b), ACL_ERROR_INVALID_PARAM,
		      "unknown memory attribute 99");
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, NULL, &total_b), ACL_ERROR_INVALID_PARAM);

	/* device 2 is set once: one reset closes it (/dev/devmm_svm stays open) */
	CHECK_RET(aclrtResetDevice(2), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 2, "resetting device 2 closes it");
	CHECK_RET(aclrtGetDevice(&id), ACL_SUCCESS);
	TAP_CHECK(id == 0, "the current device (0) is untouched");

	/* device 0 set twice: two resets */
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 2, "one reset of two sets keeps the device");
	CHECK_RET(aclrtGetDevice(&id), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 1, "the matching reset closes it");
	CHECK_RET_MSG(aclrtGetDevice(&id), ACL_ERROR_RT_CONTEXT_NULL,
		      "aclrtGetDevice: no current context in this thread");
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total_b), ACL_ERROR_RT_CONTEXT_NULL);

	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtResetDevice(1), ACL_ERROR_RT_INVALID_DEVICEID,
		      "aclrtResetDevice: device 1 not found");
	CHECK_RET(aclrtResetDevice(99), ACL_ERROR_RT_INVALID_DEVICEID);

	soc = aclrtGetSocName();
	TAP_CHECK(str_is(soc, "Ascend-test0"), "without a current device: the first device's SoC (%s)",
		  soc ? soc : "NULL");
	TAP_CHECK(hal_fake_open_fds() == 1, "asking opened nothing for good (but /dev/devmm_svm)");
}

static void unusable_cards(void)
{
	struct hal_fake_card cards[] = {
		{ .id = 0, .hbm_size = MiB },
		{ .id = 1, .hbm_size = MiB, .no_streams = true },
		{ .id = 2, .hbm_size = MiB, .uapi_version = VASCEND_UAPI_VERSION(2, 0) },
	};
	uint32_t n = 9;

	aclFinalize();
	use_fake_card_list(cards, ARRAY_SIZE(cards));
	aclInit(NULL);

	hal_fake_fail_open(0, EACCES, 1);
	CHECK_RET_MSG(aclrtSetDevice(0), ACL_ERROR_RT_NO_PERMISSION,
		      "aclrtSetDevice: cannot open device 0: HAL: /dev/davinci0: Permission denied "
		      "(driver errno EACCES)");
	hal_fake_fail_ioctl(0, 0, EIO, 1);
	CHECK_RET_MSG(aclrtSetDevice(0), ACL_ERROR_RT_DRV_INTERNAL_ERROR,
		      "cannot open device 0: HAL: /dev/davinci0: VASCEND_IOCTL_GET_INFO: Input/output error");
	CHECK_RET_MSG(aclrtSetDevice(1), ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		      "device 1: its driver offers no streams");
	CHECK_RET_MSG(aclrtSetDevice(2), ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		      "driver speaks uapi 2.0, this library needs 1.x");
	TAP_CHECK(hal_fake_open_fds() == 0, "refused cards are closed again");

	aclFinalize();
	FAKE_CARDS(MiB);
	aclInit(NULL);
	CHECK_RET_MSG(aclrtGetDeviceCount(&n), ACL_ERROR_RT_NO_DEVICE,
		      "aclrtGetDeviceCount: no Ascend device: no /dev/davinciN node");
	TAP_CHECK(n == 0, "and the count is 0");
	TAP_CHECK(aclrtGetSocName() == NULL, "no SoC name without devices");
	TAP_CHECK(str_has(take_msg(), "aclrtGetSocName: no Ascend device"), "and it says why");
	hal_fake_fail_scan(EIO, 1);
	CHECK_RET_MSG(aclrtGetDeviceCount(&n), ACL_ERROR_RT_DRV_INTERNAL_ERROR,
		      "aclrtGetDeviceCount: cannot count devices: HAL: /dev: cannot list device nodes");
	aclFinalize();
}

int main(void)
{
	setup();
	count_and_ids();
	set_get_reset();
	unusable_cards();
	return tap_done();
}
