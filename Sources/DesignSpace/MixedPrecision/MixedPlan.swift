import Formats
import Workload

/// A per-layer format assignment as an ordinary precision plan: the first candidate is the default (and
/// its own kind overrides stay, last); each layer that takes another candidate gets one override per op,
/// by exact name, with the formats that candidate gives that op (`PrecisionPlan.formats(for:)`). So
/// `simulate --precision` and `compare` read the search's plan like any other, and a layer on the first
/// candidate costs exactly what the first candidate's plan costs.
public enum MixedPlan {
    /// The plan giving layer `l` the candidate `choices[l]`.
    ///
    /// - Precondition: `choices` has one index into `candidates` per layer; `candidates` is not empty.
    public static func plan(named name: String, trace: Trace, layers: [SearchLayer], candidates: [PrecisionPlan],
                            choices: [Int]) -> PrecisionPlan {
        let base = candidates[0]
        var overrides: [PrecisionPlan.Override] = []
        for (layer, j) in zip(layers, choices) where j != 0 {
            for i in layer.ops {
                let op = trace.ops[i]
                overrides.append(.init(namePattern: op.name, kind: nil, formats: candidates[j].formats(for: op)))
            }
        }
        var plan = PrecisionPlan(name: name, defaults: base.defaults, overrides: overrides + base.overrides)
        // Native execution is demanded of the mixture when any candidate demands it.
        plan.requiresNative = candidates.contains { $0.requiresNative }
        return plan
    }

    /// `plan` as a plan file that `PrecisionPlan.load` reads back to an equal plan, `comments` first.
    /// Every name and format is double-quoted, so an op called `a: b` or a format `fixed<16,8>` stays one
    /// scalar.
    public static func yaml(_ plan: PrecisionPlan, comments: [String] = []) -> String {
        var text = comments.map { "# \($0)\n" }.joined()
        text += "name: \(quoted(plan.name))\n"
        text += "default: \(roles(plan.defaults))\n"
        if plan.requiresNative { text += "native: true\n" }
        if !plan.overrides.isEmpty {
            text += "overrides:\n"
            for o in plan.overrides {
                var keys: [String] = []
                if let pattern = o.namePattern { keys.append("name: \(quoted(pattern))") }
                if let kind = o.kind { keys.append("kind: \(kind.rawValue)") }
                keys.append("formats: \(roles(o.formats))")
                text += "  - {\(keys.joined(separator: ", "))}\n"
            }
        }
        return text
    }

    static func roles(_ formats: [OperandRole: NumberFormat]) -> String {
        "{" + OperandRole.allCases.compactMap { r in formats[r].map { "\(r.rawValue): \(quoted($0.name))" } }
            .joined(separator: ", ") + "}"
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
