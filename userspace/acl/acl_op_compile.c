// SPDX-License-Identifier: MIT
/*
 * acl_op_compiler.h on vascend: the card's library needs no compilation,
 * so aclopCompile checks (as aclopCreateHandle does) and
 * aclopCompileAndExecute(V2) checks and runs. Compile options and the
 * compile flag are stored per process and can be read back; nothing else
 * depends on them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl_op_compiler.h"
#include "acl_error.h"
#include "acl_op_internal.h"

#define NUM_OPTS	(ACL_OP_DEBUG_OPTION + 1)

/* Protects opts and flag. */
static pthread_mutex_t opt_lock = PTHREAD_MUTEX_INITIALIZER;
static char *opts[NUM_OPTS];
static aclOpCompileFlag flag = ACL_OP_COMPILE_DEFAULT;

static aclError check_compile(const char *api, aclopEngineType engine, aclopCompileType compile)
{
	if (engine != ACL_ENGINE_SYS && engine != ACL_ENGINE_AICORE && engine != ACL_ENGINE_VECTOR)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "engineType %d is not an aclopEngineType",
				(int)engine);
	if (compile != ACL_COMPILE_SYS && compile != ACL_COMPILE_UNREGISTERED)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "compileFlag %d is not an aclopCompileType",
				(int)compile);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclopCompile(const char *opType, int numInputs, const aclTensorDesc *const inputDesc[],
					  int numOutputs, const aclTensorDesc *const outputDesc[],
					  const aclopAttr *attr, aclopEngineType engineType,
					  aclopCompileType compileFlag, const char *opPath)
{
	const char *api = "aclopCompile";
	aclError rc;

	(void)opPath;
	if (!opType)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opType is NULL");
	rc = acl_op_check_descs(api, numInputs, inputDesc, numOutputs, outputDesc);
	if (!rc)
		rc = check_compile(api, engineType, compileFlag);
	if (!rc)
		rc = acl_op_check_op(api, opType, numInputs, inputDesc, numOutputs, outputDesc, attr);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopCompileAndExecute(const char *opType, int numInputs,
						    const aclTensorDesc *const inputDesc[],
						    const aclDataBuffer *const inputs[], int numOutputs,
						    const aclTensorDesc *const outputDesc[],
						    aclDataBuffer *const outputs[], const aclopAttr *attr,
						    aclopEngineType engineType, aclopCompileType compileFlag,
						    const char *opPath, aclrtStream stream)
{
	const char *api = "aclopCompileAndExecute";
	aclError rc;

	(void)opPath;
	rc = check_compile(api, engineType, compileFlag);
	return rc ? rc : acl_op_execute(api, opType, numInputs, inputDesc, inputs, numOutputs, outputDesc,
					(const aclDataBuffer *const *)outputs, attr, stream);
}

ACL_FUNC_VISIBILITY aclError aclopCompileAndExecuteV2(const char *opType, int numInputs,
						      aclTensorDesc *inputDesc[], aclDataBuffer *inputs[],
						      int numOutputs, aclTensorDesc *outputDesc[],
						      aclDataBuffer *outputs[], aclopAttr *attr,
						      aclopEngineType engineType, aclopCompileType compileFlag,
						      const char *opPath, aclrtStream stream)
{
	const char *api = "aclopCompileAndExecuteV2";
	aclError rc;

	(void)opPath;
	rc = check_compile(api, engineType, compileFlag);
	return rc ? rc : acl_op_execute(api, opType, numInputs, (const aclTensorDesc *const *)inputDesc,
					(const aclDataBuffer *const *)inputs, numOutputs,
					(const aclTensorDesc *const *)outputDesc,
					(const aclDataBuffer *const *)outputs, attr, stream);
}

ACL_FUNC_VISIBILITY aclError aclSetCompileopt(aclCompileOpt opt, const char *value)
{
	const char *api = "aclSetCompileopt";
	char *v;

	if ((int)opt < 0 || (int)opt >= NUM_OPTS)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opt %d is not an aclCompileOpt", (int)opt);
	if (!value)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "value is NULL");
	v = strdup(value);
	if (!v)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	pthread_mutex_lock(&opt_lock);
	free(opts[opt]);
	opts[opt] = v;
	pthread_mutex_unlock(&opt_lock);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY size_t aclGetCompileoptSize(aclCompileOpt opt)
{
	size_t n = 1;

	if ((int)opt < 0 || (int)opt >= NUM_OPTS) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetCompileoptSize", "opt %d is not an aclCompileOpt",
			 (int)opt);
		return 0;
	}
	pthread_mutex_lock(&opt_lock);
	if (opts[opt])
		n += strlen(opts[opt]);
	pthread_mutex_unlock(&opt_lock);
	return n;
}

ACL_FUNC_VISIBILITY aclError aclGetCompileopt(aclCompileOpt opt, char *value, size_t length)
{
	const char *api = "aclGetCompileopt";
	aclError rc = ACL_SUCCESS;
	size_t n;

	if ((int)opt < 0 || (int)opt >= NUM_OPTS)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opt %d is not an aclCompileOpt", (int)opt);
	if (!value)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "value is NULL");
	pthread_mutex_lock(&opt_lock);
	n = opts[opt] ? strlen(opts[opt]) : 0;
	if (length < n + 1)
		rc = acl_fail(ACL_ERROR_INVALID_PARAM, api, "length %zu: the value needs %zu bytes", length,
			      n + 1);
	else
		memcpy(value, opts[opt] ? opts[opt] : "", n + 1);
	pthread_mutex_unlock(&opt_lock);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopSetCompileFlag(aclOpCompileFlag f)
{
	if (f != ACL_OP_COMPILE_DEFAULT && f != ACL_OP_COMPILE_FUZZ)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclopSetCompileFlag",
				"flag %d is not an aclOpCompileFlag", (int)f);
	pthread_mutex_lock(&opt_lock);
	flag = f;
	pthread_mutex_unlock(&opt_lock);
	return ACL_SUCCESS;
}
