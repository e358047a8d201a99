@testable import Formats

/// Looks up a scalar format that must exist.
func scalar(_ name: String) -> AnyScalarFormat {
    do { return try FormatCatalog.scalarFormat(named: name) } catch { fatalError("\(name): \(error)") }
}

/// Looks up a block format that must exist.
func block(_ name: String) -> BlockFormat {
    guard case .block(let b) = try? FormatCatalog.format(named: name) else { fatalError("\(name) is not a block format") }
    return b
}

extension AnyScalarFormat {
    func encode(_ x: Double, _ rounding: RoundingMode, _ overflow: OverflowRule = .ieee) -> UInt32 {
        encode(x, rounding: rounding, overflow: overflow, random: 0)
    }
}

/// Every built-in scalar format of at most 16 bits.
let smallScalarFormats: [AnyScalarFormat] = FormatCatalog.builtIns.compactMap {
    if case .scalar(let f) = $0.format, f.bitWidth <= 16 { return f }
    return nil
}
