/// The ofmap write buffer's closed lines, as SCALE-Sim's `write_buffer`
/// keeps them: outputs fill a line of `bandwidth` words; a drain closes the
/// open line and takes up to `chunk` lines, one a cycle. A run-length queue
/// (fill, count), so that a buffer of millions of words costs a few entries.
///
/// A drained chunk's words count every line in full but the last line's
/// padding (`empty_drain_buf`), so padded lines inside a chunk count as
/// writes. Shared by `WriteBuffer.drain` (untimed) and `timedDrain`.
struct ScaleSimLineQueue {
    let bandwidth: Int, chunk: Int
    private var lines: [(fill: Int, count: Int)] = []
    private var head = 0
    /// Words in the line still being filled.
    private var open = 0

    init(bandwidth: Int, chunk: Int) {
        self.bandwidth = bandwidth
        self.chunk = chunk
    }

    /// Whether a closed line waits to be drained.
    var isEmpty: Bool { head == lines.count }

    /// Closed lines waiting, and the words they hold.
    var pending: (lines: Int, words: Int) {
        var count = 0, words = 0
        for i in head..<lines.count { count += lines[i].count; words += lines[i].count * lines[i].fill }
        return (count, words)
    }

    /// Stores `n` outputs: full lines close as they fill.
    mutating func add(_ n: Int) {
        guard n > 0 else { return }
        if open + n < bandwidth { open += n; return }
        let rest = n - (bandwidth - open)
        push(bandwidth, 1 + rest / bandwidth)
        open = rest % bandwidth
    }

    /// Closes the open line, if it holds anything.
    mutating func close() {
        if open > 0 { push(open, 1); open = 0 }
    }

    /// Drains one chunk: the lines taken (its cycles) and the words it writes.
    mutating func drainChunk() -> (lines: Int, words: Int) {
        var taken = 0, data = 0, lastFill = bandwidth
        while taken < chunk, head < lines.count {
            let t = min(chunk - taken, lines[head].count)
            data += t * bandwidth
            lastFill = lines[head].fill
            taken += t
            lines[head].count -= t
            if lines[head].count == 0 { head += 1 }
        }
        return (taken, data - (bandwidth - lastFill))
    }

    private mutating func push(_ fill: Int, _ count: Int) {
        guard count > 0 else { return }
        if let last = lines.last, last.fill == fill, lines.count > head { lines[lines.count - 1].count += count }
        else { lines.append((fill, count)) }
    }
}
