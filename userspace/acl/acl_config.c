// SPDX-License-Identifier: MIT
/*
 * aclInit's configuration file, parsed with json-c.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl_config.h"
#include "acl_error.h"
#include "acl_log.h"

/* A configuration is small; anything larger is a mistake. */
#define CONFIG_MAX	(1u << 20)

static const char api[] = "aclInit";

/* Read all of @path into a NUL-terminated buffer (freed by the caller). */
static aclError read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return acl_fail(ACL_ERROR_INVALID_FILE, api, "cannot read config file %s: %s", path,
				strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return acl_fail(ACL_ERROR_INVALID_FILE, api, "config file %s is not a regular file",
				path);
	}
	if ((uint64_t)st.st_size > CONFIG_MAX) {
		close(fd);
		return acl_fail(ACL_ERROR_INVALID_FILE_SIZE, api,
				"config file %s is %lld bytes, more than %u", path,
				(long long)st.st_size, CONFIG_MAX);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "no memory for config file %s", path);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return ACL_SUCCESS;
}

/* Line and column (from 1) of byte @off of @s. */
static void line_col(const char *s, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && s[i]; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static aclError check_keys(const char *path, struct json_object *root)
{
	struct json_object *v;
	const char *mode;

	if (json_object_object_get_ex(root, "dump", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return acl_fail(ACL_ERROR_INVALID_DUMP_CONFIG, api,
					"config file %s: \"dump\" must be an object", path);
		ACL_LOG_INFO("%s: dump configuration accepted; vascend does not dump data", path);
	}
	if (json_object_object_get_ex(root, "profiler", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return acl_fail(ACL_ERROR_INVALID_PROFILING_CONFIG, api,
					"config file %s: \"profiler\" must be an object", path);
		ACL_LOG_INFO("%s: profiler configuration accepted; vascend does not profile", path);
	}
	if (json_object_object_get_ex(root, "err_msg_mode", &v)) {
		mode = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		if (!mode || (strcmp(mode, "0") && strcmp(mode, "1")))
			return acl_fail(ACL_ERROR_FILE_ATTR_INVALID, api,
					"config file %s: \"err_msg_mode\" must be \"0\" or \"1\"",
					path);
	}
	json_object_object_foreach(root, key, val) {
		(void)val;
		if (strcmp(key, "dump") && strcmp(key, "profiler") && strcmp(key, "err_msg_mode"))
			ACL_LOG_DEBUG("%s: key \"%s\" ignored", path, key);
	}
	return ACL_SUCCESS;
}

aclError acl_config_load(const char *path)
{
	struct json_object *root;
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	int line, col;
	aclError ret;
	char *text = NULL;
	size_t len = 0;

	if (!path || !*path)
		return ACL_SUCCESS;
	ret = read_file(path, &text, &len);
	if (ret)
		return ret;
	tok = json_tokener_new();
	if (!tok) {
		free(text);
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "no memory to parse %s", path);
	}
	root = json_tokener_parse_ex(tok, text, (int)len + 1);	/* the NUL ends the text */
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		line_col(text, json_tokener_get_parse_end(tok), &line, &col);
		ret = acl_fail(ACL_ERROR_PARSE_FILE, api, "config file %s:%d:%d: not valid JSON: %s",
			       path, line, col,
			       jerr == json_tokener_success ? "trailing data" :
							      json_tokener_error_desc(jerr));
	} else if (!json_object_is_type(root, json_type_object)) {
		ret = acl_fail(ACL_ERROR_PARSE_FILE, api,
			       "config file %s: the top level must be a JSON object", path);
	} else {
		ret = check_keys(path, root);
	}
	json_object_put(root);
	json_tokener_free(tok);
	free(text);
	return ret;
}
