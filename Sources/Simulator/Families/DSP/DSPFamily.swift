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
    /// Slots per packet that can issue each class of instruction (a slot may
    /// serve several classes); nil: every slot issues every class.
    public var slotClasses: SlotClasses?
    /// Dot-product instructions: products summed into each 32-bit lane per
    /// instruction, per format (Hexagon HVX `vrmpy`: four INT8 products into
    /// one INT32 lane). They replace the lane rate for their formats.
    public var dotProducts: [FormatRate]
    /// MACs per cycle of the scalar core for formats the vector unit lacks
    /// (the fallback a compiler takes for them).
    public var scalarRates: [FormatRate]
    /// The DMA engine's bandwidth between off-chip memory and the tightly
    /// coupled memory, bytes per second (nil: the off-chip level's bandwidth).
    public var dmaBytesPerSecond: Double?
    /// Packets per second one hardware thread, and so the vector context bound
    /// to it, can issue (nil: one per `clock` cycle). Under interleaved
    /// multithreading a thread issues below the core clock: Hexagon V4's three
    /// threads each a third of it (BDTI InsideDSP, 2015-09-30), the Hexagon 680's
    /// four threads and two HVX contexts 500 MHz each (Qualcomm, Hot Chips 27,
    /// 2015). It bounds the vector units' issue; the scalar fallback's rate is
    /// per core cycle as the file states it.
    public var threadClockHertz: Double?

    /// Slots per packet for each instruction class.
    public struct SlotClasses: Sendable, Hashable {
        public var loadStore: Int
        public var multiply: Int
        public var alu: Int
    }

    public static let name = "dsp"
    public static let rateKey: String? = "macs_per_lane_per_cycle"
    public static let requiredKeys = ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle"]
    public static let schemaSections = [
        "dsp": ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle", "vliw_slots", "slots", "dot_product",
                "scalar_macs_per_cycle", "dma_bandwidth", "thread_clock"],
        "dspSlots": ["load_store", "multiply", "alu"],
    ]
    public static let schemaDefinitions = """
        {"dsp": {"type": "object", "additionalProperties": false,
          "required": ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle"],
          "properties": {"vector_units": {"$ref": "#/definitions/positiveInteger"},
            "vector_width_bits": {"type": "integer", "minimum": 8},
            "macs_per_lane_per_cycle": {"$ref": "#/definitions/rates"},
            "vliw_slots": {"$ref": "#/definitions/positiveInteger"}, "slots": {"$ref": "#/definitions/dspSlots"},
            "dot_product": {"$ref": "#/definitions/rates"}, "scalar_macs_per_cycle": {"$ref": "#/definitions/rates"},
            "dma_bandwidth": {"$ref": "#/definitions/memoryLevel/properties/bandwidth"},
            "thread_clock": {"$ref": "#/definitions/frequency"}}},
         "dspSlots": {"type": "object", "additionalProperties": false, "required": ["load_store", "multiply", "alu"],
          "properties": {"load_store": {"$ref": "#/definitions/positiveInteger"},
            "multiply": {"$ref": "#/definitions/positiveInteger"},
            "alu": {"$ref": "#/definitions/positiveInteger"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> DSPFamily {
        let d = try value.mapping(allowedKeys: schemaSections["dsp"]!)
        let slots = try d["vliw_slots"]?.int(in: 1...64) ?? 1
        var classes: SlotClasses?
        if let c = d["slots"] {
            let m = try c.mapping(allowedKeys: schemaSections["dspSlots"]!)
            classes = SlotClasses(loadStore: try m.required("load_store").int(in: 1...slots),
                                  multiply: try m.required("multiply").int(in: 1...slots),
                                  alu: try m.required("alu").int(in: 1...slots))
        }
        let listed = datapath.formats
        func table(_ key: String) throws -> [FormatRate] {
            guard let t = d[key] else { return [] }
            let rates = try HardwareLoader.rates(t)
            for (name, v) in try t.mapping().values {
                let canonical = try HardwareLoader.canonical(name, at: v)
                if !listed.contains(canonical) {
                    throw v.error("'\(name)' has a rate but is not in datapath.formats, which lists "
                                  + listed.map(\.name).joined(separator: ", "))
                }
            }
            return rates
        }
        return DSPFamily(
            vectorUnits: try d.required("vector_units").int(in: 1...4096),
            vectorWidthBits: try d.required("vector_width_bits").int(in: 8...65536),
            macsPerLanePerCycle: try HardwareLoader.rates(try d.required("macs_per_lane_per_cycle")),
            vliwSlots: slots, slotClasses: classes, dotProducts: try table("dot_product"),
            scalarRates: try table("scalar_macs_per_cycle"),
            dmaBytesPerSecond: try d["dma_bandwidth"]?.quantity(.bandwidth),
            threadClockHertz: try d["thread_clock"]?.quantity(.frequency))
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        vectorMACsPerCycle(format) ?? scalarRates.first { $0.format == format }?.macs
    }

    /// The vector units' MAC rate in `format`: a dot-product instruction's
    /// products per 32-bit lane, else the lane rate; nil when the vector unit
    /// has neither (the scalar core may still run it).
    public func vectorMACsPerCycle(_ format: NumberFormat) -> Double? {
        if let products = dotProducts.first(where: { $0.format == format })?.macs {
            return Double(vectorUnits) * Double(vectorWidthBits / 32) * products
        }
        guard let perLane = macsPerLanePerCycle.first(where: { $0.format == format })?.macs else { return nil }
        let lanes = Double(vectorWidthBits) / format.bitsPerElement.rounded(.up)
        return Double(vectorUnits) * lanes.rounded(.down) * perLane
    }

    public func executableFormats(_ datapath: Datapath) -> [NumberFormat] {
        var names = macsPerLanePerCycle.map(\.format)
        for rate in dotProducts + scalarRates where !names.contains(rate.format) { names.append(rate.format) }
        return names
    }

    /// A thread cannot issue faster than the core it runs on: a `thread_clock`
    /// above `clock` would change nothing, so it is refused rather than ignored.
    /// One below it is warned about, because the peak rates (`describe`, a run's
    /// utilization) count core cycles while the vector contexts issue in fewer.
    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        guard let thread = threadClockHertz, thread != model.clockHertz else { return }
        let (t, c) = (trimmedNumber(thread / 1e6), trimmedNumber(model.clockHertz / 1e6))
        let node = try section.mapping()["thread_clock"] ?? section
        guard thread < model.clockHertz else {
            throw node.error("thread_clock (\(t) MHz) exceeds clock (\(c) MHz): a hardware thread issues at most one "
                             + "packet per core cycle")
        }
        let share = trimmedNumber((thread / model.clockHertz * 1000).rounded() / 10)
        model.warnings.append(node.error("\(t) MHz is below clock (\(c) MHz): each vector context issues in "
                                         + "\(share)% of the core cycles, so the vector units sustain at most "
                                         + "\(share)% of the peak rates shown, which count core cycles",
                                         severity: .warning).description)
    }

    /// 16-bit lanes of every vector unit.
    public var vectorOpsPerCycle: Double { Double(vectorUnits * vectorWidthBits / 16) }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { DSPEngine(spec: self, device: device) }
}
