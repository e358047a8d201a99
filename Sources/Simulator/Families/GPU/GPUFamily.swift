import Arithmetic
import Documents
import Formats
import Hardware

/// A GPU: streaming multiprocessors with tensor cores, a GEMM library that
/// tiles matrix products into CTAs, and CUDA-core lanes for the rest.
public struct GPUFamily: DatapathFamily {
    public var streamingMultiprocessors: Int
    public var tensorCoresPerSM: Int
    /// Dense MACs per clock per tensor core, per format.
    public var denseMACsPerClock: [FormatRate]
    /// Binary (1-bit) MACs per clock per tensor core, for bit decomposition.
    public var binaryMACsPerClock: Double?
    public var launchOverheadSeconds: Double
    /// CTA tiles (M, N, K) the GEMM library chooses from.
    public var tiles: [[Int]]
    /// Fraction of the dense peak a large, well-tuned GEMM's main loop
    /// sustains, per format (clock throttling at TDP, pipeline bubbles);
    /// 1 where the file gives none.
    public var sustainedFraction: [FormatRate] = []

    /// Non-tensor lanes per SM (CUDA cores) doing elementwise work: 128 FP32
    /// lanes per SM on Ampere, Hopper and Blackwell (NVIDIA architecture whitepapers).
    static let lanesPerSM = 128
    /// Tiles when the file gives none (CUTLASS's common Ampere/Hopper shapes).
    static let defaultTiles = [[128, 128, 64], [128, 256, 64], [64, 128, 64], [64, 64, 64]]
    /// Bit-decomposed products are recombined once per this many binary MACs
    /// (the 128-bit binary MMA's reduction, arXiv 2409.17870).
    static let binaryReduction = 128

    public static let name = "gpu"
    public static let rateKey: String? = "dense_macs_per_clock"
    public static let multipliers: [Datapath.MultiplierKind] = [.exact, .lmul, .binary]
    public static let requiredKeys = ["sms", "tensor_cores_per_sm", "dense_macs_per_clock"]
    public static let schemaSections = [
        "gpu": ["sms", "tensor_cores_per_sm", "dense_macs_per_clock", "binary_macs_per_clock", "launch_overhead",
                "tiles", "sustained_fraction"],
    ]
    public static let schemaDefinitions = """
        {"gpu": {"type": "object", "additionalProperties": false,
          "required": ["sms", "tensor_cores_per_sm", "dense_macs_per_clock"],
          "properties": {"sms": {"$ref": "#/definitions/positiveInteger"},
            "tensor_cores_per_sm": {"$ref": "#/definitions/positiveInteger"},
            "dense_macs_per_clock": {"$ref": "#/definitions/rates"},
            "binary_macs_per_clock": {"$ref": "#/definitions/positiveNumber"},
            "launch_overhead": {"$ref": "#/definitions/time"},
            "tiles": {"type": "array", "items": {"type": "array", "minItems": 3, "maxItems": 3,
              "items": {"$ref": "#/definitions/positiveInteger"}}},
            "sustained_fraction": {"$ref": "#/definitions/rates"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> GPUFamily {
        let g = try value.mapping(allowedKeys: schemaSections["gpu"]!)
        let tiles = try (g["tiles"]?.sequence() ?? []).map { tile -> [Int] in
            let dims = try tile.sequence().map { try $0.int(in: 1...65536) }
            guard dims.count == 3 else { throw tile.error("a tile is [M, N, K], got \(dims.count) numbers") }
            return dims
        }
        var spec = GPUFamily(
            streamingMultiprocessors: try g.required("sms").int(in: 1...100_000),
            tensorCoresPerSM: try g.required("tensor_cores_per_sm").int(in: 1...1024),
            denseMACsPerClock: try HardwareLoader.rates(try g.required("dense_macs_per_clock")),
            binaryMACsPerClock: try g["binary_macs_per_clock"]?.number(),
            launchOverheadSeconds: try g["launch_overhead"]?.quantity(.time, allowZero: true) ?? 0,
            tiles: tiles.isEmpty ? defaultTiles : tiles)
        if let fractions = g["sustained_fraction"] {
            spec.sustainedFraction = try HardwareLoader.rates(fractions)
            for ((_, value), rate) in zip(try fractions.mapping().values, spec.sustainedFraction) where rate.macs > 1 {
                throw value.error("must be a fraction in (0, 1]")
            }
        }
        return spec
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        let tensorCores = Double(streamingMultiprocessors * tensorCoresPerSM)
        if let rate = denseMACsPerClock.first(where: { $0.format == format.name })?.macs { return tensorCores * rate }
        // 1-bit operands run in the binary (XOR/AND-popcount) mode whatever the
        // multiplier; bit decomposition: a p × p-bit product takes p·p binary
        // passes (arXiv 2409.17870).
        guard let binary = binaryMACsPerClock else { return nil }
        if Self.isOneBit(format) { return tensorCores * binary }
        guard let bits = Self.decomposedBits(format, datapath) else { return nil }
        return tensorCores * binary / Double(bits * bits)
    }

    /// The width of a signed integer format run by bit decomposition on a
    /// binary datapath, or nil.
    static func decomposedBits(_ format: NumberFormat, _ datapath: Datapath) -> Int? {
        guard datapath.multiplier == .binary, case .scalar(.integer(let i)) = format,
              i.fractionBits == 0, i.kind != .unsigned else { return nil }
        return i.bitWidth
    }

    /// A 1-bit signed integer format ({−1, +1}: `binary`, `bipolar1`).
    static func isOneBit(_ format: NumberFormat) -> Bool {
        guard case .scalar(.integer(let i)) = format else { return false }
        return i.bitWidth == 1 && i.fractionBits == 0 && i.kind != .unsigned
    }

    public func executableFormats(_ datapath: Datapath) -> [String] {
        let rated = denseMACsPerClock.map(\.format)
        guard binaryMACsPerClock != nil else { return rated }
        let decomposed = datapath.formats.filter { Self.decomposedBits($0, datapath) != nil || Self.isOneBit($0) }
            .map(\.name)
        return rated + decomposed.filter { !rated.contains($0) }
    }

    public var vectorOpsPerCycle: Double { Double(streamingMultiprocessors * Self.lanesPerSM) }

    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        if model.datapath.multiplier == .binary, binaryMACsPerClock == nil {
            throw try datapath.mapping().required("multiplier").error(
                "a binary (bit-decomposition) datapath needs gpu.binary_macs_per_clock")
        }
    }

    /// A bit-decomposed format's MAC: p·q binary products (XNOR-popcount
    /// lanes, 1/128 of a 128-lane unit each) plus the shift-add recombination
    /// amortised over a 128-long reduction (arXiv 2409.17870).
    public func macUnits(_ format: NumberFormat, datapath: Datapath) -> [(ArithmeticUnit, Double)]? {
        guard let bits = Self.decomposedBits(format, datapath),
              !denseMACsPerClock.contains(where: { $0.format == format.name }) else { return nil }
        let k = Double(Self.binaryReduction)
        return [(.binaryDotProduct(lanes: Self.binaryReduction), Double(bits * bits) / k),
                (.shiftAddRecombination(weightBits: bits, activationBits: bits, partialBits: 8), 1 / k)]
    }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { GPUEngine(self, device) }
}
