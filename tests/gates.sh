#!/usr/bin/env bash
# Build and style gates as tests: the driver is checkpatch.pl --strict clean
# (the kernel's) and still compiles against bookworm's 6.1 kernel; the device
# is clean under QEMU's own checkpatch.pl. (The module's warning-free W=1
# build against 6.12 is enforced by -Werror in kernel/Kbuild.) Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/tap.sh"

# gate DESCRIPTION CMD...: one TAP line; the tool's output as comments on failure.
gate() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	tap_check $rc "$desc"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | grep -vE '^$' | sed 's/^/#   /'
}

gate "kernel/ is clean under the kernel's checkpatch.pl --strict" \
	"$top/scripts/checkpatch.sh"
gate "the driver compiles against bookworm's 6.1 kernel headers" \
	make -s -C "$top/kernel" check-6.1
gate "qemu-device/ is clean under QEMU's checkpatch.pl" \
	"$top/scripts/qemu-build.sh" checkpatch
tap_done
