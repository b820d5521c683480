/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/davinci_manager: one node for all cards (include/uapi/vascend_manager.h).
 */

#ifndef __VASCEND_MGR_H__
#define __VASCEND_MGR_H__

int vascend_mgr_init(void);
void vascend_mgr_fini(void);

#endif /* __VASCEND_MGR_H__ */
