import Documents
import Foundation

/// Generates the op trace of a transformer's forward pass.
///
/// - prefill: `batch` sequences of `length` tokens; the LM head runs on the
///   last token of each sequence only (what an inference server needs). An
///   encoder–decoder's prefill is the encoder plus the first decoder step
///   (its time to first token), which also fills the cross-attention cache.
/// - decode: one new token per sequence at position `length` (0-based),
///   attending to `length + 1` keys (or the last `window` in a sliding
///   layer), reading the whole KV cache and appending to it. Encoders have
///   no decode step: asking for one is an error.
///
/// Attention is unfused (QKᵀ, softmax, PV) so that its memory traffic is
/// visible. Ops shared by every layer carry `repeat = layers`; layers that
/// differ (sliding vs full attention, dense vs mixture-of-experts MLP) get
/// their own ops repeated over their own count. Mixture-of-experts steps
/// run each touched expert as its own GEMM (see `MoEPlan`).
public struct TransformerGenerator: Sendable {
    public enum Phase: String, Sendable, CaseIterable { case prefill, decode }

    public var config: TransformerConfig
    public var phase: Phase
    public var batch: Int
    /// Prompt length (prefill) or the new token's position (decode).
    public var length: Int
    /// An encoder–decoder's encoder length during decode (the prompt it was prefilled with).
    public var encoderLength: Int

    public init(config: TransformerConfig, phase: Phase, batch: Int, length: Int, encoderLength: Int = 512) {
        self.config = config
        self.phase = phase
        self.batch = batch
        self.length = length
        self.encoderLength = phase == .prefill ? length : encoderLength
    }

    /// The trace.
    ///
    /// - Throws: `Diagnostic` for a decode step of an encoder-only model.
    public func trace(command: String? = nil) throws -> Trace {
        let c = config
        if phase == .decode && c.encoderOnly {
            throw Diagnostic(file: "<command line>", keyPath: "phase",
                             message: "\(c.name) is an encoder (\(c.modelType)): it reads the whole input at once and "
                             + "has no decode step; use --phase prefill")
        }
        var e = OpEmitter()
        if c.decoderLayers != nil {
            EncoderDecoderBuilder(g: self).build(&e)
        } else {
            DecoderBuilder(g: self).build(&e)
        }
        let phaseText = phase == .prefill ? "prefill of \(length) tokens" : "decode at position \(length)"
        return Trace(name: "\(c.name) \(phaseText), batch \(batch)", source: "Hugging Face config of \(c.name)",
                     generatedBy: command, ops: e.ops)
    }

    /// Query rows per sequence in this step.
    var queryLength: Int { phase == .prefill ? length : 1 }
    /// Keys a layer with span `a` attends to in this step.
    func keys(_ a: TransformerConfig.Attention) -> Int {
        let all = phase == .prefill ? length : length + 1
        if case .sliding(let window) = a { return min(all, window) }
        return all
    }
}

/// Collects ops; an op repeated zero times is left out.
struct OpEmitter {
    var ops: [Op] = []

    mutating func add(_ name: String, _ kind: OpKind, _ dims: [String: Int], _ repeatCount: Int = 1) {
        guard repeatCount > 0 else { return }
        ops.append(Op(name: name, kind: kind, dims: dims, repeatCount: repeatCount))
    }

    mutating func norm(_ name: String, rows: Int, columns: Int, _ norm: TransformerConfig.Norm,
                       _ repeatCount: Int = 1) {
        add(name, .norm, ["rows": rows, "columns": columns, "affine": norm.affine], repeatCount)
    }

    mutating func gemm(_ name: String, m: Int, n: Int, k: Int, bias: Bool = false, _ repeatCount: Int = 1) {
        add(name, .gemm, ["m": m, "n": n, "k": k, "bias": bias ? 1 : 0], repeatCount)
    }

    mutating func residual(_ name: String, _ elements: Int, operands: Int = 2, _ repeatCount: Int) {
        add(name, .elementwise, ["elements": elements, "operands": operands, "flops": operands - 1], repeatCount)
    }
}

/// Groups equal values, in order of first appearance, with their counts.
func grouped<T: Hashable>(_ values: [T]) -> [(value: T, count: Int)] {
    var order: [T] = [], counts: [T: Int] = [:]
    for v in values {
        if counts[v] == nil { order.append(v) }
        counts[v, default: 0] += 1
    }
    return order.map { ($0, counts[$0]!) }
}
