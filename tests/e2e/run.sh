#!/usr/bin/env bash
# End-to-end tests: boot the VM with cards of known properties and run the
# guest-side tests; re-emit their TAP and add the host's own checks (the VM
# finished, the guest printed its whole plan). Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
logdir=$VASCEND_BUILD/tests/e2e
mkdir -p "$logdir"
. "$top/tests/tap.sh"

# boot NAME VM_ARGS...: run the VM, renumber the guest's TAP into ours, and
# check that it exited 0 and printed as many results as its plan promised.
boot() {
	local name=$1 log=$logdir/$1.serial.log rc plan count
	shift
	"$top/scripts/vm.sh" --quiet --log "$log" "$@"
	rc=$?
	# Several guest programs may each print a plan; their sum is the total.
	plan=$(tr -d '\r' <"$log" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' |
		awk '{ s += $1 } END { if (NR) print s }')
	count=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			count=$((count + 1))
			desc=${line#*ok }
			desc=${desc#* - }
			case $line in
			ok*) tap_check 0 "$name: $desc" ;;
			*) tap_check 1 "$name: $desc" ;;
			esac
			;;
		"#"*) echo "$line" ;;
		esac
	done < <(tr -d '\r' <"$log" | grep -E '^(ok |not ok |#)')
	tap_check $rc "$name: guest command exited 0 (got $rc; serial log $log)"
	[ -n "$plan" ] && [ "$plan" -eq "$count" ] && [ "$count" -gt 0 ]
	tap_check $? "$name: guest reported all its results ($count of plan ${plan:-missing})"
	if [ $rc -ne 0 ]; then
		echo "# last lines of $log:"
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}

mib=$((1024 * 1024))
# Two cards with different properties: every value the guest sees must be the
# one QEMU was given, and the runtime sample must pass on both.
boot two-cards \
	--card "aicores=4,hbm=64M,soc=Ascend310P3" \
	--card "aicores=8,hbm=128M" \
	--file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "vascend_e2e 4:$((64 * mib)):Ascend310P3 8:$((128 * mib)):Ascend910B3; e=\$?
	       sh tap_wrap.sh 'acl_dma_roundtrip sample passes on both cards' acl_dma_roundtrip &&
	       [ \$e -eq 0 ]"

boot firmware-refusal --no-module --file "$top/tests/e2e/guest/firmware_refusal.sh" \
	--file "$top/tests/tap.sh" \
	--cmd "sh firmware_refusal.sh"

tap_done
