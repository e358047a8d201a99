import Documents
import Formats
import Hardware

/// A rows × columns array of processing elements with ifmap, filter and
/// ofmap buffers, as SCALE-Sim describes one (`[architecture_presets]`).
public struct SystolicFamily: DatapathFamily {
    /// Which operand stays in the PEs; `best` tries all three per op and
    /// keeps the fastest (a mapping choice, reported per op).
    public enum Dataflow: String, Sendable, CaseIterable { case os, ws, `is`, best }

    public var rows: Int
    public var columns: Int
    public var dataflow: Dataflow
    public var ifmapBufferBytes: Double
    public var filterBufferBytes: Double
    /// SCALE-Sim's ofmap write buffer: outputs (and ws/is partial sums) drain
    /// from it to DRAM fold by fold (`ScaleSimModel`).
    public var ofmapBufferBytes: Double
    public var macsPerPEPerClock: [FormatRate]
    /// One DRAM channel per operand (`systolic.dram`), as SCALE-Sim has; nil: they share the off-chip level.
    public var dram: DRAMChannels?
    /// Whether the array skips the MACs (and operand reads) an N:M-sparse weight prunes
    /// (`systolic.structured_sparsity`, SCALE-Sim's `[sparsity] SparsitySupport`). False, the default as in
    /// SCALE-Sim: a sparse op runs dense, and the result's notes say so.
    public var structuredSparsity = false

    /// SCALE-Sim's per-operand DRAM channels: `mode: user` gives each its
    /// bandwidth (SCALE-Sim's `InterfaceBandwidth: USER`); `mode: calc` is
    /// SCALE-Sim's CALC mode, where the bandwidth is what the array needs and
    /// nothing stalls.
    public struct DRAMChannels: Sendable, Hashable {
        public enum Mode: String, Sendable, CaseIterable { case calc, user }
        public var mode: Mode
        /// Bytes per second of the ifmap, filter and ofmap channels (unused in calc mode).
        public var ifmap: Double, filter: Double, ofmap: Double

        public init(mode: Mode, ifmap: Double, filter: Double, ofmap: Double) {
            (self.mode, self.ifmap, self.filter, self.ofmap) = (mode, ifmap, filter, ofmap)
        }
    }

    public static let name = "systolic"
    public static let rateKey: String? = "macs_per_pe_per_clock"
    public static let requiredKeys = ["rows", "columns", "dataflow", "buffers", "macs_per_pe_per_clock"]
    public static let schemaSections = [
        "systolic": ["rows", "columns", "dataflow", "buffers", "macs_per_pe_per_clock", "dram", "structured_sparsity"],
        "buffers": ["ifmap", "filter", "ofmap"],
        "dram": ["mode", "ifmap", "filter", "ofmap"],
    ]
    public static let schemaDefinitions = """
        {"systolic": {"type": "object", "additionalProperties": false,
          "required": ["rows", "columns", "dataflow", "buffers", "macs_per_pe_per_clock"],
          "properties": {"rows": {"$ref": "#/definitions/positiveInteger"},
            "columns": {"$ref": "#/definitions/positiveInteger"},
            "dataflow": {"enum": ["os", "ws", "is", "best"]}, "buffers": {"$ref": "#/definitions/buffers"},
            "macs_per_pe_per_clock": {"$ref": "#/definitions/rates"}, "dram": {"$ref": "#/definitions/dram"},
            "structured_sparsity": {"type": "boolean"}}},
         "dram": {"type": "object", "additionalProperties": false, "required": ["mode"],
          "properties": {"mode": {"enum": ["calc", "user"]}, "ifmap": {"$ref": "#/definitions/bandwidth"},
            "filter": {"$ref": "#/definitions/bandwidth"}, "ofmap": {"$ref": "#/definitions/bandwidth"}}},
         "buffers": {"type": "object", "additionalProperties": false, "required": ["ifmap", "filter", "ofmap"],
          "properties": {"ifmap": {"$ref": "#/definitions/bytes"}, "filter": {"$ref": "#/definitions/bytes"},
            "ofmap": {"$ref": "#/definitions/bytes"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> SystolicFamily {
        let s = try value.mapping(allowedKeys: schemaSections["systolic"]!)
        let buffers = try s.required("buffers").mapping(allowedKeys: schemaSections["buffers"]!)
        var dram: DRAMChannels?
        if let d = s["dram"] {
            let m = try d.mapping(allowedKeys: schemaSections["dram"]!)
            let mode = try m.required("mode").choice(DRAMChannels.Mode.self)
            func bandwidth(_ key: String) throws -> Double {
                mode == .calc ? try m[key]?.quantity(.bandwidth) ?? 0 : try m.required(key).quantity(.bandwidth)
            }
            dram = DRAMChannels(mode: mode, ifmap: try bandwidth("ifmap"), filter: try bandwidth("filter"),
                                ofmap: try bandwidth("ofmap"))
        }
        var family = SystolicFamily(
            rows: try s.required("rows").int(in: 1...65536), columns: try s.required("columns").int(in: 1...65536),
            dataflow: try s.required("dataflow").choice(Dataflow.self),
            ifmapBufferBytes: try buffers.required("ifmap").quantity(.bytes),
            filterBufferBytes: try buffers.required("filter").quantity(.bytes),
            ofmapBufferBytes: try buffers.required("ofmap").quantity(.bytes),
            macsPerPEPerClock: try HardwareLoader.rates(try s.required("macs_per_pe_per_clock")), dram: dram)
        family.structuredSparsity = try s["structured_sparsity"]?.bool() ?? false
        return family
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        guard let rate = macsPerPEPerClock.first(where: { $0.format == format })?.macs else { return nil }
        return Double(rows * columns) * rate
    }

    public func executableFormats(_ datapath: Datapath) -> [NumberFormat] { macsPerPEPerClock.map(\.format) }

    /// A row of PEs does one non-MAC operation each per cycle.
    public var vectorOpsPerCycle: Double { Double(columns) }

    /// The three buffers are on-chip memory: SCALE-Sim's counts use their sizes, the device's area and
    /// energy its on-chip levels, so buffers larger than those levels would make the two disagree silently.
    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        let onChip = model.memory.filter { !$0.kind.isOffChip && $0.kind != .registers }
            .reduce(0) { $0 + $1.capacityBytes }
        let buffers = ifmapBufferBytes + filterBufferBytes + ofmapBufferBytes
        guard buffers > onChip else { return }
        func size(_ bytes: Double) -> String {
            bytes >= 1_048_576 ? "\(bytes / 1_048_576) MiB" : "\(bytes / 1024) KiB"
        }
        throw try section.mapping().required("buffers").error(
            "the buffers hold \(size(buffers)) in all, more than the \(size(onChip)) of the device's on-chip "
            + "memory levels; add the buffers' SRAM to memory or make them smaller")
    }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { SystolicEngine(self, device) }
}
