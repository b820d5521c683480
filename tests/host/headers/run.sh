#!/usr/bin/env bash
# The public AscendCL headers (userspace/include/acl) compile on their own,
# in any order, as C (c99, c11, c17) and C++ (c++11, c++17), with
# -Wall -Wextra -pedantic -Werror, as a CANN program includes them; and
# acl/acl.h alone declares what CANN's acl.h declares (runtime, single op
# and, once it exists, models). Prints TAP.
#
#   tests/host/headers/run.sh [INCLUDE_DIR]   default userspace/include
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
. "$top/tests/tap.sh"
inc=${1:-$top/userspace/include}
work=$(mktemp -d "${TMPDIR:-/tmp}/vascend-headers.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v g++ >/dev/null || { echo "Bail out! g++ is missing: run scripts/deps.sh host"; exit 1; }

headers=$(cd "$inc" && find acl -name '*.h' | LC_ALL=C sort)
[ -n "$headers" ]
# shellcheck disable=SC2086 # one word per header
tap_check $? "headers found under $inc: $(printf '%s ' $headers)"

warn=(-Wall -Wextra -pedantic -Werror)

# try LANG STD FILE [CC]: compile FILE (C or C++) with the strict flags; print errors as comments.
try() {
	local lang=$1 std=$2 src=$3 cc=${4:-gcc}
	[ "$lang" = c++ ] && [ "$cc" = gcc ] && cc=g++
	if ! "$cc" -x "$lang" "-std=$std" "${warn[@]}" -I"$inc" -c -o "$work/o.o" "$src" \
		>"$work/err" 2>&1; then
		sed 's/^/#   /' "$work/err" | head -n 20
		return 1
	fi
}

# Each header first and alone, then all of them in both orders.
i=0
for h in $headers; do
	i=$((i + 1))
	printf '#include "%s"\n#include "%s"\nint vascend_header_test_%d;\n' "$h" "$h" "$i" >"$work/h$i.c"
done
{ for h in $headers; do printf '#include "%s"\n' "$h"; done; echo 'int vascend_all;'; } >"$work/all.c"
{ for h in $headers; do printf '#include "%s"\n' "$h"; done | tac; echo 'int vascend_all;'; } >"$work/rall.c"

for std in c99 c11 c17 c++11 c++17; do
	lang=c
	case $std in c++*) lang=c++ ;; esac
	bad=
	i=0
	for h in $headers; do
		i=$((i + 1))
		try "$lang" "$std" "$work/h$i.c" || bad="$bad $h"
	done
	[ -z "$bad" ]
	tap_check $? "-std=$std -Wall -Wextra -pedantic -Werror: every header alone, twice${bad:+ (fail:$bad)}"
	try "$lang" "$std" "$work/all.c" && try "$lang" "$std" "$work/rall.c"
	tap_check $? "-std=$std: all headers together, in both orders"
done

# clang too, where it is installed (the fuzz targets need it): C11 and C++17.
clang=$(command -v clang || command -v clang-14 || true)
if [ -n "$clang" ]; then
	for std in c11 c++17; do
		lang=c
		[ "$std" = c++17 ] && lang=c++
		try "$lang" "$std" "$work/all.c" "$clang" && try "$lang" "$std" "$work/rall.c" "$clang"
		tap_check $? "clang -std=$std -Wall -Wextra -pedantic -Werror: all headers together, in both orders"
	done
fi

# acl/acl.h alone is enough for the runtime and the single-op API, as CANN's
# acl.h includes acl_rt.h and acl_op.h (and acl_mdl.h). Taking the address
# of each function checks the declaration is there with the type CANN gives.
cat >"$work/acl_only.c" <<'SRC'
#include "acl/acl.h"
aclError (*const f_init)(const char *) = aclInit;
aclError (*const f_malloc)(void **, size_t, aclrtMemMallocPolicy) = aclrtMalloc;
aclError (*const f_exec)(const char *, int, aclTensorDesc *[], aclDataBuffer *[], int,
			 aclTensorDesc *[], aclDataBuffer *[], aclopAttr *, aclrtStream) = aclopExecuteV2;
aclopAttr *(*const f_attr)(void) = aclopCreateAttr;
aclTensorDesc *(*const f_desc)(aclDataType, int, const int64_t *, aclFormat) = aclCreateTensorDesc;
SRC
for std in c11 c++11; do
	lang=c
	[ "$std" = c++11 ] && lang=c++
	try "$lang" "$std" "$work/acl_only.c"
	tap_check $? "-std=$std: acl/acl.h alone declares aclInit, aclrtMalloc, aclopExecuteV2, aclopCreateAttr, aclCreateTensorDesc"
done
if [ -f "$inc/acl/acl_mdl.h" ]; then
	cat >"$work/acl_mdl_only.c" <<'SRC'
#include "acl/acl.h"
aclError (*const f_load)(const char *, uint32_t *) = aclmdlLoadFromFile;
aclError (*const f_exec)(uint32_t, const aclmdlDataset *, aclmdlDataset *) = aclmdlExecute;
SRC
	try c c11 "$work/acl_mdl_only.c" && try c++ c++11 "$work/acl_mdl_only.c"
	tap_check $? "acl/acl.h alone declares aclmdlLoadFromFile and aclmdlExecute (C and C++)"
fi

# The GEMM and compiler headers need nothing but themselves.
cat >"$work/blas.c" <<'SRC'
#include "acl/ops/acl_cblas.h"
#include "acl/acl_op_compiler.h"
aclError (*const f_gemm)(aclTransType, aclTransType, aclTransType, int, int, int, const void *,
			 const void *, int, aclDataType, const void *, int, aclDataType,
			 const void *, void *, int, aclDataType, aclComputeType,
			 aclrtStream) = aclblasGemmEx;
SRC
try c c99 "$work/blas.c" && try c++ c++17 "$work/blas.c"
tap_check $? "acl/ops/acl_cblas.h and acl/acl_op_compiler.h stand alone; aclblasGemmEx has CANN's type (C and C++)"

# The checks can fail: a header with a pedantic error is refused.
mkdir -p "$work/bad/acl"
printf 'typedef enum { A, B, } t;\nint x = 0;;\n' >"$work/bad/acl/bad.h"
printf '#include "acl/bad.h"\n' >"$work/bad.c"
! gcc -x c -std=c99 "${warn[@]}" -I"$work/bad" -c -o "$work/o.o" "$work/bad.c" 2>/dev/null
tap_check $? "a header with a stray ';' fails the same flags (the check has teeth)"

tap_done
