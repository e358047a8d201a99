import Arithmetic
import Formats

/// What one MAC of a format costs on a device's datapath, from the
/// `Arithmetic` cost model at the device's technology (with the file's
/// overrides), and what the whole MAC array costs.
///
/// A MAC is one multiplier use plus one accumulator use:
/// - `exact`: the format's FP or integer multiplier;
/// - `lmul`: the L-Mul adder (arXiv 2410.00907);
/// - or the units the family builds a MAC from (`FamilySpec.macUnits`:
///   bit decomposition on binary tensor cores, fused bit bricks).
/// The accumulator is the file's: an integer adder of its width, or a
/// float adder in its format.
public struct DatapathCost: Sendable {
    public let model: HardwareModel
    public let costModel: CellCostModel

    public init(model: HardwareModel) {
        self.model = model
        self.costModel = CellCostModel(overrides: model.datapath.costOverrides)
    }

    func cost(_ unit: ArithmeticUnit) -> UnitCost { costModel.cost(of: unit, at: model.technology) }

    /// The units one MAC of `format` uses, each with how many times.
    public func macUnits(_ format: NumberFormat) -> [(ArithmeticUnit, Double)] {
        var units: [(ArithmeticUnit, Double)] = []
        if let own = model.spec.macUnits(format, datapath: model.datapath) {
            units = own
        } else {
            switch (format.elementFormat, model.datapath.multiplier) {
            case (.minifloat(let f), .lmul):
                units.append((.lmul(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), 1))
            case (.minifloat(let f), _):
                units.append((.floatMultiplier(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), 1))
            case (.integer(let i), _):
                units.append((.integerMultiplier(bits: i.bitWidth, by: i.bitWidth), 1))
            }
        }
        units += accumulatorUnits(format)
        if case .block(let b) = format {
            let perBlock = 1 / Double(b.blockSize)
            if model.datapath.blockScale.contains(b) {
                // Native scale handling once per block: max reduction and scale
                // selection for the outputs, rescale of the block's partial sum.
                units.append((.maxReduction(inputs: b.blockSize, bits: b.element.bitWidth), perBlock))
                units.append((.sharedExponentScale(exponentBits: 8), perBlock))
            }
            // Without a scale unit the rescale runs on the vector units: `perMAC` adds its energy.
        }
        return units
    }

    /// What a block format without a native scale unit costs per block on the
    /// vector units: its partial sum leaves the array, is converted and is
    /// multiplied by its scales. Energy only: the vector units are not part of
    /// the MAC array's area.
    static let softwareRescale: [ArithmeticUnit] = [.converter(exponentBits: 8, mantissaBits: 23),
                                                    .floatMultiplier(exponentBits: 8, mantissaBits: 23)]

    /// The energy per MAC of `softwareRescale` for `format` (0 when the datapath scales it natively).
    func softwareRescaleEnergy(_ format: NumberFormat?) -> Double {
        guard case .block(let b)? = format, !model.datapath.blockScale.contains(b) else { return 0 }
        return Self.softwareRescale.reduce(0) { $0 + cost($1).energyPicojoules } / Double(b.blockSize)
    }

    /// The accumulator's share of one MAC of `format`:
    /// - an integer accumulator that wraps is an adder fed back; one that
    ///   saturates adds its overflow detection and clamp (`integerAccumulator`);
    /// - a float accumulator is an adder in its format; with `kept_bits`, minifloats
    ///   narrower than 16 bits (the FP8 tensor-core path, DeepSeek-V3 §3.3.2) are
    ///   summed by an aligned adder of that many significand bits instead, and
    ///   with `promotion_interval` N those partial sums are added into FP32 every
    ///   N products (one FP32 add per N MACs; the add itself runs on the vector units).
    func accumulatorUnits(_ format: NumberFormat) -> [(ArithmeticUnit, Double)] {
        switch model.datapath.accumulator {
        case .integer(let bits, let saturating):
            return [(saturating ? .integerAccumulator(bits: bits) : .integerAdder(bits: bits), 1)]
        case .float(let f, let keptBits):
            guard let kept = keptBits, Self.onFP8Path(format) else {
                return [(.floatAccumulator(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), 1)]
            }
            var units: [(ArithmeticUnit, Double)] = [(.floatAccumulator(exponentBits: f.exponentBits,
                                                                        mantissaBits: kept - 1), 1)]
            if let n = promotionInterval(format) {
                units.append((.floatAdder(exponentBits: 8, mantissaBits: 23), 1 / Double(n)))
            }
            return units
        }
    }

    /// The promotion interval that applies to `format`, if any.
    func promotionInterval(_ format: NumberFormat) -> Int? {
        guard case .float(_, let kept?) = model.datapath.accumulator, kept > 0, Self.onFP8Path(format) else {
            return nil
        }
        return model.datapath.promotionInterval
    }

    /// Minifloats narrower than 16 bits: the tensor-core path whose partial
    /// sums are aligned and truncated (integer products accumulate exactly).
    static func onFP8Path(_ format: NumberFormat) -> Bool {
        guard case .minifloat(let f) = format.elementFormat else { return false }
        return f.bitWidth < 16
    }

    /// Operations the vector units do per MAC of `format` for the datapath:
    /// promoting partial sums (1/N) and applying block scales the datapath
    /// has no unit for (1 per block).
    public func vectorOpsPerMAC(_ format: NumberFormat) -> Double {
        var ops = promotionInterval(format).map { 1 / Double($0) } ?? 0
        if case .block(let b) = format, !model.datapath.blockScale.contains(b) { ops += 1 / Double(b.blockSize) }
        return ops
    }

    /// Energy, area and delay of one MAC (area: one MAC unit's worth): its
    /// share of the dot-product unit it belongs to where the datapath has
    /// one (`dotProductUnit(for:)`), its scalar units otherwise.
    public func perMAC(_ format: NumberFormat) -> UnitCost {
        var c: UnitCost
        if let unit = dotProductUnit(for: format) {
            c = unit.perMAC(costModel: costModel, at: model.technology)
        } else {
            c = scalarPerMAC(format)
        }
        c.energyPicojoules += softwareRescaleEnergy(format)
        return c
    }

    /// `perMAC` of a datapath that builds MACs from scalar units (`macUnits`).
    func scalarPerMAC(_ format: NumberFormat) -> UnitCost {
        macUnits(format).reduce(UnitCost.zero) { total, entry in
            let c = cost(entry.0)
            return UnitCost(energyPicojoules: total.energyPicojoules + c.energyPicojoules * entry.1,
                            areaSquareMicrometres: total.areaSquareMicrometres + c.areaSquareMicrometres * entry.1,
                            delayNanoseconds: max(total.delayNanoseconds, c.delayNanoseconds))
        }
    }

    /// Area of enough MAC units for the format's peak rate, mm².
    public func arrayAreaSquareMillimetres(_ format: NumberFormat) -> Double {
        (model.macsPerCycle(format) ?? 0) * perMAC(format).areaSquareMicrometres * 1e-6
    }

    /// Energy per MAC as a simulation charges it outside an FPGA (whose resources price it): the
    /// datapath's MAC plus the device's per-MAC overhead (`power.mac_overhead`, operand fetch and
    /// control, scaled by operand bits), pJ.
    public func chargedPicojoules(_ format: NumberFormat) -> Double {
        perMAC(format).energyPicojoules + model.macOverheadPicojoules(for: format)
    }
}
