#!/usr/bin/env bash
# The model benchmarks (bench/models/Makefile):
#
#   bench_models.sh ATC MODEL_TOOL WORKDIR THREADS
#
# BENCH atc_blazeface: wall time of `atc --framework=5` on BlazeFace, the
# median of 5 runs (no reference: ratio=1). Then, per model, the median
# latency of 200 executions by the model runner and by onnxruntime-node
# (intra-op threads = THREADS, sequential execution, 5 warm-up runs each)
# on the same seeded inputs, as `# host:` comments with ratio =
# onnxruntime / vascend (above 1: faster than onnxruntime), and the
# runner's slowest tasks.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=$here/../../tests/host/models
atc=$1 tool=$2 work=$3 threads=$4
# shellcheck source=../../tests/host/models/fetch_models.sh
. "$tests/fetch_models.sh"
mkdir -p "$work"
failed=0

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bf=$(fetch "$BLAZEFACE_PKG" "$BLAZEFACE_VERSION" "$BLAZEFACE_FILE" "$BLAZEFACE_SHA256") || exit 1
alexa=$(fetch "$ALEXA_PKG" "$ALEXA_VERSION" "$ALEXA_FILE" "$ALEXA_SHA256") || exit 1

for _ in 1 2 3 4 5; do
	s=$(date +%s.%N)
	"$atc" --framework=5 --model="$bf" --output="$work/blazeface" >/dev/null || exit 1
	e=$(date +%s.%N)
	awk -v e="$e" -v s="$s" 'BEGIN { print e - s }'
done >"$work/atc_times"
t=$(median <"$work/atc_times")
printf 'BENCH name=atc_blazeface value=%.4f unit=s ref=none ratio=1\n' "$t"

if ! fetch_ort; then
	echo "# host: onnxruntime-node unavailable: no latency comparison"
	exit 1
fi
"$atc" --framework=5 --model="$alexa" --output="$work/alexa" >/dev/null || exit 1
for m in blazeface:"$bf" alexa:"$alexa"; do
	name=${m%%:*} onnx=${m#*:} d=$work/${m%%:*}.run
	mkdir -p "$d"
	"$tool" gen "$work/$name.om" 1 "$d" || { failed=1; continue; }
	v=$("$tool" bench "$work/$name.om" "$d" "$threads" 200) || { failed=1; continue; }
	r=$(node "$tests/ort_run.js" "$ort_dir" "$onnx" "$d" "$threads" bench 200) ||
		{ failed=1; continue; }
	awk -v n="$name" -v v="$v" -v r="$r" -v t="$threads" 'BEGIN {
		printf "# host: model_%s vascend %.3f ms, onnxruntime %.3f ms (%s threads): " \
			"ratio %.2f\n", n, v * 1000, r * 1000, t, r / v }'
	"$tool" profile "$work/$name.om" "$d" "$threads" 50 | sed -n '2,9p' | sed 's/^# /# host:   /'
done
exit $failed
