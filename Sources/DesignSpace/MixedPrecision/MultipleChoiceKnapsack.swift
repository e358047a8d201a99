import Documents

/// HAWQ-V3's integer program (Yao et al., ICML 2021, §3.4): pick one option per group (one format per
/// layer) so that the summed value (the accuracy proxy) is least while the summed cost stays within a
/// budget — a multiple-choice knapsack, solved here exactly by dynamic programming over a discretised cost.
///
/// Discretisation: each group's cheapest option is its zero; the costs above it are measured in units of
/// `step` = (Σ over groups of (most − least expensive option)) / `resolution`, rounded *up* to whole units,
/// and a budget B allows ⌊(B − Σ least costs) / step⌋ units. The DP is exact on these integer costs (a
/// brute-force test checks it), and because costs round up, every plan it returns costs at most B in real
/// terms; a plan within about `groups × step` of B may be judged over budget. Time and memory are
/// O(groups × options × resolution).
///
/// Ties: among plans of equal value the one with fewer cost units wins, then — deciding from the last group
/// backwards — the one whose option comes first in its group, so the same inputs always give the same plan.
public struct MultipleChoiceKnapsack: Sendable {
    /// One choice of a group: what it costs and what it adds to the value being minimised.
    public struct Option: Sendable, Hashable {
        public var cost: Double
        public var value: Double
        public init(cost: Double, value: Double) { self.cost = cost; self.value = value }
    }

    /// A plan: the option chosen in each group and its totals (real cost, value, cost units).
    public struct Solution: Sendable, Hashable {
        public var choices: [Int]
        public var cost: Double
        public var value: Double
        public var units: Int
    }

    public let groups: [[Option]]
    public let resolution: Int
    /// The cost of one unit (0 when no group's options differ in cost).
    public let step: Double
    /// Each option's cost above its group's cheapest, in whole units (rounded up).
    public let units: [[Int]]
    /// The cost of the cheapest plan: every group's cheapest option.
    public let minimumCost: Double
    /// The cost of the dearest plan: every group's dearest option.
    public let maximumCost: Double

    /// - Throws: `Diagnostic` when there is no group, a group has no option, a figure is not finite, or the
    ///   resolution is outside 1…1,000,000.
    public init(groups: [[Option]], resolution: Int = 20_000) throws {
        func fail(_ m: String) -> Diagnostic { Diagnostic(file: "<command line>", message: m) }
        guard !groups.isEmpty else { throw fail("the search has no layers to assign formats to") }
        guard (1...1_000_000).contains(resolution) else {
            throw fail("the resolution must be 1…1000000 cost units, got \(resolution)")
        }
        for (g, options) in groups.enumerated() {
            guard !options.isEmpty else { throw fail("layer \(g + 1) has no candidate format") }
            for o in options where !o.cost.isFinite || !o.value.isFinite {
                throw fail("layer \(g + 1): a cost or proxy is not finite (cost \(o.cost), proxy \(o.value))")
            }
        }
        self.groups = groups
        self.resolution = resolution
        let least = groups.map { $0.map(\.cost).min()! }, most = groups.map { $0.map(\.cost).max()! }
        minimumCost = least.reduce(0, +)
        maximumCost = most.reduce(0, +)
        let span = zip(most, least).reduce(0) { $0 + ($1.0 - $1.1) }
        step = span > 0 ? span / Double(resolution) : 0
        let step = step
        units = groups.indices.map { g in
            groups[g].map { step > 0 ? Int(((($0.cost - least[g]) / step)).rounded(.up)) : 0 }
        }
    }

    /// The units a budget allows: ⌊(budget − minimumCost) / step⌋, or every plan's units when the budget
    /// covers the dearest plan (every plan is then within it, whatever the rounding); nil when the budget is
    /// below the cheapest plan.
    public func capacity(budget: Double) -> Int? {
        guard budget >= minimumCost else { return nil }
        let cap = units.reduce(0) { $0 + $1.max()! }
        guard step > 0, budget < maximumCost else { return cap }
        let allowed = ((budget - minimumCost) / step).rounded(.down)
        return allowed >= Double(cap) ? cap : Int(allowed)
    }

    /// The least-value plan within `budget`.
    ///
    /// - Throws: `Diagnostic` naming the cheapest plan's cost when the budget is below it (infeasible).
    public func solve(budget: Double, describe: (Double) -> String = { "\($0)" }) throws -> Solution {
        guard let capacity = capacity(budget: budget) else {
            throw Diagnostic(file: "<command line>", message: "the budget \(describe(budget)) is infeasible: "
                             + "the cheapest plan costs \(describe(minimumCost))")
        }
        return solve(units: capacity)
    }

    /// The least-value plan of at most `capacity` cost units (the DP proper).
    public func solve(units capacity: Int) -> Solution { solve(units: [capacity])[0] }

    /// The least-value plan for each capacity, from one DP table as wide as the largest.
    public func solve(units capacities: [Int]) -> [Solution] {
        let width = (capacities.max() ?? 0) + 1
        // best[w], used[w]: the least value (then fewest units) of the groups so far within w units;
        // choice[g][w]: the option of group g in that plan (every group has a zero-unit option, so one fits).
        var best = [Double](repeating: 0, count: width), used = [Int](repeating: 0, count: width)
        var choice = [[Int32]]()
        choice.reserveCapacity(groups.count)
        for g in groups.indices {
            var nextBest = [Double](repeating: .infinity, count: width), nextUsed = [Int](repeating: 0, count: width)
            var picked = [Int32](repeating: -1, count: width)
            for (j, option) in groups[g].enumerated() {
                let u = units[g][j]
                guard u < width else { continue }
                for w in u..<width {
                    let v = best[w - u] + option.value, n = used[w - u] + u
                    if v < nextBest[w] || (v == nextBest[w] && n < nextUsed[w]) {
                        nextBest[w] = v; nextUsed[w] = n; picked[w] = Int32(j)
                    }
                }
            }
            best = nextBest; used = nextUsed
            choice.append(picked)
        }
        return capacities.map { capacity in
            var choices = [Int](repeating: 0, count: groups.count), w = capacity
            for g in groups.indices.reversed() {
                let j = Int(choice[g][w])
                choices[g] = j
                w -= units[g][j]
            }
            return evaluate(choices)
        }
    }

    /// The totals of a plan, summed group by group in order (as the DP sums them).
    public func evaluate(_ choices: [Int]) -> Solution {
        var cost = 0.0, value = 0.0, n = 0
        for (g, j) in choices.enumerated() {
            cost += groups[g][j].cost; value += groups[g][j].value; n += units[g][j]
        }
        return Solution(choices: choices, cost: cost, value: value, units: n)
    }
}
