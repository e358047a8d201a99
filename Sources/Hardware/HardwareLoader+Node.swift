import Documents
import Yams

extension HardwareLoader {
    /// A hardware file parsed once, with its `extends:` parents merged: what a
    /// design-space sweep edits point by point before decoding.
    public struct ResolvedDocument: @unchecked Sendable {
        /// The merged node tree (Yams nodes are immutable values).
        public let node: Node
        /// Which file each inherited key path came from.
        public let origins: [String: String]
        /// The file that was loaded.
        public let file: String
    }

    /// Parses `path` and merges its `extends:` chain, without decoding it.
    ///
    /// - Throws: `Diagnostic` for a syntax error, a missing parent or a cycle.
    public static func resolve(_ path: String) throws -> ResolvedDocument {
        let (node, origins) = try resolvedNode(path, chain: [])
        return ResolvedDocument(node: node, origins: origins, file: path)
    }

    /// Decodes an already resolved (and possibly edited) node tree with every
    /// check `load` makes. `origins` names the file of any key path written
    /// elsewhere (a parent, or the sweep specification that set it), so that
    /// an error in it is reported there, at that node's own line and column.
    public static func load(node: Node, file: String, origins: [String: String],
                            families: FamilyRegistry) throws -> HardwareModel {
        try decode(YAMLValue(node: node, file: file, keyPath: "", origins: origins), file: file, families: families)
    }
}
