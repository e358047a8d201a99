import Foundation

/// A CMOS technology node and supply voltage, and how area, energy and
/// delay scale from the 45 nm, 0.9 V node at which lpsim's unit costs are
/// calibrated.
///
/// Sources:
/// - Area factors relative to 45 nm: Stillmaker & Baas, "Scaling equations
///   for the accurate prediction of CMOS device performance from 180 nm to
///   7 nm", Integration 58 (2017), as tabulated in Accelergy-Project
///   hwcomponents `scaling/techscaling.py`.
/// - Energy per operation ∝ a·V² + b·V + c with the same paper's fitted
///   (a, b, c) at 65, 45, 16 and 7 nm (ibid.).
/// - Delay: one FO4 inverter delay ≈ 360 ps per µm of drawn gate length
///   (Ho, Mai & Horowitz, "The future of wires", Proc. IEEE 2001), so
///   16.2 ps at 45 nm.
///
/// Nodes between the tabulated ones are interpolated log-linearly in the
/// node size; nodes below 7 nm are extrapolated from the 16 → 7 nm trend,
/// and `provenance` says which.
public struct Technology: Sendable, Hashable, CustomStringConvertible {
    /// Drawn feature size in nanometres.
    public let nodeNanometres: Double
    /// Supply voltage in volts.
    public let voltage: Double

    /// How a scaling factor was obtained.
    public enum Provenance: String, Sendable {
        case published, interpolated, extrapolated
    }

    /// - Precondition: node in 1…1000 nm, voltage in 0.3…2 V (the hardware
    ///   loader checks user input before it gets here).
    public init(nodeNanometres: Double, voltage: Double? = nil) {
        self.nodeNanometres = nodeNanometres
        self.voltage = voltage ?? Technology.nominalVoltage(nodeNanometres)
    }

    /// The 45 nm, 0.9 V calibration point (Horowitz, ISSCC 2014).
    public static let reference = Technology(nodeNanometres: 45, voltage: 0.9)

    public var description: String {
        "\(nodeNanometres.compactString) nm, \(voltage.compactString) V"
    }

    /// A nominal supply when none is given: 1.0 V at 65 nm and above, 0.9 V
    /// at 45 nm, 0.8 V at 16–32 nm, 0.7 V below (an estimate from the
    /// foundries' published core voltages, not a fitted figure).
    public static func nominalVoltage(_ node: Double) -> Double {
        node >= 65 ? 1.0 : node >= 45 ? 0.9 : node >= 16 ? 0.8 : 0.7
    }

    // Stillmaker & Baas area factors relative to 45 nm.
    static let areaTable: [(node: Double, factor: Double)] = [
        (130, 6.4), (90, 2.8), (65, 1.5), (45, 1), (32, 0.46), (20, 0.21),
        (16, 0.19), (14, 0.17), (10, 0.1), (7, 0.059),
    ]

    // Stillmaker & Baas energy polynomials a·V² + b·V + c.
    static let energyPolynomials: [(node: Double, a: Double, b: Double, c: Double)] = [
        (65, 3.755, -4.398, 1.975), (45, 1.103, -0.362, 0.2767),
        (16, 0.2958, -0.1241, 0.03024), (7, 0.1776, -0.09097, 0.02447),
    ]

    /// Area relative to 45 nm.
    public var areaFactor: Double { Technology.interpolate(Technology.areaTable, at: nodeNanometres) }

    /// Energy per operation relative to 45 nm at 0.9 V.
    public var energyFactor: Double {
        let v = voltage
        let table = Technology.energyPolynomials.map { ($0.node, $0.a * v * v + $0.b * v + $0.c) }
        let reference = 1.103 * 0.81 - 0.362 * 0.9 + 0.2767
        return Technology.interpolate(table, at: nodeNanometres) / reference
    }

    /// Gate delay relative to 45 nm (FO4 ∝ drawn length).
    public var delayFactor: Double { nodeNanometres / 45 }

    /// One FO4 delay in nanoseconds.
    public var fo4Nanoseconds: Double { 0.36 * nodeNanometres / 1000 }

    public var provenance: Provenance {
        if nodeNanometres < 7 || nodeNanometres > 130 { return .extrapolated }
        if Technology.areaTable.contains(where: { $0.node == nodeNanometres })
            && Technology.energyPolynomials.contains(where: { $0.node == nodeNanometres }) { return .published }
        return .interpolated
    }

    /// Log-linear interpolation in (node, value), extrapolating from the
    /// nearest two points outside the table.
    static func interpolate(_ table: [(Double, Double)], at node: Double) -> Double {
        let sorted = table.sorted { $0.0 > $1.0 }  // largest node first
        if let exact = sorted.first(where: { $0.0 == node }) { return exact.1 }
        var upper = sorted[0], lower = sorted[1]
        if node < sorted[sorted.count - 1].0 {
            upper = sorted[sorted.count - 2]; lower = sorted[sorted.count - 1]
        } else if node <= sorted[0].0 {
            for i in 0..<(sorted.count - 1) where sorted[i].0 >= node && node >= sorted[i + 1].0 {
                upper = sorted[i]; lower = sorted[i + 1]
            }
        }
        let t = (log(node) - log(upper.0)) / (log(lower.0) - log(upper.0))
        return exp(log(upper.1) + t * (log(lower.1) - log(upper.1)))
    }
}

extension Double {
    /// Up to four significant digits, without trailing zeros.
    public var compactString: String {
        if self == rounded() && magnitude < 1e9 { return String(Int64(self)) }
        let scaled = (self * 1000).rounded() / 1000
        return scaled.description
    }
}
