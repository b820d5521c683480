#!/bin/sh
# Runs inside the VM with the driver loaded. The module and the card's
# binding against open files: rmmod is refused while a file is open; unbind
# with a file open and work parked on the card completes, the file turns dead
# (ENODEV) without a crash; bind brings the card back; rmmod and modprobe
# work once nothing is open. Prints TAP.

. ./tap.sh

bdf=$(basename "$(readlink -f /sys/class/vascend/davinci0/device)")
drv=/sys/bus/pci/drivers/vascend

rm -f /tmp/ready
./davinci_kill hold /tmp/ready &
holder=$!
i=0
while [ ! -e /tmp/ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e /tmp/ready ]
tap_check $? "a process holds /dev/davinci0 with work parked on the card"

rmmod vascend 2>/dev/null
[ $? -ne 0 ] && grep -q '^vascend ' /proc/modules
tap_check $? "rmmod is refused while a file is open"

echo "$bdf" >"$drv/unbind"
tap_check $? "unbind $bdf with the file open completes"
[ ! -e /dev/davinci0 ]
tap_check $? "/dev/davinci0 is gone"

kill -USR1 $holder
wait $holder
tap_check $? "the open file is dead: GET_INFO, WAIT and SUBMIT say ENODEV; close works"

echo "$bdf" >"$drv/bind"
tap_check $? "bind $bdf again"
[ -e /dev/davinci0 ]
tap_check $? "/dev/davinci0 is back"
./davinci_kill smoke | sed -n 's/^\(not \)*ok [0-9]* - /# /p'
./davinci_kill smoke >/dev/null
tap_check $? "the rebound card runs work"

rmmod vascend
tap_check $? "rmmod with nothing open"
modprobe vascend
tap_check $? "modprobe again"
./davinci_kill smoke >/dev/null
tap_check $? "the reloaded driver runs work"

# Tracepoints: submissions and completions of the smoke run are traced.
tr=/sys/kernel/debug/tracing
[ -d $tr/events/vascend ] || mount -t tracefs nodev $tr 2>/dev/null
echo 1 >$tr/events/vascend/enable && echo >$tr/trace &&
	./davinci_kill smoke >/dev/null && echo 0 >$tr/events/vascend/enable
grep -q 'vascend_submit: card=0' $tr/trace && grep -q 'vascend_complete: card=0' $tr/trace
tap_check $? "tracepoints vascend_submit and vascend_complete fire"
grep 'vascend_' $tr/trace | head -n 2 | sed 's/^/#   /'

dmesg | grep -qE 'BUG:|Oops:|WARNING:|Call Trace|refcount_t:|use-after-free'
[ $? -ne 0 ]
tap_check $? "no kernel warning"
tap_done
