#!/bin/sh
# tap_wrap.sh DESCRIPTION CMD [ARG]...: run a program that does not speak TAP
# as one TAP test; its output becomes TAP comments.
desc=$1
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
if [ $rc -eq 0 ]; then
	echo "ok 1 - $desc"
else
	echo "not ok 1 - $desc (exit $rc)"
fi
echo "1..1"
exit $rc
