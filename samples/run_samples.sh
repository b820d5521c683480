#!/bin/sh
# vascend-samples: run the AscendCL samples installed in this system (the
# guest image: `make run` runs this) and say which passed.
#
#   vascend-samples [--tap] [NAME]...     all samples, or only those named
#
# A sample is a program in $VASCEND_SAMPLES_BIN (default /usr/bin) named in
# $VASCEND_SAMPLES_LIST (default /usr/share/vascend/samples/list, one name a
# line, in order). A sample that needs arguments or data has a directory
# /usr/share/vascend/samples/NAME holding a `run` script: it is run with
# `sh run` from that directory (its data next to it) instead of the bare
# program. A sample passes when it exits 0; exit 77 means it could not run
# here (e.g. its data was not built: no network to fetch a model) and is
# reported as SKIP with its last line as the reason, not as a failure.
#
# Prints each sample's output, then one verdict line per sample and a
# summary; with --tap, TAP instead (output as # comments) for the e2e suite.
# Exits 0 only when every sample passed.

share=${VASCEND_SAMPLES_SHARE:-/usr/share/vascend/samples}
bin=${VASCEND_SAMPLES_BIN:-/usr/bin}
list=${VASCEND_SAMPLES_LIST:-$share/list}
tap=0
if [ "${1:-}" = --tap ]; then
	tap=1
	shift
fi
if [ $# -gt 0 ]; then
	names=$*
elif [ -f "$list" ]; then
	names=$(cat "$list")
else
	echo "vascend-samples: no sample list at $list" >&2
	exit 2
fi

passed=0
failed=0
skipped=0
n=0
verdicts=
for name in $names; do
	n=$((n + 1))
	out=/tmp/sample.$$.out
	start=$(date +%s)
	if [ -f "$share/$name/run" ]; then
		(cd "$share/$name" && PATH="$bin:$PATH" sh ./run) >"$out" 2>&1
		rc=$?
	elif [ -x "$bin/$name" ]; then
		"$bin/$name" >"$out" 2>&1
		rc=$?
	else
		echo "no program $bin/$name and no $share/$name/run" >"$out"
		rc=127
	fi
	secs=$(($(date +%s) - start))
	reason=$(tail -n 1 "$out")
	if [ $tap -eq 1 ]; then
		sed 's/^/# /' "$out"
		if [ $rc -eq 0 ]; then
			echo "ok $n - sample $name passes (${secs} s)"
		elif [ $rc -eq 77 ]; then
			echo "ok $n - sample $name # SKIP $reason"
		else
			echo "not ok $n - sample $name fails (exit $rc)"
		fi
	else
		echo "==== sample $name"
		cat "$out"
	fi
	rm -f "$out"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		verdicts="$verdicts$(printf '  PASS  %-20s %3s s' "$name" "$secs")
"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1))
		verdicts="$verdicts$(printf '  SKIP  %-20s %3s s  (%s)' "$name" "$secs" "$reason")
"
	else
		failed=$((failed + 1))
		verdicts="$verdicts$(printf '  FAIL  %-20s %3s s  (exit %s)' "$name" "$secs" "$rc")
"
	fi
done

if [ $tap -eq 1 ]; then
	echo "1..$n"
else
	echo "==== samples"
	printf '%s' "$verdicts"
	if [ $skipped -gt 0 ]; then
		echo "samples: $passed passed, $failed failed, $skipped skipped"
	else
		echo "samples: $passed passed, $failed failed"
	fi
fi
[ $failed -eq 0 ]
