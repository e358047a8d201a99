import Arithmetic
import Formats
import Hardware

/// Dynamic energy of FPGA resources: each resource type's energy per clock
/// cycle at a 100% toggle rate (a transition on every cycle), times the
/// toggle (or enable) rate it runs at, times the cycles it is clocked —
/// the form of the Xilinx Power Estimator's sheets (UG440: signal rate =
/// clock × toggle rate, per LUT, register, DSP and block RAM row).
///
/// XPE's per-resource coefficients are not published, so each coefficient
/// here is an **estimate derived from published figures**, at the 45 nm,
/// 0.9 V reference of lpsim's cell library, scaled to the device's node and
/// voltage by `Technology.energyFactor` (Stillmaker & Baas 2017):
///
/// - **LUT**, 0.06 pJ: FINN's estimate puts an 8 × 8 multiplier in
///   (2⌈16/6⌉ − 1)·16 = 80 LUTs; Horowitz (ISSCC 2014) gives 0.2 pJ for an
///   8-bit ASIC multiply at 45 nm, so 2.5 fJ of ASIC logic per LUT; Kuon &
///   Rose ("Measuring the gap between FPGAs and ASICs", FPGA 2006) measured
///   soft FPGA logic (LUTs with their routing) at ≈ 12× the ASIC's dynamic
///   power: 30 fJ per LUT per operation on random operands, whose bits
///   toggle half the time, so 60 fJ at a 100% toggle rate.
/// - **FF**, 0.075 pJ: one full-adder bit of Horowitz's 32-bit add
///   (0.1 pJ / 32 = 3.1 fJ) taken as one register bit with its clock pin, × 12
///   (Kuon & Rose) at half toggle, so ≈ 75 fJ at 100%.
/// - **DSP slice**: Horowitz's 32 × 32-bit multiply (3.1 pJ) scaled by the
///   slice's partial products (25 × 18 for DSP48E1, UG479; 27 × 18 for
///   DSP48E2, UG579; 27 × 24 for DSP58, AM004) plus its accumulator add
///   (0.1 pJ per 32 bits; 48 or 58 bits), doubled for 100% toggle: 3.0, 3.2
///   and 4.3 pJ. A hard block: no FPGA gap (Kuon & Rose: hard blocks close it).
/// - **BRAM36**, 11.25 pJ per enabled cycle (one 72-bit access): Horowitz's
///   64-bit read of an 8 KB SRAM (10 pJ) × 72/64; a BRAM36 holds 4.5 KB
///   (UG573). Bit-line energy is per access, so the enable rate applies, not
///   the toggle rate.
/// - **URAM**, 22.5 pJ per enabled cycle: Horowitz's 32 KB SRAM read
///   (20 pJ per 64 bits) × 72/64; a URAM holds 36 KB in 4K × 72 (UG573).
///
/// Rates (`ToggleRates.ug440`): LUTs and FFs at XPE's default 12.5% ("based
/// on an average extracted from a suite of customer designs", UG440, Logic
/// sheet); DSP slices at 38%, UG440's figure for random data into a DSP
/// (DSP sheet); BRAM and URAM enabled on every cycle their unit runs
/// (a FINN unit reads its weight memory each cycle). Clock-tree and I/O
/// power and the idle units' clocking are not counted.
public struct FPGAPower: Sendable, Hashable {
    /// Energies per resource per clock cycle at a 100% toggle (or enable) rate, pJ.
    public var lutPicojoules: Double
    public var flipFlopPicojoules: Double
    public var dspPicojoules: Double
    public var bram36Picojoules: Double
    public var uramPicojoules: Double
    public var rates: ToggleRates

    /// Toggle rates (LUT, FF, DSP) and enable rates (BRAM, URAM), 0…1.
    public struct ToggleRates: Sendable, Hashable {
        public var lut: Double, flipFlop: Double, dsp: Double, bram: Double, uram: Double
        /// UG440's defaults: 12.5% for logic, 38% for random data into a DSP,
        /// memories enabled every cycle.
        public static let ug440 = ToggleRates(lut: 0.125, flipFlop: 0.125, dsp: 0.38, bram: 1, uram: 1)
    }

    /// The reference coefficients at 45 nm and 0.9 V (see the type's documentation).
    static let lutReference = 0.06, flipFlopReference = 0.075, bram36Reference = 11.25, uramReference = 22.5

    static func dspReference(_ type: FPGAFamily.DSPType) -> Double {
        // Partial products of the slice's multiplier over a 32 × 32 one, and its accumulator width.
        let (a, b, acc): (Double, Double, Double) = switch type {
        case .dsp48e1: (25, 18, 48)
        case .dsp48e2: (27, 18, 48)
        case .dsp58: (27, 24, 58)
        }
        return 2 * (3.1 * a * b / 1024 + 0.1 * acc / 32)
    }

    /// The coefficients for a device: the references scaled to its node and voltage.
    public init(technology: Technology, dspType: FPGAFamily.DSPType, rates: ToggleRates = .ug440) {
        let k = technology.energyFactor
        lutPicojoules = Self.lutReference * k
        flipFlopPicojoules = Self.flipFlopReference * k
        dspPicojoules = Self.dspReference(dspType) * k
        bram36Picojoules = Self.bram36Reference * k
        uramPicojoules = Self.uramReference * k
        self.rates = rates
    }

    public init?(_ hardware: HardwareModel) {
        guard let spec = hardware.spec as? FPGAFamily else { return nil }
        self.init(technology: hardware.technology, dspType: spec.dspType)
    }

    /// Energy of resources clocked for `cycles` cycles, per resource, J.
    public func joules(_ usage: FPGAUsage, cycles: Double) -> ResourceEnergy {
        let c = cycles * 1e-12
        return ResourceEnergy(
            lut: Double(usage.luts) * lutPicojoules * rates.lut * c,
            flipFlop: Double(usage.flipFlops) * flipFlopPicojoules * rates.flipFlop * c,
            dsp: Double(usage.dsps) * dspPicojoules * rates.dsp * c,
            bram: usage.bram36 * bram36Picojoules * rates.bram * c,
            uram: Double(usage.uram) * uramPicojoules * rates.uram * c)
    }

    /// Energy of one MAC on an overlay's array, pJ: the DSP slices' share
    /// (one slice does `packing` MACs a cycle) for the MACs the DSPs run,
    /// the LUT and FF costs of a fabric MAC (`FPGAResources`) for the rest,
    /// weighted by the two rates. nil when the device rates neither.
    /// The overlay's control logic in fabric is not counted.
    public func macPicojoules(_ format: NumberFormat, spec: FPGAFamily) -> Double? {
        let packing = spec.dspPacking.first { $0.format == format }?.macs ?? 0
        let dspMACs = Double(spec.dsps) * packing, lutMACs = spec.lutMACsPerCycle(format)
        guard dspMACs + lutMACs > 0 else { return nil }
        let dsp = packing > 0 ? dspPicojoules * rates.dsp / packing : 0
        let lut = Double(FPGAResources.lutsPerMAC(format)) * lutPicojoules * rates.lut
            + Double(FPGAResources.flipFlopsPerMAC(format)) * flipFlopPicojoules * rates.flipFlop
        return (dspMACs * dsp + lutMACs * lut) / (dspMACs + lutMACs)
    }
}

/// Dynamic energy per FPGA resource type, J.
public struct ResourceEnergy: Sendable, Hashable {
    public var lut = 0.0, flipFlop = 0.0, dsp = 0.0, bram = 0.0, uram = 0.0

    public init(lut: Double = 0, flipFlop: Double = 0, dsp: Double = 0, bram: Double = 0, uram: Double = 0) {
        self.lut = lut
        self.flipFlop = flipFlop
        self.dsp = dsp
        self.bram = bram
        self.uram = uram
    }

    /// The logic: LUTs, FFs and DSP slices.
    public var logic: Double { lut + flipFlop + dsp }
    /// The on-chip memories: BRAM and URAM.
    public var memory: Double { bram + uram }
    public var total: Double { logic + memory }

    public static func + (a: ResourceEnergy, b: ResourceEnergy) -> ResourceEnergy {
        ResourceEnergy(lut: a.lut + b.lut, flipFlop: a.flipFlop + b.flipFlop, dsp: a.dsp + b.dsp,
                       bram: a.bram + b.bram, uram: a.uram + b.uram)
    }
}
