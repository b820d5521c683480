#!/usr/bin/env bash
# The driver's fuzzer in the VM (make fuzz): boot a card with the kernel's
# memory-error detectors switched on, run tests/e2e/guest/davinci_fuzz for
# FUZZ_SECONDS, then check dmesg, the taint flags, leaks and rmmod
# (tests/fuzz/guest/fuzz_driver.sh). Prints TAP; exits 1 on a failure.
#
#   tests/fuzz/guest_fuzz.sh [SECONDS [SEED]]
#
# Debian's kernel has neither KASAN nor UBSAN nor kmemleak (docs/debugging.md):
# what it has is switched on here, on the command line:
#   kfence.sample_interval=1  KFENCE guards one allocation every ms
#   slub_debug=FZPU           SLUB sanity checks, red zones, poisoning, owners
#   page_poison=1             freed pages are poisoned and checked
#   init_on_free=1            freed memory is zeroed (stale reads show up)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
secs=${1:-${FUZZ_SECONDS:-60}}
seed=${2:-}
log=$VASCEND_BUILD/fuzz/driver.serial.log
mkdir -p "$(dirname "$log")"
bin=$VASCEND_BUILD/tests/e2e/bin

echo "==> fuzzing the driver in the VM for ${secs}s (serial log: $log)"
"$top/scripts/vm.sh" --quiet --log "$log" --timeout $((secs * 3 + 300)) --mem 1024 \
	--append "kfence.sample_interval=1 slub_debug=FZPU page_poison=1 init_on_free=1" \
	--card "aicores=4,hbm=64M" \
	--file "$bin/davinci_fuzz" --file "$top/tests/fuzz/guest/fuzz_driver.sh" \
	--file "$top/tests/tap.sh" \
	--cmd "sh fuzz_driver.sh $secs $seed"
rc=$?
tr -d '\r' <"$log" | grep -E '^(ok |not ok |#)' | sed 's/^/    /'
if [ $rc -ne 0 ]; then
	echo "vascend: fuzz: the driver fuzzer failed (exit $rc); replay with the seed above:"
	echo "    tests/fuzz/guest_fuzz.sh $secs SEED; serial log: $log"
	tail -n 20 "$log" | sed 's/^/#   /'
	exit 1
fi
