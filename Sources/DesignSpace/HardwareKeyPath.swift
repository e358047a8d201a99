import Documents
import Hardware
import Yams

/// A key path into a hardware document, as a sweep axis names it:
/// `systolic.rows`, `datapath.accumulator.bits`, `memory[DRAM].bandwidth`
/// (a memory level by name) or `memory[1].bandwidth` (by position).
///
/// A path is checked against the family's schema keys (`HardwareSchema`,
/// `FamilySpec.schemaSections`) before anything runs, so a misspelt key is an
/// error at the axis, not a sweep of identical points. Below a per-format rate
/// table (`systolic.macs_per_pe_per_clock.int8`) keys are format names, which
/// the hardware decoder checks.
public struct HardwareKeyPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: a key, and for a list (`memory`) which item.
    public struct Segment: Sendable, Hashable {
        public var key: String
        public var selector: String?
    }

    public let segments: [Segment]
    public let description: String

    /// Parses `text`; `at` is where errors are reported.
    public init(_ text: String, at value: YAMLValue) throws {
        var segments: [Segment] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var key = String(part), selector: String?
            if let open = key.firstIndex(of: "[") {
                guard key.hasSuffix("]"), key.index(after: open) < key.index(before: key.endIndex) else {
                    throw value.error("bad key path '\(text)': a selector is written 'memory[NAME]' "
                        + "or 'memory[INDEX]'")
                }
                selector = String(key[key.index(after: open)..<key.index(before: key.endIndex)])
                key = String(key[..<open])
            }
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw value.error("bad key path '\(text)': expected keys separated by '.', such as systolic.rows")
            }
            segments.append(Segment(key: key, selector: selector))
        }
        self.segments = segments
        description = text
    }

    /// Checks every key against the schema of `family`, and every selector
    /// against the memory levels of `document`.
    ///
    /// - Throws: `Diagnostic` at `value`, naming the key and what was expected.
    public func validate(family: any FamilySpec.Type, registry: FamilyRegistry,
                         document: HardwareLoader.ResolvedDocument, at value: YAMLValue) throws {
        let sections = HardwareSchema.sections(registry)
        let fixed = ["name", "family", "extends", "source"]
        let topKeys = HardwareSchema.top.filter { !fixed.contains($0) } + [family.name]
        var allowed = topKeys, section = "top"
        var node: Node? = document.node
        for (i, segment) in segments.enumerated() {
            guard allowed.contains(segment.key) else {
                let other = registry.names.contains(segment.key) && segment.key != family.name
                throw value.error("bad key path '\(description)': " + (other
                    ? "'\(segment.key)' is another family's section; \(document.file) is a '\(family.name)' device"
                    : "no key '\(segment.key)' in \(section == "top" ? "a hardware file" : "'\(section)'"); "
                        + "expected one of \(allowed.joined(separator: ", "))"))
            }
            node = node?.mapping?[segment.key]
            let next = segment.key == "memory" ? "memoryLevel" : segment.key
            if segment.key == "memory" {
                guard let selector = segment.selector else {
                    throw value.error("bad key path '\(description)': name a memory level, as memory[DRAM].bandwidth")
                }
                guard let items = node?.sequence, let index = Self.index(of: selector, in: Array(items)) else {
                    let names = (node?.sequence.map(Array.init) ?? []).compactMap { $0.mapping?["name"]?.string }
                    throw value.error("bad key path '\(description)': \(document.file) has no memory level "
                        + "'\(selector)'; its levels are \(names.joined(separator: ", "))")
                }
                node = Array(items)[index]
            } else if segment.selector != nil {
                throw value.error("bad key path '\(description)': only 'memory' is a list")
            }
            if i == segments.count - 1 { return }
            if segment.key == family.rateKey {
                guard i == segments.count - 2 else {
                    throw value.error("bad key path '\(description)': a rate table has one level of format keys")
                }
                return
            }
            guard let keys = sections[next], next != "top" else {
                throw value.error("bad key path '\(description)': '\(segment.key)' is a value, not a section")
            }
            allowed = keys
            section = next
        }
    }

    /// The position of the item `selector` names: an index, or the item whose `name:` it is.
    static func index(of selector: String, in items: [Node]) -> Int? {
        if let i = Int(selector) { return items.indices.contains(i) ? i : nil }
        return items.firstIndex { $0.mapping?["name"]?.string == selector }
    }

    /// The key path a decoder reports for this path in `root` (`memory[1].bandwidth`).
    public func decoderKeyPath(in root: Node) -> String {
        var node: Node? = root, parts: [String] = []
        for s in segments {
            node = node?.mapping?[s.key]
            if let selector = s.selector, let items = node?.sequence.map(Array.init),
               let i = Self.index(of: selector, in: items) {
                parts.append("\(s.key)[\(i)]")
                node = items[i]
            } else {
                parts.append(s.key)
            }
        }
        return parts.joined(separator: ".")
    }

    /// `root` with the node at this path replaced by `value` (a key that is
    /// missing is added, with the mappings on its way).
    public func replacing(in root: Node, with value: Node) -> Node {
        Self.replace(root, segments[...], value)
    }

    static func replace(_ node: Node, _ path: ArraySlice<Segment>, _ value: Node) -> Node {
        guard let first = path.first else { return value }
        var pairs: [(Node, Node)] = []
        var found = false
        let (tag, style): (Tag, Node.Mapping.Style)
        if case .mapping(let m) = node {
            (tag, style) = (m.tag, m.style)
            for (k, v) in m {
                if k.string == first.key {
                    found = true
                    pairs.append((k, replaceChild(v, first, path.dropFirst(), value)))
                } else {
                    pairs.append((k, v))
                }
            }
        } else {
            (tag, style) = (Tag(.implicit), .any)
        }
        if !found {
            pairs.append((Node(first.key), replaceChild(.mapping(Node.Mapping([])), first, path.dropFirst(), value)))
        }
        return .mapping(Node.Mapping(pairs, tag, style))
    }

    static func replaceChild(_ child: Node, _ segment: Segment, _ rest: ArraySlice<Segment>, _ value: Node) -> Node {
        guard let selector = segment.selector, case .sequence(let s) = child else {
            return replace(child, rest, value)
        }
        var items = Array(s)
        guard let i = index(of: selector, in: items) else { return child }
        items[i] = replace(items[i], rest, value)
        return .sequence(Node.Sequence(items, s.tag, s.style))
    }
}
