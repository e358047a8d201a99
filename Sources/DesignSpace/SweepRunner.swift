import Documents
import Foundation

/// Runs a sweep (or one shard of it) on every core and writes its outputs to
/// a directory: `points.csv` and `points.jsonl`, one row per point, streamed
/// in index order as computed; `sweep.json`, the manifest; and, for a whole
/// sweep that ran to the end, `report.md` with its three Pareto charts.
///
/// Points are evaluated in chunks of consecutive indices by a task group that
/// keeps a bounded window of chunks in flight (twice the cores); finished
/// chunks are written in index order, whatever order they finish in, so the
/// files do not depend on the parallelism. Memory holds the window and the
/// summary, never the rows.
public struct SweepRunner: Sendable {
    public let evaluator: SweepEvaluator
    /// `(index, count)`: this run evaluates the points `i` with `i % count == index`.
    public let shard: (index: Int, count: Int)?
    public let directory: String
    public var chunkSize = 128
    public var window = 2 * max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init(evaluator: SweepEvaluator, shard: (index: Int, count: Int)?, directory: String) {
        self.evaluator = evaluator
        self.shard = shard
        self.directory = directory
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        public var rows: Int
        public var points: Int
        public var interrupted: Bool
        public var summary: SweepSummary
    }

    /// The points this run evaluates.
    public var points: Int {
        let n = evaluator.spec.count
        guard let (i, c) = shard else { return n }
        // ⌈(n − i) / c⌉ without forming n − i + c − 1, which overflows for a count near Int.max.
        return n > i ? (n - i - 1) / c + 1 : 0
    }

    func index(_ position: Int) -> Int { shard.map { $0.index + $0.count * position } ?? position }

    /// Runs to the end, or until `shouldStop` says so (checked between
    /// chunks): then the chunks already written stay, every row whole, the
    /// manifest says `complete: false`, and no report is written.
    ///
    /// - Parameter progress: called after each chunk is written with (rows written, points).
    public func run(progress: @Sendable (Int, Int) -> Void, shouldStop: @Sendable () -> Bool) async throws -> Outcome {
        try makeSweepOutputDirectory(directory)
        let spec = evaluator.spec
        let axes = spec.axes.map(\.name)
        let csv = try SweepOutputFile(directory + "/points.csv")
        let jsonl = try SweepOutputFile(directory + "/points.jsonl")
        try csv.write(SweepRow.csvHeader(axes: axes))
        var manifest = SweepManifest(spec: spec, shard: shard)
        var summary = SweepSummary(radices: manifest.radices, workloadDimension: manifest.workloadDimension)
        let total = points, chunks = (total + chunkSize - 1) / chunkSize
        var written = 0, interrupted = false
        try await withThrowingTaskGroup(of: (Int, [SweepRow], String, String).self) { group in
            var next = 0, emit = 0
            var done: [Int: ([SweepRow], String, String)] = [:]
            func launch() {
                let c = next
                next += 1
                let positions = (c * chunkSize)..<min(total, (c + 1) * chunkSize)
                let indices = positions.map(index)
                let evaluator = self.evaluator
                group.addTask {
                    let rows = evaluator.evaluate(indices)
                    var csv = "", json = ""
                    for r in rows {
                        let labels = evaluator.labels(r.index)
                        csv += r.csvLine(labels: labels)
                        json += r.jsonLine(axes: axes, labels: labels)
                    }
                    return (c, rows, csv, json)
                }
            }
            while next < chunks && next < window { launch() }
            while let (c, rows, csvText, jsonText) = try await group.next() {
                done[c] = (rows, csvText, jsonText)
                while let ready = done.removeValue(forKey: emit) {
                    try csv.write(ready.1)
                    try jsonl.write(ready.2)
                    for r in ready.0 { summary.add(r) }
                    written += ready.0.count
                    emit += 1
                    progress(written, total)
                }
                if shouldStop() {
                    interrupted = written < total
                    group.cancelAll()
                    break
                }
                if next < chunks { launch() }
            }
        }
        try csv.close()
        try jsonl.close()
        manifest.rows = written
        manifest.complete = !interrupted
        try writeAtomically(manifest.json, to: directory + "/sweep.json")
        if !interrupted && shard == nil { try SweepReport(manifest: manifest, summary: summary).write(to: directory) }
        return Outcome(rows: written, points: total, interrupted: interrupted, summary: summary)
    }
}

/// A file written in whole lines, appended as they come.
final class SweepOutputFile {
    let handle: FileHandle
    let path: String

    init(_ path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SweepError("\(path): error: cannot create the file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func write(_ text: String) throws { try handle.write(contentsOf: Data(text.utf8)) }
    func close() throws { try handle.close() }
}
