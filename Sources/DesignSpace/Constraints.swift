import Documents

/// Limits a point must meet. Area and peak memory are known before simulating
/// (the device's area, the workload's bytes under the plan), so a point over
/// them is pruned unsimulated; power, latency, energy and the QSNR floors need
/// the simulation and the numerics, so a point beyond them is rejected after.
public struct Constraints: Sendable {
    /// One bound on one figure, in the units of the results (mm², bytes, W, s, J, dB).
    public struct Bound: Sendable {
        public var figure: String
        public var limit: Double
        public var isMaximum: Bool
        /// Known before simulation.
        public var isPrior: Bool
        /// The unit the reason names.
        public var unit: String

        /// The reason a point with `value` breaks this bound, or nil when it meets it.
        public func violation(_ value: Double?) -> String? {
            guard let value else { return nil }
            let broken = isMaximum ? value > limit : value < limit
            guard broken else { return nil }
            return "\(figure) \(Self.text(value))\(unit) \(isMaximum ? ">" : "<") \(Self.text(limit))\(unit)"
        }

        static func text(_ x: Double) -> String {
            x == 0 ? "0" : abs(x) >= 1e-3 && abs(x) < 1e6 ? String(format: "%.4g", x) : String(format: "%.3e", x)
        }
    }

    public var bounds: [Bound] = []

    public init() {}

    /// The keys, each `{max: Q}` or `{min: Q}` with a quantity of the figure's dimension.
    static let keys: [(key: String, dimension: Dimension?, unit: String, scale: Double, prior: Bool)] = [
        ("area", .area, " mm²", 1e6, true), ("peak_memory", .bytes, " B", 1, true),
        ("power", .power, " W", 1, false), ("latency", .time, " s", 1, false), ("energy", .energy, " J", 1, false),
        ("output_qsnr", nil, " dB", 1, false), ("weight_qsnr", nil, " dB", 1, false),
    ]

    init(_ value: YAMLValue) throws {
        let m = try value.mapping(allowedKeys: Self.keys.map(\.key))
        for (key, v) in m.values {
            let k = Self.keys.first { $0.key == key }!
            let limits = try v.mapping(allowedKeys: ["max", "min"])
            for (side, q) in limits.values {
                let x = try k.dimension.map { try q.quantity($0, allowZero: true) } ?? q.number(allowZero: true,
                                                                                               allowNegative: true)
                bounds.append(Bound(figure: key, limit: x * k.scale, isMaximum: side == "max", isPrior: k.prior,
                                    unit: k.unit))
            }
        }
    }

    /// The first bound among `prior` ones that `value(figure)` breaks, as a reason.
    func violation(prior: Bool, _ value: (String) -> Double?) -> String? {
        for b in bounds where b.isPrior == prior {
            if let reason = b.violation(value(b.figure)) { return reason }
        }
        return nil
    }
}
