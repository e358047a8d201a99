import Documents
import Formats
import Foundation
import Hardware
import Workload

/// What a trace must keep in memory, and whether a device's levels hold it.
///
/// - weights: every parameter the model owns (all experts, not just the
///   touched ones), in the weight format of the op that owns it;
/// - KV cache: the cached operand of every attention op (K for QKᵀ, V for
///   PV; an op marked `kv_shared` reads a cache another op holds or, in an
///   MLA prefill, K and V decompressed from it), all layers, plus what a
///   `…kv_cache_write` op writes (an MLA prefill's latent cache), in the
///   plan's `kv_cache` format when it gives one;
/// - activations: the largest input plus output of any one repetition of a
///   matrix product (ops run one after another, so only one op's operands
///   are live at once; the vector ops between them work on the same
///   tensors). Attention scores are not counted: fused attention kernels
///   (FlashAttention) keep them in on-chip tiles, though the trace lists
///   QKᵀ, softmax and PV apart to show their traffic.
///
/// Each part must fit the outermost memory level that holds its role
/// (weights: `weight`; KV cache: `kv_cache`; activations: `input`): the
/// level that backs the whole working set, HBM on a GPU. Parts that land
/// on one level add up there. Inner levels (caches, SRAM) stage tiles and
/// need not hold the model.
public struct CapacityNeeds: Sendable {
    public var weightBytes = 0.0
    public var kvCacheBytes = 0.0
    public var activationBytes = 0.0
    let plan: PrecisionPlan

    public init(plan: PrecisionPlan) { self.plan = plan }

    /// Adds one op (all its repetitions).
    public mutating func add(_ op: Op) throws(ShapeError) {
        let c = try op.counts()
        let share = try op.parameterShare(counts: c)
        let formats = plan.roleFormats(for: op)
        func bits(_ format: NumberFormat?) -> Double { format?.bitsPerElement ?? 32 }
        let parameters = Double(share.total) / Double(share.denominator)
        weightBytes += parameters * bits(formats.weight) / 8
        if op.kind.readsKVCache && op.shape[.kvShared] == 0 {
            kvCacheBytes += Double(c.weightElements) * Double(op.repeatCount) * bits(formats.weight) / 8
        } else if op.writesWholeKVCache {
            kvCacheBytes += Double(c.outputElements) * Double(op.repeatCount) * bits(formats.output) / 8
        }
        let input = Double(c.inputElements) * bits(formats.input) / 8
        let output = Double(c.outputElements) * bits(formats.output) / 8
        switch op.kind {
        case .gemm, .conv2d: activationBytes = max(activationBytes, input + output)
        // Scores stay on chip in fused attention: only the queries (QKᵀ's input, PV's output) are live.
        case .attentionQK: activationBytes = max(activationBytes, input)
        case .attentionPV: activationBytes = max(activationBytes, output)
        default: break
        }
    }

    /// One memory level that cannot hold what it must.
    public struct Overflow: Sendable, Hashable, CustomStringConvertible {
        public var level: String
        public var kind: String
        public var neededBytes: Double
        public var availableBytes: Double
        /// The parts that land on this level, in bytes.
        public var parts: [String]

        public var description: String {
            "\(level) (\(kind)) needs \(gigabytes(neededBytes)) (\(parts.joined(separator: ", "))) "
                + "but holds \(gigabytes(availableBytes))"
        }
    }

    /// The levels that overflow on `hardware` (empty when everything fits).
    public func overflows(on hardware: HardwareModel) -> [Overflow] {
        func level(for role: OperandRole) -> Int? { hardware.memory.lastIndex { $0.holds.contains(role) } }
        var needs: [Int: (bytes: Double, parts: [String])] = [:]
        for (role, bytes, what) in [(OperandRole.weight, weightBytes, "weights"), (.kvCache, kvCacheBytes, "KV cache"),
                                    (.input, activationBytes, "activations")] where bytes > 0 {
            guard let i = level(for: role) ?? level(for: .weight) else { continue }
            needs[i, default: (0, [])].bytes += bytes
            needs[i, default: (0, [])].parts.append("\(what) \(gigabytes(bytes))")
        }
        return needs.keys.sorted().compactMap { i in
            let m = hardware.memory[i], need = needs[i]!
            guard need.bytes > m.capacityBytes else { return nil }
            return Overflow(level: m.name, kind: m.kind.rawValue.uppercased(), neededBytes: need.bytes,
                            availableBytes: m.capacityBytes, parts: need.parts)
        }
    }

    /// Throws when anything overflows, naming the level, what it needs and what it holds.
    public func check(on hardware: HardwareModel, workload: String) throws {
        let over = overflows(on: hardware)
        guard !over.isEmpty else { return }
        throw Diagnostic(file: workload, message: "the workload does not fit \(hardware.name) under \(plan.name): "
                         + over.map(\.description).joined(separator: "; ")
                         + " (use a larger device, a narrower precision, or --allow-overflow to simulate anyway)")
    }
}

/// Bytes in decimal gigabytes, as memory sizes are sold ("80 GB").
func gigabytes(_ bytes: Double) -> String {
    bytes >= 1e8 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.2f MB", bytes / 1e6)
}
