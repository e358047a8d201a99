/// The area, energy per operation and delay of one unit at one technology.
public struct UnitCost: Sendable, Hashable {
    /// Energy per operation, picojoules.
    public var energyPicojoules: Double
    /// Silicon area, square micrometres.
    public var areaSquareMicrometres: Double
    /// Critical-path delay, nanoseconds.
    public var delayNanoseconds: Double

    public init(energyPicojoules: Double, areaSquareMicrometres: Double, delayNanoseconds: Double) {
        self.energyPicojoules = energyPicojoules
        self.areaSquareMicrometres = areaSquareMicrometres
        self.delayNanoseconds = delayNanoseconds
    }

    /// Pipeline stages needed to meet a clock: ⌈delay × frequency⌉, at least 1.
    public func pipelineStages(atClockHertz clock: Double) -> Int {
        max(1, Int((delayNanoseconds * 1e-9 * clock).rounded(.up)))
    }

    /// Two units used together once each: energies and areas add, delays add.
    public static func + (a: UnitCost, b: UnitCost) -> UnitCost {
        UnitCost(energyPicojoules: a.energyPicojoules + b.energyPicojoules,
                 areaSquareMicrometres: a.areaSquareMicrometres + b.areaSquareMicrometres,
                 delayNanoseconds: a.delayNanoseconds + b.delayNanoseconds)
    }

    public static let zero = UnitCost(energyPicojoules: 0, areaSquareMicrometres: 0, delayNanoseconds: 0)
}

/// Maps a unit at a technology to its cost. Implementations are the
/// alternatives a user chooses between; users override single units with
/// their own figures (as Accelergy's energy/area reference tables allow).
public protocol CostModel: Sendable {
    func cost(of unit: ArithmeticUnit, at technology: Technology) -> UnitCost
}

/// lpsim's default model: structural cell counts times per-cell costs
/// calibrated at 45 nm (`CellLibrary.horowitz45nm`), scaled to the target
/// node by Stillmaker & Baas, with per-unit overrides taking precedence.
public struct CellCostModel: CostModel {
    public var library: CellLibrary
    /// User figures for specific units, already at the target technology.
    public var overrides: [ArithmeticUnit: UnitCost]

    public init(library: CellLibrary = .horowitz45nm, overrides: [ArithmeticUnit: UnitCost] = [:]) {
        self.library = library
        self.overrides = overrides
    }

    public func cost(of unit: ArithmeticUnit, at technology: Technology) -> UnitCost {
        if let override = overrides[unit] { return override }
        let cells = unit.cells
        return UnitCost(energyPicojoules: library.energy(cells) * technology.energyFactor,
                        areaSquareMicrometres: library.area(cells) * technology.areaFactor,
                        delayNanoseconds: cells.depth * technology.fo4Nanoseconds)
    }
}
