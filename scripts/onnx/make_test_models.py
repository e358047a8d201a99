#!/usr/bin/env python3
"""Builds the ONNX test models of Tests/ONNXImportTests/Fixtures and, for each, an expectation
computed here from the ONNX graph alone (onnx.shape_inference and the quantization parameters the
quantizer wrote), not from lpsim: per compute node the MACs, the weight elements and the operand
formats, and the model's MAC total.

Requirements (pinned to what made the committed files):
    pip install onnx==1.23.2 onnxruntime==1.32.0 onnx_ir numpy

Every weight and every calibration tensor comes from numpy's default_rng with a fixed seed, so
rerunning the script rewrites the same graphs (ONNX Runtime's quantizer is deterministic for
fixed calibration data).

    python3 scripts/onnx/make_test_models.py [OUTPUT_DIR]
"""
import json
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

OPSET = 21
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "Tests", "ONNXImportTests", "Fixtures")


def rng(seed):
    return np.random.default_rng(seed)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model(graph, opsets=None):
    m = helper.make_model(graph, opset_imports=opsets or [helper.make_opsetid("", OPSET)],
                          producer_name="lpsim make_test_models.py")
    m.ir_version = 10
    return m


# ---------------------------------------------------------------------------------------------
# Float models


def cnn():
    """A small CNN: conv, batch norm, a depthwise conv, a pointwise conv, a dilated branch, concat,
    max pool, global average pool, flatten, a fully connected layer and softmax."""
    r = rng(1)
    w = lambda *s: (r.standard_normal(s) * 0.2).astype(np.float32)
    inits = [
        init("conv1.w", w(16, 3, 3, 3)), init("conv1.b", w(16)),
        init("bn1.scale", np.ones(16, np.float32)), init("bn1.bias", w(16)),
        init("bn1.mean", w(16)), init("bn1.var", np.ones(16, np.float32)),
        init("dw.w", w(16, 1, 3, 3)), init("dw.b", w(16)),
        init("pw.w", w(32, 16, 1, 1)), init("pw.b", w(32)),
        init("dil.w", w(32, 32, 3, 3)), init("dil.b", w(32)),
        init("fc.w", w(10, 64)), init("fc.b", w(10)),
    ]
    n = helper.make_node
    nodes = [
        n("Conv", ["image", "conv1.w", "conv1.b"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("BatchNormalization", ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"], ["b1"], name="bn1"),
        n("Relu", ["b1"], ["r1"], name="relu1"),
        n("Conv", ["r1", "dw.w", "dw.b"], ["c2"], name="dw", group=16, kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1]),
        n("Relu", ["c2"], ["r2"], name="relu2"),
        n("Conv", ["r2", "pw.w", "pw.b"], ["c3"], name="pw", kernel_shape=[1, 1]),
        n("Relu", ["c3"], ["r3"], name="relu3"),
        n("Conv", ["r3", "dil.w", "dil.b"], ["c4"], name="dil", kernel_shape=[3, 3], dilations=[2, 2],
          pads=[2, 2, 2, 2]),
        n("Relu", ["c4"], ["r4"], name="relu4"),
        n("Concat", ["r3", "r4"], ["cat"], name="concat", axis=1),
        n("MaxPool", ["cat"], ["mp"], name="maxpool", kernel_shape=[2, 2], strides=[2, 2]),
        n("GlobalAveragePool", ["mp"], ["gap"], name="gap"),
        n("Flatten", ["gap"], ["flat"], name="flatten"),
        n("Gemm", ["flat", "fc.w", "fc.b"], ["logits"], name="fc", transB=1),
        n("Softmax", ["logits"], ["probs"], name="softmax"),
    ]
    g = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
                          [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])], inits)
    return model(g), {"image": (1, 3, 32, 32)}


def transformer():
    """One pre-norm transformer block (4 heads of 16, model width 64, MLP 256) with a symbolic
    sequence length `seq`: the attention is MatMul-Softmax-MatMul."""
    r = rng(2)
    d, h, hd, f = 64, 4, 16, 256
    w = lambda *s: (r.standard_normal(s) / np.sqrt(s[0])).astype(np.float32)
    inits = [
        init("ln1.g", np.ones(d, np.float32)), init("ln1.b", np.zeros(d, np.float32)),
        init("wq", w(d, d)), init("wk", w(d, d)), init("wv", w(d, d)), init("wo", w(d, d)),
        init("heads_shape", np.array([0, -1, h, hd], np.int64)), init("model_shape", np.array([0, -1, d], np.int64)),
        init("scale", np.array(1 / np.sqrt(hd), np.float32)),
        init("ln2.g", np.ones(d, np.float32)), init("ln2.b", np.zeros(d, np.float32)),
        init("w1", w(d, f)), init("b1", np.zeros(f, np.float32)), init("w2", w(f, d)),
    ]
    n = helper.make_node
    nodes = [
        n("LayerNormalization", ["x", "ln1.g", "ln1.b"], ["n1"], name="ln1", axis=-1),
        n("MatMul", ["n1", "wq"], ["q"], name="q_proj"),
        n("MatMul", ["n1", "wk"], ["k"], name="k_proj"),
        n("MatMul", ["n1", "wv"], ["v"], name="v_proj"),
        n("Reshape", ["q", "heads_shape"], ["q4"], name="q_heads"),
        n("Reshape", ["k", "heads_shape"], ["k4"], name="k_heads"),
        n("Reshape", ["v", "heads_shape"], ["v4"], name="v_heads"),
        n("Transpose", ["q4"], ["qt"], name="q_t", perm=[0, 2, 1, 3]),
        n("Transpose", ["k4"], ["kt"], name="k_t", perm=[0, 2, 3, 1]),
        n("Transpose", ["v4"], ["vt"], name="v_t", perm=[0, 2, 1, 3]),
        n("MatMul", ["qt", "kt"], ["s"], name="qk"),
        n("Mul", ["s", "scale"], ["ss"], name="qk_scale"),
        n("Softmax", ["ss"], ["p"], name="attn_softmax", axis=-1),
        n("MatMul", ["p", "vt"], ["o4"], name="pv"),
        n("Transpose", ["o4"], ["ot"], name="o_t", perm=[0, 2, 1, 3]),
        n("Reshape", ["ot", "model_shape"], ["o"], name="o_merge"),
        n("MatMul", ["o", "wo"], ["a"], name="o_proj"),
        n("Add", ["x", "a"], ["h1"], name="residual1"),
        n("LayerNormalization", ["h1", "ln2.g", "ln2.b"], ["n2"], name="ln2", axis=-1),
        n("MatMul", ["n2", "w1"], ["u"], name="fc1"),
        n("Add", ["u", "b1"], ["ub"], name="fc1_bias"),
        n("Gelu", ["ub"], ["g"], name="gelu"),
        n("MatMul", ["g", "w2"], ["m"], name="fc2"),
        n("Add", ["h1", "m"], ["y"], name="residual2"),
    ]
    g = helper.make_graph(nodes, "transformer_block",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "seq", d])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, "seq", d])], inits)
    return model(g), {"x": (1, 16, d)}


def decoder_masks():
    """Four attention blocks (2 heads of 16, width 32, symbolic `seq`), each masking its scores the way
    one exporter does: "llama" a ConstantOfShape of the float minimum under Trilu (upper, k = 1) added
    to the scores (transformers' `_update_causal_mask`); "arange" kv_idx <= q_idx from two Ranges into
    Where (transformers' `create_causal_mask`); "gpt2" a slice of a constant lower-triangular bool
    buffer into Where (GPT-2's `attn.bias`); "padding" a graph input `attention_mask` turned additive
    (a padding mask, not causal). Returns the model, the input shapes and, per attention MatMul, the
    mask tensor and how to read it ("keep": true is visible; "additive": visible where > -1e4)."""
    r = rng(7)
    d, h, hd, buffer = 32, 2, 16, 32
    w = lambda *s: (r.standard_normal(s) / np.sqrt(s[0])).astype(np.float32)
    lowest = np.finfo(np.float32).min
    inits = [
        init("heads_shape", np.array([0, -1, h, hd], np.int64)), init("model_shape", np.array([0, -1, d], np.int64)),
        init("scale", np.array(1 / np.sqrt(hd), np.float32)), init("lowest", np.array(lowest, np.float32)),
        init("one_i", np.array(1, np.int64)), init("zero_i", np.array(0, np.int64)),
        init("one_f", np.array(1, np.float32)), init("big_neg", np.array(-1e9, np.float32)),
        init("axis1", np.array([1], np.int64)), init("axes01", np.array([0, 1], np.int64)),
        init("axes12", np.array([1, 2], np.int64)), init("axis0", np.array([0], np.int64)),
        init("gpt2.bias", np.tril(np.ones((buffer, buffer), bool)).reshape(1, 1, buffer, buffer)),
        init("slice_starts", np.array([0, 0], np.int64)), init("slice_axes", np.array([2, 3], np.int64)),
    ]
    n = helper.make_node
    nodes = [
        # seq as a 1-element vector and a scalar, from the input's shape (static once --dim gives it)
        n("Shape", ["x"], ["x_shape"], name="x_shape"),
        n("Gather", ["x_shape", "one_i"], ["seq_scalar"], name="seq_scalar", axis=0),
        n("Unsqueeze", ["seq_scalar", "axis0"], ["seq_vec"], name="seq_vec"),
        n("Concat", ["seq_vec", "seq_vec"], ["square"], name="square", axis=0),
        # llama: triu(full(min), diagonal=1), unsqueezed to [1, 1, seq, seq]
        n("ConstantOfShape", ["square"], ["filled"], name="filled",
          value=numpy_helper.from_array(np.array([lowest], np.float32))),
        n("Trilu", ["filled", "one_i"], ["triu"], name="triu", upper=1),
        n("Unsqueeze", ["triu", "axes01"], ["llama_mask"], name="llama_mask"),
        # arange: kv_idx <= q_idx
        n("Range", ["zero_i", "seq_scalar", "one_i"], ["positions"], name="positions"),
        n("Unsqueeze", ["positions", "axis1"], ["q_idx"], name="q_idx"),
        n("Unsqueeze", ["positions", "axis0"], ["kv_idx"], name="kv_idx"),
        n("LessOrEqual", ["kv_idx", "q_idx"], ["arange_mask"], name="arange_mask"),
        # gpt2: bias[:, :, :seq, :seq]
        n("Slice", ["gpt2.bias", "slice_starts", "square", "slice_axes"], ["gpt2_mask"], name="gpt2_mask"),
        # padding: (1 - attention_mask) * -1e9 as [1, 1, 1, seq]
        n("Sub", ["one_f", "attention_mask"], ["pad_inv"], name="pad_inv"),
        n("Mul", ["pad_inv", "big_neg"], ["pad_add"], name="pad_add"),
        n("Unsqueeze", ["pad_add", "axes12"], ["padding_mask"], name="padding_mask"),
    ]
    masks = {}
    x = "x"
    for style in ("llama", "arange", "gpt2", "padding"):
        p = style + "."
        for proj in ("q", "k", "v", "o"):
            inits.append(init(p + "w" + proj, w(d, d)))
        nodes += [
            n("MatMul", [x, p + "wq"], [p + "q"], name=p + "q_proj"),
            n("MatMul", [x, p + "wk"], [p + "k"], name=p + "k_proj"),
            n("MatMul", [x, p + "wv"], [p + "v"], name=p + "v_proj"),
            n("Reshape", [p + "q", "heads_shape"], [p + "q4"], name=p + "q_heads"),
            n("Reshape", [p + "k", "heads_shape"], [p + "k4"], name=p + "k_heads"),
            n("Reshape", [p + "v", "heads_shape"], [p + "v4"], name=p + "v_heads"),
            n("Transpose", [p + "q4"], [p + "qt"], name=p + "q_t", perm=[0, 2, 1, 3]),
            n("Transpose", [p + "k4"], [p + "kt"], name=p + "k_t", perm=[0, 2, 3, 1]),
            n("Transpose", [p + "v4"], [p + "vt"], name=p + "v_t", perm=[0, 2, 1, 3]),
            n("MatMul", [p + "qt", p + "kt"], [p + "s"], name=p + "qk"),
            n("Mul", [p + "s", "scale"], [p + "ss"], name=p + "qk_scale"),
        ]
        if style in ("llama", "padding"):
            nodes.append(n("Add", [p + "ss", style + "_mask"], [p + "sm"], name=p + "mask"))
            rule = "additive"
        else:
            nodes.append(n("Where", [style + "_mask", p + "ss", "lowest"], [p + "sm"], name=p + "mask"))
            rule = "keep"
        nodes += [
            n("Softmax", [p + "sm"], [p + "p"], name=p + "softmax", axis=-1),
            n("MatMul", [p + "p", p + "vt"], [p + "o4"], name=p + "pv"),
            n("Transpose", [p + "o4"], [p + "ot"], name=p + "o_t", perm=[0, 2, 1, 3]),
            n("Reshape", [p + "ot", "model_shape"], [p + "o"], name=p + "o_merge"),
            n("MatMul", [p + "o", p + "wo"], [p + "a"], name=p + "o_proj"),
            n("Add", [x, p + "a"], [p + "y"], name=p + "residual"),
        ]
        masks[p + "qk"] = masks[p + "pv"] = (style + "_mask", rule)
        x = p + "y"
    g = helper.make_graph(nodes, "decoder_masks",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "seq", d]),
                           helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, [1, "seq"])],
                          [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, "seq", d])], inits)
    return model(g), {"x": (1, 16, d), "attention_mask": (1, 16)}, masks


def ops():
    """Ops the two models above do not have: ConvTranspose (grouped), a conv with asymmetric pads
    and unequal strides, average pooling, batched and broadcast MatMuls, group and instance norm,
    and a symbolic batch dimension."""
    r = rng(3)
    w = lambda *s: (r.standard_normal(s) * 0.1).astype(np.float32)
    inits = [
        init("up.w", w(8, 4, 4, 4)), init("odd.w", w(6, 8, 3, 5)),
        init("gn.s", np.ones(6, np.float32)), init("gn.b", np.zeros(6, np.float32)),
        init("in.s", np.ones(6, np.float32)), init("in.b", np.zeros(6, np.float32)),
        init("mm.w", w(3, 6, 5)), init("flat_shape", np.array([0, 6, -1], np.int64)),
    ]
    n = helper.make_node
    nodes = [
        n("ConvTranspose", ["x", "up.w"], ["u"], name="up", group=2, kernel_shape=[4, 4], strides=[2, 2],
          pads=[1, 1, 1, 1]),
        n("Conv", ["u", "odd.w"], ["c"], name="odd", kernel_shape=[3, 5], strides=[1, 2], pads=[0, 1, 2, 2]),
        n("GroupNormalization", ["c", "gn.s", "gn.b"], ["gnc"], name="gn", num_groups=2),
        n("InstanceNormalization", ["gnc", "in.s", "in.b"], ["inc"], name="inorm"),
        n("Sigmoid", ["inc"], ["sg"], name="sig"),
        n("Mul", ["inc", "sg"], ["sw"], name="swish"),
        n("AveragePool", ["sw"], ["ap"], name="avgpool", kernel_shape=[2, 2], strides=[2, 2]),
        n("Reshape", ["ap", "flat_shape"], ["rs"], name="to_rows"),
        n("Transpose", ["rs"], ["tr"], name="rows_t", perm=[0, 2, 1]),
        n("Unsqueeze", ["tr", "axes1"], ["ux"], name="unsq"),
        n("MatMul", ["ux", "mm.w"], ["y1"], name="bcast_mm"),
        n("MatMul", ["y1", "y1t"], ["y2"], name="batched_mm"),
    ]
    inits.append(init("axes1", np.array([1], np.int64)))
    # y1t: the transpose of y1 over its last two axes, so batched_mm multiplies two activations.
    nodes.insert(-1, n("Transpose", ["y1"], ["y1t"], name="y1_t", perm=[0, 1, 3, 2]))
    g = helper.make_graph(nodes, "ops", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 8, 8, 8])],
                          [helper.make_tensor_value_info("y2", TensorProto.FLOAT, None)], inits)
    return model(g), {"x": (2, 8, 8, 8)}


def resnet18():
    """torchvision's resnet18 (BasicBlock ×[2, 2, 2, 2], stride on the first 3×3 of a stage, 1×1
    downsample), built node by node with seeded weights: torch is not needed. Its 11.7 M weights are
    saved as external data that is not committed (the importer reads only their dims)."""
    r = rng(6)
    nodes, inits = [], []
    state = {"x": "image", "c": 3}

    def conv(name, x, cin, cout, k, stride, pad, relu=True):
        inits.append(init(name + ".w", (r.standard_normal((cout, cin, k, k)) * 0.05).astype(np.float32)))
        for p in ("scale", "bias", "mean", "var"):
            inits.append(init(f"{name}.bn.{p}", np.ones(cout, np.float32) if p in ("scale", "var")
                              else np.zeros(cout, np.float32)))
        nodes.append(helper.make_node("Conv", [x, name + ".w"], [name + ".y"], name=name, kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[pad] * 4))
        nodes.append(helper.make_node("BatchNormalization", [name + ".y"] + [f"{name}.bn.{p}" for p in
                                      ("scale", "bias", "mean", "var")], [name + ".bn"], name=name + ".bn"))
        if not relu:
            return name + ".bn"
        nodes.append(helper.make_node("Relu", [name + ".bn"], [name + ".act"], name=name + ".act"))
        return name + ".act"

    x = conv("conv1", "image", 3, 64, 7, 2, 3)
    nodes.append(helper.make_node("MaxPool", [x], ["pool"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2],
                                  pads=[1, 1, 1, 1]))
    x, c = "pool", 64
    for stage, width in enumerate([64, 128, 256, 512]):
        for block in range(2):
            name = f"layer{stage + 1}.{block}"
            stride = 2 if block == 0 and stage > 0 else 1
            y = conv(name + ".conv1", x, c, width, 3, stride, 1)
            y = conv(name + ".conv2", y, width, width, 3, 1, 1, relu=False)
            shortcut = conv(name + ".downsample", x, c, width, 1, stride, 0, relu=False) if stride != 1 or c != width else x
            nodes.append(helper.make_node("Add", [y, shortcut], [name + ".sum"], name=name + ".add"))
            nodes.append(helper.make_node("Relu", [name + ".sum"], [name + ".out"], name=name + ".relu"))
            x, c = name + ".out", width
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"], name="avgpool"))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="flatten"))
    inits.append(init("fc.w", (r.standard_normal((1000, 512)) * 0.05).astype(np.float32)))
    inits.append(init("fc.b", np.zeros(1000, np.float32)))
    nodes.append(helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], ["logits"], name="fc", transB=1))
    g = helper.make_graph(nodes, "resnet18", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 224, 224])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 1000])], inits)
    return model(g), {"image": (1, 3, 224, 224)}


# ---------------------------------------------------------------------------------------------
# Hand-built quantized graphs: QDQ with the rarer zero-point types, and QONNX


def qdq_formats():
    """QDQ pairs with int16, blocked int4, per-axis asymmetric uint4, float8 e4m3 and uint8 zero points."""
    r = rng(4)
    n = helper.make_node
    w1 = r.integers(-8, 8, (64, 32)).astype(np.int8)          # int4 values, blocked along K (axis 0)
    w2 = r.integers(0, 16, (32, 48)).astype(np.uint8)         # uint4 values, per output column (axis 1)
    inits = [
        numpy_helper.from_array(np.array(0.01, np.float32), "x.s"),
        numpy_helper.from_array(np.array(0, np.int16), "x.z"),
        helper.make_tensor("w1.q", TensorProto.INT4, w1.shape, w1.flatten().tolist()),
        numpy_helper.from_array((r.random((2, 32)) * 0.1 + 0.01).astype(np.float32), "w1.s"),
        helper.make_tensor("w1.z", TensorProto.INT4, (2, 32), [0] * 64),
        numpy_helper.from_array(np.array(0.05, np.float32), "h.s"),
        helper.make_tensor("h.z", TensorProto.FLOAT8E4M3FN, [], [0.0]),
        helper.make_tensor("w2.q", TensorProto.UINT4, w2.shape, w2.flatten().tolist()),
        numpy_helper.from_array((r.random(48) * 0.1 + 0.01).astype(np.float32), "w2.s"),
        helper.make_tensor("w2.z", TensorProto.UINT4, (48,), r.integers(6, 10, 48).tolist()),
        numpy_helper.from_array(np.array(0.02, np.float32), "y.s"),
        numpy_helper.from_array(np.array(128, np.uint8), "y.z"),
    ]
    nodes = [
        n("QuantizeLinear", ["x", "x.s", "x.z"], ["xq"], name="x_q"),
        n("DequantizeLinear", ["xq", "x.s", "x.z"], ["xd"], name="x_dq"),
        n("DequantizeLinear", ["w1.q", "w1.s", "w1.z"], ["w1d"], name="w1_dq", axis=0, block_size=32),
        n("MatMul", ["xd", "w1d"], ["h"], name="mm_int16_int4"),
        n("QuantizeLinear", ["h", "h.s", "h.z"], ["hq"], name="h_q"),
        n("DequantizeLinear", ["hq", "h.s"], ["hd"], name="h_dq"),
        n("DequantizeLinear", ["w2.q", "w2.s", "w2.z"], ["w2d"], name="w2_dq", axis=1),
        n("MatMul", ["hd", "w2d"], ["y"], name="mm_fp8_uint4"),
        n("QuantizeLinear", ["y", "y.s", "y.z"], ["yq"], name="y_q"),
        n("DequantizeLinear", ["yq", "y.s", "y.z"], ["yd"], name="y_dq"),
    ]
    g = helper.make_graph(nodes, "qdq_formats", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 64])],
                          [helper.make_tensor_value_info("yd", TensorProto.FLOAT, [1, 8, 48])], inits)
    return model(g), {"x": (1, 8, 64)}


QONNX = "qonnx.custom_op.general"


def qonnx():
    """A Brevitas/QONNX-style graph: Quant (4-bit signed narrow weights, 8-bit unsigned activations),
    BipolarQuant weights and a FloatQuant (E4M3, NaN but no infinity) activation."""
    r = rng(5)
    n = helper.make_node
    f32 = lambda name, v: numpy_helper.from_array(np.array(v, np.float32), name)
    inits = [
        init("conv.w", (r.standard_normal((8, 3, 3, 3)) * 0.2).astype(np.float32)),
        init("fc.w", (r.standard_normal((128, 10)) * 0.2).astype(np.float32)),
        f32("one", 1.0), f32("zero", 0.0), f32("w.s", 0.05), f32("bits4", 4.0), f32("bits8", 8.0), f32("a.s", 0.1),
        f32("e4", 4.0), f32("m3", 3.0), f32("bias7", 7.0), f32("max448", 448.0),
        init("flat", np.array([1, -1], np.int64)), init("mid.w", (r.standard_normal((8, 8, 3, 3)) * 0.2).astype(np.float32)),
    ]
    nodes = [
        n("Quant", ["image", "a.s", "zero", "bits8"], ["xq"], name="in_quant", domain=QONNX, signed=0, narrow=0,
          rounding_mode="ROUND"),
        n("Quant", ["conv.w", "w.s", "zero", "bits4"], ["wq"], name="w_quant", domain=QONNX, signed=1, narrow=1,
          rounding_mode="ROUND"),
        n("Conv", ["xq", "wq"], ["c"], name="conv", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        n("Relu", ["c"], ["r"], name="relu"),
        n("FloatQuant", ["r", "one", "e4", "m3", "bias7", "max448"], ["rq"], name="act_fp8", domain=QONNX,
          has_infinity=0, has_nan=1, has_subnormal=1, saturation=1),
        n("BipolarQuant", ["mid.w", "one"], ["mwq"], name="w_bipolar", domain=QONNX),
        n("Conv", ["rq", "mwq"], ["c2"], name="conv_bipolar", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Quant", ["c2", "a.s", "zero", "bits8"], ["c2q"], name="act_quant", domain=QONNX, signed=0, narrow=0,
          rounding_mode="ROUND"),
        n("MaxPool", ["c2q"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        n("Reshape", ["p", "flat"], ["f"], name="flatten"),
        n("Quant", ["fc.w", "w.s", "zero", "bits4"], ["fwq"], name="fc_w_quant", domain=QONNX, signed=1, narrow=0,
          rounding_mode="ROUND"),
        n("MatMul", ["f", "fwq"], ["logits"], name="fc"),
    ]
    g = helper.make_graph(nodes, "qonnx_cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 16, 16])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    return model(g, [helper.make_opsetid("", 13), helper.make_opsetid(QONNX, 1)]), {"image": (1, 3, 16, 16)}


# ---------------------------------------------------------------------------------------------
# ONNX Runtime's quantizers


class Calibration:
    def __init__(self, shapes, seed, count=8):
        r = rng(seed)
        self.items = [{k: r.standard_normal(s).astype(np.float32) for k, s in shapes.items()} for _ in range(count)]

    def get_next(self):
        return self.items.pop(0) if self.items else None

    def rewind(self):
        pass


def ort_quantized(float_model, shapes, form, per_channel, seed):
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.onnx"), os.path.join(d, "out.onnx")
        onnx.save(float_model, src)
        quantize_static(src, dst, Calibration(shapes, seed), quant_format=form, per_channel=per_channel,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        return onnx.load(dst)


def ort_dynamic(float_model):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.onnx"), os.path.join(d, "out.onnx")
        onnx.save(float_model, src)
        quantize_dynamic(src, dst, weight_type=QuantType.QInt8)
        return onnx.load(dst)


def ort_int4(float_model):
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    float_model = onnx.ModelProto.FromString(float_model.SerializeToString())  # the quantizer edits in place
    q = MatMulNBitsQuantizer(float_model, bits=4, block_size=32, is_symmetric=False)
    q.process()
    return q.model.model if hasattr(q.model, "model") else q.model


# ---------------------------------------------------------------------------------------------
# The independent expectation


ZP_NAMES = {TensorProto.INT8: "int8", TensorProto.UINT8: "uint8", TensorProto.INT16: "int16",
            TensorProto.UINT16: "uint16", TensorProto.INT4: "int4", TensorProto.UINT4: "uint4",
            TensorProto.INT32: "int32", TensorProto.FLOAT8E4M3FN: "fp8_e4m3", TensorProto.FLOAT8E5M2: "fp8_e5m2",
            TensorProto.FLOAT8E4M3FNUZ: "float8_e4m3fnuz", TensorProto.FLOAT8E5M2FNUZ: "float8_e5m2fnuz"}
SCALE_NAMES = {TensorProto.FLOAT: "fp32", TensorProto.FLOAT16: "fp16", TensorProto.BFLOAT16: "bf16"}


class Graph:
    def __init__(self, m, shapes):
        m = onnx.ModelProto.FromString(m.SerializeToString())
        for i in m.graph.input:  # fix the symbolic dimensions, then let ONNX infer every shape
            if i.name in shapes:
                for dim, v in zip(i.type.tensor_type.shape.dim, shapes[i.name]):
                    dim.Clear()
                    dim.dim_value = v
        m = shape_inference.infer_shapes(m, strict_mode=False)
        self.m = m
        self.inits = {t.name: t for t in m.graph.initializer}
        self.shape = {}
        for v in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
            t = v.type.tensor_type
            if t.HasField("shape") and all(d.HasField("dim_value") for d in t.shape.dim):
                self.shape[v.name] = [d.dim_value for d in t.shape.dim]
        for t in m.graph.initializer:
            self.shape[t.name] = list(t.dims)
        self.shape.update(_run_shapes(m, shapes))
        self.producer = {o: nd for nd in m.graph.node for o in nd.output}
        self.consumers = {}
        for nd in m.graph.node:
            for i in nd.input:
                self.consumers.setdefault(i, []).append(nd)

    def attr(self, node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return helper.get_attribute_value(a)
        return default

    def elements(self, name):
        return int(np.prod(self.shape[name])) if name in self.shape else None

    def qdq_format(self, tensor, weight_k=None):
        """The format the DequantizeLinear producing `tensor` (or the QuantizeLinear consuming it) declares."""
        dq = self.producer.get(tensor)
        if dq is None or dq.op_type != "DequantizeLinear":
            return None
        return self.declared(dq, weight_k)

    def declared(self, q, weight_k=None):
        zp_type = TensorProto.UINT8
        x = q.input[0]
        if q.op_type == "DequantizeLinear" and not (len(q.input) > 2 and q.input[2]):
            # ONNX: without a zero point, the quantized type is x's own
            if x in self.inits:
                zp_type = self.inits[x].data_type
            elif x in self.producer and self.producer[x].op_type == "QuantizeLinear":
                return self.declared(self.producer[x], weight_k)
        elif len(q.input) > 2 and q.input[2]:
            zp_type = self.inits[q.input[2]].data_type if q.input[2] in self.inits else None
        elif q.op_type == "QuantizeLinear" and self.attr(q, "output_dtype"):
            zp_type = self.attr(q, "output_dtype")
        name = ZP_NAMES[zp_type]
        scale = self.inits[q.input[1]]
        block = self.attr(q, "block_size", 0)
        if block:
            return f"{name}_g{block}_{SCALE_NAMES[scale.data_type]}"
        if int(np.prod(scale.dims)) > 1 and weight_k:  # per-axis: one scale per output channel
            return f"{name}_g{weight_k}_{SCALE_NAMES[scale.data_type]}"
        return name


def expectation(m, shapes, kind, masks=None):
    g = Graph(m, shapes)
    visible = _mask_visibility(m, shapes, masks) if masks else {}
    rows = []
    for nd in g.m.graph.node:
        op = nd.op_type
        out = g.shape.get(nd.output[0])
        row = None
        if op in ("Conv", "ConvInteger", "QLinearConv"):
            w = nd.input[3] if op == "QLinearConv" else nd.input[1]
            ws = g.shape[w]
            k = int(np.prod(ws[1:]))  # C/groups × kernel: the reduction of one output
            row = dict(macs=int(np.prod(out)) * k, weight_elements=int(np.prod(ws)))
            if op == "Conv":
                row["weight"] = g.qdq_format(nd.input[1], weight_k=k)
                row["input"] = g.qdq_format(nd.input[0])
        elif op == "ConvTranspose":
            ws, xs = g.shape[nd.input[1]], g.shape[nd.input[0]]
            # every input pixel meets every (C_out/groups) × kernel weight of its group
            row = dict(macs=int(np.prod(xs)) * int(np.prod(ws[1:])), weight_elements=int(np.prod(ws)))
        elif op in ("MatMul", "MatMulInteger", "QLinearMatMul"):
            a = nd.input[0]
            b = nd.input[3] if op == "QLinearMatMul" else nd.input[1]
            k = g.shape[a][-1]
            row = dict(macs=int(np.prod(out)) * k)
            row["weight_elements"] = g.elements(b) if (b in g.inits or _is_weight(g, b)) else None
            if op == "MatMul":
                row["weight"] = g.qdq_format(b, weight_k=k)
                row["input"] = g.qdq_format(a)
            if nd.name in visible:
                # A masked attention product: each visible query-key pair costs head_dim MACs, in QK^T and in PV.
                qk = nd.name.endswith("qk")
                scores = out if qk else out[:-1] + [g.shape[a][-1]]
                pairs = np.broadcast_to(visible[nd.name], scores)
                row["macs"] = int(pairs.sum()) * (k if qk else out[-1])
                q, kv = scores[-2:]
                causal = np.arange(kv)[None, :] <= np.arange(q)[:, None] + (kv - q)
                row["causal"] = bool(np.all(pairs == causal))
        elif op in ("Gemm", "QGemm"):
            a = nd.input[0]
            b = nd.input[3] if op == "QGemm" else nd.input[1]
            tb = g.attr(nd, "transB", 0)
            k = g.shape[b][1 if tb else 0]
            row = dict(macs=int(np.prod(out)) * k, weight_elements=g.elements(b))
            if op == "Gemm":
                row["weight"] = g.qdq_format(b, weight_k=k)
                row["input"] = g.qdq_format(a)
            else:
                row["input"] = ZP_NAMES[g.inits[nd.input[2]].data_type]
                per_axis = int(np.prod(g.shape[nd.input[4]])) > 1
                wname = ZP_NAMES[g.inits[nd.input[5]].data_type]
                row["weight"] = f"{wname}_g{k}_fp32" if per_axis else wname
                if len(nd.input) > 8 and nd.input[8]:
                    row["output"] = ZP_NAMES[g.inits[nd.input[8]].data_type]
        elif op == "MatMulNBits":
            kk, nn = g.attr(nd, "K"), g.attr(nd, "N")
            bits, block = g.attr(nd, "bits", 4), g.attr(nd, "block_size")
            rows_a = int(np.prod(g.shape[nd.input[0]][:-1]))
            scale_type = SCALE_NAMES[g.inits[nd.input[2]].data_type]
            asym = len(nd.input) > 3 and nd.input[3] != ""
            row = dict(macs=rows_a * nn * kk, weight_elements=nn * kk,
                       weight=f"{'uint' if asym else 'int'}{bits}_g{block}_{scale_type}")
        if row is None:
            continue
        if op == "MatMul" and kind == "qonnx":
            row["weight"] = _qonnx_format(g, nd.input[1], g.shape[nd.input[0]][-1])
            row["input"] = _qonnx_format(g, nd.input[0], None)
        if op == "Conv" and kind == "qonnx":
            ws = g.shape[nd.input[1]]
            row["weight"] = _qonnx_format(g, nd.input[1], int(np.prod(ws[1:])))
            row["input"] = _qonnx_format(g, nd.input[0], None)
        if op in ("Conv", "MatMul") and kind == "qonnx":
            consumers = g.consumers.get(nd.output[0], [])
            if len(consumers) == 1 and consumers[0].op_type in ("Quant", "FloatQuant", "BipolarQuant"):
                row["output"] = _qonnx_format(g, consumers[0].output[0], None)
        if op in ("QLinearConv", "QLinearMatMul"):
            x_zp, w_zp, y_zp = (nd.input[2], nd.input[5], nd.input[7])
            row["input"] = ZP_NAMES[g.inits[x_zp].data_type]
            ws = g.shape[nd.input[3]]
            k = int(np.prod(ws[1:])) if op == "QLinearConv" else ws[-2]
            per_axis = int(np.prod(g.shape[nd.input[4]])) > 1
            wname = ZP_NAMES[g.inits[w_zp].data_type]
            row["weight"] = f"{wname}_g{k}_fp32" if per_axis else wname
            row["output"] = ZP_NAMES[g.inits[y_zp].data_type]
        if op in ("MatMulInteger", "ConvInteger"):
            row["input"] = "uint8"  # DynamicQuantizeLinear always produces uint8
            wz = nd.input[3] if len(nd.input) > 3 and nd.input[3] else None
            row["weight"] = ZP_NAMES[g.inits[wz].data_type] if wz else ZP_NAMES[g.inits[nd.input[1]].data_type]
            row["output"] = "int32"  # the ONNX spec's output type of both
        if op in ("Conv", "MatMul", "Gemm", "ConvTranspose") and kind not in ("qonnx",):
            consumers = g.consumers.get(nd.output[0], [])
            if len(consumers) == 1 and consumers[0].op_type == "QuantizeLinear":
                row["output"] = g.declared(consumers[0])
        row = {"name": nd.name, "op_type": op, **{k: v for k, v in row.items() if v is not None}}
        rows.append(row)
    dim_values = {}
    for i in m.graph.input:
        if i.name in shapes:
            for dim, v in zip(i.type.tensor_type.shape.dim, shapes[i.name]):
                if dim.dim_param:
                    dim_values[dim.dim_param] = v
    return {"nodes": rows, "total_macs": sum(r["macs"] for r in rows), "dim_values": dim_values}


def _mask_visibility(m, shapes, masks):
    """Per attention MatMul, which query-key pairs its mask leaves visible, from the mask tensor's values as
    ONNX Runtime computes them (inputs seeded; a padding mask fed all ones, a batch without padding)."""
    import onnxruntime as ort
    m = onnx.ModelProto.FromString(m.SerializeToString())
    tensors = sorted({t for t, _ in masks.values()})
    m.graph.output.extend([onnx.ValueInfoProto(name=t) for t in tensors])
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(m.SerializeToString(), options, providers=["CPUExecutionProvider"])
    r = rng(98)
    feeds = {k: (np.ones(s, np.float32) if k == "attention_mask" else r.standard_normal(s).astype(np.float32))
             for k, s in shapes.items()}
    values = dict(zip(tensors, session.run(tensors, feeds)))
    seen = {}
    for node, (tensor, rule) in masks.items():
        v = values[tensor]
        seen[node] = v.astype(bool) if rule == "keep" else v > -1e4
    return seen


def _run_shapes(m, shapes):
    """Every tensor's shape as ONNX Runtime computes it, running the model on seeded inputs (a QONNX
    graph, whose custom ops ONNX Runtime does not have, runs with each of them as an Identity)."""
    import onnxruntime as ort
    m = onnx.ModelProto.FromString(m.SerializeToString())
    custom = [nd for nd in m.graph.node if nd.domain == QONNX]
    for nd in custom:
        del nd.input[1:]
        del nd.attribute[:]
        nd.op_type, nd.domain = "Identity", ""
    if custom:
        del m.opset_import[:]
        m.opset_import.extend([helper.make_opsetid("", 13)])
    names = [o for nd in m.graph.node for o in nd.output if o]
    known = {o.name for o in m.graph.output}
    m.graph.output.extend([onnx.ValueInfoProto(name=n) for n in names if n not in known])
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(m.SerializeToString(), options, providers=["CPUExecutionProvider"])
    r = rng(99)
    feeds = {k: r.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    outputs = [o.name for o in session.get_outputs()]
    return {n: list(v.shape) for n, v in zip(outputs, session.run(outputs, feeds))}


def _is_weight(g, name):
    p = g.producer.get(name)
    return p is not None and p.op_type == "DequantizeLinear" and p.input[0] in g.inits


# Ops that move or select values without changing them: a quantized tensor stays on its grid.
VALUE_PRESERVING = {"Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "MaxPool", "Identity"}


def _qonnx_format(g, tensor, weight_k):
    q = g.producer.get(tensor)
    while q is not None and q.op_type in VALUE_PRESERVING:
        q = g.producer.get(q.input[0])
    if q is None:
        return None
    if q.op_type == "BipolarQuant":
        return "binary"
    if q.op_type == "FloatQuant":
        e, mm, b = (int(numpy_helper.to_array(g.inits[q.input[i]])) for i in (2, 3, 4))
        bias = "" if b == 2 ** (e - 1) - 1 else f"b{b}"
        inf, nan = g.attr(q, "has_infinity", 0), g.attr(q, "has_nan", 0)
        return f"e{e}m{mm}{bias}" + ("" if inf else "fn")
    if q.op_type == "Quant":
        bits = int(numpy_helper.to_array(g.inits[q.input[3]]))
        if g.attr(q, "signed", 1):
            return f"int{bits}_sym" if g.attr(q, "narrow", 0) else f"int{bits}"
        return f"uint{bits}"
    return None


def bad_models():
    """Inputs the importer must refuse with a clear error: an opset from the future, a Reshape whose
    target shape is computed from a graph input, an op of an unknown domain (with value_info for its
    output, so that --skip-unknown can go on)."""
    n = helper.make_node
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])
    w = init("w", np.ones((16, 8), np.float32))
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    future = model(helper.make_graph([n("MatMul", ["x", "w"], ["y"], name="mm")], "future", [x], [y], [w]),
                   [helper.make_opsetid("", 99)])
    shape_in = helper.make_tensor_value_info("target", TensorProto.INT64, [2])
    dynamic = model(helper.make_graph([n("MatMul", ["x", "w"], ["h"], name="mm"),
                                       n("Reshape", ["h", "target"], ["y"], name="reshape_from_input")],
                                      "dynamic_reshape", [x, shape_in], [y], [w]))
    custom = model(helper.make_graph([n("MatMul", ["x", "w"], ["h"], name="mm"),
                                      n("Frobnicate", ["h"], ["f"], name="mystery", domain="com.example"),
                                      n("Relu", ["f"], ["y"], name="relu")],
                                     "custom", [x], [y], [w],
                                     value_info=[helper.make_tensor_value_info("f", TensorProto.FLOAT, [1, 8])]),
                   [helper.make_opsetid("", OPSET), helper.make_opsetid("com.example", 1)])
    return {"bad_opset": future, "bad_shape": dynamic, "unknown_op": custom}


def main():
    global OUT
    OUT = os.path.abspath(OUT)
    os.makedirs(OUT, exist_ok=True)
    scratch = tempfile.mkdtemp()
    os.chdir(scratch)  # ONNX Runtime's quantizers leave temporary files in the working directory
    for name, m in bad_models().items():
        onnx.save(m, os.path.join(OUT, name + ".onnx"))
    cnn_m, cnn_s = cnn()
    tf_m, tf_s = transformer()
    ops_m, ops_s = ops()
    models = {
        "cnn": (cnn_m, cnn_s, "float"),
        "cnn_qdq": (ort_quantized(cnn_m, cnn_s, _fmt("QDQ"), True, 11), cnn_s, "qdq"),
        "cnn_qop": (ort_quantized(cnn_m, cnn_s, _fmt("QOperator"), False, 12), cnn_s, "qop"),
        "cnn_qop_per_channel": (ort_quantized(cnn_m, cnn_s, _fmt("QOperator"), True, 15), cnn_s, "qop"),
        "cnn_dynamic": (ort_dynamic(cnn_m), cnn_s, "dynamic"),
        "transformer": (tf_m, tf_s, "float"),
        "transformer_qdq": (ort_quantized(tf_m, tf_s, _fmt("QDQ"), False, 13), tf_s, "qdq"),
        "transformer_qop": (ort_quantized(tf_m, tf_s, _fmt("QOperator"), False, 14), tf_s, "qop"),
        "transformer_dynamic": (ort_dynamic(tf_m), tf_s, "dynamic"),
        "transformer_int4": (ort_int4(tf_m), tf_s, "int4"),
        "ops": (ops_m, ops_s, "float"),
        "qdq_formats": (*qdq_formats(), "qdq"),
        "qonnx": (*qonnx(), "qonnx"),
    }
    masked_m, masked_s, masks = decoder_masks()
    # ResNet-18: the graph is committed, its 47 MB of weights (external data) are not.
    rn, rn_shapes = resnet18()
    path = os.path.join(scratch, "resnet18.onnx")
    onnx.save(rn, path, save_as_external_data=True, all_tensors_to_one_file=True, location="resnet18.onnx.data",
              size_threshold=0)
    graph_only = onnx.load(path, load_external_data=False)
    onnx.save(graph_only, os.path.join(OUT, "resnet18.onnx"))
    summary = {"resnet18": expectation(rn, rn_shapes, "float")}
    summary["resnet18"]["op_types"] = sorted({f"ai.onnx:{nd.op_type}" for nd in rn.graph.node})
    print(f"resnet18: {os.path.getsize(os.path.join(OUT, 'resnet18.onnx'))} bytes (weights not committed), "
          f"{summary['resnet18']['total_macs']} MACs")
    for name, (m, shapes, kind) in models.items():
        path = os.path.join(OUT, name + ".onnx")
        onnx.save(m, path)
        size = os.path.getsize(path)
        assert size < 2 << 20, f"{path} is {size} bytes"
        e = expectation(m, shapes, kind)
        e["op_types"] = sorted({f"{nd.domain or 'ai.onnx'}:{nd.op_type}" for nd in m.graph.node})
        summary[name] = e
        print(f"{name}: {size} bytes, {len(e['nodes'])} compute nodes, {e['total_macs']} MACs")
    path = os.path.join(OUT, "decoder_masks.onnx")
    onnx.save(masked_m, path)
    e = expectation(masked_m, masked_s, "float", masks)
    e["op_types"] = sorted({f"ai.onnx:{nd.op_type}" for nd in masked_m.graph.node})
    summary["decoder_masks"] = e
    print(f"decoder_masks: {os.path.getsize(path)} bytes, {e['total_macs']} MACs, causal: "
          + ", ".join(r["name"] for r in e["nodes"] if r.get("causal")))
    with open(os.path.join(OUT, "expectations.json"), "w") as f:
        json.dump({"generator": "scripts/onnx/make_test_models.py", "onnx": onnx.__version__,
                   "onnxruntime": __import__("onnxruntime").__version__, "models": summary}, f, indent=1,
                  sort_keys=True)
        f.write("\n")


def _fmt(name):
    from onnxruntime.quantization import QuantFormat
    return getattr(QuantFormat, name)


if __name__ == "__main__":
    main()
