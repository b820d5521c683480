/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI-X. The vector plan (every card has VASCEND_IRQ_VECTORS_NEEDED or more):
 *
 *   0  VASCEND_MSIX_VEC_ADMIN   admin CQ, firmware boot, fatal errors (vascend_irq.c)
 *   1  VASCEND_MSIX_VEC_DMA     DMA channel 0 (vascend_irq.c)
 *   2  VASCEND_IRQ_VEC_HDC      the HDC channel (vascend_hdc*.c)
 *   3.. VASCEND_IRQ_VEC_STREAM_FIRST: IO queues, shared round-robin (vascend_stream.c)
 *
 * Vectors 0 and 1 have fixed handlers in hard interrupt context. Every other
 * vector calls the handler its owner installed with vascend_irq_set_handler(),
 * from the vector's interrupt thread.
 */

#ifndef __VASCEND_IRQ_H__
#define __VASCEND_IRQ_H__

#include <linux/spinlock.h>
#include <linux/types.h>

#include <uapi/vascend_hw.h>

struct vascend_device;

#define VASCEND_IRQ_VEC_HDC		2
#define VASCEND_IRQ_VEC_STREAM_FIRST	3
/* Admin, DMA, HDC and at least one vector for the IO queues. */
#define VASCEND_IRQ_VECTORS_NEEDED	4
/* Vectors the driver uses at most; the device has 8. */
#define VASCEND_IRQ_MAX_VECTORS		32

/* Room for "vascend63-admin" and the like. */
#define VASCEND_IRQ_NAME_LEN		24

/**
 * struct vascend_irq_vector - one MSI-X vector of a card
 * @vdev: the card
 * @lock: protects @fn and @data against vascend_irq_set_handler()
 * @fn: the handler vascend_irq_set_handler() installed, or NULL
 * @data: its argument
 * @name: as /proc/interrupts shows it
 */
struct vascend_irq_vector {
	struct vascend_device *vdev;
	spinlock_t lock; /* Protects fn, data */
	void (*fn)(struct vascend_device *vdev, void *data);
	void *data;
	char name[VASCEND_IRQ_NAME_LEN];
};

/**
 * struct vascend_irq - the card's MSI-X vectors
 * @count: vectors enabled (all the device has, up to VASCEND_IRQ_MAX_VECTORS)
 * @vec: per vector
 */
struct vascend_irq {
	unsigned int count;
	struct vascend_irq_vector vec[VASCEND_IRQ_MAX_VECTORS];
};

int vascend_irq_init(struct vascend_device *vdev);
void vascend_irq_fini(struct vascend_device *vdev);

/**
 * vascend_irq_set_handler() - install or remove the handler of a vector
 * @vdev: the card
 * @vector: VASCEND_IRQ_VEC_HDC or above, below vascend_irq_count()
 * @fn: called from the vector's interrupt thread (process context: it may
 *	take a mutex, but must not wait for the device) each time the vector
 *	fires; NULL removes the handler
 * @data: passed to @fn
 *
 * After removal returns, @fn is not running and will not be called again.
 *
 * Return: 0, -EINVAL (vector 0, 1 or out of range), -EBUSY (the vector
 * already has a handler: remove it first).
 */
int vascend_irq_set_handler(struct vascend_device *vdev, unsigned int vector,
			    void (*fn)(struct vascend_device *vdev, void *data),
			    void *data);

/* Vectors the card has enabled: the IO queues use 3..count-1. */
unsigned int vascend_irq_count(struct vascend_device *vdev);

#endif /* __VASCEND_IRQ_H__ */
