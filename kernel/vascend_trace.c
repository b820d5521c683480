// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoints of vascend_trace.h, instantiated once.
 */

#define CREATE_TRACE_POINTS
#include "vascend_trace.h"
