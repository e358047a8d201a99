import Documents
import Foundation

/// `sweep merge`: shard outputs into exactly the files the unsharded run
/// writes. Shard `i` of `n` holds the points `i, i + n, i + 2n, …` in order,
/// so the merged rows are taken from the shards in turn; each row's index is
/// checked, and the summary is rebuilt from the rows read back (their numbers
/// are written so as to read back exactly).
public enum SweepMerge {
    /// Merges the shard directories into `output`.
    ///
    /// - Throws: `SweepError` when the shards are of different sweeps, a shard is
    ///   missing, repeated or interrupted, or a row is not where it belongs.
    public static func merge(_ directories: [String], into output: String) throws -> SweepManifest {
        let manifests = try directories.map { try SweepManifest(file: $0 + "/sweep.json") }
        guard let first = manifests.first, let n = first.shard?.count else {
            throw SweepError("\(directories.first ?? "?")/sweep.json: error: not a shard (run with --shard I/N)")
        }
        var byIndex = [Int?](repeating: nil, count: n)
        for (dir, m) in zip(directories, manifests) {
            let file = dir + "/sweep.json"
            guard m.digest == first.digest, m.points == first.points else {
                throw SweepError("\(file): error: a shard of another sweep (or another version of its specification)")
            }
            guard let s = m.shard, s.count == n else { throw SweepError("\(file): error: not a shard of \(n)") }
            guard m.complete else {
                throw SweepError("\(file): error: shard \(s.index)/\(n) was interrupted after \(m.rows) rows; "
                    + "rerun it")
            }
            guard byIndex[s.index] == nil else {
                throw SweepError("\(file): error: shard \(s.index)/\(n) given twice")
            }
            byIndex[s.index] = directories.firstIndex(of: dir)
        }
        if let missing = byIndex.firstIndex(where: { $0 == nil }) {
            throw SweepError("\(directories[0]): error: shard \(missing)/\(n) is missing")
        }
        let order = byIndex.map { $0! }
        var merged = first
        merged.shard = nil
        merged.rows = first.points
        merged.complete = true
        let csvIn = try order.map { try LineStream(directories[$0] + "/points.csv") }
        let jsonIn = try order.map { try LineStream(directories[$0] + "/points.jsonl") }
        let existed = FileManager.default.fileExists(atPath: output)
        try makeSweepOutputDirectory(output)
        do {
            return try write(merged, first, csvIn, jsonIn, n, into: output)
        } catch {
            // A merge that fails leaves nothing: its partial files, and the directory if it made it.
            for partial in ["points.csv.partial", "points.jsonl.partial"] {
                try? FileManager.default.removeItem(atPath: output + "/" + partial)
            }
            if !existed, (try? FileManager.default.contentsOfDirectory(atPath: output))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: output)
            }
            throw error
        }
    }

    /// The merged rows, checked in order, then the manifest and the report.
    static func write(_ merged: SweepManifest, _ first: SweepManifest, _ csvIn: [LineStream],
                      _ jsonIn: [LineStream], _ n: Int, into output: String) throws -> SweepManifest {
        let csv = try SweepOutputFile(output + "/points.csv.partial")
        let jsonl = try SweepOutputFile(output + "/points.jsonl.partial")
        var header: Substring?
        for s in csvIn {
            let h = try s.next()
            guard header == nil || h == header else { throw SweepError("\(s.path): error: another header") }
            header = h
        }
        try csv.write(String(header ?? "") + "\n")
        var summary = SweepSummary(radices: first.radices, workloadDimension: first.workloadDimension)
        let axisCount = first.axisNames.count
        var csvBuffer = "", jsonBuffer = ""
        for i in 0..<first.points {
            let s = i % n
            guard let line = try csvIn[s].next(), let row = SweepRow.parse(csv: line, axisCount: axisCount),
                  row.index == i, let json = try jsonIn[s].next() else {
                throw SweepError("\(csvIn[s].path): error: row \(i) missing or out of place")
            }
            summary.add(row)
            csvBuffer += line + "\n"
            jsonBuffer += json + "\n"
            if csvBuffer.utf8.count > 1 << 20 {
                try csv.write(csvBuffer)
                try jsonl.write(jsonBuffer)
                (csvBuffer, jsonBuffer) = ("", "")
            }
        }
        try csv.write(csvBuffer)
        try jsonl.write(jsonBuffer)
        try csv.close()
        try jsonl.close()
        for (partial, final) in [("points.csv.partial", "points.csv"), ("points.jsonl.partial", "points.jsonl")] {
            _ = try? FileManager.default.removeItem(atPath: output + "/" + final)
            try FileManager.default.moveItem(atPath: output + "/" + partial, toPath: output + "/" + final)
        }
        try writeAtomically(merged.json, to: output + "/sweep.json")
        try SweepReport(manifest: merged, summary: summary).write(to: output)
        return merged
    }
}

/// The lines of a file, read 1 MiB at a time (without their newline).
final class LineStream {
    let path: String
    let handle: FileHandle
    var buffer: [UInt8] = [], start = 0, atEnd = false

    init(_ path: String) throws {
        self.path = path
        guard let h = FileHandle(forReadingAtPath: path) else { throw SweepError("\(path): error: cannot read") }
        handle = h
    }

    func next() throws -> Substring? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[start..<nl], as: UTF8.self)
                start = nl + 1
                return line[...]
            }
            if atEnd { return nil }
            buffer.removeFirst(start)
            start = 0
            let data = try handle.read(upToCount: 1 << 20) ?? Data()
            if data.isEmpty { atEnd = true } else { buffer.append(contentsOf: data) }
        }
    }
}
