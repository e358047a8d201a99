/// How many cells of each kind a unit is built from: the structural half of
/// lpsim's cost model. A unit's area and energy are these counts times the
/// per-cell costs of `CellLibrary`; its delay is `depth` FO4 delays.
///
/// The four kinds are the ones whose costs differ enough in the published
/// 45 nm data to need their own constant (see `CellLibrary`):
/// - `adderBits`: one bit of a carry-propagate adder, subtractor,
///   comparator or incrementer;
/// - `integerProductCells`: one AND-plus-full-adder cell of an integer array
///   (or tree) multiplier, n·m of them for n × m bits;
/// - `floatProductCells`: the same inside a floating-point multiplier's
///   significand product;
/// - `muxBits`: one 2:1 multiplexer bit of a barrel shifter, a swap or a
///   leading-zero normaliser, and one XNOR/AND bit of a binary datapath.
public struct CellCounts: Sendable, Hashable {
    public var adderBits: Double
    public var integerProductCells: Double
    public var floatProductCells: Double
    public var muxBits: Double
    /// Logic depth of the critical path, in FO4 delays.
    public var depth: Double

    public init(adderBits: Double = 0, integerProductCells: Double = 0, floatProductCells: Double = 0,
                muxBits: Double = 0, depth: Double = 0) {
        self.adderBits = adderBits
        self.integerProductCells = integerProductCells
        self.floatProductCells = floatProductCells
        self.muxBits = muxBits
        self.depth = depth
    }

    /// Two units side by side: cells add, the critical path is the longer.
    public static func + (a: CellCounts, b: CellCounts) -> CellCounts {
        CellCounts(adderBits: a.adderBits + b.adderBits,
                   integerProductCells: a.integerProductCells + b.integerProductCells,
                   floatProductCells: a.floatProductCells + b.floatProductCells,
                   muxBits: a.muxBits + b.muxBits, depth: max(a.depth, b.depth))
    }

    /// Two units in series: cells add, depths add.
    public func followed(by b: CellCounts) -> CellCounts {
        var sum = self + b
        sum.depth = depth + b.depth
        return sum
    }

    /// `k` copies side by side.
    public static func * (k: Double, a: CellCounts) -> CellCounts {
        CellCounts(adderBits: k * a.adderBits, integerProductCells: k * a.integerProductCells,
                   floatProductCells: k * a.floatProductCells, muxBits: k * a.muxBits, depth: a.depth)
    }
}

/// Per-cell costs at 45 nm, 0.9 V, calibrated on the eight arithmetic
/// operations of M. Horowitz, "Computing's energy problem (and what we can
/// do about it)", ISSCC 2014, Fig. 1.1.9 (energies), and the matching areas
/// of Hennessy & Patterson, *Computer Architecture* 6th ed., Fig. 1.13
/// (TSMC 45 nm, Design Compiler, DesignWare units).
///
/// Four constants per metric against eight data points per metric, fitted
/// by least squares on log error (scripts/calibrate_cells.py); every
/// operation is then reproduced within 15% (tested within 25%). The fit
/// says something real: a DesignWare floating-point multiplier spends 2.6×
/// the energy and 3.7× the area of an integer array multiplier per
/// significand-product cell (Booth recoding, sticky and rounding logic,
/// speed-optimised trees), which a single shared cell constant cannot
/// capture.
public struct CellLibrary: Sendable, Hashable {
    /// Energy per operation of each cell kind, pJ.
    public var adderBitEnergy, integerProductEnergy, floatProductEnergy, muxBitEnergy: Double
    /// Area of each cell kind, µm².
    public var adderBitArea, integerProductArea, floatProductArea, muxBitArea: Double

    /// The Horowitz / Hennessy & Patterson calibration at 45 nm, 0.9 V.
    public static let horowitz45nm = CellLibrary(
        adderBitEnergy: 0.003407, integerProductEnergy: 0.002587,
        floatProductEnergy: 0.006827, muxBitEnergy: 0.002108,
        adderBitArea: 4.390, integerProductArea: 3.205,
        floatProductArea: 11.97, muxBitArea: 10.53)

    public func energy(_ c: CellCounts) -> Double {
        c.adderBits * adderBitEnergy + c.integerProductCells * integerProductEnergy
            + c.floatProductCells * floatProductEnergy + c.muxBits * muxBitEnergy
    }

    public func area(_ c: CellCounts) -> Double {
        c.adderBits * adderBitArea + c.integerProductCells * integerProductArea
            + c.floatProductCells * floatProductArea + c.muxBits * muxBitArea
    }
}
