#!/usr/bin/env bash
# `make install PREFIX=<tmp>` and programs built outside the tree against
# what it installed: with plain -I/-L/-lascendcl, with pkg-config, as C++;
# run on the fake cards the shipped libascend_hal.so carries
# (VASCEND_HAL_BACKEND=fake). Also a DESTDIR install, the installed
# headers under the strict compile test, and the installed tools. Prints TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
. "$top/tests/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vascend-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
mkdir -p "$tmp/work"

# make's own output only on failure: it goes to the log, shown as comments.
make -s -C "$top" install PREFIX="$prefix" >"$tmp/install.log" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/install.log" | tail -n 20
tap_check $rc "make install PREFIX=$prefix"

missing=
for f in include/acl/acl.h include/acl/acl_base.h include/acl/acl_rt.h include/acl/acl_op.h \
	include/acl/acl_op_compiler.h include/acl/ops/acl_cblas.h \
	include/acl/error_codes/rt_error_codes.h lib/libascendcl.so lib/libascend_hal.so \
	lib/pkgconfig/ascendcl.pc bin/atc; do
	[ -e "$prefix/$f" ] || missing="$missing $f"
done
[ -z "$missing" ]
tap_check $? "installed: headers, libascendcl.so, libascend_hal.so, ascendcl.pc, atc${missing:+ (missing:$missing)}"
# Every public header of the tree is installed, and nothing differs.
diff -r "$top/userspace/include/acl" "$prefix/include/acl" >"$tmp/diff" 2>&1
tap_check $? "include/acl is the tree's userspace/include/acl exactly$( [ -s "$tmp/diff" ] && echo ": $(head -c 200 "$tmp/diff")")"
if [ -d "$top/userspace/tools/npu-smi" ]; then
	[ -x "$prefix/bin/npu-smi" ]
	tap_check $? "installed: bin/npu-smi"
fi
grep -qx "prefix=$prefix" "$prefix/lib/pkgconfig/ascendcl.pc"
tap_check $? "ascendcl.pc names the prefix it was installed to"

export VASCEND_HAL_BACKEND=fake VASCEND_HAL_FAKE_DEVICES=0
unset ASCEND_GLOBAL_LOG_LEVEL ASCEND_SLOG_PRINT_TO_STDOUT ASCEND_LOG_PRINT_TO_STDOUT
export ASCEND_PROCESS_LOG_PATH=$tmp/log

# build_and_run NAME CMD...: compile in a directory outside the tree; then
# run it (with $run_args) from there.
run_args=
build_and_run() {
	local name=$1 out
	shift
	(cd "$tmp/work" && "$@") >"$tmp/cc.log" 2>&1
	if ! tap_check $? "$name: builds"; then
		sed 's/^/#   /' "$tmp/cc.log" | head -n 20
		tap_check 1 "$name: runs"
		return
	fi
	# shellcheck disable=SC2086
	out=$(cd "$tmp/work" && LD_LIBRARY_PATH=$prefix/lib "./$name" $run_args 2>&1)
	printf '%s\n' "$out" | sed 's/^/# /'
	printf '%s\n' "$out" | grep -qx 'RESULT: PASS'
	tap_check $? "$name: runs against the installed libraries on a fake card"
}

cp "$here/prog.c" "$tmp/work/prog.c"
build_and_run plain cc prog.c -I"$prefix/include" -L"$prefix/lib" -lascendcl -o plain

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# (word by word: pkg-config ends its line with a space)
pc_flags=$(pkg-config --cflags --libs ascendcl 2>&1 | xargs)
[ "$pc_flags" = "-I$prefix/include -L$prefix/lib -lascendcl" ]
tap_check $? "pkg-config --cflags --libs ascendcl: $pc_flags"
[ "$(pkg-config --modversion ascendcl)" = 1.1.0 ]
tap_check $? "pkg-config --modversion ascendcl is the headers' ACL version 1.1.0"
# shellcheck disable=SC2046
build_and_run with_pkgconfig cc prog.c $(pkg-config --cflags --libs ascendcl) -o with_pkgconfig
# shellcheck disable=SC2046
build_and_run as_cxx g++ -x c++ -std=c++17 -Wall -Wextra -Werror prog.c \
	$(pkg-config --cflags --libs ascendcl) -o as_cxx

# With an rpath to the prefix only: libascendcl finds libascend_hal next to it.
(cd "$tmp/work" && cc prog.c -I"$prefix/include" -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" \
	-lascendcl -o rpath) >"$tmp/cc.log" 2>&1 &&
	env -u LD_LIBRARY_PATH "$tmp/work/rpath" | grep -qx 'RESULT: PASS'
tap_check $? "a program with an rpath to PREFIX/lib runs without LD_LIBRARY_PATH (libascendcl's RUNPATH \$ORIGIN)"

"$here/../headers/run.sh" "$prefix/include" >"$tmp/headers.tap" 2>&1
rc=$?
grep -E '^not ok' "$tmp/headers.tap" | sed 's/^/#   /'
tap_check $rc "the installed headers pass tests/host/headers ($(grep -c '^ok' "$tmp/headers.tap") checks)"

"$prefix/bin/atc" --help 2>&1 | grep -q '^usage: atc --framework=5'
tap_check $? "installed atc runs (atc --help)"
# CANN's single-op workflow: atc --singleop, then aclopSetModelDir / aclopLoad.
cp "$here/add_op.json" "$here/op_models.c" "$tmp/work/"
(cd "$tmp/work" && "$prefix/bin/atc" --singleop=add_op.json --output=op_models) >"$tmp/atc.log" 2>&1 &&
	ls "$tmp/work/op_models/"*.om >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/atc.log" | tail -n 10
tap_check $rc "installed atc --singleop=add_op.json writes Add's single-op model"
run_args=op_models
# shellcheck disable=SC2046
build_and_run op_models_prog cc -std=c11 -Wall -Wextra -Werror op_models.c \
	$(pkg-config --cflags --libs ascendcl) -o op_models_prog
run_args=
if [ -x "$prefix/bin/npu-smi" ]; then
	LD_LIBRARY_PATH=$prefix/lib "$prefix/bin/npu-smi" info >"$tmp/smi" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/smi" | head -n 12
	tap_check $rc "installed npu-smi info runs on a fake card"
fi

# A staged install (packagers, the guest image): prefix /usr under DESTDIR.
make -s -C "$top" install PREFIX=/usr DESTDIR="$tmp/stage" WITH_ATC=no >"$tmp/stage.log" 2>&1 &&
	[ -f "$tmp/stage/usr/include/acl/acl.h" ] && [ -f "$tmp/stage/usr/lib/libascendcl.so" ] &&
	grep -qx 'prefix=/usr' "$tmp/stage/usr/lib/pkgconfig/ascendcl.pc" &&
	[ ! -e "$tmp/stage/usr/bin/atc" ]
tap_check $? "make install PREFIX=/usr DESTDIR=... WITH_ATC=no stages /usr with prefix=/usr, no atc"

tap_done
