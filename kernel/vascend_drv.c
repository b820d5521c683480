// SPDX-License-Identifier: GPL-2.0-only
/*
 * vascend: driver for the virtual Ascend NPU (the ascend-npu QEMU device).
 * Module init and exit, PCI probe and remove, card lifetime.
 *
 * Probe brings a card up in this order, and every failure unwinds what was
 * done in reverse: map BAR0, identify and reset the device, bus mastering,
 * the DMA bounce buffer, MSI-X, firmware boot, /dev/davinciN. The node is
 * created last, so it exists only for a card that is ready for work.
 */

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <uapi/vascend_fw.h>
#include <uapi/vascend_hw.h>

#include "vascend_admin.h"
#include "vascend_cdev.h"
#include "vascend_debugfs.h"
#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_fw.h"
#include "vascend_hdc.h"
#include "vascend_hdc_dev.h"
#include "vascend_hw.h"
#include "vascend_irq.h"
#include "vascend_mgr.h"
#include "vascend_reset.h"
#include "vascend_stream.h"
#include "vascend_svm.h"
#include "vascend_sysfs.h"
#include "vascend_vm.h"

/* Card indexes: the N of /dev/davinciN. */
static DEFINE_IDA(vascend_ida);

/*
 * Cards by index, for /dev/davinci_manager: set once a card is ready,
 * cleared when its removal starts.
 */
static DEFINE_MUTEX(vascend_cards_lock); /* Protects vascend_cards */
static struct vascend_device *vascend_cards[VASCEND_MAX_DEVICES];

/**
 * vascend_card_get() - a bound, ready card by index
 * @index: N of /dev/davinciN
 *
 * Return: the card with a reference on its memory (vascend_card_put()), or
 * NULL. The hardware may go meanwhile: check @unplugged under unplug_lock.
 */
struct vascend_device *vascend_card_get(u32 index)
{
	struct vascend_device *vdev = NULL;

	if (index >= VASCEND_MAX_DEVICES)
		return NULL;
	mutex_lock(&vascend_cards_lock);
	vdev = vascend_cards[index];
	if (vdev)
		get_device(&vdev->dev);
	mutex_unlock(&vascend_cards_lock);
	return vdev;
}

/**
 * vascend_card_put() - drop vascend_card_get()'s reference
 * @vdev: the card
 */
void vascend_card_put(struct vascend_device *vdev)
{
	put_device(&vdev->dev);
}

/**
 * vascend_card_ids() - the indexes of the cards present, ascending
 * @ids: room for VASCEND_MAX_DEVICES
 *
 * Return: how many.
 */
u32 vascend_card_ids(u32 *ids)
{
	u32 i, n = 0;

	mutex_lock(&vascend_cards_lock);
	for (i = 0; i < VASCEND_MAX_DEVICES; i++) {
		if (vascend_cards[i])
			ids[n++] = i;
	}
	mutex_unlock(&vascend_cards_lock);
	return n;
}

static void vascend_card_publish(struct vascend_device *vdev, bool present)
{
	mutex_lock(&vascend_cards_lock);
	vascend_cards[vdev->index] = present ? vdev : NULL;
	mutex_unlock(&vascend_cards_lock);
}

static void vascend_device_release(struct device *dev)
{
	struct vascend_device *vdev = container_of(dev, struct vascend_device,
						   dev);

	ida_free(&vascend_ida, vdev->index);
	kfree(vdev);
}

/*
 * Allocate a card and its index. Freed by put_device(&vdev->dev) from the
 * moment this returns, on probe failure and after remove() alike.
 */
static struct vascend_device *vascend_device_alloc(struct pci_dev *pdev)
{
	struct vascend_device *vdev;
	int ret;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return ERR_PTR(-ENOMEM);

	ret = ida_alloc_max(&vascend_ida, VASCEND_MAX_DEVICES - 1, GFP_KERNEL);
	if (ret < 0) {
		if (ret == -ENOSPC)
			dev_err(&pdev->dev, "all %u card indexes in use\n",
				VASCEND_MAX_DEVICES);
		kfree(vdev);
		return ERR_PTR(ret);
	}
	vdev->index = ret;
	vdev->pdev = pdev;
	init_completion(&vdev->fw_boot_done);
	init_rwsem(&vdev->unplug_lock);
	vascend_reset_init(vdev);

	ret = vascend_cdev_device_init(vdev, vascend_device_release);
	if (ret) {
		put_device(&vdev->dev);
		return ERR_PTR(ret);
	}
	return vdev;
}

/* Enable the function and map BAR0; all of it devres-managed. */
static int vascend_pci_init(struct vascend_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct device *dev = &pdev->dev;
	resource_size_t start, len;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret) {
		dev_err(dev, "cannot enable the PCI function: %pe\n",
			ERR_PTR(ret));
		return ret;
	}

	start = pci_resource_start(pdev, VASCEND_BAR_REGS);
	len = pci_resource_len(pdev, VASCEND_BAR_REGS);
	if (!(pci_resource_flags(pdev, VASCEND_BAR_REGS) & IORESOURCE_MEM) ||
	    len < VASCEND_REGS_BAR_SIZE) {
		dev_err(dev, "BAR%u is not a %u KiB memory BAR\n",
			VASCEND_BAR_REGS, VASCEND_REGS_BAR_SIZE / 1024);
		return -ENODEV;
	}

	/*
	 * Generic devres calls rather than pcim_iomap_regions(), deprecated
	 * in 6.12, or pcim_iomap_region(), absent from 6.1: one source for
	 * both kernels without a version test.
	 */
	if (!devm_request_mem_region(dev, start, len, KBUILD_MODNAME)) {
		dev_err(dev, "BAR%u is claimed by another driver\n",
			VASCEND_BAR_REGS);
		return -EBUSY;
	}
	vdev->regs = devm_ioremap(dev, start, len);
	if (!vdev->regs) {
		dev_err(dev, "cannot map BAR%u\n", VASCEND_BAR_REGS);
		return -ENOMEM;
	}

	/* The contract's address registers are 64 bits wide. */
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err(dev, "cannot use 64-bit DMA: %pe\n", ERR_PTR(ret));
		return ret;
	}
	return 0;
}

static int vascend_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vascend_device *vdev;
	int ret;

	vdev = vascend_device_alloc(pdev);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	pci_set_drvdata(pdev, vdev);

	ret = vascend_pci_init(vdev);
	if (ret)
		goto err_put_device;

	ret = vascend_hw_init(vdev);
	if (ret)
		goto err_put_device;

	/* Only now: a device left running must not DMA before its reset. */
	pci_set_master(pdev);

	/* Before the interrupts: their handlers complete its waiters. */
	ret = vascend_dma_init(vdev);
	if (ret)
		goto err_put_device;

	ret = vascend_admin_init(vdev);
	if (ret)
		goto err_dma_fini;

	ret = vascend_irq_init(vdev);
	if (ret)
		goto err_dma_fini;

	ret = vascend_fw_boot(vdev);
	if (ret)
		goto err_irq_fini;

	ret = vascend_admin_enable(vdev);
	if (ret)
		goto err_reset;
	vascend_admin_open(vdev);

	/* Restored after a card reset in this order: streams need contexts. */
	ret = vascend_mem_init(vdev);
	if (ret)
		goto err_admin_fini;
	ret = vascend_streams_init(vdev);
	if (ret)
		goto err_mem_fini;

	vascend_sysfs_init(vdev);
	vascend_debugfs_init(vdev);
	/* After the streams: a recovery restores HDC last. */
	ret = vascend_hdc_init(vdev);
	if (ret)
		goto err_streams_fini;
	ret = vascend_cdev_add(vdev);
	if (ret)
		goto err_hdc_fini;

	vascend_card_publish(vdev, true);
	vascend_reset_start(vdev);

	dev_info(&pdev->dev, "card %u: %u AI Cores, %llu MiB HBM, firmware %u.%u.%u, SoC %s\n",
		 vdev->index, vdev->aicore_count, vdev->hbm_size >> 20,
		 VASCEND_FW_VERSION_MAJOR(vdev->fw_version),
		 VASCEND_FW_VERSION_MINOR(vdev->fw_version),
		 VASCEND_FW_VERSION_PATCH(vdev->fw_version), vdev->soc_name);
	return 0;

err_hdc_fini:
	vascend_hdc_fini(vdev);
err_streams_fini:
	vascend_debugfs_fini(vdev);
	vascend_streams_fini(vdev);
err_mem_fini:
	vascend_mem_fini(vdev);
err_admin_fini:
	vascend_admin_fini(vdev);
err_reset:
	vascend_hw_reset(vdev);
err_irq_fini:
	vascend_irq_fini(vdev);
err_dma_fini:
	vascend_dma_fini(vdev);
err_put_device:
	pci_set_drvdata(pdev, NULL);
	put_device(&vdev->dev);
	return ret;
}

/*
 * Undo probe. Open files survive (their calls fail with ENODEV) and keep
 * @vdev's memory until they are closed; the hardware is quiet on return.
 */
static void vascend_remove(struct pci_dev *pdev)
{
	struct vascend_device *vdev = pci_get_drvdata(pdev);

	vascend_card_publish(vdev, false);
	/* No recovery from now on; waits for one that runs. */
	vascend_reset_fini(vdev);
	/* Waits for running file operations. */
	vascend_cdev_del(vdev);
	vascend_debugfs_fini(vdev);
	vascend_admin_kill(vdev);
	vascend_hw_reset(vdev);
	/* The card no longer touches any ring: free them, wake every waiter. */
	vascend_hdc_fini(vdev);
	vascend_streams_unplug(vdev);
	vascend_streams_fini(vdev);
	vascend_mem_fini(vdev);
	vascend_irq_fini(vdev);
	vascend_admin_fini(vdev);
	vascend_dma_fini(vdev);
	pci_set_drvdata(pdev, NULL);
	put_device(&vdev->dev);
}

/* Stop firmware and DMA before a reboot or kexec hands memory to others. */
static void vascend_shutdown(struct pci_dev *pdev)
{
	struct vascend_device *vdev = pci_get_drvdata(pdev);

	if (vdev)
		vascend_wr32(vdev, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
}

static const struct pci_device_id vascend_pci_ids[] = {
	{ PCI_DEVICE(VASCEND_PCI_VENDOR_ID, VASCEND_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vascend_pci_ids);

static struct pci_driver vascend_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = vascend_pci_ids,
	.probe = vascend_probe,
	.remove = vascend_remove,
	.shutdown = vascend_shutdown,
};

static int __init vascend_init(void)
{
	int ret;

	ret = vascend_cdev_init();
	if (ret)
		return ret;

	vascend_debugfs_module_init();
	ret = vascend_mgr_init();
	if (ret)
		goto err_cdev_fini;

	ret = vascend_svm_init();
	if (ret)
		goto err_mgr_fini;

	ret = vascend_hdc_dev_init();
	if (ret)
		goto err_svm_fini;

	ret = pci_register_driver(&vascend_pci_driver);
	if (ret)
		goto err_hdc_dev_fini;
	return 0;

err_hdc_dev_fini:
	vascend_hdc_dev_fini();
err_svm_fini:
	vascend_svm_fini();
err_mgr_fini:
	vascend_mgr_fini();
err_cdev_fini:
	vascend_debugfs_module_fini();
	vascend_cdev_fini();
	return ret;
}

static void __exit vascend_exit(void)
{
	pci_unregister_driver(&vascend_pci_driver);
	vascend_hdc_dev_fini();
	vascend_svm_fini();
	vascend_mgr_fini();
	vascend_debugfs_module_fini();
	vascend_cdev_fini();
	ida_destroy(&vascend_ida);
}

module_init(vascend_init);
module_exit(vascend_exit);

MODULE_DESCRIPTION("Virtual Ascend NPU (vascend) driver");
MODULE_AUTHOR("The vascend authors");
MODULE_LICENSE("GPL");
