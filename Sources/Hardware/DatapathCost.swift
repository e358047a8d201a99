import Arithmetic
import Formats

/// What one MAC of a format costs on a device's datapath, from the
/// `Arithmetic` cost model at the device's technology (with the file's
/// overrides), and what the whole MAC array costs.
///
/// A MAC is one multiplier use plus one accumulator use:
/// - `exact`: the format's FP or integer multiplier;
/// - `lmul`: the L-Mul adder (arXiv 2410.00907);
/// - `binary`: p·q binary products (XNOR-popcount lanes, 1/128 of a
///   128-lane unit each) plus the shift-add recombination amortised over a
///   128-long reduction (arXiv 2409.17870).
/// The accumulator is the file's: an integer adder of its width, or a
/// float adder in its format.
public struct DatapathCost: Sendable {
    public let model: HardwareModel
    public let costModel: CellCostModel

    /// The reduction length over which per-dot-product work is amortised.
    public static let reductionLength = 128

    public init(model: HardwareModel) {
        self.model = model
        self.costModel = CellCostModel(overrides: model.datapath.costOverrides)
    }

    func cost(_ unit: ArithmeticUnit) -> UnitCost { costModel.cost(of: unit, at: model.technology) }

    /// The units one MAC of `format` uses, each with how many times.
    public func macUnits(_ formatName: String) -> [(ArithmeticUnit, Double)] {
        guard let format = try? FormatCatalog.format(named: formatName) else { return [] }
        var units: [(ArithmeticUnit, Double)] = []
        if let bits = model.decomposedBits(formatName), model.family == .gpu,
           case .gpu(let g) = model.details, !g.denseMACsPerClock.contains(where: { $0.format == formatName }) {
            let k = Double(Self.reductionLength)
            units.append((.binaryDotProduct(lanes: Self.reductionLength), Double(bits * bits) / k))
            units.append((.shiftAddRecombination(weightBits: bits, activationBits: bits, partialBits: 8), 1 / k))
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
        switch model.datapath.accumulator {
        case .integer(let bits, _): units.append((.integerAccumulator(bits: bits), 1))
        case .float(let f, _): units.append((.floatAccumulator(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), 1))
        }
        if case .block(let b) = format {
            // Scale handling once per block: max reduction, scale selection, rescale of the result.
            let perBlock = 1 / Double(b.blockSize)
            units.append((.maxReduction(inputs: b.blockSize, bits: b.element.bitWidth), perBlock))
            units.append((.sharedExponentScale(exponentBits: 8), perBlock))
        }
        return units
    }

    /// Energy, area and delay of one MAC (area: one MAC unit's worth): its
    /// share of the dot-product unit it belongs to where the datapath has
    /// one (`dotProductUnit(for:)`), its scalar units otherwise.
    public func perMAC(_ format: String) -> UnitCost {
        if let unit = dotProductUnit(for: format) { return unit.perMAC(costModel: costModel, at: model.technology) }
        return macUnits(format).reduce(UnitCost.zero) { total, entry in
            let c = cost(entry.0)
            return UnitCost(energyPicojoules: total.energyPicojoules + c.energyPicojoules * entry.1,
                            areaSquareMicrometres: total.areaSquareMicrometres + c.areaSquareMicrometres * entry.1,
                            delayNanoseconds: max(total.delayNanoseconds, c.delayNanoseconds))
        }
    }

    /// Area of enough MAC units for the format's peak rate, mm².
    public func arrayAreaSquareMillimetres(_ format: String) -> Double {
        (model.macsPerCycle(format) ?? 0) * perMAC(format).areaSquareMicrometres * 1e-6
    }

    /// MAC-array power at the format's peak rate plus static power, W.
    public func fullLoadWatts(_ format: String) -> Double {
        (model.macsPerCycle(format) ?? 0) * model.clockHertz * perMAC(format).energyPicojoules * 1e-12 + model.staticWatts
    }
}
