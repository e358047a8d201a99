import Arithmetic
import Documents
import Foundation
import Formats
import Yams

/// Reads hardware YAML files: `extends:` resolution, strict decoding and
/// semantic checks. Every problem is a `Diagnostic` at its node.
public enum HardwareLoader {
    /// Loads `path`, resolving `extends:` chains (relative to each file);
    /// `families` decode the family sections.
    public static func load(_ path: String, families: FamilyRegistry) throws -> HardwareModel {
        let (node, origins) = try resolvedNode(path, chain: [])
        let root = YAMLValue(node: node, file: path, keyPath: "", origins: origins)
        return try decode(root, file: path, families: families)
    }

    /// The most files an `extends:` chain may hold.
    static let maxExtendsDepth = 64

    /// The file's node with its `extends:` parent merged under it, and which
    /// file each inherited key path came from.
    static func resolvedNode(_ path: String, chain: [String]) throws -> (Node, [String: String]) {
        // A SCALE-Sim .cfg reads as the hardware document it describes (ScaleSimConfig).
        let document = (path as NSString).pathExtension.lowercased() == "cfg"
            ? try YAMLDocument(data: Data(try ScaleSimConfig.yaml(path: path).utf8), path: path)
            : try YAMLDocument(path: path)
        let mapping = try document.root.mapping()
        guard let parentValue = mapping["extends"] else { return (document.root.node, [:]) }
        let parentName = try parentValue.string()
        let directory = (path as NSString).deletingLastPathComponent
        let parentPath = parentName.hasPrefix("/") || directory.isEmpty ? parentName : directory + "/" + parentName
        let canonical = URL(fileURLWithPath: parentPath).standardizedFileURL.path
        let here = URL(fileURLWithPath: path).standardizedFileURL.path
        // A chain deeper than any real family of files (each level one more parse and recursion).
        guard chain.count < Self.maxExtendsDepth else {
            throw parentValue.error("'extends:' chain deeper than \(Self.maxExtendsDepth) files")
        }
        if chain.contains(canonical) || canonical == here {
            throw parentValue.error("'extends:' cycle: " + (chain + [here, canonical])
                .map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → "))
        }
        let parent: (Node, [String: String])
        do {
            parent = try resolvedNode(parentPath, chain: chain + [here])
        } catch let d as Diagnostic where d.file == parentPath && d.line == nil {
            throw parentValue.error("cannot extend '\(parentName)': \(d.message)")
        }
        var origins = parent.1
        let merged = merge(parent: parent.0, child: document.root.node, keyPath: "", parentFile: parentPath,
                           origins: &origins)
        return (merged, origins)
    }

    /// Merges the child over the parent: top-level keys, and the keys of
    /// each section (`gpu:`, `datapath:`, …), are overridden one by one;
    /// anything deeper (a rate table, the memory list) is replaced whole, so
    /// that a variant never inherits half a table.
    static func merge(parent: Node, child: Node, keyPath: String, parentFile: String,
                      origins: inout [String: String]) -> Node {
        let depth = keyPath.isEmpty ? 0 : keyPath.split(separator: ".").count
        guard depth < 2, case .mapping(let p) = parent, case .mapping(let c) = child else { return child }
        var pairs: [(Node, Node)] = []
        var childKeys = Set<String>()
        for (k, v) in c {
            guard let key = k.string, key != "extends" else { continue }
            childKeys.insert(key)
            let path = keyPath.isEmpty ? key : "\(keyPath).\(key)"
            if let inherited = p[key] {
                pairs.append((k, merge(parent: inherited, child: v, keyPath: path, parentFile: parentFile,
                                       origins: &origins)))
            } else {
                pairs.append((k, v))
            }
        }
        for (k, v) in p {
            guard let key = k.string, !childKeys.contains(key), key != "extends" else { continue }
            let path = keyPath.isEmpty ? key : "\(keyPath).\(key)"
            if origins[path] == nil { origins[path] = parentFile }
            pairs.append((k, v))
        }
        return .mapping(Node.Mapping(pairs, c.tag, c.style))
    }
}
