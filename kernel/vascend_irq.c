// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X vectors (the plan is in vascend_irq.h). Every vector the device has
 * is enabled and requested at probe:
 *
 *  - vectors 0 and 1 have fixed handlers in hard interrupt context. Each
 *    reads VASCEND_REG_IRQ_STATUS, acknowledges only its own cause bits
 *    (the other vector may be running on another CPU) and hands each cause
 *    to its owner: firmware boot, admin completions, fatal errors, DMA;
 *  - the others are threaded: the thread calls whatever handler the owner
 *    installed with vascend_irq_set_handler(), or nothing. IO queues and
 *    HDC have no IRQ_STATUS bit: their rings' phase bits are the status.
 */

#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/pci.h>

#include "vascend_admin.h"
#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_fw.h"
#include "vascend_hw.h"
#include "vascend_irq.h"
#include "vascend_reset.h"

#define VASCEND_IRQ_ADMIN_CAUSES \
	(VASCEND_IRQ_FW_BOOT | VASCEND_IRQ_ADMIN_CQ | VASCEND_IRQ_FATAL)

/*
 * Claim and acknowledge the pending ones of @causes. 0 when none is
 * pending: a message that raced with a cause already cleared by a reset.
 */
static u32 vascend_irq_ack(struct vascend_device *vdev, u32 causes)
{
	u32 status = vascend_rd32(vdev, VASCEND_REG_IRQ_STATUS) & causes;

	if (status)
		vascend_wr32(vdev, VASCEND_REG_IRQ_STATUS, status);
	return status;
}

static irqreturn_t vascend_irq_admin(int irq, void *arg)
{
	struct vascend_irq_vector *vec = arg;
	struct vascend_device *vdev = vec->vdev;
	u32 status;

	/* Acknowledged first: a cause raised while we work interrupts again. */
	status = vascend_irq_ack(vdev, VASCEND_IRQ_ADMIN_CAUSES);
	if (!status)
		return IRQ_NONE;
	if (status & VASCEND_IRQ_FW_BOOT)
		vascend_fw_boot_irq(vdev);
	if (status & VASCEND_IRQ_ADMIN_CQ)
		vascend_admin_irq(vdev);
	if (status & VASCEND_IRQ_FATAL)
		vascend_reset_fatal_irq(vdev);
	return IRQ_HANDLED;
}

static irqreturn_t vascend_irq_dma(int irq, void *arg)
{
	struct vascend_irq_vector *vec = arg;
	struct vascend_device *vdev = vec->vdev;

	if (!vascend_irq_ack(vdev, VASCEND_IRQ_DMA_DONE))
		return IRQ_NONE;
	vascend_dma_irq(vdev);
	return IRQ_HANDLED;
}

static irqreturn_t vascend_irq_thread(int irq, void *arg)
{
	struct vascend_irq_vector *vec = arg;
	void (*fn)(struct vascend_device *vdev, void *data);
	unsigned long flags;
	void *data;

	spin_lock_irqsave(&vec->lock, flags);
	fn = vec->fn;
	data = vec->data;
	spin_unlock_irqrestore(&vec->lock, flags);

	if (!fn)
		return IRQ_NONE;
	fn(vec->vdev, data);
	return IRQ_HANDLED;
}

unsigned int vascend_irq_count(struct vascend_device *vdev)
{
	return vdev->irq.count;
}

int vascend_irq_set_handler(struct vascend_device *vdev, unsigned int vector,
			    void (*fn)(struct vascend_device *vdev, void *data),
			    void *data)
{
	struct vascend_irq_vector *vec;
	unsigned long flags;
	int ret = 0;

	if (vector < VASCEND_IRQ_VEC_HDC || vector >= vdev->irq.count)
		return -EINVAL;
	vec = &vdev->irq.vec[vector];

	spin_lock_irqsave(&vec->lock, flags);
	if (fn && vec->fn) {
		ret = -EBUSY;
	} else {
		vec->fn = fn;
		vec->data = data;
	}
	spin_unlock_irqrestore(&vec->lock, flags);

	/* Wait for a thread that still runs the old handler. */
	if (!ret && !fn)
		synchronize_irq(pci_irq_vector(vdev->pdev, vector));
	return ret;
}

static const char *vascend_irq_vector_name(unsigned int vector)
{
	switch (vector) {
	case VASCEND_MSIX_VEC_ADMIN:
		return "admin";
	case VASCEND_MSIX_VEC_DMA:
		return "dma";
	case VASCEND_IRQ_VEC_HDC:
		return "hdc";
	default:
		return "queues";
	}
}

static int vascend_irq_request(struct vascend_device *vdev,
			       unsigned int vector)
{
	struct vascend_irq_vector *vec = &vdev->irq.vec[vector];
	int irq = pci_irq_vector(vdev->pdev, vector);

	vec->vdev = vdev;
	spin_lock_init(&vec->lock);
	if (vector >= VASCEND_IRQ_VEC_STREAM_FIRST)
		snprintf(vec->name, sizeof(vec->name), "vascend%u-%s%u",
			 vdev->index, vascend_irq_vector_name(vector), vector);
	else
		snprintf(vec->name, sizeof(vec->name), "vascend%u-%s",
			 vdev->index, vascend_irq_vector_name(vector));

	switch (vector) {
	case VASCEND_MSIX_VEC_ADMIN:
		return request_irq(irq, vascend_irq_admin, 0, vec->name, vec);
	case VASCEND_MSIX_VEC_DMA:
		return request_irq(irq, vascend_irq_dma, 0, vec->name, vec);
	default:
		return request_threaded_irq(irq, NULL, vascend_irq_thread,
					    IRQF_ONESHOT, vec->name, vec);
	}
}

/**
 * vascend_irq_init() - enable MSI-X and install the handlers
 * @vdev: the card, @vdev->msix_count read
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_irq_init(struct vascend_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct device *dev = vascend_to_dev(vdev);
	unsigned int want, i;
	int ret;

	if (vdev->msix_count < VASCEND_IRQ_VECTORS_NEEDED) {
		dev_err(dev, "device has %u MSI-X vectors, the driver needs %u\n",
			vdev->msix_count, VASCEND_IRQ_VECTORS_NEEDED);
		return -ENODEV;
	}
	want = min_t(u32, vdev->msix_count, VASCEND_IRQ_MAX_VECTORS);
	ret = pci_alloc_irq_vectors(pdev, VASCEND_IRQ_VECTORS_NEEDED, want,
				    PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(dev, "cannot enable %u MSI-X vectors: %pe\n", want,
			ERR_PTR(ret));
		return ret;
	}
	vdev->irq.count = ret;

	for (i = 0; i < vdev->irq.count; i++) {
		ret = vascend_irq_request(vdev, i);
		if (ret) {
			dev_err(dev, "cannot request interrupt %s: %pe\n",
				vdev->irq.vec[i].name, ERR_PTR(ret));
			goto err_free_irqs;
		}
	}
	return 0;

err_free_irqs:
	while (i--)
		free_irq(pci_irq_vector(pdev, i), &vdev->irq.vec[i]);
	pci_free_irq_vectors(pdev);
	vdev->irq.count = 0;
	return ret;
}

/**
 * vascend_irq_fini() - remove the handlers and disable MSI-X
 * @vdev: the card, reset so that it raises no more interrupts
 *
 * free_irq() waits for a running handler, so nothing touches @vdev from
 * interrupt context after this returns.
 */
void vascend_irq_fini(struct vascend_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	unsigned int i = vdev->irq.count;

	while (i--)
		free_irq(pci_irq_vector(pdev, i), &vdev->irq.vec[i]);
	pci_free_irq_vectors(pdev);
	vdev->irq.count = 0;
}
