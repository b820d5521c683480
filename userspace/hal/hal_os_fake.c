// SPDX-License-Identifier: MIT
/*
 * The fake OS backend: cards in memory, driven through the same ioctls the
 * kernel driver implements. See hal_fake.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_davinci.h"

#include "ascend_hal.h"
#include "hal_fake.h"
#include "hal_os.h"

#define FAKE_MAX_FDS		256
/* Fake fds are far above what a test process opens, so they stand out. */
#define FAKE_FD_BASE		0x40000
#define FAKE_DEFAULT_HBM_MB	64
#define FAKE_FW_VERSION		(1u << 16)	/* 1.0.0, VASCEND_FW_VERSION() encoding */
#define FAKE_PCI_VENDOR		0x19e5
#define FAKE_PCI_DEVICE		0xd5a0

enum fake_req { REQ_GET_INFO, REQ_DMA_XFER, REQ_OTHER, REQ_COUNT };

struct fake_card {
	bool present;
	struct hal_fake_card cfg;
	char soc_name[VASCEND_SOC_NAME_MAX];
	uint8_t *hbm;
	unsigned int calls[REQ_COUNT];
	unsigned long fail_req;		/* 0: any */
	int fail_err;
	unsigned int fail_times;
	int open_err;
	unsigned int open_fail_times;
};

struct fake_fd {
	bool used;
	uint32_t card;
};

static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;	/* protects all below */
static bool configured;
static struct fake_card cards[HAL_VASCEND_MAX_DEVICES];
static struct fake_fd fds[FAKE_MAX_FDS];
static unsigned int open_fds;
static int scan_err;
static unsigned int scan_fail_times;

static enum fake_req req_index(unsigned long req)
{
	if (req == VASCEND_IOCTL_GET_INFO)
		return REQ_GET_INFO;
	if (req == VASCEND_IOCTL_DMA_XFER)
		return REQ_DMA_XFER;
	return REQ_OTHER;
}

static void drop_cards_locked(void)
{
	uint32_t i;

	for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++)
		free(cards[i].hbm);
	memset(cards, 0, sizeof(cards));
	scan_err = 0;
	scan_fail_times = 0;
}

static int configure_locked(const struct hal_fake_card *list, unsigned int n)
{
	unsigned int i;

	if (open_fds)
		return -EBUSY;
	for (i = 0; i < n; i++)
		if (list[i].id >= HAL_VASCEND_MAX_DEVICES || !list[i].hbm_size)
			return -EINVAL;
	drop_cards_locked();
	configured = true;
	for (i = 0; i < n; i++) {
		struct fake_card *c = &cards[list[i].id];

		if (c->present) {
			drop_cards_locked();
			return -EINVAL;
		}
		/* calloc leaves untouched pages unbacked: big fake HBM is cheap */
		c->hbm = calloc(1, list[i].hbm_size);
		if (!c->hbm) {
			drop_cards_locked();
			return -ENOMEM;
		}
		c->present = true;
		c->cfg = list[i];
		snprintf(c->soc_name, sizeof(c->soc_name), "%s",
			 list[i].soc_name ? list[i].soc_name : HAL_FAKE_SOC_NAME);
		c->cfg.soc_name = NULL;	/* the caller's string need not outlive this call */
	}
	return 0;
}

int hal_fake_configure(const struct hal_fake_card *list, unsigned int n)
{
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = configure_locked(list, n);
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int configure_from_env_locked(void)
{
	struct hal_fake_card list[HAL_VASCEND_MAX_DEVICES];
	const char *ids = getenv(HAL_FAKE_DEVICES_ENV);
	const char *mb = getenv(HAL_FAKE_HBM_MB_ENV);
	unsigned long hbm_mb = FAKE_DEFAULT_HBM_MB;
	unsigned int n = 0;
	char *end;

	if (mb && *mb) {
		hbm_mb = strtoul(mb, &end, 10);
		if (*end || !hbm_mb || hbm_mb > (1ul << 20))
			return -EINVAL;
	}
	if (!ids || !*ids)
		ids = "0";
	for (;;) {
		unsigned long id = strtoul(ids, &end, 10);

		if (end == ids || id >= HAL_VASCEND_MAX_DEVICES || n == HAL_VASCEND_MAX_DEVICES)
			return -EINVAL;
		memset(&list[n], 0, sizeof(list[n]));
		list[n].id = (uint32_t)id;
		list[n].hbm_size = (uint64_t)hbm_mb << 20;
		n++;
		if (!*end)
			break;
		if (*end != ',')
			return -EINVAL;
		ids = end + 1;
	}
	return configure_locked(list, n);
}

int hal_fake_configure_from_env(void)
{
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = configure_from_env_locked();
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int ensure_configured_locked(void)
{
	return configured ? 0 : configure_from_env_locked();
}

uint8_t *hal_fake_hbm(uint32_t id)
{
	uint8_t *hbm = NULL;

	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES && cards[id].present)
		hbm = cards[id].hbm;
	pthread_mutex_unlock(&fake_lock);
	return hbm;
}

void hal_fake_fail_ioctl(uint32_t id, unsigned long req, int err, unsigned int times)
{
	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES) {
		cards[id].fail_req = req;
		cards[id].fail_err = err;
		cards[id].fail_times = times;
	}
	pthread_mutex_unlock(&fake_lock);
}

void hal_fake_fail_open(uint32_t id, int err, unsigned int times)
{
	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES) {
		cards[id].open_err = err;
		cards[id].open_fail_times = times;
	}
	pthread_mutex_unlock(&fake_lock);
}

void hal_fake_fail_scan(int err, unsigned int times)
{
	pthread_mutex_lock(&fake_lock);
	scan_err = err;
	scan_fail_times = times;
	pthread_mutex_unlock(&fake_lock);
}

unsigned int hal_fake_ioctl_calls(uint32_t id, unsigned long req)
{
	unsigned int n = 0, i;

	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES) {
		if (req)
			n = cards[id].calls[req_index(req)];
		else
			for (i = 0; i < REQ_COUNT; i++)
				n += cards[id].calls[i];
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}

unsigned int hal_fake_open_fds(void)
{
	unsigned int n;

	pthread_mutex_lock(&fake_lock);
	n = open_fds;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

static int fake_scan(uint32_t *ids, uint32_t max)
{
	uint32_t i;
	int n = 0, ret;

	pthread_mutex_lock(&fake_lock);
	ret = ensure_configured_locked();
	if (ret)
		goto out;
	if (scan_fail_times) {
		scan_fail_times--;
		ret = -scan_err;
		goto out;
	}
	for (i = 0; i < HAL_VASCEND_MAX_DEVICES && i < max; i++)
		if (cards[i].present)
			ids[n++] = i;
	ret = n;
out:
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int fake_open(const char *path)
{
	struct fake_card *c;
	unsigned int id, slot;
	int consumed = 0, ret;

	pthread_mutex_lock(&fake_lock);
	ret = ensure_configured_locked();
	if (ret)
		goto out;
	if (sscanf(path, "/dev/" VASCEND_DAVINCI_DEV_FMT "%n", &id, &consumed) != 1 ||
	    path[consumed] != '\0' || id >= HAL_VASCEND_MAX_DEVICES || !cards[id].present) {
		ret = -ENOENT;
		goto out;
	}
	c = &cards[id];
	if (c->open_fail_times) {
		c->open_fail_times--;
		ret = -c->open_err;
		goto out;
	}
	for (slot = 0; slot < FAKE_MAX_FDS && fds[slot].used; slot++)
		;
	if (slot == FAKE_MAX_FDS) {
		ret = -EMFILE;
		goto out;
	}
	fds[slot].used = true;
	fds[slot].card = id;
	open_fds++;
	ret = FAKE_FD_BASE + (int)slot;
out:
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

/* The fd's slot, or -1 when @fd is not an open fake fd. */
static int slot_of_locked(int fd)
{
	int slot = fd - FAKE_FD_BASE;

	if (slot < 0 || slot >= FAKE_MAX_FDS || !fds[slot].used)
		return -1;
	return slot;
}

static int fake_close(int fd)
{
	int slot, ret = 0;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	if (slot < 0) {
		ret = -EBADF;
	} else {
		fds[slot].used = false;
		open_fds--;
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int fake_get_info(const struct fake_card *c, struct vascend_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->uapi_version = c->cfg.uapi_version ? c->cfg.uapi_version :
			     VASCEND_UAPI_VERSION(VASCEND_UAPI_VERSION_MAJOR,
						  VASCEND_UAPI_VERSION_MINOR);
	info->dev_id = c->cfg.id + (c->cfg.wrong_dev_id ? 1 : 0);
	info->aicore_count = HAL_FAKE_AICORES;
	info->fw_version = FAKE_FW_VERSION;
	info->hbm_size = c->cfg.hbm_size;
	info->caps = c->cfg.no_dma_cap ? 0 : VASCEND_CAP_DMA_XFER;
	info->pci_bus = (__u8)(1 + c->cfg.id);
	info->pci_vendor = FAKE_PCI_VENDOR;
	info->pci_device = FAKE_PCI_DEVICE;
	memcpy(info->soc_name, c->soc_name, sizeof(info->soc_name));
	return 0;
}

/* What the driver checks before it starts a DMA, in the same order. */
static int fake_dma(struct fake_card *c, const struct vascend_dma_xfer *x)
{
	void *user = (void *)(uintptr_t)x->user_addr;

	if (c->cfg.no_dma_cap)
		return -ENOTTY;
	if (x->flags || x->reserved[0] || x->reserved[1])
		return -EINVAL;
	if (x->direction != VASCEND_DMA_TO_DEVICE && x->direction != VASCEND_DMA_FROM_DEVICE)
		return -EINVAL;
	if (!x->size || x->dev_addr > c->cfg.hbm_size || x->size > c->cfg.hbm_size - x->dev_addr)
		return -EINVAL;
	if (!user)
		return -EFAULT;
	if (x->direction == VASCEND_DMA_TO_DEVICE)
		memcpy(c->hbm + x->dev_addr, user, x->size);
	else
		memcpy(user, c->hbm + x->dev_addr, x->size);
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct fake_card *c;
	int slot, ret;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	if (slot < 0) {
		ret = -EBADF;
		goto out;
	}
	c = &cards[fds[slot].card];
	c->calls[req_index(req)]++;
	if (c->fail_times && (!c->fail_req || c->fail_req == req)) {
		c->fail_times--;
		ret = -c->fail_err;
		goto out;
	}
	switch (req) {
	case VASCEND_IOCTL_GET_INFO:
		ret = fake_get_info(c, arg);
		break;
	case VASCEND_IOCTL_DMA_XFER:
		ret = fake_dma(c, arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
out:
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

const struct hal_os_ops hal_os_fake = {
	.name = "fake",
	.scan = fake_scan,
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
};
