#!/usr/bin/env bash
# atc on small models made at test time with onnx.helper (make_models.py):
# constant folding, fusion, memory planning, views, opset handling, the
# command line's errors, and one error listing every unsupported op. Each
# model that compiles runs through the model runner against numpy.
#
#   atc_cases.sh ATC MODEL_TOOL OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../tap.sh
. "$here/../../tap.sh"
atc=$1 tool=$2 out=$3
rm -rf "$out" && mkdir -p "$out"

if ! /usr/bin/python3 "$here/make_models.py" "$out" 2>"$out/make_models.log"; then
	tap_check 1 "make_models.py builds the models (scripts/deps.sh models; log: $out/make_models.log)"
	tap_done
fi

# compile CASE [ATC ARGS...]: atc into CASE/model.om, log in CASE/atc.log.
compile() {
	local c=$1
	shift
	"$atc" --framework=5 --model="$out/$c/model.onnx" --output="$out/$c/model" \
		--log=info "$@" >"$out/$c/atc.out" 2>"$out/$c/atc.log"
}

# runs CASE: run the model on its inputs, compare with numpy (TAP lines).
runs() {
	local c=$1 line
	"$tool" run "$out/$c/model.om" "$out/$c" 2 2>"$out/$c/run.log"
	tap_check $? "$c: runs ($(tail -n 1 "$out/$c/run.log" 2>/dev/null))"
	while IFS= read -r line; do
		case $line in
		"ok "*) tap_check 0 "${line#ok * - }" ;;
		"not ok "*) tap_check 1 "${line#not ok * - }" ;;
		esac
	done < <("$tool" compare "$out/$c/model.om" "$out/$c" "$c")
}

# has CASE PATTERN WHAT: the atc log matches PATTERN.
has() {
	grep -qE "$2" "$out/$1/atc.log"
	tap_check $? "$1: $3 ($(grep -oE "$2" "$out/$1/atc.log" | head -n 1))"
}

# tasks CASE OPS: the model's task list is exactly OPS.
tasks() {
	local got
	got=$("$tool" info "$out/$1/model.om" | sed -n 's/^tasks [0-9]*: *//p')
	[ "$got" = "$2" ]
	tap_check $? "$1: tasks are '$2' (got '$got')"
}

compile fold_shape_chain
tap_check $? "fold_shape_chain: compiles"
has fold_shape_chain "5 nodes folded into constants" "Shape, Gather, Unsqueeze, Concat and ConstantOfShape fold"
tasks fold_shape_chain "Add Maximum"
runs fold_shape_chain

compile fuse_conv_bn
tap_check $? "fuse_conv_bn: compiles"
has fuse_conv_bn "layout: staying NCHW" "one small conv stays NCHW (its layout transposes would cost more)"
has fuse_conv_bn "1 Conv\+BatchNorm" "BatchNormalization folded into the conv"
tasks fuse_conv_bn "Conv2D Maximum"
runs fuse_conv_bn

compile fuse_conv_bias
tap_check $? "fuse_conv_bias: compiles"
has fuse_conv_bias "1 Conv\+bias Add" "the per-channel Add became the conv's bias"
tasks fuse_conv_bias "Conv2D"
runs fuse_conv_bias

compile fuse_matmul_add
tap_check $? "fuse_matmul_add: compiles"
has fuse_matmul_add "1 MatMul\+Add -> Gemm" "MatMul and Add fused into one Gemm"
tasks fuse_matmul_add "GEMM"
runs fuse_matmul_add

compile plan_chain
tap_check $? "plan_chain: compiles"
has plan_chain "11 intermediates, 180224 bytes without reuse, 49152 bytes planned" \
	"11 intermediates of 16 KiB share 3 buffers"
runs plan_chain

compile views
tap_check $? "views: compiles"
has views "views, 1 output copies" "the output that is a view of an input gets a copy"
tasks views "Maximum Cast"
runs views

compile softmax_opset11
tap_check $? "softmax_opset11: compiles"
runs softmax_opset11

compile nhwc_region
tap_check $? "nhwc_region: compiles"
has nhwc_region "0 transposes became views, 2 layout transposes added" \
	"the pool, norm, deconv and depthwise conv run on NHWC between two transposes"
tasks nhwc_region "Transpose MaxPool BatchNorm Conv2DTranspose Conv2D Maximum Transpose"
runs nhwc_region

compile dynamic_input
rc=$?
grep -q "input 'x' has a dynamic dim 'N': give its shape with --input_shape" "$out/dynamic_input/atc.log"
tap_check $((rc == 0 || $? != 0)) "dynamic_input: refused, asking for --input_shape"
compile dynamic_input --input_shape="x:3,5"
tap_check $? "dynamic_input: compiles with --input_shape=x:3,5"
runs dynamic_input
compile dynamic_input --input_shape="y:3,5"
grep -q "'y' names no input of the model" "$out/dynamic_input/atc.log"
tap_check $? "dynamic_input: --input_shape naming no input is refused"

compile dynamic_input --input_shape="x:3,5" --output_type=FP16
tap_check $? "dynamic_input: compiles with --output_type=FP16"
"$tool" info "$out/dynamic_input/model.om" | grep -q "^output y float16 \[3,5\]"
tap_check $? "dynamic_input: --output_type=FP16 makes output y float16"

compile unsupported
rc=$?
msg=$(cat "$out/unsupported/atc.log")
[ $rc -eq 1 ] && grep -q "2 unsupported op types" <<<"$msg" &&
	grep -q "TopK (2 nodes: 'topk_1', 'topk_2')" <<<"$msg" &&
	grep -q "NonZero (1 node: 'nonzero_1')" <<<"$msg" &&
	grep -q "ATC run failed" <<<"$msg"
tap_check $? "unsupported: one error lists TopK (topk_1, topk_2) and NonZero (nonzero_1)"

compile broken
grep -q "node 'orphan' (Relu) reads 'nothing', which nothing produces" "$out/broken/atc.log"
tap_check $? "broken: a read of an undefined value is named"

# the command line
m="$out/plan_chain/model.onnx"
"$atc" --framework=3 --model="$m" --output="$out/x" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "only ONNX (5) is supported" "$out/cli.log"
tap_check $? "--framework=3: only ONNX (5) is supported"
"$atc" --framework=5 --model="$m" --output="$out/x" --precision_mode=fp16 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "unknown option '--precision_mode'" "$out/cli.log"
tap_check $? "an unknown option is named"
"$atc" --framework=5 --model="$out/none.onnx" --output="$out/x" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "cannot read the ONNX model: .*none.onnx: No such file" "$out/cli.log"
tap_check $? "a missing model file is named"
"$atc" --framework=5 --model="$m" --output="$out/x" --input_format=NC1HWC0 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "expected NCHW, NHWC or ND" "$out/cli.log"
tap_check $? "--input_format takes NCHW, NHWC or ND"
head -c 400 "$out/fuse_conv_bn/model.onnx" >"$out/truncated.onnx"
"$atc" --framework=5 --model="$out/truncated.onnx" --output="$out/x" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "not a valid ModelProto" "$out/cli.log"
tap_check $? "a truncated ONNX file is refused"
# --singleop: CANN's single-op JSON, one .om per op
cat >"$out/ops.json" <<'JSON'
[
  { "op": "Add", "input_desc": [
      {"format": "ND", "shape": [3,3], "type": "float"},
      {"format": "ND", "shape": [3,3], "type": "float"}],
    "output_desc": [{"format": "ND", "shape": [3,3], "type": "float"}] },
  { "op": "MatMulV2", "name": "matmul_tb",
    "input_desc": [
      {"format": "ND", "shape": [16,32], "type": "float16"},
      {"format": "ND", "shape": [16,32], "type": "float16"}],
    "output_desc": [{"format": "ND", "shape": [16,16], "type": "float16"}],
    "attr": [{"name": "transpose_x1", "type": "bool", "value": false},
             {"name": "transpose_x2", "type": "bool", "value": true}] },
  { "op": "StridedSliceV2", "input_desc": [
      {"format": "ND", "shape": [4,6], "type": "float"},
      {"format": "ND", "shape": [1], "type": "int64", "is_const": true, "const_value": [1]},
      {"format": "ND", "shape": [1], "type": "int64", "is_const": true, "const_value": [3]}],
    "output_desc": [{"format": "ND", "shape": [2,6], "type": "float"}] }
]
JSON
"$atc" --singleop="$out/ops.json" --output="$out/single" 2>"$out/single.log" >/dev/null
tap_check $? "--singleop compiles three ops"
[ -f "$out/single/0_Add_0_2_3_3_0_2_3_3_0_2_3_3.om" ] && [ -f "$out/single/matmul_tb.om" ] &&
	[ -f "$out/single/2_StridedSliceV2_0_2_4_6_9_2_1_9_2_1_0_2_2_6.om" ]
tap_check $? "--singleop names files as CANN does, or by \"name\" ($(cd "$out/single" && echo *.om))"
"$tool" info "$out/single/2_StridedSliceV2_0_2_4_6_9_2_1_9_2_1_0_2_2_6.om" >"$out/single/info" &&
	grep -q "^input x0 float \[4,6\]" "$out/single/info" && grep -q "^weights 72" "$out/single/info" &&
	! grep -q "^input x1" "$out/single/info"
tap_check $? "--singleop: constant inputs become weights, not model inputs"
mkdir -p "$out/single/run" && /usr/bin/python3 - "$out/single/run" <<'PY'
import sys, numpy as np
d = sys.argv[1]
a = np.arange(9, dtype=np.float32).reshape(3, 3); b = a * 0.5 - 2
a.tofile(d + "/input_0.bin"); b.tofile(d + "/input_1.bin"); (a + b).tofile(d + "/ref_0.bin")
PY
"$tool" run "$out/single/0_Add_0_2_3_3_0_2_3_3_0_2_3_3.om" "$out/single/run" 1 &&
	"$tool" compare "$out/single/0_Add_0_2_3_3_0_2_3_3_0_2_3_3.om" "$out/single/run" add \
		>"$out/single/run/compare" && grep -q "^ok" "$out/single/run/compare"
tap_check $? "--singleop: the Add model runs and adds"
echo '[{"op": "NoSuchOp", "input_desc": [], "output_desc": [{"format": "ND", "shape": [1], "type": "float"}]}]' \
	>"$out/bad_op.json"
"$atc" --singleop="$out/bad_op.json" --output="$out/single2" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "op 0: 'NoSuchOp' is not in the op table" "$out/cli.log"
tap_check $? "--singleop: an unknown op type is named"
printf '[{"op": "Add",\n  "input_desc": [}]' >"$out/bad.json"
"$atc" --singleop="$out/bad.json" --output="$out/single2" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "line 2, column 18: expected a value" "$out/cli.log"
tap_check $? "--singleop: a JSON syntax error gives line and column ($(head -n 1 "$out/cli.log"))"
echo '[{"op": "Add", "input_desc": [{"format": "ND", "shape": [3], "type": "float"}, {"format": "ND", "shape": [4], "type": "float"}], "output_desc": [{"format": "ND", "shape": [3], "type": "float"}]}]' \
	>"$out/bad_shape.json"
"$atc" --singleop="$out/bad_shape.json" --output="$out/single2" 2>"$out/cli.log"
[ $? -eq 1 ] && grep -q "op 0 (Add): the op library refuses" "$out/cli.log"
tap_check $? "--singleop: shapes the op refuses are reported ($(head -n 1 "$out/cli.log" | cut -c1-120))"
tap_done
