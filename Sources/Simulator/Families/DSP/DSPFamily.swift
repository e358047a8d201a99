import Documents
import Formats
import Hardware

/// A VLIW vector DSP (Hexagon HVX-like): vector units of a fixed width,
/// MACs per lane per format, VLIW packets of a few slots.
public struct DSPFamily: DatapathFamily {
    public var vectorUnits: Int
    public var vectorWidthBits: Int
    /// MACs per vector lane per cycle, per format.
    public var macsPerLanePerCycle: [FormatRate]
    /// Instruction slots per VLIW packet; a vector MAC needs its operand
    /// loads and loop bookkeeping issued beside it (`DSPEngine`).
    public var vliwSlots: Int

    public static let name = "dsp"
    public static let rateKey: String? = "macs_per_lane_per_cycle"
    public static let requiredKeys = ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle"]
    public static let schemaSections = [
        "dsp": ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle", "vliw_slots"],
    ]
    public static let schemaDefinitions = """
        {"dsp": {"type": "object", "additionalProperties": false,
          "required": ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle"],
          "properties": {"vector_units": {"$ref": "#/definitions/positiveInteger"},
            "vector_width_bits": {"type": "integer", "minimum": 8},
            "macs_per_lane_per_cycle": {"$ref": "#/definitions/rates"},
            "vliw_slots": {"$ref": "#/definitions/positiveInteger"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> DSPFamily {
        let d = try value.mapping(allowedKeys: schemaSections["dsp"]!)
        return DSPFamily(
            vectorUnits: try d.required("vector_units").int(in: 1...4096),
            vectorWidthBits: try d.required("vector_width_bits").int(in: 8...65536),
            macsPerLanePerCycle: try HardwareLoader.rates(try d.required("macs_per_lane_per_cycle")),
            vliwSlots: try d["vliw_slots"]?.int(in: 1...64) ?? 1)
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        guard let perLane = macsPerLanePerCycle.first(where: { $0.format == format.name })?.macs else { return nil }
        let lanes = Double(vectorWidthBits) / format.bitsPerElement.rounded(.up)
        return Double(vectorUnits) * lanes.rounded(.down) * perLane
    }

    public func executableFormats(_ datapath: Datapath) -> [String] { macsPerLanePerCycle.map(\.format) }

    /// 16-bit lanes of every vector unit.
    public var vectorOpsPerCycle: Double { Double(vectorUnits * vectorWidthBits / 16) }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { DSPEngine(spec: self, device: device) }
}

/// Vector MACs on a VLIW DSP, issue-slot limited.
struct DSPEngine: FamilyEngine {
    let spec: DSPFamily
    let device: DeviceFigures

    /// Instructions one vector MAC of an inner loop issues: the MAC, one
    /// vector load of the streaming operand (the other stays in registers)
    /// and a quarter of a loop/pointer update (a loop unrolled four times).
    /// An estimate of a hand-scheduled HVX inner loop.
    static let slotsPerVectorMAC = 2.25

    /// Vector MACs a packet sustains: 1 when the slots hold a MAC and its
    /// companions, fewer when they do not.
    var issueRate: Double { min(1, Double(spec.vliwSlots) / Self.slotsPerVectorMAC) }

    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view
        let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
        let unique = work.weightBytes + work.inputBytes + work.outputBytes
        return device.overlap(compute: macs / work.macsPerCycle / issueRate, offChip: unique, onChip: unique * 2,
                              mapping: Mapping(scheme: 4))
    }

    func describe(_ mapping: Mapping) -> String { "vector" }
}
