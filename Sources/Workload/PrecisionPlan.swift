import Documents
import Foundation
import Formats

/// How formats are assigned to operand roles: a default per role, then
/// overrides by op name pattern or kind, first match wins. Formats an op
/// sets itself in the trace sit between the two: an override beats them,
/// they beat the default.
public struct PrecisionPlan: Sendable, Hashable {
    public struct Override: Sendable, Hashable {
        /// A glob over op names (`*` and `?`), or nil.
        public var namePattern: String? { didSet { compiled = namePattern.map(GlobPattern.init) } }
        public var kind: OpKind?
        public var formats: [OperandRole: NumberFormat]
        /// `namePattern` compiled once (linear-time matching).
        private var compiled: GlobPattern?

        public init(namePattern: String?, kind: OpKind?, formats: [OperandRole: NumberFormat]) {
            self.namePattern = namePattern
            self.kind = kind
            self.formats = formats
            self.compiled = namePattern.map(GlobPattern.init)
        }

        public func matches(_ op: Op) -> Bool {
            (kind.map { $0 == op.kind } ?? true) && (compiled?.matches(op.name) ?? true)
        }
    }

    public var name: String
    public var defaults: [OperandRole: NumberFormat] { didSet { defaultRoles = RoleFormats(defaults) } }
    public var overrides: [Override]
    /// Whether every matrix product must run natively in its formats (`native: true`):
    /// a device that executes none of an op's formats is then an error rather
    /// than dequantising them to a format it executes.
    public var requiresNative = false
    /// `defaults` as a struct, kept in step, for the per-op path.
    private(set) var defaultRoles: RoleFormats
    /// Where each of `overrides` was written in its plan file (`overrideSources`); not part of equality.
    var overrideLocations = OverrideLocations()

    public init(name: String, defaults: [OperandRole: NumberFormat], overrides: [Override] = []) {
        self.name = name
        self.defaults = defaults
        self.overrides = overrides
        self.defaultRoles = RoleFormats(defaults)
    }

    /// Whether every override selects by kind alone (no name pattern): then
    /// an op that sets no formats of its own gets the formats of its kind,
    /// and a simulator may resolve them once per kind.
    ///
    /// One exception: with a `kv_cache` format, an elementwise op that writes
    /// the cache (named `…kv_cache_write`/`…kv_cache_append`) stores its
    /// output in that format where its kin do not (`storesKVCache`).
    public var selectsByKindOnly: Bool { overrides.allSatisfy { $0.namePattern == nil } }

    /// Whether any role map of the plan gives a `kv_cache` format, so that
    /// the ops that write the cache differ from others of their kind.
    public var storesKVCache: Bool {
        defaults[.kvCache] != nil || overrides.contains { $0.formats[.kvCache] != nil }
    }

    /// `formats(for:)` without dictionaries: what the simulator calls once per op.
    public func roleFormats(for op: Op) -> RoleFormats {
        var result = defaultRoles
        if !op.formats.isEmpty { for (role, format) in op.formats { result[role] = format } }
        if !overrides.isEmpty, let o = overrides.first(where: { $0.matches(op) }) {
            for (role, format) in o.formats { result[role] = format }
        }
        if let kv = result.kvCache, op.kind.readsKVCache { result.weight = kv }
        if let kv = result.kvCache, op.writesKVCache { result.output = kv }
        return result
    }

    /// The format of each role of `op` under this plan.
    public func formats(for op: Op) -> [OperandRole: NumberFormat] {
        var result = defaults
        for (role, format) in op.formats { result[role] = format }
        if let o = overrides.first(where: { $0.matches(op) }) {
            for (role, format) in o.formats { result[role] = format }
        }
        if let kv = result[.kvCache], op.kind.readsKVCache { result[.weight] = kv }
        if let kv = result[.kvCache], op.writesKVCache { result[.output] = kv }
        return result
    }

    /// The built-in plans.
    public static let named: [String: PrecisionPlan] = {
        func plan(_ name: String, _ w: NumberFormat, _ a: NumberFormat, out: NumberFormat? = nil,
                  acc: NumberFormat = "fp32", attention: NumberFormat? = nil) -> PrecisionPlan {
            var overrides: [Override] = []
            if let attention {
                for kind in [OpKind.attentionQK, .attentionPV] {
                    overrides.append(Override(namePattern: nil, kind: kind,
                                              formats: [.weight: attention, .input: attention, .output: out ?? a]))
                }
            }
            return PrecisionPlan(name: name, defaults: [.weight: w, .input: a, .output: out ?? a, .accumulator: acc],
                                 overrides: overrides)
        }
        let list = [
            // The trace's own formats (an imported ONNX model's quantization), BF16 for the roles it leaves unset:
            // the same assignment as `bf16`, under the name that tells the ONNX importer to keep the model's formats.
            plan("model", "bf16", "bf16"),
            plan("fp32", "fp32", "fp32"), plan("tf32", "tf32", "tf32", out: "fp32"),
            plan("bf16", "bf16", "bf16"), plan("fp16", "fp16", "fp16"),
            // FP8: weights and activations E4M3, outputs and attention in BF16 (as DeepSeek-V3 and TE do).
            plan("fp8", "fp8_e4m3", "fp8_e4m3", out: "bf16", attention: "bf16"),
            // W8A8: INT8 weights and activations, INT32 accumulation, attention in FP16.
            plan("int8", "int8", "int8", out: "int8", acc: "int32", attention: "fp16"),
            // W4A16: group-wise INT4 weights (group 128, FP16 scales), FP16 activations.
            plan("w4a16", "int4_g128", "fp16", attention: "fp16"),
            plan("w4a8", "int4_g128", "int8", out: "fp16", acc: "int32", attention: "fp16"),
            plan("int4", "int4", "int4", out: "int8", acc: "int32", attention: "fp16"),
            plan("mxfp8", "mxfp8_e4m3", "mxfp8_e4m3", out: "bf16", attention: "bf16"),
            plan("mxfp6", "mxfp6_e2m3", "mxfp6_e2m3", out: "bf16", attention: "bf16"),
            plan("mxfp4", "mxfp4", "mxfp4", out: "bf16", attention: "bf16"),
            plan("mxint8", "mxint8", "mxint8", out: "bf16", attention: "bf16"),
            plan("nvfp4", "nvfp4", "nvfp4", out: "bf16", attention: "bf16"),
            // Weight-only block formats for devices without FP4 tensor cores (Hopper):
            // 4-bit weights in memory, dequantized to BF16 for the MACs.
            plan("mxfp4-a16", "mxfp4", "bf16", attention: "bf16"),
            plan("nvfp4-a16", "nvfp4", "bf16", attention: "bf16"),
            plan("bipolar-w2a2", "bipolar2", "bipolar2", out: "int8", acc: "int32", attention: "fp16"),
            plan("bipolar-w3a3", "bipolar3", "bipolar3", out: "int8", acc: "int32", attention: "fp16"),
            plan("bipolar-w4a4", "bipolar4", "bipolar4", out: "int8", acc: "int32", attention: "fp16"),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    static let planKeys = ["name", "default", "overrides", "native"]
    static let overrideKeys = ["name", "kind", "formats"]

    /// A named plan, or a YAML plan file when `nameOrPath` names a file.
    public static func load(_ nameOrPath: String) throws -> PrecisionPlan {
        if let plan = named[nameOrPath] { return plan }
        guard nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") else {
            let hints = closeMatches(to: nameOrPath, in: named.keys.sorted())
            throw Diagnostic(file: "<command line>",
                             message: "unknown precision plan '\(nameOrPath)'; built-in plans are "
                             + named.keys.sorted().joined(separator: ", ")
                             + (hints.isEmpty ? "" : " (did you mean '\(hints[0])'?)")
                             + ", or give a plan file")
        }
        let document = try YAMLDocument(path: nameOrPath)
        let top = try document.root.mapping(allowedKeys: planKeys)
        func roles(_ value: YAMLValue) throws -> [OperandRole: NumberFormat] {
            var result: [OperandRole: NumberFormat] = [:]
            for (role, formatValue) in try value.mapping().values {
                guard let r = OperandRole(rawValue: role) else {
                    throw formatValue.error("unknown operand role '\(role)'; expected "
                                            + OperandRole.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let formatName = try formatValue.string()
                do throws(FormatError) { result[r] = try FormatCatalog.format(named: formatName) } catch {
                    throw formatValue.error(error.description)
                }
            }
            return result
        }
        var overrides: [Override] = []
        var sources: [Diagnostic] = []
        for item in try top["overrides"]?.sequence() ?? [] {
            sources.append(item.error("", severity: .warning))
            let o = try item.mapping(allowedKeys: overrideKeys)
            guard o["name"] != nil || o["kind"] != nil else {
                throw item.error("an override needs 'name' (a glob) or 'kind'")
            }
            overrides.append(Override(namePattern: try o["name"]?.string(), kind: try o["kind"]?.choice(OpKind.self),
                                      formats: try roles(try o.required("formats"))))
        }
        let defaults = try roles(try top.required("default"))
        for role in [OperandRole.weight, .input] where defaults[role] == nil {
            throw try top.required("default").error("the default must give at least weight and input formats")
        }
        var plan = PrecisionPlan(name: try top["name"]?.name() ?? (nameOrPath as NSString).lastPathComponent,
                                 defaults: defaults, overrides: overrides)
        plan.overrideSources = sources
        if let native = top["native"] {
            switch try native.string() {
            case "true": plan.requiresNative = true
            case "false": break
            default: throw native.error("expected true or false, got '\(try native.string())'")
            }
        }
        return plan
    }
}

/// Shell-style glob: `*` any run, `?` one character (see `GlobPattern`).
public func glob(_ pattern: String, matches text: String) -> Bool {
    GlobPattern(pattern).matches(text)
}

/// The format of each operand role, as a plain struct (no hashing).
public struct RoleFormats: Sendable, Hashable {
    public var weight: NumberFormat?
    public var input: NumberFormat?
    public var output: NumberFormat?
    public var accumulator: NumberFormat?
    public var kvCache: NumberFormat?

    public init(_ map: [OperandRole: NumberFormat] = [:]) {
        weight = map[.weight]; input = map[.input]; output = map[.output]; accumulator = map[.accumulator]
        kvCache = map[.kvCache]
    }

    public subscript(role: OperandRole) -> NumberFormat? {
        get {
            switch role {
            case .weight: return weight
            case .input: return input
            case .output: return output
            case .accumulator: return accumulator
            case .kvCache: return kvCache
            }
        }
        set {
            switch role {
            case .weight: weight = newValue
            case .input: input = newValue
            case .output: output = newValue
            case .accumulator: accumulator = newValue
            case .kvCache: kvCache = newValue
            }
        }
    }
}
