import Foundation

/// One mixture-of-experts step: which experts it touches and how many rows each gets.
///
/// Compute follows the routing: every token runs `topK` experts, so the
/// expert GEMMs hold `tokens × topK` rows in all. Weight traffic follows
/// the experts the step touches: with routing assumed uniform and
/// independent per token, a layer sees `E·(1 − (1 − k/E)^T)` distinct
/// experts in expectation for `T` tokens (the expected number of occupied
/// bins; MoE-Lightning and MoE-Infinity use the same estimate), rounded to
/// the nearest whole expert. For one decoded token that is exactly `k`; for
/// a prefill of practical length it is every expert. Each touched expert
/// is its own GEMM (as grouped-GEMM MoE kernels run them); the rows are
/// spread as evenly as integers allow, so at most two GEMM shapes appear.
public struct MoEPlan: Sendable, Hashable {
    public var experts: Int
    public var topK: Int
    public var tokens: Int

    /// The expected distinct experts, unrounded.
    public var expectedTouched: Double {
        let e = Double(experts), k = Double(topK)
        return e * (1 - pow(1 - k / e, Double(tokens)))
    }

    /// Touched experts: the expectation rounded, at least `topK`, at most `experts` and the routed rows.
    public var touched: Int {
        min(experts, tokens * topK, max(topK, Int(expectedTouched.rounded())))
    }

    /// (rows per expert, experts with that many rows), largest first; counts sum to `touched`.
    public var rowGroups: [(rows: Int, experts: Int)] {
        let rows = tokens * topK, d = touched
        let base = rows / d, extra = rows % d
        return [(base + 1, extra), (base, d - extra)].filter { $0.experts > 0 }
    }

    init(experts: Int, topK: Int, tokens: Int) {
        self.experts = experts
        self.topK = topK
        self.tokens = tokens
    }

    init(config: TransformerConfig, tokens: Int) {
        self.init(experts: config.moe!.experts, topK: config.moe!.topK, tokens: tokens)
    }
}

extension MoEPlan {
    /// The router, the touched experts, the weighted combine, and the shared experts.
    func emit(_ e: inout OpEmitter, prefix p: String, config c: TransformerConfig, layers: Int) {
        let moe = c.moe!
        let E = experts, k = topK, T = tokens
        e.gemm(p + "router", m: T, n: E, k: c.hidden, bias: moe.routerBias || moe.scoreBias, layers)
        e.add(p + "router_softmax", .softmax, ["rows": T, "columns": E], layers)
        let groups = rowGroups
        for (rows, count) in groups {
            let name = groups.count == 1 ? p + "experts." : p + "experts_m\(rows)."
            func expert(_ op: String, n: Int, kk: Int) {
                e.add(name + op, .gemm, ["m": rows, "n": n, "k": kk, "bias": moe.expertBias ? 1 : 0,
                                         "experts": E, "top_k": k, "experts_touched": touched], layers * count)
            }
            if c.fusedGateUp {
                expert("gate_up_proj", n: 2 * moe.intermediate, kk: c.hidden)
            } else {
                expert("gate_proj", n: moe.intermediate, kk: c.hidden)
                expert("up_proj", n: moe.intermediate, kk: c.hidden)
            }
            expert("down_proj", n: c.hidden, kk: moe.intermediate)
        }
        e.add(p + "experts.act", .elementwise,
              ["elements": T * k * moe.intermediate, "operands": 2, "flops": 5], layers)
        e.add(p + "combine", .elementwise, ["elements": T * c.hidden, "operands": k, "flops": 2 * k], layers)
        guard moe.sharedIntermediate > 0 else { return }
        let s = moe.sharedIntermediate
        e.gemm(p + "shared_expert.gate_proj", m: T, n: s, k: c.hidden, layers)
        e.gemm(p + "shared_expert.up_proj", m: T, n: s, k: c.hidden, layers)
        e.add(p + "shared_expert.act", .elementwise, ["elements": T * s, "operands": 2, "flops": 5], layers)
        e.gemm(p + "shared_expert.down_proj", m: T, n: c.hidden, k: s, layers)
        if moe.sharedGate { e.gemm(p + "shared_expert_gate", m: T, n: 1, k: c.hidden, layers) }
        e.residual(p + "shared_expert.add", T * c.hidden, layers)
    }
}
