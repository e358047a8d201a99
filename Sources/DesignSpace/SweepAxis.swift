import Foundation
import Documents
import Yams

/// One swept quantity: what it sets and the values it takes, in order.
public struct SweepAxis: @unchecked Sendable {
    /// What an axis sets at each point.
    public enum Target: Sendable, Hashable {
        /// A key path of the hardware file.
        case hardware(HardwareKeyPath)
        /// The trace simulated (`workload:`), one file per value.
        case workload
        /// The precision plan (`precision:`), a built-in name or a plan file.
        case precision
        /// A named value (`$width`) that hardware values refer to as `$width`.
        case variable(String)
    }

    /// The column name in the results: the key path, `workload`, `precision` or the variable's name.
    public var name: String
    public var target: Target
    /// The values as YAML nodes (a generated range value carries the range's position).
    public var values: [Node]
    /// Each value as one line of text, for the results and the report.
    public var labels: [String]
    /// Where the axis was written, for errors found later.
    public var source: YAMLValue

    /// Reads `value`: a list of values, or a range `{from, to, step}` (linear) or
    /// `{from, to, factor}` (geometric), whose ends may carry a unit (`500 MHz`).
    static func values(_ value: YAMLValue) throws -> [Node] {
        if case .sequence = value.node {
            let items = try value.sequence()
            guard !items.isEmpty else { throw value.error("an axis needs at least one value") }
            return items.map(\.node)
        }
        guard case .mapping = value.node else {
            throw value.error("expected a list of values or a range {from, to, step} or {from, to, factor}")
        }
        let m = try value.mapping(allowedKeys: ["from", "to", "step", "factor"])
        let from = try m.required("from"), to = try m.required("to")
        let (a, unit) = try split(from), (b, toUnit) = try split(to)
        guard unit == toUnit else { throw to.error("'to' is in '\(toUnit)', 'from' in '\(unit)': use one unit") }
        guard b >= a else { throw to.error("'to' (\(b)) is below 'from' (\(a))") }
        var numbers: [Double] = []
        switch (m["step"], m["factor"]) {
        case (let step?, nil):
            let (s, stepUnit) = try split(step)
            guard stepUnit == unit || stepUnit.isEmpty else { throw step.error("'step' must be in '\(unit)'") }
            guard s > 0 else { throw step.error("'step' must be greater than zero") }
            let count = Int(((b - a) / s * (1 + 1e-12)).rounded(.down)) + 1
            guard count <= maximumValues else {
                throw step.error("\(count) values; an axis has at most \(maximumValues)")
            }
            numbers = (0..<count).map { a + Double($0) * s }
        case (nil, let factor?):
            let f = try factor.number()
            guard f > 1 else { throw factor.error("'factor' must be greater than 1") }
            guard a > 0 else { throw from.error("a geometric range starts above zero") }
            var x = a
            while x <= b * (1 + 1e-12) {
                numbers.append(x)
                guard numbers.count <= maximumValues else {
                    throw factor.error("an axis has at most \(maximumValues) values")
                }
                x = a * pow(f, Double(numbers.count))
            }
        case (nil, nil): throw value.error("a range needs 'step' (linear) or 'factor' (geometric)")
        default: throw m["factor"]!.error("give 'step' or 'factor', not both")
        }
        let text = numbers.map { n -> String in
            let r = n.rounded()
            let number = abs(n - r) <= 1e-9 * max(1, abs(n)) && abs(r) < 0x1p53 ? String(Int(r)) : String(n)
            return unit.isEmpty ? number : number + " " + unit
        }
        return text.map { Node.scalar(Node.Scalar($0, Tag(.implicit), .plain, value.node.mark)) }
    }

    /// The most values one axis may have.
    static let maximumValues = 10_000_000

    /// A range end: a number and an optional unit after a space (`500 MHz`).
    static func split(_ value: YAMLValue) throws -> (Double, String) {
        let text = try value.string()
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let unit = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let first = parts.first, case .value(let v) = NumberGrammar.real(first), v.isFinite else {
            throw value.error("expected a number, optionally with a unit (such as '16' or '500 MHz'), got '\(text)'")
        }
        return (v, unit)
    }

    /// A node as one line: a scalar's text, `[a, b]`, `{k: v}`.
    static func label(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let s): return "[" + s.map(label).joined(separator: ", ") + "]"
        case .mapping(let m):
            return "{" + m.map { "\(label($0.key)): \(label($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return "*alias"
        }
    }
}

/// Axes that vary together: a single axis, or a `zip:` group whose axes have
/// equally many values and take their i-th values at once.
public struct SweepDimension: @unchecked Sendable {
    public var axes: [SweepAxis]
    public var count: Int { axes.first?.values.count ?? 0 }
}
