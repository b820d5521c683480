/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu: the vascend virtual Huawei Ascend NPU, QEMU glue.
 *
 * What the guest sees is specified by include/uapi/vascend_hw.h and
 * vascend_fw.h in the vascend repository and implemented by the device core
 * in ascend-npu/ (plain C, no QEMU headers, unit-tested on the host). This
 * file only binds that core to QEMU: PCI identity and BARs, MSI-X, DMA
 * through the PCI bus-master address space, the bottom half that runs the
 * work the doorbells start, properties and tracing.
 *
 * Usage:
 *   -device ascend-npu[,aicores=N][,hbm=SIZE][,soc=NAME]
 *
 * Properties:
 *   aicores=N   AI Cores the device reports in VASCEND_REG_AICORE_COUNT.
 *               1..64, default 8.
 *   hbm=SIZE    Device memory (HBM), exposed as BAR2 and reported in
 *               VASCEND_REG_HBM_SIZE. A power of two from 1M to 16G,
 *               default 256M. Host memory is only used as the guest
 *               touches it.
 *   soc=NAME    SoC name in VASCEND_REG_SOC_NAME: 1 to 31 printable ASCII
 *               characters, default "Ascend910B3".
 *
 * PCI function: vendor 0x19e5, device 0xd5a0 (subsystem the same),
 * revision 0x01, class 0x1200, PCIe endpoint. BAR0: 64 KiB of registers,
 * naturally aligned 32-bit accesses only. BAR2: HBM, 64-bit prefetchable
 * RAM. BAR4: MSI-X table and PBA, ANPU_MSIX_VECTORS (8) vectors. No INTx.
 *
 * Register accesses never do work: a doorbell (FW_CTRL, DMA_CTRL) latches
 * the command and schedules a bottom half, which reads the firmware image or
 * copies the data, then raises the MSI-X vector. The bottom half is guarded
 * by the device's reentrancy guard, so a DMA aimed at the device's own BARs
 * cannot re-enter it. Guest mistakes are logged with -d guest_errors and
 * traced (-trace 'ascend_npu_*').
 *
 * Migration is not supported yet: the device is marked unmigratable.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "trace.h"

#include "ascend-npu/anpu.h"

#define TYPE_ASCEND_NPU "ascend-npu"
OBJECT_DECLARE_SIMPLE_TYPE(AscendNpuState, ASCEND_NPU)

#define ASCEND_NPU_PCIE_CAP_OFFSET  0x80
#define ASCEND_NPU_DEFAULT_SOC      "Ascend910B3"

struct AscendNpuState {
    PCIDevice parent_obj;

    MemoryRegion regs;
    MemoryRegion hbm;
    /* Runs anpu_process(); scheduled by the core's kick(). */
    QEMUBH *bh;
    struct anpu core;

    /* Properties */
    uint32_t aicores;
    uint64_t hbm_size;
    char *soc;
};

static int ascend_npu_host_read(void *opaque, uint64_t addr, void *buf,
                                uint64_t len)
{
    AscendNpuState *s = opaque;

    return pci_dma_read(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static int ascend_npu_host_write(void *opaque, uint64_t addr,
                                 const void *buf, uint64_t len)
{
    AscendNpuState *s = opaque;

    return pci_dma_write(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static uint8_t *ascend_npu_hbm_map(void *opaque, uint64_t offset,
                                   uint64_t len)
{
    AscendNpuState *s = opaque;
    uint64_t size = memory_region_size(&s->hbm);

    if (offset > size || len > size - offset) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(&s->hbm) + offset;
}

static void ascend_npu_raise_irq(void *opaque, unsigned int vector)
{
    AscendNpuState *s = opaque;
    PCIDevice *pdev = PCI_DEVICE(s);
    struct anpu *c = &s->core;
    bool enabled = msix_enabled(pdev);

    switch (vector) {
    case VASCEND_MSIX_VEC_ADMIN:
        trace_ascend_npu_fw_done(c->fw_status, c->fw_version,
                                 c->fw_build_info);
        break;
    case VASCEND_MSIX_VEC_DMA:
        trace_ascend_npu_dma_done(c->dma_status, c->dma_seq);
        break;
    }
    trace_ascend_npu_irq(vector, c->irq_status, enabled);
    if (enabled) {
        msix_notify(pdev, vector);
    }
}

static void ascend_npu_kick(void *opaque)
{
    AscendNpuState *s = opaque;

    qemu_bh_schedule(s->bh);
}

static void ascend_npu_guest_error(void *opaque, const char *msg)
{
    PCIDevice *pdev = PCI_DEVICE(opaque);

    trace_ascend_npu_guest_error(msg);
    qemu_log_mask(LOG_GUEST_ERROR, "ascend-npu %02x:%02x.%x: %s\n",
                  pci_dev_bus_num(pdev), PCI_SLOT(pdev->devfn),
                  PCI_FUNC(pdev->devfn), msg);
}

static const struct anpu_ops ascend_npu_core_ops = {
    .host_read = ascend_npu_host_read,
    .host_write = ascend_npu_host_write,
    .hbm_map = ascend_npu_hbm_map,
    .raise_irq = ascend_npu_raise_irq,
    .kick = ascend_npu_kick,
    .guest_error = ascend_npu_guest_error,
};

static void ascend_npu_bh(void *opaque)
{
    AscendNpuState *s = opaque;
    struct anpu *c = &s->core;

    if (c->fw_pending) {
        trace_ascend_npu_fw_boot(c->fw_cmd_addr, c->fw_cmd_size);
    }
    if (c->dma_pending) {
        trace_ascend_npu_dma_start(c->dma_cmd.host, c->dma_cmd.dev,
                                   c->dma_cmd.len, c->dma_cmd.ctrl);
    }
    if (c->reset_pending) {
        trace_ascend_npu_reset("RESET register, after pending work");
    }
    anpu_process(c);
}

static uint64_t ascend_npu_mmio_read(void *opaque, hwaddr addr,
                                     unsigned size)
{
    AscendNpuState *s = opaque;
    uint32_t val = anpu_reg_read(&s->core, addr);

    trace_ascend_npu_mmio_read(addr, val);
    return val;
}

static void ascend_npu_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                  unsigned size)
{
    AscendNpuState *s = opaque;

    trace_ascend_npu_mmio_write(addr, val);
    anpu_reg_write(&s->core, addr, val);
}

/* The contract allows naturally aligned 32-bit accesses only. */
static const MemoryRegionOps ascend_npu_mmio_ops = {
    .read = ascend_npu_mmio_read,
    .write = ascend_npu_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void ascend_npu_realize(PCIDevice *pdev, Error **errp)
{
    AscendNpuState *s = ASCEND_NPU(pdev);
    struct anpu_config cfg = {
        .aicores = s->aicores,
        .msix_vectors = ANPU_MSIX_VECTORS,
        .hbm_size = s->hbm_size,
    };
    const char *why;
    unsigned int v;

    if (!s->soc || strlen(s->soc) >= sizeof(cfg.soc_name)) {
        error_setg(errp, "soc must be 1 to %zu characters",
                   sizeof(cfg.soc_name) - 1);
        return;
    }
    memcpy(cfg.soc_name, s->soc, strlen(s->soc));
    if (!anpu_config_check(&cfg, &why)) {
        error_setg(errp, "%s", why);
        return;
    }

    if (pcie_endpoint_cap_init(pdev, ASCEND_NPU_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "cannot add the PCIe capability");
        return;
    }

    memory_region_init_io(&s->regs, OBJECT(s), &ascend_npu_mmio_ops, s,
                          "ascend-npu-regs", VASCEND_REGS_BAR_SIZE);
    pci_register_bar(pdev, VASCEND_BAR_REGS, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->regs);

    if (!memory_region_init_ram(&s->hbm, OBJECT(s), "ascend-npu-hbm",
                                s->hbm_size, errp)) {
        goto err_pcie;
    }
    pci_register_bar(pdev, VASCEND_BAR_HBM,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->hbm);

    if (msix_init_exclusive_bar(pdev, ANPU_MSIX_VECTORS, VASCEND_BAR_MSIX,
                                errp)) {
        goto err_hbm;
    }
    /* Every vector may fire: declare them all used (see msix_notify). */
    for (v = 0; v < ANPU_MSIX_VECTORS; v++) {
        msix_vector_use(pdev, v);
    }

    s->bh = qemu_bh_new_guarded(ascend_npu_bh, s,
                                &DEVICE(s)->mem_reentrancy_guard);
    anpu_init(&s->core, &cfg, &ascend_npu_core_ops, s);
    return;

err_hbm:
    vmstate_unregister_ram(&s->hbm, DEVICE(s));
err_pcie:
    pcie_cap_exit(pdev);
}

static void ascend_npu_exit(PCIDevice *pdev)
{
    AscendNpuState *s = ASCEND_NPU(pdev);

    qemu_bh_delete(s->bh);
    s->bh = NULL;
    msix_unuse_all_vectors(pdev);
    msix_uninit_exclusive_bar(pdev);
    vmstate_unregister_ram(&s->hbm, DEVICE(s));
    pcie_cap_exit(pdev);
}

static void ascend_npu_reset(DeviceState *dev)
{
    AscendNpuState *s = ASCEND_NPU(dev);

    trace_ascend_npu_reset("device");
    if (s->bh) {
        qemu_bh_cancel(s->bh);
    }
    anpu_reset(&s->core);
}

static void ascend_npu_instance_init(Object *obj)
{
    AscendNpuState *s = ASCEND_NPU(obj);

    /* A string property has no static default; the setter frees this. */
    s->soc = g_strdup(ASCEND_NPU_DEFAULT_SOC);
}

static const Property ascend_npu_props[] = {
    DEFINE_PROP_UINT32("aicores", AscendNpuState, aicores, 8),
    DEFINE_PROP_SIZE("hbm", AscendNpuState, hbm_size, 256 * MiB),
    DEFINE_PROP_STRING("soc", AscendNpuState, soc),
};

static const VMStateDescription ascend_npu_vmstate = {
    .name = TYPE_ASCEND_NPU,
    .unmigratable = 1,
};

static void ascend_npu_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = ascend_npu_realize;
    k->exit = ascend_npu_exit;
    k->vendor_id = VASCEND_PCI_VENDOR_ID;
    k->device_id = VASCEND_PCI_DEVICE_ID;
    k->revision = VASCEND_PCI_REVISION;
    k->class_id = VASCEND_PCI_CLASS;
    k->subsystem_vendor_id = VASCEND_PCI_VENDOR_ID;
    k->subsystem_id = VASCEND_PCI_DEVICE_ID;

    dc->desc = "vascend virtual Huawei Ascend NPU";
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    device_class_set_props(dc, ascend_npu_props);
    device_class_set_legacy_reset(dc, ascend_npu_reset);
    dc->vmsd = &ascend_npu_vmstate;
}

static const TypeInfo ascend_npu_info = {
    .name = TYPE_ASCEND_NPU,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(AscendNpuState),
    .instance_init = ascend_npu_instance_init,
    .class_init = ascend_npu_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ascend_npu_register_types(void)
{
    type_register_static(&ascend_npu_info);
}

type_init(ascend_npu_register_types)
