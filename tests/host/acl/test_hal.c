// SPDX-License-Identifier: MIT
/*
 * libascend_hal on fake cards: enumeration with gaps, open/close counting,
 * what GET_INFO reports and how it is checked, DMA (data, bounds, EINTR
 * retries, injected errors) and the per-thread failure records.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "acl_test.h"
#include "vascend_davinci.h"

static const char *hal_msg(void)
{
	return halVascendLastErrorMsg();
}

static void enumeration(void)
{
	uint32_t ids[HAL_VASCEND_MAX_DEVICES] = { 0 }, n = 0;

	FAKE_CARDS(1 * MiB, 0, 2, 5);
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_NONE && n == 3, "three nodes, three devices (%u)", n);
	TAP_CHECK(drvGetDevIDs(ids, 3) == DRV_ERROR_NONE && ids[0] == 0 && ids[1] == 2 && ids[2] == 5,
		  "ids keep their gaps: %u %u %u", ids[0], ids[1], ids[2]);
	TAP_CHECK(drvGetDevIDs(ids, 2) == DRV_ERROR_INVALID_VALUE &&
		  str_has(hal_msg(), "room for 2 ids, 3 devices present"),
		  "too small an id array is refused: %s", hal_msg());
	TAP_CHECK(drvGetDevNum(NULL) == DRV_ERROR_INVALID_VALUE, "NULL count is refused");

	hal_fake_fail_scan(EACCES, 1);
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_FILE_OPS && halVascendLastErrno() == EACCES &&
		  str_is(hal_msg(), "/dev: cannot list device nodes: Permission denied"),
		  "an unreadable /dev is reported: %s", hal_msg());

	FAKE_CARDS(1 * MiB);
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_NONE && n == 0, "no nodes: 0 devices, no error");
}

static void open_close(void)
{
	void *handle = &handle;

	FAKE_CARDS(1 * MiB, 0, 2);
	TAP_CHECK(drvDeviceOpen(NULL, 1) == DRV_ERROR_INVALID_DEVICE &&
		  halVascendLastErrno() == ENOENT &&
		  str_is(hal_msg(), "/dev/davinci1: No such file or directory"),
		  "a missing node: %s", hal_msg());
	TAP_CHECK(drvDeviceOpen(NULL, HAL_VASCEND_MAX_DEVICES) == DRV_ERROR_INVALID_DEVICE &&
		  str_is(hal_msg(), "device id 64 is out of range [0, 64)"),
		  "an id past the limit: %s", hal_msg());

	TAP_CHECK(drvDeviceOpen(&handle, 2) == DRV_ERROR_NONE && handle == NULL,
		  "open /dev/davinci2; devInfo is set to NULL");
	TAP_CHECK(hal_fake_open_fds() == 1, "one fd open");
	TAP_CHECK(drvDeviceOpen(NULL, 2) == DRV_ERROR_NONE && hal_fake_open_fds() == 1,
		  "opening again takes a reference, not a second fd");
	TAP_CHECK(hal_os_set(&hal_os_linux) == -EBUSY, "the backend cannot change while a device is open");
	TAP_CHECK(hal_fake_configure(NULL, 0) == -EBUSY, "nor can the fake cards");
	TAP_CHECK(drvDeviceClose(2) == DRV_ERROR_NONE && hal_fake_open_fds() == 1,
		  "closing once keeps the fd");
	TAP_CHECK(drvDeviceClose(2) == DRV_ERROR_NONE && hal_fake_open_fds() == 0,
		  "closing the last reference closes the fd");
	TAP_CHECK(drvDeviceClose(2) == DRV_ERROR_INVALID_DEVICE &&
		  str_is(hal_msg(), "device 2 is not open"), "closing again: %s", hal_msg());

	hal_fake_fail_open(0, EACCES, 1);
	TAP_CHECK(drvDeviceOpen(NULL, 0) == DRV_ERROR_OPER_NOT_PERMITTED &&
		  halVascendLastErrno() == EACCES &&
		  str_is(hal_msg(), "/dev/davinci0: Permission denied"),
		  "a node we may not open: %s", hal_msg());
	TAP_CHECK(hal_fake_open_fds() == 0, "no fd leaked");
}

static void info(void)
{
	struct hal_fake_card cards[] = {
		{ .id = 0, .hbm_size = 3 * MiB, .soc_name = "Ascend-test" },
		{ .id = 1, .hbm_size = MiB, .uapi_version = VASCEND_UAPI_VERSION(2, 3) },
		{ .id = 2, .hbm_size = MiB, .wrong_dev_id = true },
		{ .id = 3, .hbm_size = MiB, .uapi_version = VASCEND_UAPI_VERSION(1, 7) },
	};
	struct halVascendDeviceInfo di;
	char soc[HAL_VASCEND_SOC_NAME_MAX];
	int ver = 0;

	use_fake_card_list(cards, ARRAY_SIZE(cards));
	memset(&di, 0xff, sizeof(di));
	TAP_CHECK(halVascendGetInfo(0, &di) == DRV_ERROR_NONE && di.devId == 0 &&
		  di.hbmSize == 3 * MiB && !strcmp(di.socName, "Ascend-test") &&
		  di.aicoreCount == HAL_FAKE_AICORES && (di.caps & HAL_VASCEND_CAP_DMA_XFER) &&
		  di.pciVendor == 0x19e5,
		  "GET_INFO on a closed device: %s, %llu bytes", di.socName,
		  (unsigned long long)di.hbmSize);
	TAP_CHECK(hal_fake_open_fds() == 0, "its short-lived fd is closed again");
	TAP_CHECK(halVascendGetInfo(0, NULL) == DRV_ERROR_INVALID_VALUE, "NULL info is refused");
	TAP_CHECK(halVascendGetInfo(4, &di) == DRV_ERROR_INVALID_DEVICE, "absent device: %s", hal_msg());

	TAP_CHECK(drvDeviceOpen(NULL, 1) == DRV_ERROR_NOT_SUPPORT &&
		  str_is(hal_msg(), "/dev/davinci1: driver speaks uapi 2.3, this library needs 1.x"),
		  "another uapi major version is refused: %s", hal_msg());
	TAP_CHECK(drvDeviceOpen(NULL, 2) == DRV_ERROR_INNER_ERR &&
		  str_is(hal_msg(), "/dev/davinci2: driver reports device id 3"),
		  "a driver that names the wrong device is refused: %s", hal_msg());
	TAP_CHECK(drvDeviceOpen(NULL, 3) == DRV_ERROR_NONE, "a newer minor version is fine");
	TAP_CHECK(drvDeviceClose(3) == DRV_ERROR_NONE && hal_fake_open_fds() == 0,
		  "and refused opens leaked no fd");

	hal_fake_fail_ioctl(0, VASCEND_IOCTL_GET_INFO, ENOTTY, 1);
	TAP_CHECK(drvDeviceOpen(NULL, 0) == DRV_ERROR_NOT_SUPPORT &&
		  str_is(hal_msg(), "/dev/davinci0: VASCEND_IOCTL_GET_INFO: Inappropriate ioctl for device"),
		  "a node that does not know GET_INFO: %s", hal_msg());

	TAP_CHECK(halGetSocVersion(0, soc, 5) == DRV_ERROR_INVALID_VALUE,
		  "too small a SoC buffer: %s", hal_msg());
	TAP_CHECK(halGetSocVersion(0, soc, sizeof(soc)) == DRV_ERROR_NONE &&
		  !strcmp(soc, "Ascend-test"), "halGetSocVersion: %s", soc);
	TAP_CHECK(halGetAPIVersion(&ver) == DRV_ERROR_NONE && ver == HAL_VASCEND_API_VERSION,
		  "halGetAPIVersion: 0x%x", ver);
}

static void dma(void)
{
	struct hal_fake_card cards[] = {
		{ .id = 0, .hbm_size = MiB },
		{ .id = 1, .hbm_size = MiB, .no_dma_cap = true },
	};
	unsigned char out[4096], in[4096];
	unsigned int calls, i;
	uint8_t *hbm;

	use_fake_card_list(cards, ARRAY_SIZE(cards));
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + 1);
	TAP_CHECK(halVascendDmaXfer(0, out, 0, 16, HAL_VASCEND_DMA_TO_DEVICE) == DRV_ERROR_UNINIT &&
		  str_is(hal_msg(), "/dev/davinci0 is not open (drvDeviceOpen first)"),
		  "DMA needs an open device: %s", hal_msg());
	TAP_CHECK(drvDeviceOpen(NULL, 0) == DRV_ERROR_NONE, "open device 0");

	hbm = hal_fake_hbm(0);
	TAP_CHECK(halVascendDmaXfer(0, out, 0x1000, sizeof(out), HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_NONE && !memcmp(hbm + 0x1000, out, sizeof(out)),
		  "DMA to the device lands in its HBM");
	memset(in, 0, sizeof(in));
	TAP_CHECK(halVascendDmaXfer(0, in, 0x1000, sizeof(in), HAL_VASCEND_DMA_FROM_DEVICE) ==
			  DRV_ERROR_NONE && !memcmp(in, out, sizeof(in)),
		  "and comes back");

	calls = hal_fake_ioctl_calls(0, VASCEND_IOCTL_DMA_XFER);
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, EINTR, 3);
	TAP_CHECK(halVascendDmaXfer(0, out, 0, 8, HAL_VASCEND_DMA_TO_DEVICE) == DRV_ERROR_NONE &&
		  hal_fake_ioctl_calls(0, VASCEND_IOCTL_DMA_XFER) == calls + 4,
		  "an interrupted ioctl is retried until it completes (%u attempts)",
		  hal_fake_ioctl_calls(0, VASCEND_IOCTL_DMA_XFER) - calls);

	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, EIO, 1);
	TAP_CHECK(halVascendDmaXfer(0, out, 0x200, 64, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_IOCRL_FAIL && halVascendLastErrno() == EIO &&
		  str_is(hal_msg(), "/dev/davinci0: VASCEND_IOCTL_DMA_XFER to device, 64 bytes at "
				    "HBM offset 0x200: Input/output error"),
		  "a device DMA error names node, request and errno: %s", hal_msg());
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, ETIMEDOUT, 1);
	TAP_CHECK(halVascendDmaXfer(0, out, 0, 64, HAL_VASCEND_DMA_FROM_DEVICE) ==
			  DRV_ERROR_WAIT_TIMEOUT, "a DMA timeout: %s", hal_msg());

	calls = hal_fake_ioctl_calls(0, 0);
	TAP_CHECK(halVascendDmaXfer(0, out, MiB - 8, 16, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_INVALID_VALUE && str_has(hal_msg(), "goes past the end of HBM"),
		  "past the end of HBM: %s", hal_msg());
	TAP_CHECK(halVascendDmaXfer(0, out, UINT64_MAX, 2, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_INVALID_VALUE, "offsets that wrap around are refused");
	TAP_CHECK(hal_fake_ioctl_calls(0, 0) == calls, "without reaching the driver");
	TAP_CHECK(halVascendDmaXfer(0, NULL, 0, 16, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_INVALID_VALUE, "NULL host memory is refused");
	TAP_CHECK(halVascendDmaXfer(0, out, 0, 0, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_INVALID_VALUE, "0 bytes is refused");
	TAP_CHECK(halVascendDmaXfer(0, out, 0, 1, (halVascendDmaDir)3) == DRV_ERROR_INVALID_VALUE,
		  "an unknown direction is refused");
	TAP_CHECK(drvDeviceClose(0) == DRV_ERROR_NONE, "close device 0");

	TAP_CHECK(drvDeviceOpen(NULL, 1) == DRV_ERROR_NONE, "open a device without DMA");
	TAP_CHECK(halVascendDmaXfer(1, out, 0, 16, HAL_VASCEND_DMA_TO_DEVICE) ==
			  DRV_ERROR_NOT_SUPPORT, "DMA is refused there: %s", hal_msg());
	TAP_CHECK(drvDeviceClose(1) == DRV_ERROR_NONE, "close it");
}

static void *fail_in_thread(void *arg)
{
	(void)arg;
	drvDeviceOpen(NULL, 9);
	return strstr(hal_msg(), "/dev/davinci9") ? (void *)1 : NULL;
}

static void per_thread_errors(void)
{
	pthread_t t;
	void *ok = NULL;

	FAKE_CARDS(MiB, 0);
	drvDeviceOpen(NULL, 7);
	pthread_create(&t, NULL, fail_in_thread, NULL);
	pthread_join(t, &ok);
	TAP_CHECK(ok, "another thread sees its own failure");
	TAP_CHECK(str_is(hal_msg(), "/dev/davinci7: No such file or directory"),
		  "and this thread still sees its own: %s", hal_msg());
}

static void real_backend(void)
{
	uint32_t n = HAL_VASCEND_MAX_DEVICES + 1;

	TAP_CHECK(hal_os_set(&hal_os_linux) == 0, "switch to the real backend");
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_NONE && n <= HAL_VASCEND_MAX_DEVICES,
		  "it lists /dev (%u davinci nodes here)", n);
	TAP_CHECK(drvDeviceOpen(NULL, 63) != DRV_ERROR_NONE &&
		  str_has(hal_msg(), "/dev/davinci63"),
		  "a node that is not there is reported by path: %s", hal_msg());
}

int main(void)
{
	enumeration();
	open_close();
	info();
	dma();
	per_thread_errors();
	real_backend();
	return tap_done();
}
