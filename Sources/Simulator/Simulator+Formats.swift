import Documents
import Formats
import Hardware
import Workload

extension Simulator {
    /// What the simulator needs to know of a format, looked up once per run
    /// rather than once per op (a catalog lookup and a cost-model walk each).
    struct FormatInfo {
        var bitsPerElement: Double
        var macsPerCycle: Double?
        /// The element format of a block format (what its MACs may run in).
        var element: NumberFormat?
        /// Energy of one MAC: the datapath's arithmetic plus the device's
        /// per-MAC overhead for the format.
        var macPicojoules: Double?
        /// Vector-unit operations the datapath needs per MAC (`DatapathCost.vectorOpsPerMAC`).
        var vectorOpsPerMAC: Double
    }

    /// An op's role formats resolved against the device: operand widths, the
    /// format its MACs run in and the rate the device sustains in it. A trace
    /// has a handful of distinct assignments, so this is worked out once per
    /// assignment, not once per op.
    struct ResolvedFormats {
        var roles: RoleFormats
        var weightBits: Double
        var inputBits: Double
        var outputBits: Double
        /// The MAC format and what the device does in it; nil when the device
        /// executes none of the op's formats (matrix products then fail).
        var compute: (format: NumberFormat, info: FormatInfo)?
        /// Fraction of the dense rate a GPU sustains in the compute format.
        var sustained: Double
        /// Whether the device executes none of the op's formats and `compute`
        /// is the format they are dequantised to.
        var dequantized = false
        /// Whether the input format is an integer format (CUDA-core lanes).
        var inputIsInteger = false
    }

    /// Per-run lookups, a value passed `inout` down the per-op path (a class
    /// would pay a run-time exclusivity check on every access). A handful of
    /// entries each: a linear scan with equality (the formats' names differ
    /// in their first bytes) beats hashing here.
    struct FormatCache {
        var formats: [NumberFormat] = []
        var infos: [FormatInfo] = []
        var resolved: [ResolvedFormats] = []
        /// Index in `resolved` per op kind (-1: not yet), valid for ops that set
        /// no formats of their own under a plan whose overrides select by kind only.
        var byKind = [Int](repeating: -1, count: OpKind.allCases.count)
    }

    func info(_ format: NumberFormat, _ cache: inout FormatCache) -> FormatInfo {
        for i in cache.formats.indices where cache.formats[i] == format { return cache.infos[i] }
        var element: NumberFormat?
        if case .block(let b) = format { element = .scalar(b.element) }
        let macs = hardware.macsPerCycle(format)
        let info = FormatInfo(bitsPerElement: format.bitsPerElement, macsPerCycle: macs, element: element,
                              macPicojoules: macs.map { _ in
                                  engine.macPicojoules(format)
                                      ?? cost.perMAC(format).energyPicojoules
                                          + hardware.macOverheadPicojoules(for: format)
                              },
                              vectorOpsPerMAC: macs != nil ? cost.vectorOpsPerMAC(format) : 0)
        cache.formats.append(format)
        cache.infos.append(info)
        return info
    }

    /// The index in `cache.resolved` of the formats of `op` under the plan,
    /// resolved against the device.
    func resolvedFormats(_ op: Op, _ cache: inout FormatCache) -> Int {
        // A cache write differs from the other ops of its kind when the plan stores the cache in its own format.
        let byKind = op.formats.isEmpty && planSelectsByKindOnly && !(planStoresKVCache && op.writesKVCache)
        if byKind, case let known = cache.byKind[op.kind.index], known >= 0 { return known }
        let roles = plan.roleFormats(for: op)
        if let known = cache.resolved.firstIndex(where: { $0.roles == roles }) {
            if byKind { cache.byKind[op.kind.index] = known }
            return known
        }
        var compute = computeFormat(roles, &cache)
        var dequantized = false
        if compute == nil, let fallback = dequantizedFormat(roles, &cache) {
            (compute, dequantized) = (fallback, true)
        }
        let sustained = compute.map { engine.sustainedFraction($0.format) } ?? 1
        func bits(_ format: NumberFormat?) -> Double { format.map { info($0, &cache).bitsPerElement } ?? 16 }
        var resolved = ResolvedFormats(roles: roles, weightBits: bits(roles.weight), inputBits: bits(roles.input),
                                       outputBits: bits(roles.output), compute: compute, sustained: sustained)
        // W4A16 and its kin: an operand the MACs do not run in (nor as a block
        // format's element) is widened on the way in, as when nothing executes.
        if let computed = compute?.format {
            resolved.dequantized = dequantized || [roles.weight, roles.input].contains { format in
                guard let format else { return false }
                return format != computed && info(format, &cache).element != computed
            }
        }
        if case .scalar(.integer)? = roles.input { resolved.inputIsInteger = true }
        cache.resolved.append(resolved)
        if byKind { cache.byKind[op.kind.index] = cache.resolved.count - 1 }
        return cache.resolved.count - 1
    }

    /// The op's weight and input formats, widest first (ties by name), with
    /// what the device does in each: the candidates for its MAC format.
    func candidates(_ formats: RoleFormats, _ cache: inout FormatCache) -> [(format: NumberFormat, info: FormatInfo)] {
        var list: [(format: NumberFormat, info: FormatInfo)] = []
        if let input = formats.input { list.append((input, info(input, &cache))) }
        if let weight = formats.weight { list.append((weight, info(weight, &cache))) }
        if list.count == 2, list[1].info.bitsPerElement > list[0].info.bitsPerElement
            || (list[1].info.bitsPerElement == list[0].info.bitsPerElement
                && list[1].format.name < list[0].format.name) {
            list.swapAt(0, 1)
        }
        return list
    }

    /// The format the MACs of an op run in: the widest of its weight and
    /// input formats that the datapath executes (W4A16 runs at the FP16
    /// rate; weights are dequantized on the way in); failing that, the
    /// element format of a block format the device executes natively; nil
    /// when neither applies. Worked out once per distinct assignment.
    func computeFormat(_ formats: RoleFormats,
                       _ cache: inout FormatCache) -> (format: NumberFormat, info: FormatInfo)? {
        let ordered = candidates(formats, &cache)
        // A narrower format than another operand's runs the op only if it holds that operand's values
        // (or their zero-point shift): bf16 activations on an int8-only array would be quantised, a
        // plan's choice, not widened on the way in.
        func holdsTheOthers(_ native: NumberFormat) -> Bool {
            ordered.allSatisfy { other in
                other.format == native || other.format.zeroPointShifted == native
                    || native.elementFormat.holdsEveryValue(of: other.format.elementFormat)
            }
        }
        if let native = ordered.first(where: { $0.info.macsPerCycle != nil }), holdsTheOthers(native.format) {
            return native
        }
        for case let element? in ordered.map(\.info.element) {
            let elementInfo = info(element, &cache)
            if elementInfo.macsPerCycle != nil, holdsTheOthers(element) { return (element, elementInfo) }
        }
        // An unsigned integer (an ONNX model's uint8 activations) runs on the signed datapath of its width:
        // codes shifted by 2^(N−1), the shift folded into the zero point (0…255 − 128 = −128…127, exact).
        for format in ordered.flatMap({ [$0.format] + ($0.info.element.map { [$0] } ?? []) }) {
            guard let signed = format.zeroPointShifted else { continue }
            let signedInfo = info(signed, &cache)
            if signedInfo.macsPerCycle != nil { return (signed, signedInfo) }
        }
        return nil
    }

    /// The format a device runs an op in when it executes none of the op's
    /// formats, as serving stacks do (int4 or MX weights and activations
    /// widened in the kernel's prologue): a scalar format it rates that holds
    /// every value of each of the op's element formats
    /// (`AnyScalarFormat.holdsEveryValue`) — bf16, else fp16, else the
    /// narrowest such; nil when it rates none (a format that rounds, fp8 into
    /// int8, would quantise, not dequantise: that is a plan's choice, not the
    /// device's). A block format's scales are applied on the way in.
    func dequantizedFormat(_ formats: RoleFormats,
                           _ cache: inout FormatCache) -> (format: NumberFormat, info: FormatInfo)? {
        let sources = candidates(formats, &cache).map(\.format.elementFormat)
        var wide: [(format: NumberFormat, info: FormatInfo)] = []
        for format in hardware.executableFormats {
            guard case .scalar(let target) = format, sources.allSatisfy(target.holdsEveryValue(of:)) else { continue }
            let found = info(format, &cache)
            if found.macsPerCycle != nil { wide.append((format, found)) }
        }
        return wide.first { $0.format.name == "bf16" } ?? wide.first { $0.format.name == "fp16" }
            ?? wide.min { $0.info.bitsPerElement < $1.info.bitsPerElement }
    }

    /// The error for a matrix product whose formats the device cannot execute
    /// (natively, under a plan that demands it); each format named once.
    func cannotExecute(_ op: Op, _ formats: RoleFormats, _ cache: inout FormatCache) -> Diagnostic {
        var ordered: [String] = []
        for name in candidates(formats, &cache).map(\.format.name) where !ordered.contains(name) {
            ordered.append(name)
        }
        return Diagnostic(file: hardware.file, message: "\(hardware.name) cannot execute op '\(op.name)' in "
            + "\(ordered.joined(separator: " or ")) (precision plan '\(plan.name)'"
            + "\(plan.requiresNative ? ", which demands native execution" : "")); it executes "
            + "\(hardware.executableFormats.map(\.name).joined(separator: ", "))")
    }
}
