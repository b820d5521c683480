/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/hisi_hdc: one HDC session per open file (include/uapi/vascend_hdc.h).
 */

#ifndef __VASCEND_HDC_DEV_H__
#define __VASCEND_HDC_DEV_H__

int vascend_hdc_dev_init(void);
void vascend_hdc_dev_fini(void);

#endif /* __VASCEND_HDC_DEV_H__ */
