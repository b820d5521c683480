/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu: the operator library (qemu-device/ops, libaop) and the model
 * runner (qemu-device/model, amdl) bound to the device core's engine. The
 * core knows them only through struct anpu_op_impl and struct
 * anpu_model_impl (anpu_engine.h, anpu_model.h), so core-only builds (the
 * fuzz targets, the core benchmarks) need neither OpenBLAS nor oneDNN.
 *
 * Every row of the library's op table becomes one op of the engine under
 * its CANN name, id and version (ONNX names are the model converter's, not
 * the device's). A launch hands the library the descriptor's tensors
 * (aclDataType / aclFormat numbers pass straight through; an omitted
 * optional operand becomes AOP_DT_NONE) and attributes (names, types,
 * counts and data as the descriptor carries them); aop_prepare() runs on
 * a worker once the tensors are mapped, its tiles run on the AI Cores, and
 * a fast path that threads inside OpenBLAS or oneDNN gets the launch's
 * AI Core count as its thread count.
 */
#ifndef ANPU_OPLIB_H
#define ANPU_OPLIB_H

#include <stdint.h>

struct aop_error;
struct anpu_launch;

/*
 * Register the library's ops and the model runner with the engine
 * (anpu_engine_set_lib()). Idempotent; call before creating a device.
 */
void anpu_oplib_register(void);

/* The VASCEND_OP_ERR_* reason of an enum aop_status. */
uint32_t anpu_oplib_reason(int aop_status);

/*
 * The OP_ERROR info (VASCEND_OP_ERR_INFO()) of a library error for launch
 * @l: inputs and outputs numbered as the descriptor lists them, an
 * attribute the message names as VASCEND_OP_ERR_ATTR(n), else the header.
 */
uint32_t anpu_oplib_error_info(const struct anpu_launch *l,
                               const struct aop_error *err);

/* The model runner's struct anpu_model_impl (anpu_oplib_model.c). */
extern const struct anpu_model_impl anpu_oplib_model;

#endif /* ANPU_OPLIB_H */
