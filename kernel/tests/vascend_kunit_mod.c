// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module info of the vascend KUnit module (kernel/tests/Kbuild), which
 * links several suites and the driver files they test into one object.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for the vascend driver");
MODULE_LICENSE("GPL");
