/* SPDX-License-Identifier: MIT */
/*
 * JSON reader (see atc_json.h): recursive descent over the text, one tree.
 * Strings are unescaped (\uXXXX to UTF-8, surrogate pairs joined).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atc_json.h"

struct parser {
    const char *p, *end, *start;
    int depth;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
    int line = 1, col = 1;
    size_t o;
    va_list ap;

    if (ps->failed) {
        return;
    }
    ps->failed = true;
    for (const char *q = ps->start; q < ps->p && q < ps->end; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    o = (size_t)snprintf(ps->err, ps->errlen, "line %d, column %d: ", line,
                         col);
    if (o < ps->errlen) {
        va_start(ap, fmt);
        vsnprintf(ps->err + o, ps->errlen - o, fmt, ap);
        va_end(ap);
    }
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static bool lit(struct parser *ps, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, word, n)) {
        ps->p += n;
        return true;
    }
    return false;
}

static int hex4(const char *s)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* At the opening quote. The result is at most as long as the source. */
static char *parse_string(struct parser *ps)
{
    const char *s = ++ps->p;
    char *out, *o;

    while (ps->p < ps->end && *ps->p != '"') {
        if (*ps->p == '\\') {
            ps->p++;
        }
        ps->p++;
    }
    if (ps->p >= ps->end) {
        fail(ps, "unterminated string");
        return NULL;
    }
    out = malloc((size_t)(ps->p - s) + 1);
    if (!out) {
        fail(ps, "out of memory");
        return NULL;
    }
    o = out;
    for (const char *q = s; q < ps->p; q++) {
        if ((unsigned char)*q < 0x20) {
            free(out);
            fail(ps, "control character in a string");
            return NULL;
        }
        if (*q != '\\') {
            *o++ = *q;
            continue;
        }
        q++;
        switch (*q) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            int cp = ps->p - q >= 5 ? hex4(q + 1) : -1;
            if (cp < 0) {
                free(out);
                fail(ps, "bad \\u escape");
                return NULL;
            }
            q += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && ps->p - q >= 7 &&
                q[1] == '\\' && q[2] == 'u') {
                int lo = hex4(q + 3);
                if (lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    q += 6;
                }
            }
            /* \uXXXX is 6 source bytes for at most 3 (4 for a pair of
             * 12) output bytes: the buffer is large enough */
            o += put_utf8(o, (unsigned)cp);
            break;
        }
        default:
            free(out);
            fail(ps, "bad escape '\\%c'", *q);
            return NULL;
        }
    }
    *o = 0;
    ps->p++;
    return out;
}

static bool parse_value(struct parser *ps, struct json *j);

static bool grow(struct parser *ps, struct json *j, size_t *cap, bool keys)
{
    size_t c = *cap ? *cap * 2 : 8;
    struct json *it;

    if (j->n < *cap) {
        return true;
    }
    it = realloc(j->items, c * sizeof(*it));
    if (!it) {
        fail(ps, "out of memory");
        return false;
    }
    j->items = it;
    if (keys) {
        char **k = realloc(j->keys, c * sizeof(*k));
        if (!k) {
            fail(ps, "out of memory");
            return false;
        }
        j->keys = k;
    }
    *cap = c;
    return true;
}

static bool parse_container(struct parser *ps, struct json *j, bool obj)
{
    size_t cap = 0;
    char close = obj ? '}' : ']';

    j->type = obj ? JSON_OBJECT : JSON_ARRAY;
    if (++ps->depth > JSON_MAX_DEPTH) {
        fail(ps, "nested deeper than %d", JSON_MAX_DEPTH);
        return false;
    }
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return true;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (obj) {
            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, "expected a member name in quotes");
                return false;
            }
            key = parse_string(ps);
            if (!key) {
                return false;
            }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                fail(ps, "expected ':'");
                return false;
            }
            ps->p++;
        }
        if (!grow(ps, j, &cap, obj)) {
            free(key);
            return false;
        }
        memset(&j->items[j->n], 0, sizeof(j->items[0]));
        if (obj) {
            j->keys[j->n] = key;
        }
        j->n++;
        if (!parse_value(ps, &j->items[j->n - 1])) {
            return false;
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            ps->depth--;
            return true;
        }
        fail(ps, "expected ',' or '%c'", close);
        return false;
    }
}

static bool parse_number(struct parser *ps, struct json *j)
{
    char buf[64], *e;
    size_t n = 0;
    const char *s = ps->p;
    bool integral = true;

    while (ps->p < ps->end && n < sizeof(buf) - 1 &&
           strchr("+-0123456789.eE", *ps->p)) {
        if (strchr(".eE", *ps->p)) {
            integral = false;
        }
        buf[n++] = *ps->p++;
    }
    buf[n] = 0;
    if (!n || (s[0] != '-' && (s[0] < '0' || s[0] > '9'))) {
        fail(ps, "expected a value");
        return false;
    }
    errno = 0;
    j->num = strtod(buf, &e);
    if (*e || !isfinite(j->num)) {
        fail(ps, "bad number '%s'", buf);
        return false;
    }
    j->type = JSON_NUMBER;
    if (integral) {
        errno = 0;
        j->i = strtoll(buf, &e, 10);
        j->is_int = !errno && !*e;
    }
    return true;
}

static bool parse_value(struct parser *ps, struct json *j)
{
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end of the document");
        return false;
    }
    switch (*ps->p) {
    case '{':
        return parse_container(ps, j, true);
    case '[':
        return parse_container(ps, j, false);
    case '"':
        j->type = JSON_STRING;
        j->str = parse_string(ps);
        return j->str != NULL;
    case 't':
    case 'f':
    case 'n':
        if (lit(ps, "true") || lit(ps, "false")) {
            j->type = JSON_BOOL;
            j->b = ps->p[-1] == 'e' && ps->p[-2] == 'u';
            return true;
        }
        if (lit(ps, "null")) {
            j->type = JSON_NULL;
            return true;
        }
        fail(ps, "expected a value");
        return false;
    default:
        return parse_number(ps, j);
    }
}

static void json_clear(struct json *j)
{
    free(j->str);
    for (size_t i = 0; i < j->n; i++) {
        json_clear(&j->items[i]);
        if (j->keys) {
            free(j->keys[i]);
        }
    }
    free(j->items);
    free(j->keys);
}

void json_free(struct json *j)
{
    if (j) {
        json_clear(j);
        free(j);
    }
}

struct json *json_parse(const char *text, size_t len, char *err,
                        size_t errlen)
{
    struct parser ps = { text, text + len, text, 0, err, errlen, false };
    struct json *j;

    if (len > JSON_MAX_SIZE) {
        snprintf(err, errlen, "%zu bytes, above the %u limit", len,
                 JSON_MAX_SIZE);
        return NULL;
    }
    j = calloc(1, sizeof(*j));
    if (!j) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (parse_value(&ps, j)) {
        skip_ws(&ps);
        if (ps.p < ps.end) {
            fail(&ps, "text after the document");
        }
    }
    if (ps.failed) {
        json_free(j);
        return NULL;
    }
    return j;
}

const struct json *json_get(const struct json *o, const char *key)
{
    if (!o || o->type != JSON_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < o->n; i++) {
        if (!strcmp(o->keys[i], key)) {
            return &o->items[i];
        }
    }
    return NULL;
}

const char *json_type_name(int type)
{
    static const char *const names[] = { "null", "bool", "number", "string",
                                         "array", "object" };

    return type >= 0 && type <= JSON_OBJECT ? names[type] : "?";
}
