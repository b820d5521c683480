// SPDX-License-Identifier: MIT
/*
 * Single-op models the CANN way, from outside the tree: a directory written
 * by `atc --singleop=ops.json --output=DIR` is handed to aclopSetModelDir,
 * one of its files to aclopLoad. On vascend every op runs from the card's
 * library with or without a model, but the models must load, and bad ones
 * must be refused with CANN's codes.
 *
 *   op_models DIR        DIR holds at least one .om from atc --singleop
 *
 * Last line "RESULT: PASS" (exit 0) or "RESULT: FAIL" (exit 1).
 */
#define _POSIX_C_SOURCE 200809L	/* opendir */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <acl/acl.h>

static int failures;

static void expect(aclError got, aclError want, const char *what)
{
	const char *msg = got != ACL_SUCCESS ? aclGetRecentErrMsg() : NULL;

	printf("%s: %d%s%s   %s\n", what, got, msg ? ": " : "", msg ? msg : "",
	       got == want ? "ok" : "FAIL");
	if (got != want)
		failures++;
}

/* A model that is not one: CANN says ACL_ERROR_DESERIALIZE_MODEL or ACL_ERROR_PARSE_MODEL. */
static void expect_refused(aclError got, const char *what)
{
	expect(got == ACL_ERROR_PARSE_MODEL ? ACL_ERROR_DESERIALIZE_MODEL : got,
	       ACL_ERROR_DESERIALIZE_MODEL, what);
}

/* The bytes of the first .om file in @dir; NULL when there is none. */
static void *first_model(const char *dir, size_t *len)
{
	char path[4096];
	struct dirent *de;
	void *buf = NULL;
	DIR *d = opendir(dir);
	FILE *f;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 3 && !strcmp(de->d_name + n - 3, ".om"))
			break;
	}
	if (de && snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path) &&
	    (f = fopen(path, "rb"))) {
		if (!fseek(f, 0, SEEK_END) && (long)(*len = (size_t)ftell(f)) > 0 &&
		    !fseek(f, 0, SEEK_SET) && (buf = malloc(*len)) && fread(buf, 1, *len, f) != *len) {
			free(buf);
			buf = NULL;
		}
		fclose(f);
	}
	closedir(d);
	return buf;
}

int main(int argc, char **argv)
{
	unsigned char junk[256];
	size_t len = 0;
	void *model;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR   (DIR from atc --singleop)\n", argv[0]);
		return 2;
	}
	if (aclInit(NULL) != ACL_SUCCESS) {
		printf("aclInit failed\nRESULT: FAIL\n");
		return 1;
	}
	expect(aclopSetModelDir("/nonexistent/op_models"), ACL_ERROR_INVALID_FILE,
	       "aclopSetModelDir(a directory that does not exist)");
	expect(aclopSetModelDir(argv[1]), ACL_SUCCESS, "aclopSetModelDir(atc's directory)");
	expect(aclopSetModelDir(argv[1]), ACL_ERROR_REPEAT_INITIALIZE,
	       "aclopSetModelDir again (once per process)");

	model = first_model(argv[1], &len);
	if (!model) {
		printf("no .om file in %s   FAIL\n", argv[1]);
		failures++;
	} else {
		expect(aclopLoad(model, len), ACL_SUCCESS, "aclopLoad(one of atc's models)");
		expect_refused(aclopLoad(model, len / 2), "aclopLoad(the same model cut in half)");
		free(model);
	}
	memset(junk, 0x5a, sizeof(junk));
	expect_refused(aclopLoad(junk, sizeof(junk)), "aclopLoad(256 bytes of junk)");
	expect(aclopLoad(NULL, 16), ACL_ERROR_INVALID_PARAM, "aclopLoad(NULL)");

	if (aclFinalize() != ACL_SUCCESS)
		failures++;
	printf("RESULT: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
