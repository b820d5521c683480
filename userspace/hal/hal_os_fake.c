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
#include <unistd.h>

#include "vascend_davinci.h"
#include "vascend_hdc.h"
#include "vascend_manager.h"
#include "vascend_svm.h"

#include "ascend_hal.h"
#include "hal_fake_internal.h"
#include "hal_os.h"

#define FAKE_DEFAULT_HBM_MB	64
#define FAKE_FW_VERSION		(1u << 16)	/* 1.0.0, VASCEND_FW_VERSION() encoding */
#define FAKE_PCI_VENDOR		0x19e5
#define FAKE_PCI_DEVICE		0xd5a0
#define FAKE_MAX_OPS		1024

/* Recursive: a launch hook runs with it held and calls hal_fake_dev_ptr. */
pthread_mutex_t fake_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
pthread_cond_t fake_cond = PTHREAD_COND_INITIALIZER;
struct fake_card fake_cards[HAL_VASCEND_MAX_DEVICES];
struct fake_fd fake_fds[FAKE_MAX_FDS];

static bool configured;
static unsigned int open_fds;
static int scan_err;
static unsigned int scan_fail_times;
static struct vascend_op_entry default_ops[] = { { 1, 1, "TestVectorAdd" } };
static struct vascend_op_entry *op_table = default_ops;
static unsigned int op_count = 1;

#define cards fake_cards
#define fds fake_fds

static void drop_cards_locked(void)
{
	uint32_t i;

	fake_mem_drop_all();
	fake_n_regs = 0;
	for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++) {
		free(cards[i].hbm);
		free(cards[i].blocks);
	}
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
		if (list[i].id >= HAL_VASCEND_MAX_DEVICES || !list[i].hbm_size ||
		    list[i].hbm_size > HAL_FAKE_HBM_MAX)
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
		c->blocks = calloc(FAKE_MAX_BLOCKS, sizeof(*c->blocks));
		if (!c->hbm || !c->blocks) {
			free(c->blocks);
			c->blocks = NULL;
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
		if (*end || !hbm_mb || hbm_mb > (HAL_FAKE_HBM_MAX >> 20))
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

void hal_fake_fail_task(uint32_t id, uint8_t type, uint32_t status, uint64_t result,
			unsigned int times)
{
	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES) {
		cards[id].fail_task_type = type;
		cards[id].fail_task_status = status;
		cards[id].fail_task_result = result;
		cards[id].fail_task_times = times;
	}
	pthread_mutex_unlock(&fake_lock);
}

int hal_fake_set_op_table(const struct vascend_op_entry *entries, unsigned int n)
{
	struct vascend_op_entry *t = NULL;

	if (n > FAKE_MAX_OPS || (n && !entries))
		return -EINVAL;
	if (n) {
		t = malloc(n * sizeof(*t));
		if (!t)
			return -ENOMEM;
		memcpy(t, entries, n * sizeof(*t));
	}
	pthread_mutex_lock(&fake_lock);
	if (op_table != default_ops)
		free(op_table);
	op_table = t;
	op_count = n;
	pthread_mutex_unlock(&fake_lock);
	return 0;
}

static void count_call(struct fake_card *c, unsigned long req)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_CALLS; i++) {
		if (c->calls[i].req == req || !c->calls[i].req) {
			c->calls[i].req = req;
			c->calls[i].n++;
			return;
		}
	}
}

unsigned int hal_fake_ioctl_calls(uint32_t id, unsigned long req)
{
	unsigned int n = 0, i;

	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES)
		for (i = 0; i < FAKE_MAX_CALLS; i++)
			if (!req || cards[id].calls[i].req == req)
				n += cards[id].calls[i].n;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

unsigned int hal_fake_streams(uint32_t id)
{
	unsigned int n = 0;

	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES)
		n = fake_card_streams(id);
	pthread_mutex_unlock(&fake_lock);
	return n;
}

unsigned long hal_fake_tasks_run(uint32_t id, uint8_t type)
{
	unsigned long n = 0;
	unsigned int i;

	pthread_mutex_lock(&fake_lock);
	if (id < HAL_VASCEND_MAX_DEVICES)
		for (i = 0; i < FAKE_TASK_TYPES; i++)
			if (type == 0xff || type == i)
				n += cards[id].tasks_run[i];
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

/* A free fd slot for @node of @card, or -EMFILE. */
static int new_fd_locked(enum fake_node node, uint32_t card)
{
	unsigned int slot;

	for (slot = 0; slot < FAKE_MAX_FDS && fds[slot].used; slot++)
		;
	if (slot == FAKE_MAX_FDS)
		return -EMFILE;
	memset(&fds[slot], 0, sizeof(fds[slot]));
	fds[slot].used = true;
	fds[slot].node = node;
	fds[slot].card = card;
	open_fds++;
	return FAKE_FD_BASE + (int)slot;
}

static int fake_open(const char *path)
{
	struct fake_card *c;
	unsigned int id;
	int consumed = 0, ret;

	pthread_mutex_lock(&fake_lock);
	ret = ensure_configured_locked();
	if (ret)
		goto out;
	if (!strcmp(path, "/dev/" VASCEND_SVM_DEV_NAME)) {
		ret = new_fd_locked(NODE_SVM, 0);
		goto out;
	}
	if (!strcmp(path, "/dev/" VASCEND_MANAGER_DEV_NAME)) {
		ret = new_fd_locked(NODE_MGR, 0);
		goto out;
	}
	if (!strcmp(path, "/dev/" VASCEND_HDC_DEV_NAME)) {
		ret = new_fd_locked(NODE_HDC, 0);
		goto out;
	}
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
	ret = new_fd_locked(NODE_DAVINCI, id);
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

static void hdc_drop_locked(struct fake_fd *f)
{
	unsigned int i;

	for (i = 0; i < f->n_msgs; i++)
		free(f->msgs[i].data);
	f->n_msgs = 0;
}

static int fake_close(int fd)
{
	int slot, ret = 0;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	if (slot < 0) {
		ret = -EBADF;
	} else {
		fake_streams_free(&fds[slot]);
		hdc_drop_locked(&fds[slot]);
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
	info->caps = (c->cfg.no_dma_cap ? 0 : VASCEND_CAP_DMA_XFER) | VASCEND_CAP_HDC |
		     (c->cfg.no_streams ? 0 : VASCEND_CAP_STREAMS | VASCEND_CAP_SVM |
					      VASCEND_CAP_OP_TABLE);
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

static int fake_op_table(const struct fake_card *c, struct vascend_op_table *t)
{
	unsigned int n;

	if (c->cfg.no_streams)
		return -ENOTTY;
	if (t->pad || t->reserved[0] || t->reserved[1] || (t->count && !t->entries))
		return -EINVAL;
	n = t->count < op_count ? t->count : op_count;
	if (n)
		memcpy((void *)(uintptr_t)t->entries, op_table, n * sizeof(*op_table));
	t->count = op_count;
	return 0;
}

static int fake_davinci_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct fake_card *c = &cards[f->card];

	switch (req) {
	case VASCEND_IOCTL_GET_INFO:
		return fake_get_info(c, arg);
	case VASCEND_IOCTL_DMA_XFER:
		return fake_dma(c, arg);
	case VASCEND_IOCTL_GET_OP_TABLE:
		return fake_op_table(c, arg);
	default:
		if (c->cfg.no_streams)
			return -ENOTTY;
		return fake_stream_ioctl(f, req, arg);
	}
}

static bool card_ok(uint32_t id)
{
	return id < HAL_VASCEND_MAX_DEVICES && cards[id].present;
}

static int fake_mgr_ioctl(unsigned long req, void *arg)
{
	struct vascend_mgr_cards *mc = arg;
	struct vascend_mgr_health *h = arg;
	struct vascend_mgr_telemetry *t = arg;
	struct vascend_mgr_procs *p = arg;
	struct vascend_mgr_reset *r = arg;
	struct vascend_mgr_proc_entry *e;
	uint32_t i, dev;

	switch (req) {
	case VASCEND_IOCTL_MGR_CARDS:
		memset(mc, 0, sizeof(*mc));
		for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++)
			if (cards[i].present)
				mc->ids[mc->count++] = i;
		return 0;
	case VASCEND_IOCTL_MGR_HEALTH:
		if (h->reserved[0] || h->reserved[1])
			return -EINVAL;
		dev = h->dev_id;
		if (!card_ok(dev))
			return -ENODEV;
		memset(h, 0, sizeof(*h));
		h->dev_id = dev;
		h->state = VASCEND_CARD_OK;
		h->reset_count = cards[dev].reset_count;
		return 0;
	case VASCEND_IOCTL_MGR_TELEMETRY:
		if (t->pad || t->reserved[0] || t->reserved[1])
			return -EINVAL;
		dev = t->dev_id;
		if (!card_ok(dev))
			return -ENODEV;
		memset(t, 0, sizeof(*t));
		t->dev_id = dev;
		t->temperature_mc = 40000;	/* made up, as the device's model does */
		t->power_mw = 15000;
		t->aicore_count = HAL_FAKE_AICORES;
		t->hbm_total = cards[dev].cfg.hbm_size;
		t->hbm_used = fake_card_hbm_used(dev);
		for (i = 0; i < FAKE_TASK_TYPES; i++)
			t->tasks_completed += cards[dev].tasks_run[i];
		return 0;
	case VASCEND_IOCTL_MGR_PROCS:
		if (p->reserved[0] || p->reserved[1])
			return -EINVAL;
		if (!card_ok(p->dev_id))
			return -ENODEV;
		dev = p->dev_id;
		/* this process, when it holds anything on the card */
		if (!fake_card_streams(dev) && !fake_card_hbm_used(dev) && !fake_card_pinned(dev)) {
			p->count = 0;
			return 0;
		}
		if (p->count) {
			if (!p->entries)
				return -EFAULT;
			e = (void *)(uintptr_t)p->entries;
			e->pid = getpid();
			e->streams = fake_card_streams(dev);
			e->hbm_bytes = fake_card_hbm_used(dev);
			e->pinned_bytes = fake_card_pinned(dev);
		}
		p->count = 1;
		return 0;
	case VASCEND_IOCTL_MGR_RESET:
		if (r->flags || r->reserved[0] || r->reserved[1])
			return -EINVAL;
		if (!card_ok(r->dev_id))
			return -ENODEV;
		fake_streams_abort_card(r->dev_id);
		cards[r->dev_id].reset_count++;
		return 0;
	default:
		return -ENOTTY;
	}
}

static int fake_hdc_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct vascend_hdc_connect *c = arg;
	struct vascend_hdc_timeout *t = arg;
	struct vascend_hdc_session_status *st = arg;

	switch (req) {
	case VASCEND_IOCTL_HDC_CONNECT:
		if (c->flags || c->reserved[0] || c->reserved[1])
			return -EINVAL;
		if (!card_ok(c->dev_id))
			return -ENODEV;
		if (f->hdc_state != VASCEND_HDC_STATE_IDLE)
			return -EISCONN;
		if (c->service != HAL_VASCEND_HDC_ECHO)
			return -ECONNREFUSED;	/* the fake card offers echo only */
		f->card = c->dev_id;
		f->hdc_state = VASCEND_HDC_STATE_OPEN;
		return 0;
	case VASCEND_IOCTL_HDC_SET_TIMEOUT:
		return t->reserved[0] || t->reserved[1] ? -EINVAL : 0;
	case VASCEND_IOCTL_HDC_STATUS:
		memset(st, 0, sizeof(*st));
		st->state = f->hdc_state;
		st->queued = f->n_msgs;
		st->next_len = f->n_msgs ? f->msgs[0].len : 0;
		st->credits = f->hdc_state == VASCEND_HDC_STATE_OPEN ? FAKE_HDC_QUEUE - f->n_msgs : 0;
		return 0;
	default:
		return -ENOTTY;
	}
}

/* The card an ioctl is about, for failure injection and counting; -1 none. */
static int req_card(const struct fake_fd *f, unsigned long req, const void *arg)
{
	switch (f->node) {
	case NODE_DAVINCI:
		return (int)f->card;
	case NODE_SVM:
		/* every SVM struct starts with dev_id */
		return (int)*(const uint32_t *)arg;
	case NODE_MGR:
		return req == VASCEND_IOCTL_MGR_CARDS ? -1 : (int)*(const uint32_t *)arg;
	default:
		return req == VASCEND_IOCTL_HDC_CONNECT ? (int)*(const uint32_t *)arg : -1;
	}
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct fake_card *c = NULL;
	struct fake_fd *f;
	int slot, ret, card;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	if (slot < 0) {
		ret = -EBADF;
		goto out;
	}
	f = &fds[slot];
	if (!arg) {
		ret = -EFAULT;
		goto out;
	}
	card = req_card(f, req, arg);
	if (card >= 0 && card < HAL_VASCEND_MAX_DEVICES && cards[card].present)
		c = &cards[card];
	if (c) {
		count_call(c, req);
		if (c->fail_times && (!c->fail_req || c->fail_req == req)) {
			c->fail_times--;
			ret = -c->fail_err;
			goto out;
		}
	}
	switch (f->node) {
	case NODE_DAVINCI:
		ret = fake_davinci_ioctl(f, req, arg);
		break;
	case NODE_SVM:
		ret = fake_svm_ioctl(req, arg);
		break;
	case NODE_MGR:
		ret = fake_mgr_ioctl(req, arg);
		break;
	default:
		ret = fake_hdc_ioctl(f, req, arg);
		break;
	}
out:
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int fake_mmap(int fd, uint64_t len, void **addr)
{
	int slot, ret;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	if (slot < 0)
		ret = -EBADF;
	else if (fds[slot].node != NODE_SVM)
		ret = -ENODEV;
	else
		ret = fake_svm_mmap(len, addr);
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static int fake_munmap(void *addr, uint64_t len)
{
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = fake_svm_munmap(addr, len);
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

/* HDC echo: a message written comes back to be read. */
static long fake_write(int fd, const void *buf, size_t len)
{
	struct fake_fd *f;
	long ret;
	int slot;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	f = slot < 0 ? NULL : &fds[slot];
	if (!f || f->node != NODE_HDC)
		ret = -EBADF;
	else if (f->hdc_state != VASCEND_HDC_STATE_OPEN)
		ret = f->hdc_state == VASCEND_HDC_STATE_IDLE ? -ENOTCONN : -EPIPE;
	else if (!len)
		ret = -EINVAL;
	else if (len > (16u << 20))
		ret = -EMSGSIZE;
	else if (f->n_msgs == FAKE_HDC_QUEUE)
		ret = -EAGAIN;
	else if (!(f->msgs[f->n_msgs].data = malloc(len)))
		ret = -ENOMEM;
	else {
		memcpy(f->msgs[f->n_msgs].data, buf, len);
		f->msgs[f->n_msgs].len = (uint32_t)len;
		f->n_msgs++;
		ret = (long)len;
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

static long fake_read(int fd, void *buf, size_t len)
{
	struct fake_fd *f;
	long ret;
	int slot;

	pthread_mutex_lock(&fake_lock);
	slot = slot_of_locked(fd);
	f = slot < 0 ? NULL : &fds[slot];
	if (!f || f->node != NODE_HDC)
		ret = -EBADF;
	else if (f->hdc_state == VASCEND_HDC_STATE_IDLE)
		ret = -ENOTCONN;
	else if (!f->n_msgs)
		ret = -EAGAIN;	/* the real one would wait: nothing else can arrive here */
	else if (len < f->msgs[0].len)
		ret = -EMSGSIZE;
	else {
		ret = f->msgs[0].len;
		memcpy(buf, f->msgs[0].data, f->msgs[0].len);
		free(f->msgs[0].data);
		memmove(&f->msgs[0], &f->msgs[1], (f->n_msgs - 1) * sizeof(f->msgs[0]));
		f->n_msgs--;
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

const struct hal_os_ops hal_os_fake = {
	.name = "fake",
	.scan = fake_scan,
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.mmap = fake_mmap,
	.munmap = fake_munmap,
	.read = fake_read,
	.write = fake_write,
};
