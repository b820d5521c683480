// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/devmm_svm (include/uapi/vascend_svm.h): one misc device for every
 * card. A file belongs to the process that opened it (its mm): another
 * process using it, a child after fork() for one, gets EBADF, so nothing
 * of one process is reachable through another's calls.
 *
 * The SVM window is a mapping of this file: a range of the process's
 * address space with no pages behind it (VM_IO: not pinnable; a host access
 * is SIGBUS), not inherited by a child (VM_DONTCOPY), not in core dumps,
 * that cannot grow, move or be split (it goes away whole). Device memory is
 * handed out at addresses inside it; unmapping it (or exiting) frees all of
 * that.
 *
 * Every ioctl copies its argument in, checks every field
 * (vascend_svm_check.c), acts, and copies the result out.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <uapi/vascend_svm.h>

#include "vascend_mem.h"
#include "vascend_svm.h"
#include "vascend_svm_check.h"

static struct miscdevice vascend_svm_misc;

static struct device *svm_dev(void)
{
	return vascend_svm_misc.this_device;
}

/* The caller's memory state, or NULL when the file is another process's. */
static struct vascend_proc *svm_proc(struct file *file)
{
	struct vascend_proc *proc = file->private_data;

	return current->mm == proc->mm ? proc : NULL;
}

/* ---- the SVM window ---- */

/*
 * vm_flags became read-only in 6.3 (vm_flags_set()); Kbuild finds out which
 * kind the headers are.
 */
static void svm_vma_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef VASCEND_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* A copy of the window's VMA (mremap, refused later by svm_window_mremap). */
static void svm_window_vma_open(struct vm_area_struct *vma)
{
	struct vascend_proc *proc = vma->vm_private_data;

	kref_get(&proc->ref);
}

static void svm_window_vma_close(struct vm_area_struct *vma)
{
	struct vascend_proc *proc = vma->vm_private_data;

	vascend_window_close(proc, vma->vm_start, vma->vm_end - vma->vm_start);
	vascend_proc_put(proc);
}

static int svm_window_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static int svm_window_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static vm_fault_t svm_window_fault(struct vm_fault *vmf)
{
	/* Device memory: the card's, never the host's. */
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct svm_window_ops = {
	.open = svm_window_vma_open,
	.close = svm_window_vma_close,
	.may_split = svm_window_may_split,
	.mremap = svm_window_mremap,
	.fault = svm_window_fault,
};

static int svm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vascend_proc *proc = svm_proc(file);
	u64 len = vma->vm_end - vma->vm_start;
	int err, ret;

	if (!proc)
		return -EBADF;
	err = vascend_svm_check_window(len, (u64)vma->vm_pgoff << PAGE_SHIFT);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "mmap: %s (length 0x%llx, offset 0x%llx)\n",
				    vascend_svm_check_name(err), len,
				    (u64)vma->vm_pgoff << PAGE_SHIFT);
		return -EINVAL;
	}
	ret = vascend_window_open(proc, vma->vm_start, len);
	if (ret) {
		dev_dbg_ratelimited(svm_dev(), "mmap: the process has an SVM window already\n");
		return ret;
	}
	svm_vma_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY);
	vma->vm_ops = &svm_window_ops;
	vma->vm_private_data = proc;
	kref_get(&proc->ref);
	return 0;
}

/* ---- ioctls ---- */

static int svm_ioctl_alloc(struct vascend_proc *proc, void __user *uarg)
{
	struct vascend_svm_alloc args;
	struct vascend_mem *mem;
	struct vascend_vm *vm;
	u64 va = 0, free, largest;
	int err, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = vascend_svm_check_alloc(&args);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "SVM_ALLOC: %s (flags 0x%x, size 0x%llx)\n",
				    vascend_svm_check_name(err), args.flags,
				    args.size);
		return -EINVAL;
	}
	mem = vascend_mem_enter(args.dev_id);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	if (!READ_ONCE(proc->window.size)) {
		vascend_mem_leave(mem);
		dev_dbg_ratelimited(svm_dev(), "SVM_ALLOC: no SVM window: mmap /dev/%s first\n",
				    VASCEND_SVM_DEV_NAME);
		return -ENXIO;
	}
	vm = vascend_proc_vm(proc, mem, true);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
	} else {
		ret = vascend_dmem_alloc(proc, vm, args.size, args.flags, &va);
		if (ret == -ENOMEM)
			dev_dbg_ratelimited(svm_dev(), "SVM_ALLOC: %llu bytes on card %u: no room\n",
					    args.size, args.dev_id);
	}
	vascend_hbm_query(&mem->hbm, &free, &largest);
	vascend_mem_leave(mem);
	if (ret && ret != -ENOMEM)
		return ret;

	args.va = va;
	args.free = free;
	args.largest = largest;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		if (!ret)
			vascend_dmem_free(proc, args.dev_id, va);
		return -EFAULT;
	}
	return ret;
}

static int svm_ioctl_free(struct vascend_proc *proc, void __user *uarg)
{
	struct vascend_svm_range args;
	int err, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = vascend_svm_check_free(&args);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "SVM_FREE: %s\n",
				    vascend_svm_check_name(err));
		return -EINVAL;
	}
	ret = vascend_dmem_free(proc, args.dev_id, args.addr);
	if (ret)
		dev_dbg_ratelimited(svm_dev(), "SVM_FREE: nothing of the caller's starts at 0x%llx on card %u\n",
				    args.addr, args.dev_id);
	return ret;
}

/* Whether [@addr, @addr + @size) meets the caller's SVM window. */
static bool svm_in_window(struct vascend_proc *proc, u64 addr, u64 size)
{
	bool ret;

	mutex_lock(&proc->lock);
	ret = proc->window.size && addr < proc->window.base + proc->window.size &&
	      proc->window.base < addr + size;
	mutex_unlock(&proc->lock);
	return ret;
}

/* The caller's address space on card @dev_id, created if @create. */
static struct vascend_vm *svm_vm(struct vascend_proc *proc, u32 dev_id,
				 bool create)
{
	struct vascend_mem *mem;
	struct vascend_vm *vm;

	mem = vascend_mem_enter(dev_id);
	if (IS_ERR(mem))
		return ERR_CAST(mem);
	vm = vascend_proc_vm(proc, mem, create);
	vascend_mem_leave(mem);
	return vm;
}

static int svm_ioctl_register(struct vascend_proc *proc, void __user *uarg)
{
	struct vascend_svm_range args;
	struct vascend_vm *vm;
	int err, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = vascend_svm_check_register(&args);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "SVM_REGISTER: %s (flags 0x%x, 0x%llx+0x%llx)\n",
				    vascend_svm_check_name(err), args.flags,
				    args.addr, args.size);
		return -EINVAL;
	}
	if (svm_in_window(proc, args.addr, args.size)) {
		dev_dbg_ratelimited(svm_dev(), "SVM_REGISTER: 0x%llx+0x%llx meets the SVM window\n",
				    args.addr, args.size);
		return -EINVAL;
	}
	/*
	 * Pinning takes mmap_lock: not under the card's unplug_lock. The vm
	 * holds the card's memory side; a removal meanwhile makes it dead.
	 */
	vm = svm_vm(proc, args.dev_id, true);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = vascend_hreg_register(vm, args.addr, args.size,
				    args.flags & VASCEND_SVM_REG_READONLY);
	if (ret)
		dev_dbg_ratelimited(svm_dev(), "SVM_REGISTER: 0x%llx+0x%llx on card %u: %d\n",
				    args.addr, args.size, args.dev_id, ret);
	return ret;
}

static int svm_ioctl_unregister(struct vascend_proc *proc, void __user *uarg)
{
	struct vascend_svm_range args;
	struct vascend_vm *vm;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = vascend_svm_check_unregister(&args);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "SVM_UNREGISTER: %s\n",
				    vascend_svm_check_name(err));
		return -EINVAL;
	}
	vm = svm_vm(proc, args.dev_id, false);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	if (!vm || vascend_hreg_unregister(vm, args.addr)) {
		dev_dbg_ratelimited(svm_dev(), "SVM_UNREGISTER: nothing of the caller's registered at 0x%llx on card %u\n",
				    args.addr, args.dev_id);
		return -EINVAL;
	}
	return 0;
}

static int svm_ioctl_query(struct vascend_proc *proc, void __user *uarg)
{
	struct vascend_svm_query args;
	struct vascend_mem *mem;
	struct vascend_vm *vm;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = vascend_svm_check_query(&args);
	if (err) {
		dev_dbg_ratelimited(svm_dev(), "SVM_QUERY: %s\n",
				    vascend_svm_check_name(err));
		return -EINVAL;
	}

	mem = vascend_mem_enter(args.dev_id);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	args.total = mem->hbm.size;
	vascend_hbm_query(&mem->hbm, &args.free, &args.largest);
	args.proc_hbm = 0;
	args.proc_pinned = 0;
	vm = vascend_proc_vm(proc, mem, false);
	if (!IS_ERR_OR_NULL(vm)) {
		/* Registrations the host took away are counted out first. */
		flush_work(&vm->reap_work);
		mutex_lock(&vm->lock);
		args.proc_hbm = vm->hbm_bytes;
		args.proc_pinned = vm->pinned_bytes;
		mutex_unlock(&vm->lock);
	}
	vascend_mem_leave(mem);

	mutex_lock(&proc->lock);
	args.window_base = proc->window.base;
	args.window_size = proc->window.size;
	mutex_unlock(&proc->lock);

	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

static long svm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vascend_proc *proc = svm_proc(file);
	void __user *uarg = (void __user *)arg;

	if (!proc) {
		dev_dbg_ratelimited(svm_dev(), "ioctl from a process that did not open the file\n");
		return -EBADF;
	}
	switch (cmd) {
	case VASCEND_IOCTL_SVM_ALLOC:
		return svm_ioctl_alloc(proc, uarg);
	case VASCEND_IOCTL_SVM_FREE:
		return svm_ioctl_free(proc, uarg);
	case VASCEND_IOCTL_SVM_REGISTER:
		return svm_ioctl_register(proc, uarg);
	case VASCEND_IOCTL_SVM_UNREGISTER:
		return svm_ioctl_unregister(proc, uarg);
	case VASCEND_IOCTL_SVM_QUERY:
		return svm_ioctl_query(proc, uarg);
	default:
		dev_dbg_ratelimited(svm_dev(), "unknown ioctl 0x%08x\n", cmd);
		return -ENOTTY;
	}
}

static int svm_open(struct inode *inode, struct file *file)
{
	struct vascend_proc *proc;

	if (!current->mm)
		return -EINVAL;
	proc = vascend_proc_get(current->mm);
	if (!proc)
		return -ENOMEM;
	file->private_data = proc;
	return nonseekable_open(inode, file);
}

static int svm_release(struct inode *inode, struct file *file)
{
	vascend_proc_put(file->private_data);
	return 0;
}

static const struct file_operations svm_fops = {
	.owner = THIS_MODULE,
	.open = svm_open,
	.release = svm_release,
	.mmap = svm_mmap,
	/* 2 MiB-aligned windows where the kernel can (6.8 and later). */
	.get_unmapped_area = thp_get_unmapped_area,
	.unlocked_ioctl = svm_ioctl,
	/* Every ioctl struct has the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice vascend_svm_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VASCEND_SVM_DEV_NAME,
	.fops = &svm_fops,
};

int vascend_svm_init(void)
{
	int ret;

	vascend_mem_wq = alloc_workqueue("vascend_mem", WQ_UNBOUND, 0);
	if (!vascend_mem_wq)
		return -ENOMEM;
	ret = misc_register(&vascend_svm_misc);
	if (ret) {
		destroy_workqueue(vascend_mem_wq);
		return ret;
	}
	return 0;
}

void vascend_svm_fini(void)
{
	misc_deregister(&vascend_svm_misc);
	/* Pages still to unpin, resources still to release. */
	destroy_workqueue(vascend_mem_wq);
	/* No MMU notifier callback of ours may be on its way out. */
	mmu_notifier_synchronize();
}
