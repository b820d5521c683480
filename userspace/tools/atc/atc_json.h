/* SPDX-License-Identifier: MIT */
/*
 * A small JSON reader for atc's --singleop files: the whole document into
 * a tree, errors with line and column. Depth and size are bounded.
 */
#ifndef ATC_JSON_H
#define ATC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH  64
#define JSON_MAX_SIZE   (16u << 20)

enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

struct json {
    int type;
    bool b;
    double num;
    bool is_int;            /* the number is an integer that fits int64 */
    int64_t i;
    char *str;              /* JSON_STRING, NUL-terminated */
    struct json *items;     /* array elements or object values */
    char **keys;            /* object keys, parallel to items */
    size_t n;
};

/* Parse @len bytes; NULL with @err ("line 3, column 7: ...") on error. */
struct json *json_parse(const char *text, size_t len, char *err,
                        size_t errlen);
void json_free(struct json *j);
/* The member @key of object @o, or NULL. */
const struct json *json_get(const struct json *o, const char *key);
const char *json_type_name(int type);

#endif /* ATC_JSON_H */
