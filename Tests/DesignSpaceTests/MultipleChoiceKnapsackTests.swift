import DesignSpace
import Documents
import Formats
import Testing

/// The DP against brute-force enumeration of every plan: the oracle is a different algorithm (all K^L
/// assignments), sharing only the rule it is judged by (least value, then fewest units, then the
/// earlier option deciding from the last group).
@Suite("Multiple-choice knapsack")
struct MultipleChoiceKnapsackTests {
    /// A seeded instance: `layers` groups of `options` options, costs and values uniform in (0, 1].
    static func instance(seed: UInt64, layers: Int, options: Int) -> [[MultipleChoiceKnapsack.Option]] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11 + 1) / 0x1p53 }
        return (0..<layers).map { _ in (0..<options).map { _ in .init(cost: uniform(), value: uniform()) } }
    }

    /// Every plan, in order; the best within `capacity` units by the DP's rule.
    static func bruteForce(_ k: MultipleChoiceKnapsack, capacity: Int) -> MultipleChoiceKnapsack.Solution {
        var best: MultipleChoiceKnapsack.Solution?
        var choices = [Int](repeating: 0, count: k.groups.count)
        func better(_ a: MultipleChoiceKnapsack.Solution, _ b: MultipleChoiceKnapsack.Solution) -> Bool {
            if a.value != b.value { return a.value < b.value }
            if a.units != b.units { return a.units < b.units }
            for g in a.choices.indices.reversed() where a.choices[g] != b.choices[g] {
                return a.choices[g] < b.choices[g]
            }
            return false
        }
        func visit(_ g: Int) {
            if g == choices.count {
                let s = k.evaluate(choices)
                if s.units <= capacity, best.map({ better(s, $0) }) ?? true { best = s }
                return
            }
            for j in k.groups[g].indices { choices[g] = j; visit(g + 1) }
        }
        visit(0)
        return best!
    }

    @Test("the DP's plan is the brute-force optimum on the discretised costs (seeded instances and budgets)",
          arguments: [(1, 6, 2), (2, 7, 3), (3, 8, 2), (4, 6, 3), (5, 8, 3)] as [(UInt64, Int, Int)])
    func exact(seed: UInt64, layers: Int, options: Int) throws {
        let k = try MultipleChoiceKnapsack(groups: Self.instance(seed: seed, layers: layers, options: options),
                                           resolution: 64)
        var rng = SplitMix64(seed: seed &* 7919)
        for _ in 0..<6 {
            let budget = k.minimumCost + (k.maximumCost - k.minimumCost) * Double(rng.next() >> 11) / 0x1p53
            let dp = try k.solve(budget: budget)
            let oracle = Self.bruteForce(k, capacity: k.capacity(budget: budget)!)
            #expect(dp == oracle, "seed \(seed), budget \(budget)")
            #expect(dp.cost <= budget, "over budget: \(dp.cost) > \(budget)")
        }
    }

    @Test("with whole-number costs and one unit per cost step, the DP is the optimum on the real costs too")
    func exactOnIntegers() throws {
        var rng = SplitMix64(seed: 42)
        let groups: [[MultipleChoiceKnapsack.Option]] = (0..<7).map { g in
            (0..<3).map { j in .init(cost: Double(g == 0 && j == 0 ? 0 : Int(rng.next() % 9)),
                                     value: Double(rng.next() % 1000) / 7) }
        }
        // A span of exactly `resolution` makes each unit one cost step: the rounding is then exact.
        let least = groups.map { $0.map(\.cost).min()! }, most = groups.map { $0.map(\.cost).max()! }
        let span = Int(zip(most, least).reduce(0) { $0 + $1.0 - $1.1 })
        let k = try MultipleChoiceKnapsack(groups: groups, resolution: span)
        for budget in stride(from: k.minimumCost, through: k.maximumCost, by: 1) {
            let dp = try k.solve(budget: budget)
            var best = Double.infinity
            func visit(_ g: Int, _ cost: Double, _ value: Double) {
                if g == groups.count { if cost <= budget { best = min(best, value) }; return }
                for o in groups[g] { visit(g + 1, cost + o.cost, value + o.value) }
            }
            visit(0, 0, 0)
            #expect(abs(dp.value - best) <= 1e-9 * best, "budget \(budget)")
            #expect(dp.cost <= budget)
        }
    }

    @Test("ties: equal value goes to fewer units, then to the earlier option")
    func ties() throws {
        // Both options of each group have value 1: the cheaper (first) wins at any budget.
        typealias O = MultipleChoiceKnapsack.Option
        let k = try MultipleChoiceKnapsack(groups: Array(repeating: [O(cost: 1, value: 1), O(cost: 2, value: 1)],
                                                         count: 3), resolution: 3)
        #expect(try k.solve(budget: 6).choices == [0, 0, 0])
        // Equal value and equal cost: the earlier option.
        let same = try MultipleChoiceKnapsack(groups: [[O(cost: 1, value: 2), O(cost: 1, value: 2)]], resolution: 8)
        #expect(try same.solve(budget: 5).choices == [0])
        // Two plans of equal value and units: the later group decides first, and takes its earlier option.
        let pair = [O(cost: 0, value: 2), O(cost: 1, value: 1)]
        let swap = try MultipleChoiceKnapsack(groups: [pair, pair], resolution: 2)
        #expect(try swap.solve(budget: 1).choices == [1, 0])
    }

    @Test("bad inputs: no group, an empty group, a budget below the cheapest plan (its cost named)")
    func badInputs() throws {
        #expect(throws: Diagnostic.self) { try MultipleChoiceKnapsack(groups: []) }
        #expect(throws: Diagnostic.self) { try MultipleChoiceKnapsack(groups: [[.init(cost: 1, value: 1)], []]) }
        #expect(throws: Diagnostic.self) { try MultipleChoiceKnapsack(groups: [[.init(cost: .nan, value: 1)]]) }
        let k = try MultipleChoiceKnapsack(groups: [[.init(cost: 2, value: 1), .init(cost: 3, value: 0)],
                                                    [.init(cost: 1.5, value: 1)]])
        let error = #expect(throws: Diagnostic.self) { try k.solve(budget: 3.4, describe: { "\($0) s" }) }
        #expect(error?.message == "the budget 3.4 s is infeasible: the cheapest plan costs 3.5 s")
        #expect(try k.solve(budget: 3.5).choices == [0, 0])
    }
}
