import Documents
import Foundation
import Hardware
import Simulator
import Workload

/// The mixed-precision search of HAWQ-V3 (Yao et al., ICML 2021) and FLIQS (Dotzel et al., 2023) on lpsim's
/// own costs: one candidate plan per layer, the summed accuracy proxy least, the objective (latency,
/// energy or weight size, simulated) within a budget.
///
/// The proxy is Σ over layers of sensitivity × noise. Noise is the noise-to-signal power of the layer's
/// output under the candidate, 10^(−QSNR/10) with QSNR the output QSNR in dB that `simulate --json`
/// reports for the op (its formats on the device's multiplier and accumulator at its K). Sensitivity is the
/// user's per-layer Hessian trace, or by default the layer's parameter count (a proxy for HAWQ's
/// trace × ‖ΔW‖², whose squared weight error grows with the number of weights). The proxy is also shown
/// as −10·log10(proxy / Σ sensitivity), the sensitivity-weighted QSNR in dB: higher is better, and it is
/// the candidate's QSNR when every layer takes the same one.
public struct PrecisionSearch: Sendable {
    /// A plan of the search: each layer's candidate, its simulated cost, its proxy.
    public struct Point: Sendable, Hashable {
        public var budget: Double
        public var choices: [Int]
        public var cost: Double
        public var proxy: Double
    }

    public let table: LayerCostTable
    public let objective: SearchObjective
    /// Per layer; `sensitivityFile` names where they came from (nil: parameter counts).
    public let sensitivity: [Double]
    public let sensitivityFile: String?
    public let knapsack: MultipleChoiceKnapsack

    /// - Throws: `Diagnostic` when every sensitivity is 0 (the proxy then ranks no plan above another) or
    ///   the knapsack rejects the figures.
    public init(table: LayerCostTable, objective: SearchObjective, sensitivity: [Double]? = nil,
                sensitivityFile: String? = nil, resolution: Int = 20_000) throws {
        self.table = table
        self.objective = objective
        self.sensitivity = sensitivity ?? table.layers.map(\.parameters)
        self.sensitivityFile = sensitivityFile
        guard self.sensitivity.contains(where: { $0 > 0 }) else {
            throw Diagnostic(file: sensitivityFile ?? "<command line>", message: "every layer's sensitivity is 0: "
                             + "the proxy cannot tell one plan from another")
        }
        let costs = table.costs(objective), s = self.sensitivity
        knapsack = try MultipleChoiceKnapsack(groups: table.layers.indices.map { l in
            table.candidates.indices.map { j in
                .init(cost: costs[l][j], value: s[l] * Self.noise(table.outputQSNR[l][j]))
            }
        }, resolution: resolution)
    }

    /// Noise power relative to the signal for a QSNR in dB: 10^(−QSNR/10) (0 for an exact format).
    public static func noise(_ qsnrDecibels: Double) -> Double { pow(10, -qsnrDecibels / 10) }

    /// The proxy as a sensitivity-weighted QSNR, dB.
    public func decibels(_ proxy: Double) -> Double { -10 * log10(proxy / sensitivity.reduce(0, +)) }

    /// The cost of the cheapest plan.
    public var minimumCost: Double { knapsack.minimumCost }

    /// Every layer in candidate `j`.
    public func uniform(_ j: Int) -> Point {
        point(budget: .nan, knapsack.evaluate(Array(repeating: j, count: table.layers.count)))
    }

    /// The least-proxy plan within `budget` (in the objective's base unit: s, J or B).
    ///
    /// - Throws: `Diagnostic` when the budget is below the cheapest plan (infeasible), naming that plan's cost.
    public func solve(budget: Double) throws -> Point {
        guard let capacity = knapsack.capacity(budget: budget) else {
            throw Diagnostic(file: "<command line>", message: "the \(objective.rawValue) budget "
                             + "\(Self.format(budget, objective)) is infeasible: the cheapest plan "
                             + "needs \(Self.format(minimumCost, objective))")
        }
        return point(budget: budget, knapsack.solve(units: capacity))
    }

    /// The budget → proxy front: `count` budgets evenly spaced from the cheapest to the dearest uniform
    /// plan (both included), each solved; one DP table serves them all.
    public func front(count: Int) -> [Point] {
        let ends = table.candidates.indices.map { uniform($0).cost }
        let low = ends.min()!, high = ends.max()!
        let budgets = count <= 1 ? [high] : (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
        let capacities = budgets.map { knapsack.capacity(budget: $0) ?? 0 }
        return zip(budgets, knapsack.solve(units: capacities)).map { point(budget: $0, $1) }
    }

    /// The plan of `point` as a precision plan.
    public func plan(_ point: Point, named name: String, trace: Trace) -> PrecisionPlan {
        MixedPlan.plan(named: name, trace: trace, layers: table.layers, candidates: table.candidates,
                       choices: point.choices)
    }

    func point(budget: Double, _ s: MultipleChoiceKnapsack.Solution) -> Point {
        Point(budget: budget, choices: s.choices, cost: s.cost, proxy: s.value)
    }

    /// A figure of the objective with its unit: µs, mJ or MB.
    public static func format(_ value: Double, _ objective: SearchObjective) -> String {
        switch objective {
        case .latency: String(format: "%.6g µs", value * 1e6)
        case .energy: String(format: "%.6g mJ", value * 1e3)
        case .size: String(format: "%.6g MB", value / 1e6)
        }
    }
}
