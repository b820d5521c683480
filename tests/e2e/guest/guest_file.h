/* SPDX-License-Identifier: MIT */
/*
 * Guest test programs: whole files the host passed in with vm.sh --file
 * (models, inputs, reference outputs).
 */
#ifndef VASCEND_TESTS_E2E_GUEST_FILE_H
#define VASCEND_TESTS_E2E_GUEST_FILE_H

#include <stdio.h>
#include <stdlib.h>

/* The contents of @path (malloc'd, *len bytes), or NULL. */
static inline void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

#endif
