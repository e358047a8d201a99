/// Physical dimensions a hardware file may give a quantity in.
public enum Dimension: String, Sendable, CaseIterable {
    case frequency, bandwidth, bytes, energy, power, time, length, voltage, area, energyPerByte

    /// Accepted units and their factor to the SI base (Hz, B/s, B, J, W, s, m, V, m², J/B).
    /// Decimal prefixes are powers of 10, binary ones (KiB, MiB, GiB, TiB) of 2.
    public var units: [(String, Double)] {
        switch self {
        case .frequency: return [("Hz", 1), ("kHz", 1e3), ("MHz", 1e6), ("GHz", 1e9)]
        case .bandwidth:
            return [("B/s", 1), ("kB/s", 1e3), ("MB/s", 1e6), ("GB/s", 1e9), ("TB/s", 1e12),
                    ("KiB/s", 1024), ("MiB/s", 0x1p20), ("GiB/s", 0x1p30), ("TiB/s", 0x1p40)]
        case .bytes:
            return [("B", 1), ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
                    ("KiB", 1024), ("MiB", 0x1p20), ("GiB", 0x1p30), ("TiB", 0x1p40),
                    ("bit", 0.125), ("Kib", 128), ("Mib", 0x1p17), ("Gib", 0x1p27)]
        case .energy: return [("J", 1), ("mJ", 1e-3), ("uJ", 1e-6), ("µJ", 1e-6), ("nJ", 1e-9), ("pJ", 1e-12), ("fJ", 1e-15)]
        case .power: return [("W", 1), ("mW", 1e-3), ("uW", 1e-6), ("µW", 1e-6), ("kW", 1e3)]
        case .time: return [("s", 1), ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("ps", 1e-12)]
        case .length: return [("m", 1), ("mm", 1e-3), ("um", 1e-6), ("µm", 1e-6), ("nm", 1e-9)]
        case .voltage: return [("V", 1), ("mV", 1e-3)]
        case .area: return [("m2", 1), ("mm2", 1e-6), ("mm²", 1e-6), ("um2", 1e-12), ("µm2", 1e-12), ("µm²", 1e-12), ("um²", 1e-12)]
        case .energyPerByte: return [("J/B", 1), ("pJ/B", 1e-12), ("fJ/B", 1e-15), ("nJ/B", 1e-9), ("pJ/bit", 8e-12)]
        }
    }

    /// An example for error messages.
    public var example: String {
        switch self {
        case .frequency: return "'1.98 GHz'"
        case .bandwidth: return "'3.35 TB/s'"
        case .bytes: return "'50 MiB'"
        case .energy: return "'0.2 pJ'"
        case .power: return "'700 W'"
        case .time: return "'4 us'"
        case .length: return "'7 nm'"
        case .voltage: return "'0.9 V'"
        case .area: return "'826 mm2'"
        case .energyPerByte: return "'7 pJ/B'"
        }
    }
}

/// Parses "3.35 TB/s" into 3.35e12 (SI base units). Strict: a finite number,
/// one space or none, then exactly one of the dimension's units.
///
/// - Returns: the value in base units, or an explanation of what is wrong.
public func parseQuantity(_ text: String, as dimension: Dimension) -> Result<Double, QuantityError> {
    let trimmed = text.trimmingCharacters(in: " ")
    let numberPart = trimmed.prefix { "0123456789.+-eE".contains($0) }
    var unit = String(trimmed.dropFirst(numberPart.count))
    if unit.hasPrefix(" ") { unit.removeFirst() }
    // An 'e' followed by a letter belongs to no number ("5 eV" is not ours anyway).
    // The number is spelled as every reader spells reals (NumberGrammar); 1e400 is beyond a double, not inf.
    let value: Double
    switch NumberGrammar.real(String(numberPart)) {
    case .value(let v) where !numberPart.isEmpty: value = v
    case .outOfRange:
        return .failure(QuantityError(message: "the number in \(quotedToken(text)) is beyond the range of a double"))
    default:
        return .failure(QuantityError(message: "expected a \(dimension.rawValue) such as \(dimension.example), got \(quotedToken(text))"))
    }
    guard let factor = dimension.units.first(where: { $0.0 == unit })?.1 else {
        let names = dimension.units.map(\.0)
        let hint = unit.isEmpty ? "a unit is required" : "unknown unit \(quotedToken(unit))"
        return .failure(QuantityError(message: "\(hint) for a \(dimension.rawValue); expected one of \(names.joined(separator: ", ")) (e.g. \(dimension.example))"))
    }
    return .success(value * factor)
}

public struct QuantityError: Error, Sendable {
    public var message: String
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
