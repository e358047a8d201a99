import Arithmetic
import Documents
import Formats
import Hardware

/// A precision-scalable MAC array (Bit Fusion, Sharma et al., ISCA 2018):
/// rows × columns Fusion Units, each of 16 BitBricks — 2-bit × 2-bit
/// multipliers — that fuse at run time into as many multipliers as the
/// operand widths allow: one 8 × 8-bit product per unit, two 8 × 4, four
/// 4 × 4, sixteen 2 × 2. Wider operands take several passes (16 × 16 bits:
/// four). The products of a unit's fused multipliers are summed by its
/// shift-add tree, so a unit advances a dot product by that many MACs a cycle.
public struct BitFusionFamily: DatapathFamily {
    public var rows: Int
    public var columns: Int
    /// Operand bits of one BitBrick (2 in Bit Fusion).
    public var brickBits: Int
    /// BitBricks per Fusion Unit (16 in Bit Fusion).
    public var bricksPerUnit: Int
    /// The widest operand one spatial fusion handles (8 in Bit Fusion);
    /// wider operands are decomposed over time.
    public var maxFusedBits: Int
    public var ifmapBufferBytes: Double
    public var filterBufferBytes: Double
    public var ofmapBufferBytes: Double

    public static let name = "bitfusion"
    public static let rateKey: String? = nil
    public static let multipliers: [Datapath.MultiplierKind] = [.exact]
    public static let requiredKeys = ["rows", "columns", "buffers"]
    public static let schemaSections = [
        "bitfusion": ["rows", "columns", "brick_bits", "bricks_per_unit", "max_fused_bits", "buffers"],
        "bitfusionBuffers": ["ifmap", "filter", "ofmap"],
    ]
    public static let schemaDefinitions = """
        {"bitfusion": {"type": "object", "additionalProperties": false, "required": ["rows", "columns", "buffers"],
          "properties": {"rows": {"$ref": "#/definitions/positiveInteger"},
            "columns": {"$ref": "#/definitions/positiveInteger"},
            "brick_bits": {"$ref": "#/definitions/positiveInteger"},
            "bricks_per_unit": {"$ref": "#/definitions/positiveInteger"},
            "max_fused_bits": {"$ref": "#/definitions/positiveInteger"},
            "buffers": {"$ref": "#/definitions/bitfusionBuffers"}}},
         "bitfusionBuffers": {"type": "object", "additionalProperties": false,
          "required": ["ifmap", "filter", "ofmap"],
          "properties": {"ifmap": {"$ref": "#/definitions/bytes"}, "filter": {"$ref": "#/definitions/bytes"},
            "ofmap": {"$ref": "#/definitions/bytes"}}}}
        """

    public static func decode(_ value: YAMLValue, datapath: Datapath) throws -> BitFusionFamily {
        let s = try value.mapping(allowedKeys: schemaSections["bitfusion"]!)
        let buffers = try s.required("buffers").mapping(allowedKeys: schemaSections["bitfusionBuffers"]!)
        let spec = BitFusionFamily(
            rows: try s.required("rows").int(in: 1...65536), columns: try s.required("columns").int(in: 1...65536),
            brickBits: try s["brick_bits"]?.int(in: 1...8) ?? 2,
            bricksPerUnit: try s["bricks_per_unit"]?.int(in: 1...1024) ?? 16,
            maxFusedBits: try s["max_fused_bits"]?.int(in: 1...32) ?? 8,
            ifmapBufferBytes: try buffers.required("ifmap").quantity(.bytes),
            filterBufferBytes: try buffers.required("filter").quantity(.bytes),
            ofmapBufferBytes: try buffers.required("ofmap").quantity(.bytes))
        let side = spec.maxFusedBits / spec.brickBits
        guard spec.maxFusedBits % spec.brickBits == 0, side * side <= spec.bricksPerUnit else {
            throw (s["max_fused_bits"] ?? value).error(
                "a \(spec.maxFusedBits)-bit fused multiplier needs \(side * side) bricks of \(spec.brickBits) bits; "
                + "a unit has \(spec.bricksPerUnit)")
        }
        return spec
    }

    /// Integer formats (signed or unsigned, no fraction bits) up to 32 bits.
    static func operandBits(_ format: NumberFormat) -> Int? {
        guard case .scalar(.integer(let i)) = format, i.fractionBits == 0, i.bitWidth <= 32 else { return nil }
        return i.bitWidth
    }

    /// Operand bits rounded up to what fusion builds: whole bricks, in powers of two.
    func fusedWidth(_ bits: Int) -> Int {
        var width = brickBits
        while width < bits { width *= 2 }
        return width
    }

    /// MACs one unit does per cycle on a `w`-bit × `a`-bit product: bricks
    /// per fused multiplier (w/b)·(a/b), passes over time beyond `maxFusedBits`.
    public func macsPerUnit(weightBits w: Int, inputBits a: Int) -> Double {
        func split(_ bits: Int) -> (spatial: Int, passes: Int) {
            let width = fusedWidth(bits)
            return width <= maxFusedBits ? (width, 1) : (maxFusedBits, width / maxFusedBits)
        }
        let (sw, pw) = split(w), (sa, pa) = split(a)
        let bricks = (sw / brickBits) * (sa / brickBits)
        return Double(bricksPerUnit / bricks) / Double(pw * pa)
    }

    public func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        guard datapath.formats.contains(format), let bits = Self.operandBits(format) else { return nil }
        return Double(rows * columns) * macsPerUnit(weightBits: bits, inputBits: bits)
    }

    public func executableFormats(_ datapath: Datapath) -> [NumberFormat] {
        datapath.formats.filter { Self.operandBits($0) != nil }
    }

    /// One non-MAC operation per unit of a row per cycle (the output path).
    public var vectorOpsPerCycle: Double { Double(columns) }

    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {
        let formats = try datapath.mapping().required("formats").sequence()
        for (index, format) in model.datapath.formats.enumerated() where Self.operandBits(format) == nil {
            throw formats[index].error("a Bit Fusion array fuses integer bricks; "
                + "'\(format.name)' is not an integer format")
        }
    }

    /// One fused MAC: its share of the BitBricks (2-bit multipliers) and of
    /// the unit's shift-add tree, which sums the unit's products each cycle.
    public func macUnits(_ format: NumberFormat, datapath: Datapath) -> [(ArithmeticUnit, Double)]? {
        guard let bits = Self.operandBits(format) else { return nil }
        let perUnit = macsPerUnit(weightBits: bits, inputBits: bits)
        return [(.integerMultiplier(bits: brickBits, by: brickBits), Double(bricksPerUnit) / perUnit),
                (.adderTree(inputs: bricksPerUnit, bits: 2 * maxFusedBits), 1 / perUnit)]
    }

    public func engine(for device: DeviceFigures) -> any FamilyEngine { BitFusionEngine(spec: self, device: device) }
}
