// SPDX-License-Identifier: MIT
/*
 * The fake /dev/devmm_svm: one SVM window per process (a real PROT_NONE
 * reservation), cut into one slice per card id; device memory of card c at
 * HBM offset o lives at window + c * slice + o. Registered host memory is
 * just recorded: the fake card reads and writes it in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vascend_mmu_hw.h"
#include "vascend_svm.h"

#include "hal_fake_internal.h"

#define PAGE_4K		4096ULL
#define PAGE_2M		(2ULL << 20)
#define HUGE_FIRST_MIN	(1ULL << 20)	/* HUGE_FIRST uses 4 KiB pages up to 1 MiB */

uint64_t fake_win_base, fake_win_size;
struct fake_reg fake_regs[FAKE_MAX_REGS];
unsigned int fake_n_regs;

static uint64_t slice_size(void)
{
	return fake_win_size / HAL_VASCEND_MAX_DEVICES;
}

int fake_svm_mmap(uint64_t len, void **addr)
{
	void *p;

	if (len < VASCEND_SVM_WINDOW_MIN || len > VASCEND_SVM_WINDOW_MAX || len % PAGE_2M)
		return -EINVAL;
	if (fake_win_size)
		return -EBUSY;
	if (len / HAL_VASCEND_MAX_DEVICES < HAL_FAKE_HBM_MAX)
		return -EINVAL;	/* a fake limit: every card's HBM must fit its slice */
	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	fake_win_base = (uint64_t)(uintptr_t)p;
	fake_win_size = len;
	*addr = p;
	return 0;
}

void fake_mem_drop_all(void)
{
	unsigned int i;

	for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++)
		fake_cards[i].n_blocks = 0;
}

int fake_svm_munmap(void *addr, uint64_t len)
{
	if ((uint64_t)(uintptr_t)addr != fake_win_base || len != fake_win_size)
		return -EINVAL;
	munmap(addr, len);
	fake_win_base = 0;
	fake_win_size = 0;
	fake_mem_drop_all();
	return 0;
}

uint64_t fake_card_hbm_used(uint32_t card)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < fake_cards[card].n_blocks; i++)
		sum += fake_cards[card].blocks[i].size;
	return sum;
}

uint64_t fake_card_pinned(uint32_t card)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < fake_n_regs; i++)
		if (fake_regs[i].card == card)
			sum += fake_regs[i].size;
	return sum;
}

/*
 * First fit: the lowest offset aligned to @align with @size bytes free.
 * Whether one was found; *@free_total and *@largest: the card's free HBM
 * and its largest gap.
 */
static bool find_gap(const struct fake_card *c, uint64_t size, uint64_t align, uint64_t *off,
		     uint64_t *free_total, uint64_t *largest)
{
	uint64_t prev = 0, start;
	bool found = false;
	unsigned int i;

	*free_total = 0;
	*largest = 0;
	for (i = 0; i <= c->n_blocks; i++) {
		uint64_t end = i < c->n_blocks ? c->blocks[i].off : c->cfg.hbm_size;

		*free_total += end - prev;
		if (end - prev > *largest)
			*largest = end - prev;
		start = (prev + align - 1) & ~(align - 1);
		if (!found && start < end && end - start >= size) {
			*off = start;
			found = true;
		}
		if (i < c->n_blocks)
			prev = c->blocks[i].off + c->blocks[i].size;
	}
	return found;
}

static int svm_alloc(struct vascend_svm_alloc *a)
{
	uint64_t page, size, off = 0, free_total, largest;
	struct fake_card *c;
	unsigned int i;
	bool found;

	if (a->reserved[0] || a->reserved[1] || (a->flags & ~VASCEND_SVM_POLICY_MASK) ||
	    a->flags == 3 || !a->size || a->size > VASCEND_SVM_WINDOW_MAX)
		return -EINVAL;
	if (a->dev_id >= HAL_VASCEND_MAX_DEVICES || !fake_cards[a->dev_id].present)
		return -ENODEV;
	if (!fake_win_size)
		return -ENXIO;
	c = &fake_cards[a->dev_id];
	page = a->flags == VASCEND_SVM_NORMAL_ONLY ? PAGE_4K : PAGE_2M;
	if (a->flags == VASCEND_SVM_HUGE_FIRST && a->size <= HUGE_FIRST_MIN)
		page = PAGE_4K;
	size = (a->size + page - 1) & ~(page - 1);
	found = find_gap(c, size, page, &off, &free_total, &largest);
	if (!found && a->flags == VASCEND_SVM_HUGE_FIRST && page == PAGE_2M) {
		page = PAGE_4K;
		size = (a->size + page - 1) & ~(page - 1);
		found = find_gap(c, size, page, &off, &free_total, &largest);
	}
	if (!found || c->n_blocks == FAKE_MAX_BLOCKS) {
		a->free = free_total;
		a->largest = largest;
		return -ENOMEM;
	}
	for (i = c->n_blocks; i > 0 && c->blocks[i - 1].off > off; i--)
		c->blocks[i] = c->blocks[i - 1];
	c->blocks[i].off = off;
	c->blocks[i].size = size;
	c->n_blocks++;
	memset(c->hbm + off, 0, size);
	a->va = fake_win_base + a->dev_id * slice_size() + off;
	find_gap(c, 1, PAGE_4K, &off, &free_total, &largest);
	a->free = free_total;
	a->largest = largest;
	return 0;
}

static int svm_free(const struct vascend_svm_range *r)
{
	struct fake_card *c;
	uint64_t off;
	unsigned int i;

	if (r->reserved[0] || r->reserved[1] || r->flags || r->size || r->addr % PAGE_4K)
		return -EINVAL;
	if (r->dev_id >= HAL_VASCEND_MAX_DEVICES || !fake_cards[r->dev_id].present ||
	    !fake_win_size)
		return -EINVAL;
	c = &fake_cards[r->dev_id];
	off = r->addr - fake_win_base - r->dev_id * slice_size();
	for (i = 0; i < c->n_blocks; i++)
		if (c->blocks[i].off == off && r->addr >= fake_win_base)
			break;
	if (i == c->n_blocks)
		return -EINVAL;
	memmove(&c->blocks[i], &c->blocks[i + 1], (c->n_blocks - i - 1) * sizeof(c->blocks[0]));
	c->n_blocks--;
	return 0;
}

static int svm_register(const struct vascend_svm_range *r)
{
	unsigned int i;

	if (r->reserved[0] || r->reserved[1] || (r->flags & ~VASCEND_SVM_REG_READONLY) ||
	    !r->size || (r->addr | r->size) % PAGE_4K || r->addr + r->size < r->addr ||
	    r->addr + r->size > (1ULL << 48))
		return -EINVAL;
	if (fake_win_size && r->addr < fake_win_base + fake_win_size &&
	    fake_win_base < r->addr + r->size)
		return -EINVAL;
	if (r->dev_id >= HAL_VASCEND_MAX_DEVICES || !fake_cards[r->dev_id].present)
		return -ENODEV;
	for (i = 0; i < fake_n_regs; i++)
		if (fake_regs[i].card == r->dev_id && r->addr < fake_regs[i].addr + fake_regs[i].size &&
		    fake_regs[i].addr < r->addr + r->size)
			return -EEXIST;
	if (fake_n_regs == FAKE_MAX_REGS)
		return -ENOMEM;
	fake_regs[fake_n_regs].addr = r->addr;
	fake_regs[fake_n_regs].size = r->size;
	fake_regs[fake_n_regs].card = r->dev_id;
	fake_regs[fake_n_regs].readonly = r->flags & VASCEND_SVM_REG_READONLY;
	fake_n_regs++;
	return 0;
}

static int svm_unregister(const struct vascend_svm_range *r)
{
	unsigned int i;

	if (r->reserved[0] || r->reserved[1] || r->flags || r->size || r->addr % PAGE_4K)
		return -EINVAL;
	for (i = 0; i < fake_n_regs; i++)
		if (fake_regs[i].card == r->dev_id && fake_regs[i].addr == r->addr)
			break;
	if (i == fake_n_regs)
		return -EINVAL;
	fake_regs[i] = fake_regs[--fake_n_regs];
	return 0;
}

static int svm_query(struct vascend_svm_query *q)
{
	uint64_t off, free_total, largest;
	struct fake_card *c;
	uint32_t dev = q->dev_id;

	if (q->pad || q->reserved[0] || q->reserved[1])
		return -EINVAL;
	if (dev >= HAL_VASCEND_MAX_DEVICES || !fake_cards[dev].present)
		return -ENODEV;
	c = &fake_cards[dev];
	find_gap(c, 1, PAGE_4K, &off, &free_total, &largest);
	memset(q, 0, sizeof(*q));
	q->dev_id = dev;
	q->total = c->cfg.hbm_size;
	q->free = free_total;
	q->largest = largest;
	q->proc_hbm = fake_card_hbm_used(dev);
	q->proc_pinned = fake_card_pinned(dev);
	q->window_base = fake_win_base;
	q->window_size = fake_win_size;
	return 0;
}

int fake_svm_ioctl(unsigned long req, void *arg)
{
	switch (req) {
	case VASCEND_IOCTL_SVM_ALLOC:
		return svm_alloc(arg);
	case VASCEND_IOCTL_SVM_FREE:
		return svm_free(arg);
	case VASCEND_IOCTL_SVM_REGISTER:
		return svm_register(arg);
	case VASCEND_IOCTL_SVM_UNREGISTER:
		return svm_unregister(arg);
	case VASCEND_IOCTL_SVM_QUERY:
		return svm_query(arg);
	default:
		return -ENOTTY;
	}
}

void *fake_xlate(uint32_t card, uint64_t va, uint64_t len, bool write, uint32_t *reason)
{
	struct fake_card *c = &fake_cards[card];
	uint64_t slice = slice_size(), off;
	unsigned int i;

	*reason = VASCEND_MMU_FAULT_ADDR_RANGE;
	if (!len || va + len < va || va + len > (1ULL << 48))
		return NULL;
	*reason = VASCEND_MMU_FAULT_NOT_PRESENT;
	if (fake_win_size && va >= fake_win_base && va - fake_win_base < fake_win_size) {
		if ((va - fake_win_base) / slice != card)
			return NULL;
		off = va - fake_win_base - card * slice;
		for (i = 0; i < c->n_blocks; i++)
			if (off >= c->blocks[i].off && off - c->blocks[i].off < c->blocks[i].size)
				break;
		if (i == c->n_blocks || len > c->blocks[i].size - (off - c->blocks[i].off))
			return NULL;
		return c->hbm + off;
	}
	for (i = 0; i < fake_n_regs; i++) {
		struct fake_reg *r = &fake_regs[i];

		if (r->card != card || va < r->addr || va - r->addr >= r->size)
			continue;
		if (len > r->size - (va - r->addr))
			return NULL;
		if (write && r->readonly) {
			*reason = VASCEND_MMU_FAULT_READ_ONLY;
			return NULL;
		}
		return (void *)(uintptr_t)va;
	}
	return NULL;
}

void *hal_fake_dev_ptr(uint32_t dev, uint64_t va, uint64_t len, bool write)
{
	uint32_t reason;
	void *p = NULL;

	pthread_mutex_lock(&fake_lock);
	if (dev < HAL_VASCEND_MAX_DEVICES && fake_cards[dev].present)
		p = fake_xlate(dev, va, len, write, &reason);
	pthread_mutex_unlock(&fake_lock);
	return p;
}
