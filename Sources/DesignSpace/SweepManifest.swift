import Documents
import Foundation

/// `sweep.json`: what a run (or one shard) covered, so that `sweep merge` can
/// check its inputs belong together and write the report without the
/// specification. It holds no time, host or path of the run, so that equal
/// work gives equal bytes.
public struct SweepManifest: Sendable, Equatable {
    public var name: String
    public var digest: String
    public var points: Int
    public var shard: (index: Int, count: Int)?
    /// Every point of the shard has its row (false after an interrupt).
    public var complete: Bool
    public var rows: Int
    /// Per dimension, its axes: name and the label of each value.
    public var dimensions: [[(name: String, labels: [String])]]

    public static func == (a: SweepManifest, b: SweepManifest) -> Bool { a.json == b.json }

    public var axisNames: [String] { dimensions.flatMap { $0.map(\.name) } }
    public var radices: [Int] { dimensions.map { $0.first?.labels.count ?? 1 } }
    /// The dimension holding the workload axis.
    public var workloadDimension: Int { dimensions.firstIndex { $0.contains { $0.name == "workload" } } ?? 0 }
    /// A dimension's name: its first axis, and how many more are zipped with it.
    public func dimensionName(_ d: Int) -> String {
        dimensions[d][0].name + (dimensions[d].count > 1 ? " (+\(dimensions[d].count - 1) zipped)" : "")
    }

    /// The labels of point `index`, one per axis.
    public func labels(_ index: Int) -> [String] {
        var rest = index, c = [Int](repeating: 0, count: dimensions.count)
        for d in dimensions.indices.reversed() {
            c[d] = rest % radices[d]
            rest /= radices[d]
        }
        return dimensions.enumerated().flatMap { d, axes in axes.map { $0.labels[c[d]] } }
    }

    public var json: String {
        let s = jsonQuoted
        let dims = dimensions.map { axes in
            "[" + axes.map { a in
                "{\"name\": \(s(a.name)), \"labels\": [" + a.labels.map(s).joined(separator: ", ") + "]}"
            }.joined(separator: ", ") + "]"
        }
        return "{\n  \"name\": \(s(name)),\n  \"digest\": \(s(digest)),\n  \"points\": \(points),\n"
            + "  \"shard\": \(shard.map { "\"\($0.index)/\($0.count)\"" } ?? "null"),\n"
            + "  \"complete\": \(complete),\n  \"rows\": \(rows),\n"
            + "  \"dimensions\": [\n    " + dims.joined(separator: ",\n    ") + "\n  ]\n}\n"
    }

    public init(spec: SweepSpec, shard: (Int, Int)?) {
        name = spec.name
        digest = spec.digest
        points = spec.count
        self.shard = shard
        complete = false
        rows = 0
        dimensions = spec.dimensions.map { $0.axes.map { ($0.name, $0.labels) } }
    }

    /// Reads a `sweep.json`; nil message on success.
    public init(file: String) throws {
        // A shard directory without its manifest (a crashed or misnamed shard) is a FILE: error, not Foundation's.
        let data = try readInputFile(file, maximumBytes: 64 << 20)
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let name = o["name"] as? String, let digest = o["digest"] as? String, let points = o["points"] as? Int,
              let complete = o["complete"] as? Bool, let rows = o["rows"] as? Int,
              let dims = o["dimensions"] as? [[[String: Any]]] else {
            throw SweepError("\(file): error: not a sweep manifest (sweep.json)")
        }
        self.name = name
        self.digest = digest
        self.points = points
        self.complete = complete
        self.rows = rows
        if let text = o["shard"] as? String {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            shard = parts.count == 2 ? (parts[0], parts[1]) : nil
        } else { shard = nil }
        dimensions = dims.map { $0.map { ($0["name"] as? String ?? "", $0["labels"] as? [String] ?? []) } }
    }
}

/// An error of a sweep's run or merge, already worded `FILE: error: …`.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
