import Formats
import Testing
@testable import Simulator

/// USER mode's stall rule for a demand row that misses k times on a channel, in closed form
/// (`ScaleSimUserMode.wait`), against SCALE-Sim's loop one prefetch at a time (`waitByPrefetch`).
@Suite("USER-mode row wait in closed form equals the prefetch-by-prefetch loop")
struct ScaleSimUserWaitTests {
    @Test("seeded prefetch counts, channel states, line cycles and demand rows: the same wait and channel end")
    func seeded() {
        var g = SplitMix64(seed: 2_024_120_2)
        var early = 0, late = 0
        for _ in 0..<20_000 {
            let k = [0, 1, 2, 3, Int.random(in: 4...400, using: &g)][Int.random(in: 0...4, using: &g)]
            let cycles = [1, 2, Int.random(in: 1...5_000, using: &g)][Int.random(in: 0...2, using: &g)]
            let demand = Int.random(in: 0...1_000_000, using: &g)
            // The channel's last prefetch from far ahead of the row (it waits at once) to far behind it.
            var done = demand + Int.random(in: -2_000_000...2_000_000, using: &g)
            var oracle = done
            let fast = ScaleSimUserMode.wait(prefetches: k, done: &done, cycles: cycles, demand: demand)
            let slow = ScaleSimUserMode.waitByPrefetch(prefetches: k, done: &oracle, cycles: cycles, demand: demand)
            #expect(fast == slow && done == oracle, "k \(k) cycles \(cycles) demand \(demand)")
            if slow > 0 { late += 1 } else { early += 1 }
        }
        // Both regimes are exercised: rows that wait and rows whose prefetches arrived in time.
        #expect(early > 1_000 && late > 1_000)
    }

    @Test("a billion prefetches at one row, in O(1): past the channel's end by what the loop gives 10 or 11")
    func manyPrefetches() {
        // From the second prefetch on, the row's offset past the channel's end alternates with the parity of k
        // (each late prefetch is counted twice), so 10 and 11 prefetches by the loop tell where 10⁹ and 10⁹ + 1
        // end; the loop itself would take seconds.
        for (k, small) in [(1_000_000_000, 10), (1_000_000_001, 11)] {
            var done = -1, loopDone = -1
            let wait = ScaleSimUserMode.wait(prefetches: k, done: &done, cycles: 3_278, demand: 10)
            let loop = ScaleSimUserMode.waitByPrefetch(prefetches: small, done: &loopDone, cycles: 3_278, demand: 10)
            #expect(done == -1 + k * 3_278)
            #expect(wait - (done - 10) == loop - (loopDone - 10))
        }
    }
}
