import Documents
import Foundation
import Hardware
import Reports
import Simulator
import Workload
import Yams

/// A design-space sweep as its SPEC.yaml describes it: base hardware files,
/// axes (hardware key paths, `workload`, `precision`, `$variables`), combined
/// as a full product of dimensions (a `zip:` group is one dimension), and
/// constraints. Points are numbered in mixed radix: the base hardware is the
/// outermost dimension, then the axes in the order written, the last one
/// varying fastest (list `workload` and `precision` last: the hardware of
/// consecutive points is then decoded once).
public struct SweepSpec: @unchecked Sendable {
    /// A base hardware file, parsed once.
    public struct Base: @unchecked Sendable {
        public var path: String
        public var document: HardwareLoader.ResolvedDocument
        public var family: any FamilySpec.Type
        public var model: HardwareModel
    }

    public var name: String
    public var file: String
    /// The SHA-256 of the specification's text: shard outputs of different specifications never merge.
    public var digest: String
    public var bases: [Base]
    /// Dimension 0 is the base hardware; the others are the axes.
    public var dimensions: [SweepDimension]
    public var traces: [Trace]
    public var plans: [PrecisionPlan]
    public var constraints: Constraints
    public var registry: FamilyRegistry

    /// Every point of the sweep.
    public var count: Int { dimensions.reduce(1) { $0 * $1.count } }

    /// Every axis, dimension by dimension (the columns of the results).
    public var axes: [SweepAxis] { dimensions.flatMap(\.axes) }

    /// The value index of each dimension at point `index`.
    public func coordinates(of index: Int) -> [Int] {
        var rest = index
        var out = [Int](repeating: 0, count: dimensions.count)
        for d in dimensions.indices.reversed() {
            out[d] = rest % dimensions[d].count
            rest /= dimensions[d].count
        }
        return out
    }

    static let topKeys = ["name", "source", "hardware", "axes", "constraints"]

    /// Reads and checks `path`: every key, path, range and file it names.
    ///
    /// - Throws: `Diagnostic` at the offending node (`FILE:LINE:COLUMN`).
    public static func load(_ path: String, registry: FamilyRegistry = .standard) throws -> SweepSpec {
        let data = try readInputFile(path, maximumBytes: maximumYAMLBytes)
        let document = try YAMLDocument(data: data, path: path)
        let top = try document.root.mapping(allowedKeys: topKeys)
        let directory = (path as NSString).deletingLastPathComponent
        func relative(_ p: String) -> String { p.hasPrefix("/") || directory.isEmpty ? p : directory + "/" + p }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = try top["name"]?.name() ?? stem

        let hardwareValue = try top.required("hardware")
        let hardwareItems = (try? hardwareValue.sequence()) ?? [hardwareValue]
        guard !hardwareItems.isEmpty else { throw hardwareValue.error("name at least one hardware file") }
        var bases: [Base] = []
        for item in hardwareItems {
            let file = relative(try item.string())
            guard FileManager.default.fileExists(atPath: file) else {
                throw item.error("cannot read hardware file '\(file)': no such file")
            }
            let resolved = try HardwareLoader.resolve(file)
            let model = try HardwareLoader.load(node: resolved.node, file: file, origins: resolved.origins,
                                                families: registry)
            guard let family = registry.family(named: model.family) else { throw item.error("no family for \(file)") }
            bases.append(Base(path: file, document: resolved, family: family, model: model))
        }
        let baseAxis = SweepAxis(name: "hardware", target: .variable("hardware"),
                                 values: hardwareItems.map(\.node), labels: bases.map { $0.model.name },
                                 source: hardwareValue)
        var dimensions = [SweepDimension(axes: [baseAxis])]
        var traces: [Trace] = [], plans: [PrecisionPlan] = []
        var names = Set(["hardware", "index", "status", "reason"])
        func axis(_ key: String, _ value: YAMLValue, keyValue: YAMLValue) throws -> SweepAxis {
            let target: SweepAxis.Target
            switch key {
            case "workload": target = .workload
            case "precision": target = .precision
            case _ where key.hasPrefix("$"):
                guard key.count > 1, key.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw keyValue.error("a variable is '$' and a name of letters, digits and '_'")
                }
                target = .variable(String(key.dropFirst()))
            default:
                let keyPath = try HardwareKeyPath(key, at: keyValue)
                for base in bases {
                    try keyPath.validate(family: base.family, registry: registry, document: base.document,
                                         at: keyValue)
                }
                target = .hardware(keyPath)
            }
            let column = key.hasPrefix("$") ? String(key.dropFirst()) : key
            guard names.insert(column).inserted else { throw keyValue.error("'\(column)' is swept twice") }
            let values = try SweepAxis.values(value)
            var a = SweepAxis(name: column, target: target, values: values, labels: values.map(SweepAxis.label),
                              source: value)
            if target == .workload {
                a.labels = []
                for item in try value.sequence() {
                    let file = relative(try item.string())
                    guard FileManager.default.fileExists(atPath: file) else {
                        throw item.error("cannot read workload '\(file)': no such file")
                    }
                    let trace = try TraceReader.load(file)
                    traces.append(trace)
                    a.labels.append(trace.name)
                }
            } else if target == .precision {
                for item in try value.sequence() {
                    let text = try item.string()
                    let plan = text.contains("/") || text.hasSuffix(".yaml") ? relative(text) : text
                    do { plans.append(try PrecisionPlan.load(plan)) } catch let d as Diagnostic where d.line == nil {
                        throw item.error(d.message)
                    }
                }
            }
            return a
        }
        let axesValue = try top.required("axes")
        for item in try axesValue.sequence() {
            let m = try item.mapping()
            guard m.entries.count == 1, let (key, value) = m.values.first else {
                throw item.error("each axis is one 'KEY: values' (or 'zip: {KEY: values, …}') item")
            }
            let keyNode = Node.scalar(Node.Scalar(key, Tag(.implicit), .plain, m.entries[0].1.keyMark))
            let keyValue = YAMLValue(node: keyNode, file: path, keyPath: value.keyPath)
            if key == "zip" {
                let group = try value.mapping()
                let members = try group.entries.map { k, e in
                    let node = Node.scalar(Node.Scalar(k, Tag(.implicit), .plain, e.keyMark))
                    return try axis(k, e.value, keyValue: YAMLValue(node: node, file: path, keyPath: e.value.keyPath))
                }
                guard let n = members.first?.values.count else { throw value.error("a zip group needs axes") }
                for member in members where member.values.count != n {
                    throw member.source.error("'\(member.name)' has \(member.values.count) values; "
                        + "'\(members[0].name)' in the same zip has \(n)")
                }
                dimensions.append(SweepDimension(axes: members))
            } else {
                dimensions.append(SweepDimension(axes: [try axis(key, value, keyValue: keyValue)]))
            }
        }
        let all = dimensions.flatMap(\.axes)
        guard all.contains(where: { $0.target == .workload }) else {
            throw axesValue.error("a sweep needs a 'workload' axis (one or more trace files)")
        }
        if !all.contains(where: { $0.target == .precision }) { plans = [try PrecisionPlan.load("bf16")] }
        try checkVariables(all)
        var total = 1.0
        for d in dimensions { total *= Double(d.count) }
        guard total <= 1e12 else { throw axesValue.error("\(total) points; a sweep has at most 10^12") }
        let constraints = try top["constraints"].map(Constraints.init) ?? Constraints()
        let spec = SweepSpec(name: name, file: path, digest: SHA256.hex(data), bases: bases,
                             dimensions: dimensions, traces: traces, plans: plans, constraints: constraints,
                             registry: registry)
        try spec.checkValues()
        return spec
    }

    /// Every `$name` a hardware value uses is a variable axis, and every
    /// variable axis is used (else each of its values would repeat the same points).
    static func checkVariables(_ axes: [SweepAxis]) throws {
        let variables = Set(axes.compactMap { if case .variable(let v) = $0.target { return v } else { return nil } })
        var used: Set<String> = []
        func visit(_ node: Node, _ axis: SweepAxis) throws {
            switch node {
            case .scalar(let s) where s.string.hasPrefix("$"):
                guard variables.contains(String(s.string.dropFirst())) else {
                    throw axis.source.with(node).error("'\(s.string)' is not a variable; sweep it as an axis "
                        + "'\(s.string): [...]'")
                }
                used.insert(String(s.string.dropFirst()))
            case .sequence(let s): for n in s { try visit(n, axis) }
            case .mapping(let m): for (_, v) in m { try visit(v, axis) }
            default: break
            }
        }
        for a in axes where a.target != .workload && a.target != .precision {
            if case .hardware = a.target { for v in a.values { try visit(v, a) } }
        }
        // The base-file dimension is a variable named `hardware` that no value refers to.
        for a in axes where a.name != "hardware" {
            guard case .variable(let v) = a.target, !used.contains(v) else { continue }
            throw a.source.error("'$\(v)' is swept but no hardware value uses it, so every one of its "
                                 + "\(a.values.count) values would repeat the same points; use it as '$\(v)' in a "
                                 + "hardware axis or remove it")
        }
    }
}

extension YAMLValue {
    /// The same file and key path at another node (a value inside an axis).
    func with(_ node: Node) -> YAMLValue { YAMLValue(node: node, file: file, keyPath: keyPath, origins: origins) }
}
