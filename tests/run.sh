#!/usr/bin/env bash
# make test: build everything, run every suite, and end with one line
# "N passed, N failed". Each suite prints TAP; its full output is kept in
# build/tests/<suite>.log. Exits non-zero when anything failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
logs=$VASCEND_BUILD/tests
mkdir -p "$logs"
passed=0
failed=0

# suite NAME CMD...: run one suite, show its results, add them to the totals.
# A suite that exits non-zero without a failing result (it crashed, or its
# build broke) counts as one failure of its own.
suite() {
	local name=$1 log=$logs/$1.log rc p f
	shift
	step "suite $name"
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -cE '^ok ' "$log")
	f=$(grep -cE '^not ok ' "$log")
	grep -E '^(not )?ok ' "$log" | sed "s/^/    [$name] /"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "    [$name] not ok - suite exited $rc without a failing test; log: $log"
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

step "installing missing packages (make deps)"
make -s -C "$top" deps || die "installing the build's Debian packages failed"

suite host-uapi make -s -C "$top/tests/host/uapi" run
suite host-firmware make -s -C "$top/tests/host/firmware" run
suite host-device make -s -C "$top/tests/host/device" run
suite host-acl make -s -C "$top/tests/host/acl" run
suite host-ops make -s -C "$top/tests/host/ops" run
suite host-models make -s -C "$top/tests/host/models" run
suite host-headers "$top/tests/host/headers/run.sh"
suite host-api-coverage python3 "$top/tests/host/headers/api_coverage.py" --check
suite host-install "$top/tests/host/install/run.sh"
suite host-samples make -s -C "$top/tests/host/samples" run
suite fuzz-regress make -s -C "$top/tests/fuzz" regress
suite kunit "$top/scripts/kunit.sh"

step "building everything for the VM (make all)"
if make -s -C "$top" all >"$logs/build.log" 2>&1; then
	passed=$((passed + 1))
	echo "    [build] ok - make all"
	suite device-qtest make -s -C "$top/tests/host/device" qtest
	suite e2e "$top/tests/e2e/run.sh"
	suite gates "$top/tests/gates.sh"
else
	failed=$((failed + 1))
	echo "    [build] not ok - make all failed; log: $logs/build.log"
	tail -n 20 "$logs/build.log" | sed 's/^/    | /'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
