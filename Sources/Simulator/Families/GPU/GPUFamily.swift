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
    /// The latency model under the roofline (`GPULatency`): mainloop stages,
    /// L2 and off-chip latencies, the shortest GEMM kernel, CTAs per cluster.
    public var latency = GPULatency()
    /// Non-tensor (CUDA-core) lanes per SM per clock, per lane format
    /// (`fp32`, `fp16`, `int32`); `lanesPerSM` FP32 lanes where the file gives none.
    public var cudaCoreLanes: [FormatRate] = []
    /// CTA tiles per compute format, where a format's kernels use other tiles than `tiles`.
    public var formatTiles: [(format: NumberFormat, tiles: [[Int]])] = []

    /// Non-tensor lanes per SM (CUDA cores) doing elementwise work: 128 FP32
    /// lanes per SM on Ampere, Hopper and Blackwell (NVIDIA architecture whitepapers).
    static let lanesPerSM = 128
    /// The sustained fraction of a format the file gives none for: 1, the
    /// dense peak (a warning says so).
    static let defaultSustained = 1.0
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
                "tiles", "sustained_fraction", "pipeline_stages", "l2_latency", "memory_latency",
                "min_kernel_time", "cluster", "stream_k", "overlapped_epilogue",
                "cuda_core_lanes", "tiles_per_format"],
    ]
    public static let schemaDefinitions = """
        {"gpu": {"type": "object", "additionalProperties": false,
          "required": ["sms", "tensor_cores_per_sm", "dense_macs_per_clock"],
          "properties": {"sms": {"$ref": "#/definitions/positiveInteger"},
            "tensor_cores_per_sm": {"$ref": "#/definitions/positiveInteger"},
            "dense_macs_per_clock": {"$ref": "#/definitions/rates"},
            "binary_macs_per_clock": {"$ref": "#/definitions/positiveNumber"},
            "launch_overhead": {"$ref": "#/definitions/time"},
            "tiles": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 3, "maxItems": 3,
              "items": {"$ref": "#/definitions/positiveInteger"}}},
            "sustained_fraction": {"$ref": "#/definitions/rates"},
            "pipeline_stages": {"$ref": "#/definitions/positiveInteger"},
            "l2_latency": {"$ref": "#/definitions/time"},
            "memory_latency": {"$ref": "#/definitions/time"},
            "min_kernel_time": {"$ref": "#/definitions/time"},
            "cluster": {"$ref": "#/definitions/positiveInteger"},
            "stream_k": {"type": "boolean"},
            "overlapped_epilogue": {"type": "boolean"},
            "cuda_core_lanes": {"$ref": "#/definitions/rates"},
            "tiles_per_format": {"type": "object", "additionalProperties": {"type": "array", "minItems": 1,
              "items": {"type": "array", "minItems": 3, "maxItems": 3,
                "items": {"$ref": "#/definitions/positiveInteger"}}}}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> GPUFamily {
        let g = try value.mapping(allowedKeys: schemaSections["gpu"]!)
        func tileList(_ list: YAMLValue?) throws -> [[Int]] {
            try (list?.sequence() ?? []).map { tile -> [Int] in
                let dims = try tile.sequence().map { try $0.int(in: 1...65536) }
                guard dims.count == 3 else { throw tile.error("a tile is [M, N, K], got \(dims.count) numbers") }
                return dims
            }
        }
        let tiles = try tileList(g["tiles"])
        if let list = g["tiles"], tiles.isEmpty {
            throw list.error("at least one tile is needed (leave 'tiles' out for the default list)")
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
        spec.latency = try GPULatency.decode(g)
        if let lanes = g["cuda_core_lanes"] {
            spec.cudaCoreLanes = try HardwareLoader.rates(lanes)
            for ((key, value), _) in zip(try lanes.mapping().values, spec.cudaCoreLanes)
            where !GPULatency.laneFormats.contains(key) {
                throw value.error("a CUDA-core lane format is one of \(GPULatency.laneFormats.joined(separator: ", "))")
            }
        }
        if let perFormat = g["tiles_per_format"] {
            for (format, list) in try perFormat.mapping().values {
                guard let listed = datapath.formats.first(where: { $0.name == format }) else {
                    throw list.error("'\(format)' is not in datapath.formats")
                }
                let parsed = try tileList(list)
                guard !parsed.isEmpty else { throw list.error("at least one tile is needed") }
                spec.formatTiles.append((listed, parsed))
            }
        }
        return spec
    }

    /// Scalar integer operands (binary included) sum into INT32 although the file's accumulator is FP: the
    /// integer MMAs accumulate in INT32 while the float ones use FP32 (NVIDIA A100 whitepaper, Table 2 and the
    /// INT8/INT4/binary Tensor Core operations: "INT32 accumulate"; PTX ISA, `mma` with `.s8`/`.u4`/`.b1`
    /// operands takes only `.s32` C and D; AMD CDNA 3 ISA, `V_MFMA_I32_*`). Block formats keep the FP
    /// accumulator their partial sums are rescaled into.
    public func integerAccumulatorBits(_ format: NumberFormat) -> Int? {
        guard case .scalar(.integer) = format else { return nil }
        return 32
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        let tensorCores = Double(streamingMultiprocessors * tensorCoresPerSM)
        if let rate = denseMACsPerClock.first(where: { $0.format == format })?.macs { return tensorCores * rate }
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

    public func executableFormats(_ datapath: Datapath) -> [NumberFormat] {
        let rated = denseMACsPerClock.map(\.format)
        guard binaryMACsPerClock != nil else { return rated }
        let decomposed = datapath.formats.filter { Self.decomposedBits($0, datapath) != nil || Self.isOneBit($0) }
        return rated + decomposed.filter { !rated.contains($0) }
    }

    public var vectorOpsPerCycle: Double { Double(streamingMultiprocessors) * lanes("fp32") }

    /// CUDA-core lanes per SM per clock in a lane format (`fp32`, `fp16`,
    /// `int32`): the file's figure, else FP32's, else `lanesPerSM`.
    func lanes(_ laneFormat: String) -> Double {
        cudaCoreLanes.first { $0.format.name == laneFormat }?.macs
            ?? cudaCoreLanes.first { $0.format.name == "fp32" }?.macs ?? Double(Self.lanesPerSM)
    }

    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        if model.datapath.multiplier == .binary, binaryMACsPerClock == nil {
            throw try datapath.mapping().required("multiplier").error(
                "a binary (bit-decomposition) datapath needs gpu.binary_macs_per_clock")
        }
        // Silence is a bug: a GEMM library never sustains the dense peak, so a
        // missing fraction is said, with the default it stands for.
        let missing = executableFormats(model.datapath).filter { f in !sustainedFraction.contains { $0.format == f } }
        if !missing.isEmpty {
            let at = try section.mapping()["sustained_fraction"] ?? section
            model.warnings.append(at.error(
                "no sustained_fraction for \(missing.map(\.name).joined(separator: ", ")); their GEMMs are timed at "
                + "\(Self.defaultSustained) of the dense peak (the default; measured large GEMMs sustain 0.7–0.87)",
                severity: .warning).description)
        }
    }

    /// A bit-decomposed format's MAC: p·q binary products (XNOR-popcount
    /// lanes, 1/128 of a 128-lane unit each) plus the shift-add recombination
    /// amortised over a 128-long reduction (arXiv 2409.17870).
    public func macUnits(_ format: NumberFormat, datapath: Datapath) -> [(ArithmeticUnit, Double)]? {
        guard let bits = Self.decomposedBits(format, datapath),
              !denseMACsPerClock.contains(where: { $0.format == format }) else { return nil }
        let k = Double(Self.binaryReduction)
        return [(.binaryDotProduct(lanes: Self.binaryReduction), Double(bits * bits) / k),
                (.shiftAddRecombination(weightBits: bits, activationBits: bits, partialBits: 8), 1 / k)]
    }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { GPUEngine(self, device) }
}
