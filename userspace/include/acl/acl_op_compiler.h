/* SPDX-License-Identifier: MIT */
/*
 * AscendCL op compilation API for vascend, with the names, signatures and
 * values of CANN's acl_op_compiler.h. vascend compiles nothing: every op
 * of the card's library is ready to run, so "compile" means "check", and
 * aclopCompileAndExecute runs the op as aclopExecuteV2 does. Compile
 * options are stored and can be read back; none changes what runs.
 * Graph dumps (aclGenGraphAndDumpForOp) are not provided.
 */
#ifndef INC_EXTERNAL_ACL_ACL_OP_COMPILER_H_
#define INC_EXTERNAL_ACL_ACL_OP_COMPILER_H_

#include "acl_base.h"
#include "acl_op.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum aclCompileType {
	ACL_COMPILE_SYS,
	ACL_COMPILE_UNREGISTERED,
} aclopCompileType;

typedef enum {
	ACL_PRECISION_MODE,
	ACL_AICORE_NUM,
	ACL_AUTO_TUNE_MODE,
	ACL_OP_SELECT_IMPL_MODE,
	ACL_OPTYPELIST_FOR_IMPLMODE,
	ACL_OP_DEBUG_LEVEL,
	ACL_DEBUG_DIR,
	ACL_OP_COMPILER_CACHE_MODE,
	ACL_OP_COMPILER_CACHE_DIR,
	ACL_OP_PERFORMANCE_MODE,
	ACL_OP_JIT_COMPILE,
	ACL_OP_DETERMINISTIC,
	ACL_CUSTOMIZE_DTYPES,
	ACL_OP_PRECISION_MODE,
	ACL_ALLOW_HF32,
	ACL_PRECISION_MODE_V2,
	ACL_OP_DEBUG_OPTION,
} aclCompileOpt;

typedef enum aclCompileFlag {
	ACL_OP_COMPILE_DEFAULT,
	ACL_OP_COMPILE_FUZZ,
} aclOpCompileFlag;

/**
 * aclopCompile() - check that op @opType exists on the current device and
 * takes these descriptions and attributes as far as the runtime can tell
 * (the card checks the rest when the op runs). @engineType and
 * @compileFlag must be known values; @opPath is ignored.
 */
ACL_FUNC_VISIBILITY aclError aclopCompile(const char *opType, int numInputs, const aclTensorDesc *const inputDesc[],
					  int numOutputs, const aclTensorDesc *const outputDesc[],
					  const aclopAttr *attr, aclopEngineType engineType,
					  aclopCompileType compileFlag, const char *opPath);

/** aclopCompileAndExecute() - aclopCompile, then run the op as aclopExecuteV2 does */
ACL_FUNC_VISIBILITY aclError aclopCompileAndExecute(const char *opType, int numInputs,
						    const aclTensorDesc *const inputDesc[],
						    const aclDataBuffer *const inputs[], int numOutputs,
						    const aclTensorDesc *const outputDesc[],
						    aclDataBuffer *const outputs[], const aclopAttr *attr,
						    aclopEngineType engineType, aclopCompileType compileFlag,
						    const char *opPath, aclrtStream stream);

ACL_FUNC_VISIBILITY aclError aclopCompileAndExecuteV2(const char *opType, int numInputs,
						      aclTensorDesc *inputDesc[], aclDataBuffer *inputs[],
						      int numOutputs, aclTensorDesc *outputDesc[],
						      aclDataBuffer *outputs[], aclopAttr *attr,
						      aclopEngineType engineType, aclopCompileType compileFlag,
						      const char *opPath, aclrtStream stream);

/** aclSetCompileopt() - store option @opt (a NUL-terminated string) */
ACL_FUNC_VISIBILITY aclError aclSetCompileopt(aclCompileOpt opt, const char *value);

/** aclGetCompileoptSize() - bytes aclGetCompileopt needs for @opt, NUL included */
ACL_FUNC_VISIBILITY size_t aclGetCompileoptSize(aclCompileOpt opt);

/** aclGetCompileopt() - option @opt's value ("" when never set) into @value */
ACL_FUNC_VISIBILITY aclError aclGetCompileopt(aclCompileOpt opt, char *value, size_t length);

/** aclopSetCompileFlag() - ACL_OP_COMPILE_DEFAULT or ACL_OP_COMPILE_FUZZ; stored only */
ACL_FUNC_VISIBILITY aclError aclopSetCompileFlag(aclOpCompileFlag flag);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_OP_COMPILER_H_ */
