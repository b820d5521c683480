# SPDX-License-Identifier: MIT
"""Small ONNX models for atc's tests, with inputs and numpy references.

    /usr/bin/python3 make_models.py OUTDIR

For each case writes OUTDIR/<case>/model.onnx, input_<i>.bin and (when the
case runs) ref_<i>.bin: float32 raw, little-endian, what model_tool reads.
Debian's python3-onnx (1.12) and python3-numpy; no onnxruntime.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

rng = np.random.default_rng(7)
F = TensorProto.FLOAT


def vi(name, shape, t=F):
    return helper.make_tensor_value_info(name, t, shape)


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def write(out, name, graph, inputs, refs, opset=13):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="vascend-tests")
    model.ir_version = 7
    save(model, os.path.join(d, "model.onnx"))
    for i, a in enumerate(inputs):
        np.ascontiguousarray(a).tofile(os.path.join(d, "input_%d.bin" % i))
    for i, a in enumerate(refs):
        np.ascontiguousarray(a, dtype=np.float32).tofile(
            os.path.join(d, "ref_%d.bin" % i))


def conv2d(x, w, b, pad):
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    y = np.zeros((n, m, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + oh, j:j + ow]
            y += np.einsum("nchw,mc->nmhw", patch, w[:, :, i, j])
    return (y + b.reshape(1, m, 1, 1)).astype(np.float32)


def fold_shape_chain(out):
    """Shape -> Gather -> Unsqueeze -> Concat -> Reshape: all folded."""
    x = rng.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Constant", [], ["zero"], name="c0",
                         value=helper.make_tensor("v", TensorProto.INT64,
                                                  [], [0])),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="gather"),
        helper.make_node("Unsqueeze", ["n", "ax"], ["n1"], name="unsq"),
        helper.make_node("Concat", ["n1", "minus1"], ["newshape"], axis=0,
                         name="concat"),
        helper.make_node("Reshape", ["x", "newshape"], ["r"], name="reshape"),
        helper.make_node("ConstantOfShape", ["cshape"], ["ones"],
                         name="cos", value=helper.make_tensor(
                             "v", F, [1], [1.5])),
        helper.make_node("Add", ["r", "ones"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["y"], name="relu"),
    ]
    g = helper.make_graph(nodes, "fold", [vi("x", [2, 3, 4])],
                          [vi("y", [2, 12])],
                          [const("ax", np.array([0], np.int64)),
                           const("minus1", np.array([-1], np.int64)),
                           const("cshape", np.array([2, 12], np.int64))])
    write(out, "fold_shape_chain", g, [x],
          [np.maximum(x.reshape(2, 12) + 1.5, 0)])


def fuse_conv_bn(out):
    """Conv -> BatchNormalization -> Relu: BN folded into the conv."""
    x = rng.uniform(-1, 1, (1, 3, 8, 8)).astype(np.float32)
    w = rng.uniform(-1, 1, (4, 3, 3, 3)).astype(np.float32)
    b = rng.uniform(-1, 1, (4,)).astype(np.float32)
    sc = rng.uniform(0.5, 1.5, (4,)).astype(np.float32)
    sh = rng.uniform(-1, 1, (4,)).astype(np.float32)
    mu = rng.uniform(-1, 1, (4,)).astype(np.float32)
    var = rng.uniform(0.5, 2, (4,)).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3], name="conv"),
        helper.make_node("BatchNormalization", ["c", "sc", "sh", "mu", "var"],
                         ["n"], epsilon=1e-5, name="bn"),
        helper.make_node("Relu", ["n"], ["y"], name="relu"),
    ]
    g = helper.make_graph(nodes, "convbn", [vi("x", [1, 3, 8, 8])],
                          [vi("y", [1, 4, 8, 8])],
                          [const("w", w), const("b", b), const("sc", sc),
                           const("sh", sh), const("mu", mu),
                           const("var", var)])
    c = conv2d(x.astype(np.float64), w.astype(np.float64), b, 1)
    k = (sc / np.sqrt(var.astype(np.float64) + 1e-5)).reshape(1, 4, 1, 1)
    n = (c - mu.reshape(1, 4, 1, 1)) * k + sh.reshape(1, 4, 1, 1)
    write(out, "fuse_conv_bn", g, [x], [np.maximum(n, 0)])


def fuse_conv_bias(out):
    """Conv without bias -> Add(per-channel constant): the Add is the bias."""
    x = rng.uniform(-1, 1, (1, 2, 5, 5)).astype(np.float32)
    w = rng.uniform(-1, 1, (3, 2, 1, 1)).astype(np.float32)
    cb = rng.uniform(-1, 1, (1, 3, 1, 1)).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Add", ["c", "cb"], ["y"], name="bias"),
    ]
    g = helper.make_graph(nodes, "convbias", [vi("x", [1, 2, 5, 5])],
                          [vi("y", [1, 3, 5, 5])],
                          [const("w", w), const("cb", cb)])
    write(out, "fuse_conv_bias", g, [x],
          [conv2d(x, w, np.zeros(3, np.float32), 0) + cb])


def fuse_matmul_add(out):
    """MatMul(x[2,5,8], W) + b -> one Gemm on x viewed as [10,8]."""
    x = rng.uniform(-1, 1, (2, 5, 8)).astype(np.float32)
    w = rng.uniform(-1, 1, (8, 4)).astype(np.float32)
    b = rng.uniform(-1, 1, (4,)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"], name="matmul"),
        helper.make_node("Add", ["m", "b"], ["y"], name="add"),
    ]
    g = helper.make_graph(nodes, "mmadd", [vi("x", [2, 5, 8])],
                          [vi("y", [2, 5, 4])], [const("w", w), const("b", b)])
    write(out, "fuse_matmul_add", g, [x],
          [(x.astype(np.float64) @ w + b).astype(np.float32)])


def plan_chain(out):
    """A chain and a diamond: buffers are reused, values stay right."""
    x = rng.uniform(-1, 1, (64, 64)).astype(np.float32)
    nodes, prev = [], "x"
    for i in range(8):
        nodes.append(helper.make_node("Relu" if i % 2 else "Neg", [prev],
                                      ["t%d" % i], name="op%d" % i))
        prev = "t%d" % i
    nodes += [
        helper.make_node("Sigmoid", [prev], ["a"], name="left"),
        helper.make_node("Tanh", [prev], ["b"], name="right"),
        helper.make_node("Add", ["a", "b"], ["c"], name="join"),
        helper.make_node("Mul", ["c", "x"], ["y"], name="mul"),
    ]
    g = helper.make_graph(nodes, "chain", [vi("x", [64, 64])],
                          [vi("y", [64, 64])])
    t = x.astype(np.float64)
    for i in range(8):
        t = np.maximum(t, 0) if i % 2 else -t
    y = (1 / (1 + np.exp(-t)) + np.tanh(t)) * x
    write(out, "plan_chain", g, [x], [y])


def views(out):
    """An output that is a view of an input gets a copy; Flatten and
    Squeeze are views; an output through a Reshape is written in place."""
    x = rng.uniform(-1, 1, (2, 3, 1, 4)).astype(np.float32)
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], axis=1, name="flatten"),
        helper.make_node("Squeeze", ["x", "ax"], ["sq"], name="squeeze"),
        helper.make_node("Relu", ["sq"], ["r"], name="relu"),
        helper.make_node("Reshape", ["r", "shape"], ["y2"], name="reshape"),
    ]
    g = helper.make_graph(nodes, "views", [vi("x", [2, 3, 1, 4])],
                          [vi("flat", [2, 12]), vi("y2", [6, 4])],
                          [const("ax", np.array([2], np.int64)),
                           const("shape", np.array([6, 4], np.int64))])
    write(out, "views", g, [x],
          [x.reshape(2, 12), np.maximum(x, 0).reshape(6, 4)])


def softmax_opset11(out):
    """Softmax before opset 13: axis=1 over the input coerced to 2-D."""
    x = rng.uniform(-3, 3, (2, 3, 4)).astype(np.float32)
    nodes = [helper.make_node("Softmax", ["x"], ["y"], axis=1, name="sm")]
    g = helper.make_graph(nodes, "sm", [vi("x", [2, 3, 4])],
                          [vi("y", [2, 3, 4])])
    f = x.reshape(2, 12).astype(np.float64)
    e = np.exp(f - f.max(axis=1, keepdims=True))
    write(out, "softmax_opset11", g, [x],
          [(e / e.sum(axis=1, keepdims=True)).reshape(2, 3, 4)], opset=11)


def nhwc_region(out):
    """MaxPool -> BatchNormalization -> ConvTranspose -> depthwise Conv ->
    Relu: atc runs the region on NHWC data between two layout transposes."""
    x = rng.uniform(-1, 1, (1, 8, 16, 16)).astype(np.float32)
    sc = rng.uniform(0.5, 1.5, (8,)).astype(np.float32)
    sh = rng.uniform(-1, 1, (8,)).astype(np.float32)
    mu = rng.uniform(-1, 1, (8,)).astype(np.float32)
    var = rng.uniform(0.5, 2, (8,)).astype(np.float32)
    wt = rng.uniform(-1, 1, (8, 4, 2, 2)).astype(np.float32)
    wd = rng.uniform(-1, 1, (4, 1, 3, 3)).astype(np.float32)
    nodes = [
        helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[2, 2],
                         strides=[2, 2], name="pool"),
        helper.make_node("BatchNormalization", ["p", "sc", "sh", "mu", "var"],
                         ["n"], name="bn"),
        helper.make_node("ConvTranspose", ["n", "wt"], ["u"], strides=[2, 2],
                         name="up"),
        helper.make_node("Conv", ["u", "wd"], ["d"], group=4,
                         pads=[1, 1, 1, 1], name="dw"),
        helper.make_node("Relu", ["d"], ["y"], name="relu"),
    ]
    g = helper.make_graph(nodes, "nhwc", [vi("x", [1, 8, 16, 16])],
                          [vi("y", [1, 4, 16, 16])],
                          [const("sc", sc), const("sh", sh), const("mu", mu),
                           const("var", var), const("wt", wt),
                           const("wd", wd)])
    p = x.astype(np.float64).reshape(1, 8, 8, 2, 8, 2).max(axis=(3, 5))
    r = lambda a: a.reshape(1, 8, 1, 1)
    n = (p - r(mu)) / np.sqrt(r(var) + 1e-5) * r(sc) + r(sh)
    u = np.zeros((1, 4, 16, 16))
    for ki in range(2):
        for kj in range(2):
            u[:, :, ki::2, kj::2] += np.einsum("nchw,cm->nmhw", n,
                                               wt[:, :, ki, kj])
    d = np.concatenate([conv2d(u[:, c:c + 1], wd[c:c + 1], np.zeros(1), 1)
                        for c in range(4)], axis=1)
    write(out, "nhwc_region", g, [x], [np.maximum(d, 0)])


def dynamic_input(out):
    """An input with a symbolic dim: atc asks for --input_shape."""
    x = rng.uniform(-1, 1, (3, 5)).astype(np.float32)
    nodes = [helper.make_node("Sigmoid", ["x"], ["y"], name="sig")]
    g = helper.make_graph(nodes, "dyn", [vi("x", ["N", 5])],
                          [vi("y", ["N", 5])])
    write(out, "dynamic_input", g, [x], [1 / (1 + np.exp(-x))])


def unsupported(out):
    """Two unsupported op types over three nodes: one error lists all."""
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="ok_relu"),
        helper.make_node("TopK", ["a", "k"], ["v", "i"], name="topk_1"),
        helper.make_node("NonZero", ["a"], ["nz"], name="nonzero_1"),
        helper.make_node("TopK", ["v", "k"], ["v2", "i2"], name="topk_2"),
    ]
    g = helper.make_graph(nodes, "unsup", [vi("x", [4, 8])],
                          [vi("v2", [4, 2]), vi("nz", [2, None],
                                                TensorProto.INT64)],
                          [const("k", np.array([2], np.int64))])
    write(out, "unsupported", g, [], [])


def broken(out):
    """A node reading a value nobody produces."""
    nodes = [helper.make_node("Relu", ["nothing"], ["y"], name="orphan")]
    g = helper.make_graph(nodes, "broken", [vi("x", [2])], [vi("y", [2])])
    write(out, "broken", g, [], [])


def main():
    out = sys.argv[1]
    for case in (fold_shape_chain, fuse_conv_bn, fuse_conv_bias,
                 fuse_matmul_add, plan_chain, views, softmax_opset11,
                 nhwc_region,
                 dynamic_input, unsupported, broken):
        case(out)


if __name__ == "__main__":
    main()
