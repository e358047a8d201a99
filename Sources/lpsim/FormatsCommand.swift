import ArgumentParser
import Formats

/// `lpsim formats`: every built-in format and its properties.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the built-in number formats and their properties."
    )

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let rows = FormatCatalog.builtIns.map(FormatRow.init)
        if json {
            print(JSON.array(rows.map(\.json)).rendered())
        } else {
            print(TextTable(header: FormatRow.header, rows: rows.map(\.cells)).rendered())
        }
    }
}

/// The properties of one format, as a table row and as JSON.
struct FormatRow {
    let entry: FormatCatalog.Entry
    var element: AnyScalarFormat { entry.format.elementFormat }

    static let header = ["name", "aliases", "bits/elem", "family", "max", "min normal",
                         "min subnormal", "epsilon", "codes", "range (dB)", "inf/nan"]

    var family: String {
        switch entry.format {
        case .scalar(let f): return f.familyName
        case .block(let b): return "block: \(b.element.name) ×\(b.blockSize), scale \(b.scale.name)"
            + (b.hasTensorScale ? " + fp32 tensor" : "")
        }
    }

    var specials: String {
        switch (element.hasInfinity, element.hasNaN) {
        case (true, _): return "inf, nan"
        case (false, true): return "nan"
        case (false, false): return "-"
        }
    }

    var cells: [String] {
        [entry.name, entry.aliases.joined(separator: " "), compact(entry.format.bitsPerElement), family,
         compact(element.maxFinite), compact(element.minNormal), compact(element.minPositive),
         compact(element.epsilon), String(element.codePointCount),
         String(format1: element.dynamicRangeDecibels), specials]
    }

    var json: JSON {
        .object([
            ("name", .string(entry.name)),
            ("aliases", .array(entry.aliases.map(JSON.string))),
            ("bits_per_element", .number(entry.format.bitsPerElement)),
            ("element_bits", .number(Double(element.bitWidth))),
            ("family", .string(family)),
            ("max_finite", .number(element.maxFinite)),
            ("min_normal", .number(element.minNormal)),
            ("min_subnormal", .number(element.minPositive)),
            ("epsilon", .number(element.epsilon)),
            ("code_points", .number(Double(element.codePointCount))),
            ("dynamic_range_db", .number(element.dynamicRangeDecibels)),
            ("has_infinity", .bool(element.hasInfinity)),
            ("has_nan", .bool(element.hasNaN)),
            ("source", .string(entry.source)),
        ])
    }
}

/// A short decimal: integers without ".0", powers of two as 2^k when tiny or huge.
func compact(_ x: Double) -> String {
    if x == x.rounded() && x.magnitude < 1e7 { return String(Int64(x)) }
    if x.significand == 1 && (x.magnitude < 1e-3 || x.magnitude >= 1e7) { return "2^\(x.exponent)" }
    return shortest(x)
}

extension String {
    /// One decimal place, without Foundation's locale-dependent formatting.
    init(format1 x: Double) {
        let tenths = (x * 10).rounded()
        let whole = Int64(tenths / 10), frac = Int64(tenths.magnitude) % 10
        self = "\(whole).\(frac)"
    }
}
