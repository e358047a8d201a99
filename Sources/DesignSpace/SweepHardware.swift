import Documents
import Hardware
import Yams

extension SweepSpec {
    /// The dimensions whose value changes the hardware: the base, and every
    /// dimension with a hardware key path or a variable.
    var hardwareDimensions: [Int] {
        dimensions.indices.filter { d in
            d == 0 || dimensions[d].axes.contains {
                if case .workload = $0.target { return false }
                if case .precision = $0.target { return false }
                return true
            }
        }
    }

    /// The hardware node of a point and the origins that send errors in swept
    /// values to this specification. `only` limits the substitution to one
    /// dimension (the others keep the base's values, variables their first).
    func hardwareNode(_ coordinates: [Int], only: Int? = nil) -> (node: Node, origins: [String: String], base: Int) {
        let b = coordinates[0]
        let base = bases[b]
        var variables: [String: Node] = [:]
        for (d, dimension) in dimensions.enumerated() {
            for axis in dimension.axes {
                if case .variable(let v) = axis.target, d > 0 {
                    variables[v] = axis.values[only == nil ? coordinates[d] : 0]
                }
            }
        }
        var node = base.document.node, origins = base.document.origins
        for (d, dimension) in dimensions.enumerated() where d > 0 && (only == nil || only == d) {
            for axis in dimension.axes {
                guard case .hardware(let path) = axis.target else { continue }
                let value = Self.substitute(axis.values[coordinates[d]], variables)
                origins[path.decoderKeyPath(in: base.document.node)] = file
                node = path.replacing(in: node, with: value)
            }
        }
        return (node, origins, b)
    }

    /// `node` with each `$name` scalar replaced by that variable's value.
    static func substitute(_ node: Node, _ variables: [String: Node]) -> Node {
        switch node {
        case .scalar(let s) where s.string.hasPrefix("$"):
            return variables[String(s.string.dropFirst())] ?? node
        case .sequence(let s): return .sequence(Node.Sequence(s.map { substitute($0, variables) }, s.tag, s.style))
        case .mapping(let m):
            return .mapping(Node.Mapping(m.map { ($0.key, substitute($0.value, variables)) }, m.tag, m.style))
        default: return node
        }
    }

    /// Decodes the hardware of a point.
    ///
    /// - Throws: the decoder's `Diagnostic`.
    func hardware(_ coordinates: [Int], only: Int? = nil) throws -> HardwareModel {
        let (node, origins, b) = hardwareNode(coordinates, only: only)
        return try HardwareLoader.load(node: node, file: bases[b].path, origins: origins, families: registry)
    }

    /// Substitutes the values of each hardware dimension one at a time into
    /// each base (the other keys as the base has them): an error the decoder
    /// places at a swept value (a dataflow that does not exist, a quantity
    /// without its unit, a format the base's rate table lacks) is an error in
    /// the specification, not a row — sweep keys that depend on each other in
    /// one `zip:`. Errors placed elsewhere (a base key the swept value makes
    /// wrong) are left to the rows, as `invalid`. Dimensions with a variable
    /// are not checked here; at most the first 1000 values of a dimension are.
    func checkValues() throws {
        for d in hardwareDimensions where d > 0 {
            guard !dimensions[d].axes.contains(where: { if case .variable = $0.target { true } else { false } })
            else { continue }
            for v in 0..<min(dimensions[d].count, 1000) {
                for b in bases.indices {
                    var coordinates = [Int](repeating: 0, count: dimensions.count)
                    coordinates[0] = b
                    coordinates[d] = v
                    do { _ = try hardware(coordinates, only: d) } catch let e as Diagnostic where e.file == file {
                        throw e
                    } catch {}
                }
            }
        }
    }
}
