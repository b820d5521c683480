# TAP for vascend's shell test scripts (host and guest: POSIX sh, busybox too).
# Source it, call tap_check per result, end with tap_done:
#	tap_check $? "module unloads"
#	tap_done	# prints the plan; exits 1 when anything failed
tap_n=0
tap_failed=0

# tap_check STATUS DESCRIPTION: "ok" when STATUS is 0.
tap_check() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
	fi
}

tap_done() {
	echo "1..$tap_n"
	exit $tap_failed
}
