#!/usr/bin/env bash
# run.sh BINDIR SAMPLE...: run each sample built by this directory's Makefile
# on the fake cards, then the ones that compute on the card again with
# every result corrupted (they must notice). Prints TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tap.sh"
bin=$1
shift
# OpenBLAS', OpenMP's and oneDNN's caches live until exit by design.
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$here/../ops/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1
unset VASCEND_HAL_BACKEND VASCEND_HAL_FAKE_DEVICES ASCEND_GLOBAL_LOG_LEVEL \
	ASCEND_SLOG_PRINT_TO_STDOUT ASCEND_LOG_PRINT_TO_STDOUT
export ASCEND_PROCESS_LOG_PATH=${TMPDIR:-/tmp}/vascend-samples-log.$$
trap 'rm -rf "$ASCEND_PROCESS_LOG_PATH"' EXIT

# The samples whose numbers come from ops the card runs.
computing="acl_op_add acl_op_conv2d acl_gemm"

for s in "$@"; do
	out=$("$bin/$s" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qx 'RESULT: PASS'
	tap_check $? "sample $s passes on fake cards with the reference op library (exit $rc)"
done
for s in $computing; do
	[ -x "$bin/$s" ] || continue
	out=$(SAMPLE_FAKE_CORRUPT=1 "$bin/$s" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	[ $rc -eq 1 ] && printf '%s\n' "$out" | grep -qx 'RESULT: FAIL'
	tap_check $? "sample $s notices a wrong result and exits 1 (exit $rc)"
done
# The programs samples/Makefile builds, on the shipped libraries' own fake
# backend (VASCEND_HAL_BACKEND=fake: memory, streams, events, callbacks; its
# cards run no ops, so the op samples must fail there, cleanly).
for s in "$@"; do
	[ -x "${SHIPPED_BIN:-}/$s" ] || continue
	out=$(env -u ASAN_OPTIONS -u LSAN_OPTIONS VASCEND_HAL_BACKEND=fake \
		VASCEND_HAL_FAKE_DEVICES=0,1 LD_LIBRARY_PATH="$SHIPPED_LIB" "$SHIPPED_BIN/$s" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	case " $computing " in
	*" $s "*)
		[ $rc -eq 1 ] && printf '%s\n' "$out" | grep -qx 'RESULT: FAIL' &&
			printf '%s\n' "$out" | grep -q 'not in device 0.s firmware op table'
		tap_check $? "shipped $s on the fake backend without ops: says the op is not on the card, exit 1" ;;
	*)
		[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qx 'RESULT: PASS'
		tap_check $? "shipped $s passes on the shipped libraries' fake backend (exit $rc)" ;;
	esac
done

# The runner `make run` uses (samples/run_samples.sh, vascend-samples in the
# guest) on a made-up install: a sample with a run script and data, one that
# fails, one whose program is missing.
t=$(mktemp -d "${TMPDIR:-/tmp}/vascend-runner.XXXXXX")
mkdir -p "$t/bin" "$t/share/with_args"
# shellcheck disable=SC2016 # the made-up program's own $1 and $2
printf '#!/bin/sh\n[ "$1" = --picture ] && [ "$(cat "$2")" = face ] && echo "got $2"\n' >"$t/bin/with_args"
printf '#!/bin/sh\necho "RESULT: FAIL"; exit 3\n' >"$t/bin/failing"
printf '#!/bin/sh\necho fine\n' >"$t/bin/plain"
printf '#!/bin/sh\necho "no model.om: not built here"; exit 77\n' >"$t/bin/no_data"
chmod +x "$t/bin/"*
printf 'with_args --picture picture.txt\n' >"$t/share/with_args/run"
printf 'face\n' >"$t/share/with_args/picture.txt"
printf 'plain\nwith_args\nfailing\nmissing\nno_data\n' >"$t/share/list"
export VASCEND_SAMPLES_SHARE=$t/share VASCEND_SAMPLES_BIN=$t/bin
out=$(sh "$here/../../../samples/run_samples.sh" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -ne 0 ] &&
	printf '%s\n' "$out" | grep -qE '^  PASS  plain ' &&
	printf '%s\n' "$out" | grep -qE '^  PASS  with_args ' &&
	printf '%s\n' "$out" | grep -qE '^  FAIL  failing .*\(exit 3\)' &&
	printf '%s\n' "$out" | grep -qE '^  FAIL  missing .*\(exit 127\)' &&
	printf '%s\n' "$out" | grep -qE '^  SKIP  no_data .*\(no model.om: not built here\)' &&
	printf '%s\n' "$out" | grep -qx 'samples: 2 passed, 2 failed, 1 skipped' &&
	printf '%s\n' "$out" | grep -qx 'got picture.txt'
tap_check $? "vascend-samples: a verdict per sample, run scripts with their data, exit 77 is SKIP, exit non-zero on a failure"
out=$(sh "$here/../../../samples/run_samples.sh" --tap plain with_args no_data 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -cE '^ok [12] - sample ')" -eq 2 ] &&
	printf '%s\n' "$out" | grep -qx 'ok 3 - sample no_data # SKIP no model.om: not built here' &&
	printf '%s\n' "$out" | grep -qx '1..3'
tap_check $? "vascend-samples --tap NAME...: only those, as TAP (skips as # SKIP), exit 0"
rm -rf "$t"

tap_done
