// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X vectors and their handlers. Each handler checks its cause bit in
 * VASCEND_REG_IRQ_STATUS, acknowledges only that bit (the other vector may
 * be running on another CPU) and completes the waiter that owns the source.
 */

#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/pci.h>

#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_fw.h"
#include "vascend_hw.h"
#include "vascend_irq.h"

/*
 * Claim and acknowledge @cause. False when it is not pending: a message
 * that raced with a cause already cleared by a reset or by the waiter.
 */
static bool vascend_irq_ack(struct vascend_device *vdev, u32 cause)
{
	u32 status = vascend_rd32(vdev, VASCEND_REG_IRQ_STATUS);

	if (!(status & cause))
		return false;
	vascend_wr32(vdev, VASCEND_REG_IRQ_STATUS, cause);
	return true;
}

static irqreturn_t vascend_irq_admin(int irq, void *arg)
{
	struct vascend_device *vdev = arg;

	if (!vascend_irq_ack(vdev, VASCEND_IRQ_FW_BOOT))
		return IRQ_NONE;
	vascend_fw_boot_irq(vdev);
	return IRQ_HANDLED;
}

static irqreturn_t vascend_irq_dma(int irq, void *arg)
{
	struct vascend_device *vdev = arg;

	if (!vascend_irq_ack(vdev, VASCEND_IRQ_DMA_DONE))
		return IRQ_NONE;
	vascend_dma_irq(vdev);
	return IRQ_HANDLED;
}

static const struct {
	unsigned int vector;
	const char *name;
	irq_handler_t handler;
} vascend_irq_vectors[] = {
	{ VASCEND_MSIX_VEC_ADMIN, "admin", vascend_irq_admin },
	{ VASCEND_MSIX_VEC_DMA, "dma", vascend_irq_dma },
};

static_assert(ARRAY_SIZE(vascend_irq_vectors) == VASCEND_MSIX_MIN_VECTORS);

/**
 * vascend_irq_init() - enable MSI-X and install the handlers
 * @vdev: the card
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_irq_init(struct vascend_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct device *dev = vascend_to_dev(vdev);
	unsigned int i;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, VASCEND_MSIX_MIN_VECTORS,
				    VASCEND_MSIX_MIN_VECTORS, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(dev, "cannot enable %u MSI-X vectors: %pe\n",
			VASCEND_MSIX_MIN_VECTORS, ERR_PTR(ret));
		return ret;
	}

	for (i = 0; i < ARRAY_SIZE(vascend_irq_vectors); i++) {
		snprintf(vdev->irq_names[i], sizeof(vdev->irq_names[i]),
			 "vascend%u-%s", vdev->index, vascend_irq_vectors[i].name);
		ret = request_irq(pci_irq_vector(pdev, vascend_irq_vectors[i].vector),
				  vascend_irq_vectors[i].handler, 0,
				  vdev->irq_names[i], vdev);
		if (ret) {
			dev_err(dev, "cannot request the %s interrupt: %pe\n",
				vascend_irq_vectors[i].name, ERR_PTR(ret));
			goto err_free_irqs;
		}
	}
	return 0;

err_free_irqs:
	while (i--)
		free_irq(pci_irq_vector(pdev, vascend_irq_vectors[i].vector), vdev);
	pci_free_irq_vectors(pdev);
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
	unsigned int i = ARRAY_SIZE(vascend_irq_vectors);

	while (i--)
		free_irq(pci_irq_vector(pdev, vascend_irq_vectors[i].vector), vdev);
	pci_free_irq_vectors(pdev);
}
