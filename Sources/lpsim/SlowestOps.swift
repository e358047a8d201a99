import Simulator

/// The `limit` slowest of a stream of op results, slowest first, ties in
/// trace order: what a stable sort by time and a prefix would give, kept as
/// the results pass, in O(limit) memory, without sorting (or holding) a
/// trace of any length to print fifteen rows.
struct SlowestOps {
    let limit: Int
    /// Slowest first.
    private(set) var ops: [OpResult] = []

    init(_ limit: Int) {
        self.limit = limit
        ops.reserveCapacity(limit + 1)
    }

    /// Offers the next result of the trace.
    mutating func add(_ op: OpResult) {
        let t = op.seconds
        // Not slower than the last kept: a later op loses the tie.
        if ops.count == limit, let last = ops.last, !(t > last.seconds) { return }
        var at = ops.count
        while at > 0 && t > ops[at - 1].seconds { at -= 1 }
        ops.insert(op, at: at)
        if ops.count > limit { ops.removeLast() }
    }
}

/// The `count` slowest of `ops`, slowest first, ties in trace order.
func slowest(_ count: Int, of ops: [OpResult]) -> [OpResult] {
    var picked = SlowestOps(count)
    for op in ops { picked.add(op) }
    return picked.ops
}
