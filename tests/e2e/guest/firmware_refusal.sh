#!/bin/sh
# Runs inside the VM, booted without the driver loaded. Loads the driver with
# each broken firmware image: the probe must fail with one clear dmesg line
# and leave no /dev/davinci0; then the good image must still bring the card
# up. Prints TAP.
#
# Images from firmware/ (mkfw -c KIND) live in /lib/firmware/vascend/bad/.
# The driver checks images itself; with fw_check=0 it hands them to the
# device unchecked, so the device's own refusal is tested too.

. ./tap.sh

# try KIND FW_CHECK EXPECTED_DMESG_WORD
try() {
	dmesg -c >/dev/null
	modprobe vascend fw_name=vascend/bad/$1.bin fw_check=$2
	sleep 0.2
	log=$(dmesg | grep 'vascend')
	[ ! -e /dev/davinci0 ]
	tap_check $? "fw_check=$2, $1 image: no /dev/davinci0"
	echo "$log" | grep -q "$3"
	tap_check $? "fw_check=$2, $1 image: dmesg says '$3'"
	if [ -n "$log" ]; then echo "$log" | sed 's/^/#   /'; fi
	echo "$log" | grep -qiE 'BUG|Oops|WARNING|Call Trace'
	[ $? -ne 0 ]
	tap_check $? "fw_check=$2, $1 image: no kernel warning"
	echo "$log" | grep -q 'unknown status'
	[ $? -ne 0 ]
	tap_check $? "fw_check=$2, $1 image: every status is named"
	rmmod vascend
	tap_check $? "fw_check=$2, $1 image: module unloads"
}

for kind in magic format header-size truncated crc section-type \
	section-overrun no-build-info reserved flags too-big dup-op-id; do
	try "$kind" 1 "firmware vascend/bad/$kind.bin rejected: "
done
# Images the driver can only check for form: an op or HDC service the device
# does not implement, a firmware major version it does not run. The driver
# hands them over and the device refuses them.
for kind in unknown-op unknown-service major-2; do
	try "$kind" 1 "device refused firmware vascend/bad/$kind.bin: "
done
# The device validates what the driver hands it; truncated and too-big
# cannot reach it (request_firmware gives the driver the real file size).
for kind in magic format header-size crc section-type section-overrun \
	no-build-info reserved flags unknown-op dup-op-id unknown-service \
	major-2; do
	try "$kind" 0 "device refused firmware vascend/bad/$kind.bin: "
done

dmesg -c >/dev/null
modprobe vascend
tap_check $? "good image: modprobe vascend"
[ -c /dev/davinci0 ]
tap_check $? "good image: /dev/davinci0 exists after the refusals"
probe_lines=$(dmesg | grep -c "vascend.*firmware 1\.0\.0")
[ "$probe_lines" -ge 1 ]
tap_check $? "good image: probe line names firmware 1.0.0"
tap_done
