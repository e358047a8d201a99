/// Published fused-attention throughputs the GPU model is checked against (held out: nothing of the
/// attention path — tiles, the mask's blocks, the fused softmax — is fitted to them).
///
/// FlashAttention-3's forward benchmark (Shah et al., arXiv 2407.08608, §4.1 and Fig. 5) runs BF16
/// on an H100 80GB SXM5 with a hidden size of 2048 (16 heads × 128) and batch × sequence length =
/// 16k, and counts 4 · batch · heads · seq² · head_dim FLOPs, halved under a causal mask. The
/// stored copies of the figure are text extractions of its bar labels without the panel captions:
/// of the two head-dim-128 BF16 panels, the one where every method is slower, standard attention
/// by 3–4× (it computes the whole score matrix and masks it, its FLOPs counted halved), is taken as
/// the causal one. That reading is an inference, said so in each row's source.
enum AttentionMeasurements {
    struct Point {
        var device: String, file: String, plan: String
        var batch: Int, heads: Int, seq: Int, headDim: Int
        var causal: Bool
        /// Measured TFLOP/s under the benchmark's FLOP count (`flops`).
        var tflops: Double
        var source: String

        /// The benchmark's FLOPs: two products of 2 · seq² · head_dim per head, half of them under a mask.
        var flops: Double {
            4 * Double(batch) * Double(heads) * Double(seq) * Double(seq) * Double(headDim) / (causal ? 2 : 1)
        }
    }

    static let fa3 = "Shah et al., FlashAttention-3, arXiv 2407.08608, Fig. 5, FlashAttention-3 bars (BF16, "
        + "head dim 128, 16 heads, batch × seq = 16k)"
    static let fa3Causal = fa3 + "; the causal panel, as read from the stored bar labels (see the section's note)"
    /// pytorch/benchmark PR 2391's test plan: FA3 (flash_v3) at the paper's sizes, run without `--causal`.
    static let tritonbench = "pytorch/benchmark commit ff65cb6 (PR 2391), flash_v3 column of its test plan "
        + "(run_benchmark.py triton --op flash_attention --d-head 128, no --causal)"

    static let heldOut: [Point] = {
        var points: [Point] = []
        let lengths = [512, 1024, 2048, 4096, 8192, 16384]
        func add(_ values: [Double], causal: Bool, _ source: String) {
            for (seq, t) in zip(lengths, values) {
                points.append(Point(device: "H100", file: GEMMMeasurements.h100, plan: "bf16", batch: 16384 / seq,
                                    heads: 16, seq: seq, headDim: 128, causal: causal, tflops: t, source: source))
            }
        }
        add([467, 565, 625, 638, 646, 648], causal: false, fa3)
        add([292, 423, 521, 579, 602, 616], causal: true, fa3Causal)
        add([430.32, 517.099, 565.544, 590.233, 614.234, 620.73], causal: false, tritonbench)
        return points
    }()
}
