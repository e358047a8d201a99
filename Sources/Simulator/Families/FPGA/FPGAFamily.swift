import Documents
import Formats
import Hardware

/// An FPGA design: MAC units in DSP slices (packed per format) and, where
/// the file spends fabric on them, in LUTs — within the part's LUT, FF, DSP,
/// BRAM and URAM budgets.
public struct FPGAFamily: DatapathFamily {
    public enum DSPType: String, Sendable, CaseIterable {
        case dsp48e1, dsp48e2, dsp58

        /// What one slice does per cycle in the formats its vendor documents,
        /// for formats the file's `dsp_packing` does not rate itself.
        public var defaultPacking: [FormatRate] {
            switch self {
            case .dsp48e1: [
                FormatRate(format: "int16", macs: 1, source: "AMD UG479: one 25×18 multiply"),
            ]
            case .dsp48e2: [
                FormatRate(format: "int8", macs: 2, source: "AMD WP486: two INT8 MACs sharing an operand"),
                FormatRate(format: "int16", macs: 1, source: "AMD UG579: one 27×18 multiply"),
            ]
            case .dsp58: [
                FormatRate(format: "int8", macs: 3, source: "AMD AM004: INT8 mode, a 3-element dot product"),
                FormatRate(format: "int16", macs: 1, source: "AMD AM004: one 27×24 multiply"),
                FormatRate(format: "fp32", macs: 1, source: "AMD AM004: DSPFP32 mode"),
            ]
            }
        }
    }
    public var part: String?
    public var luts: Int
    public var flipFlops: Int
    public var dsps: Int
    public var dspType: DSPType
    public var bram36k: Int
    public var uram: Int
    /// MACs per DSP slice per cycle, per format (e.g. two INT8 MACs sharing
    /// an operand on a DSP48E2, AMD WP486): the file's table, then the slice
    /// type's `defaultPacking` for formats the datapath lists that it omits.
    public var dspPacking: [FormatRate]
    /// Share of LUTs (and of FFs) available for LUT-built MAC units.
    public var lutFraction: Double
    /// The overlay's MAC array shape, where the file gives it (a DPU core
    /// multiplies `pixels` output pixels × `inputChannels` × `outputChannels`
    /// each cycle, AMD PG338): each matrix product is tiled onto it, and the
    /// partial tiles at its edges cost full cycles. nil: MACs flow at the
    /// format's rate without tiling losses.
    public var array: ArrayShape?
    /// Width in bits of the DMA engines that move a dataflow design's input
    /// in from, and its output back to, off-chip memory (FINN's IODMA, one
    /// word per cycle), where the file's shell has them: nil leaves the I/O
    /// unmodelled (the design's streams are fed from elsewhere).
    public var ioDMABits: Int?

    public struct ArrayShape: Sendable, Hashable {
        public var cores: Int, pixels: Int, inputChannels: Int, outputChannels: Int
        public var macsPerCycle: Int { cores * pixels * inputChannels * outputChannels }
    }

    /// Bytes one 36 Kb block RAM holds (UG573: 36 Kb = 4,608 B) and one
    /// UltraRAM (UG573: 288 Kb = 36,864 B).
    static let bram36kBytes = 4608.0
    static let uramBytes = 36864.0

    public static let name = "fpga"
    public static let rateKey: String? = "dsp_packing"
    public static let requiredKeys = ["luts", "ffs", "dsps", "dsp_type", "bram_36k", "dsp_packing"]
    public static let schemaSections = [
        "fpga": ["part", "luts", "ffs", "dsps", "dsp_type", "bram_36k", "uram", "dsp_packing", "lut_fraction",
                 "array", "io_dma_bits"],
        "fpgaArray": ["cores", "pixels", "input_channels", "output_channels"],
    ]
    public static let schemaDefinitions = """
        {"fpga": {"type": "object", "additionalProperties": false,
          "required": ["luts", "ffs", "dsps", "dsp_type", "bram_36k", "dsp_packing"],
          "properties": {"part": {"type": "string"}, "luts": {"$ref": "#/definitions/positiveInteger"},
            "ffs": {"$ref": "#/definitions/positiveInteger"}, "dsps": {"$ref": "#/definitions/positiveInteger"},
            "dsp_type": {"enum": ["dsp48e1", "dsp48e2", "dsp58"]}, "bram_36k": {"$ref": "#/definitions/nonNegativeInteger"},
            "uram": {"$ref": "#/definitions/nonNegativeInteger"}, "dsp_packing": {"$ref": "#/definitions/rates"},
            "lut_fraction": {"$ref": "#/definitions/fraction"}, "array": {"$ref": "#/definitions/fpgaArray"},
            "io_dma_bits": {"enum": [8, 16, 32, 64, 128, 256, 512, 1024]}}},
         "fpgaArray": {"type": "object", "additionalProperties": false,
          "required": ["cores", "pixels", "input_channels", "output_channels"],
          "properties": {"cores": {"$ref": "#/definitions/positiveInteger"},
            "pixels": {"$ref": "#/definitions/positiveInteger"},
            "input_channels": {"$ref": "#/definitions/positiveInteger"},
            "output_channels": {"$ref": "#/definitions/positiveInteger"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> FPGAFamily {
        let f = try value.mapping(allowedKeys: schemaSections["fpga"]!)
        let fraction = try f["lut_fraction"]?.number(allowZero: true) ?? 0
        if fraction > 1 { throw f["lut_fraction"]!.error("must be 0…1, got \(fraction)") }
        let dspType = try f.required("dsp_type").choice(DSPType.self)
        var packing = try HardwareLoader.rates(try f.required("dsp_packing"))
        let ioDMABits = try f["io_dma_bits"]?.int(in: 8...1024)
        if let bits = ioDMABits, bits & (bits - 1) != 0 {
            throw f["io_dma_bits"]!.error("must be a power of two (an AXI data width), got \(bits)")
        }
        for rate in dspType.defaultPacking where datapath.formats.contains(rate.format)
            && !packing.contains(where: { $0.format == rate.format }) {
            packing.append(rate)
        }
        return FPGAFamily(
            part: try f["part"]?.string(), luts: try f.required("luts").int(in: 1...100_000_000),
            flipFlops: try f.required("ffs").int(in: 1...200_000_000),
            dsps: try f.required("dsps").int(in: 1...1_000_000),
            dspType: dspType,
            bram36k: try f.required("bram_36k").int(in: 0...1_000_000),
            uram: try f["uram"]?.int(in: 0...1_000_000) ?? 0,
            dspPacking: packing, lutFraction: fraction, array: try f["array"].map { value in
                let a = try value.mapping(allowedKeys: schemaSections["fpgaArray"]!)
                return ArrayShape(cores: try a.required("cores").int(in: 1...64),
                                  pixels: try a.required("pixels").int(in: 1...4096),
                                  inputChannels: try a.required("input_channels").int(in: 1...4096),
                                  outputChannels: try a.required("output_channels").int(in: 1...4096))
            }, ioDMABits: ioDMABits)
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        let dsp = dspPacking.first(where: { $0.format == format }).map { Double(dsps) * $0.macs } ?? 0
        let total = dsp + lutMACsPerCycle(format)
        return total > 0 ? total : nil
    }

    /// MAC units built in fabric for a format: as many as the LUT share and
    /// the FF share allow (0 without a LUT budget).
    public func lutMACsPerCycle(_ format: NumberFormat) -> Double {
        guard lutFraction > 0 else { return 0 }
        let byLUTs = Double(luts) * lutFraction / Double(FPGAResources.lutsPerMAC(format))
        let byFFs = Double(flipFlops) * lutFraction / Double(FPGAResources.flipFlopsPerMAC(format))
        return min(byLUTs, byFFs).rounded(.down)
    }

    public func executableFormats(_ datapath: Datapath) -> [NumberFormat] {
        let lutOnly = lutFraction > 0
            ? datapath.formats.filter { f in !dspPacking.contains { $0.format == f } } : []
        return dspPacking.map(\.format) + lutOnly
    }

    /// A scalar minifloat that no DSP packing runs is built in LUTs, with the fixed-point accumulator
    /// `FPGAResources.lutsPerMAC` prices (2^(E+1) + 2(M+1) + log2 K bits): it adds without error, and
    /// the file's accumulator (the DSP48E2's int48) is the DSP MACs'. The LUT count is taken at
    /// K = 4096; a longer reduction needs log2(K/4096) more accumulator bits than priced, which the
    /// error study assumes are there. Block minifloats (MX) are not: their E8M0 scales widen the range
    /// beyond the priced accumulator, so they keep the file's.
    public func accumulatesExactly(_ format: NumberFormat) -> Bool {
        guard lutFraction > 0, !dspPacking.contains(where: { $0.format == format }) else { return false }
        if case .scalar(.minifloat) = format { return true }
        return false
    }

    /// One non-MAC operation per DSP slice per cycle.
    public var vectorOpsPerCycle: Double { Double(dsps) }

    /// On-chip memory levels must fit the part's block RAM and UltraRAM.
    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        let onChip = model.memory.filter { $0.kind == .bram || $0.kind == .uram }.reduce(0) { $0 + $1.capacityBytes }
        let available = Double(bram36k) * Self.bram36kBytes + Double(uram) * Self.uramBytes
        if onChip > available {
            let s = try section.mapping()
            throw (s["bram_36k"] ?? section).error(
                "the bram/uram memory levels hold \(Int(onChip)) B but \(bram36k) BRAM36 and \(uram) URAM blocks "
                + "hold \(Int(available)) B (UG573: 4,608 B and 36,864 B each); the design cannot be built")
        }
    }

    public func resourceTable(_ model: HardwareModel) -> (header: [String], rows: [[String]])? {
        let rows = model.executableFormats.map { format -> [String] in
            let dsp = dspPacking.first { $0.format == format }.map { Double(dsps) * $0.macs } ?? 0
            return [format.name, trimmedNumber(dsp), trimmedNumber(lutMACsPerCycle(format)),
                    String(FPGAResources.lutsPerMAC(format))]
        }
        return (["format", "DSP MACs/cycle", "LUT MACs/cycle", "LUTs per LUT MAC"], rows)
    }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { FPGAEngine(device: device, array: array) }
}
