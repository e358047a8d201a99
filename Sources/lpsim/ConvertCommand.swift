import ArgumentParser
import Documents
import Formats

extension RoundingMode: ExpressibleByArgument {}
extension OverflowRule: ExpressibleByArgument {}

/// `lpsim convert`: encode numbers, one per line, into a format.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Encode numbers (one per line) into a format and print input, bits and value as CSV.",
        discussion: """
            Numbers are decimal (1.5, -2e-3), hexadecimal floating point (0x1.8p-3), \
            inf, -inf or nan; blank lines and lines starting with '#' are skipped. \
            Block formats group the lines, in order, into blocks and print \
            input,block,scale_bits,bits,value, where value includes every scale.
            """
    )

    @Option(name: .long, help: "The format's name (see 'lpsim formats').")
    var format: String

    @Option(name: .long, help: "Rounding mode: \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var rounding: RoundingMode = .nearestEven

    @Option(name: .long, help: "Seed for stochastic rounding.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Overflow: ieee (to inf, else NaN, else ±max) or saturate (to ±max).")
    var overflow: OverflowRule = .ieee

    @Option(name: .long, help: "Read numbers from this file instead of standard input.")
    var input: String?

    func run() throws {
        try reportingErrors {
            let target = try lookUpFormat(format)
            let text = try InputText(path: input)
            let numbers = try parseNumbers(text)
            let csv: String
            switch target {
            case .scalar(let f): csv = scalarTable(f, numbers)
            case .block(let f): csv = blockTable(f, numbers)
            }
            print(csv, terminator: "")
        }
    }

    /// The numbers of the input with their original spelling.
    func parseNumbers(_ text: InputText) throws -> [(token: Substring, value: Double)] {
        var numbers: [(Substring, Double)] = []
        for (number, line) in text.lines {
            let leading = line.prefix { $0 == " " || $0 == "\t" }
            let token = line.dropFirst(leading.count).prefix { $0 != " " && $0 != "\t" }
            if token.isEmpty || token.first == "#" { continue }
            let trailing = line.dropFirst(leading.count + token.count)
            guard let value = Double(String(token)) else {
                throw Diagnostic(file: text.displayName, line: number, column: leading.count + 1,
                                   message: "malformed number '\(token)': expected a decimal, a hex float such as 0x1.8p-3, inf, -inf or nan")
            }
            if let extra = trailing.firstIndex(where: { $0 != " " && $0 != "\t" }) {
                let column = line.distance(from: line.startIndex, to: extra) + 1
                throw Diagnostic(file: text.displayName, line: number, column: column,
                                   message: "unexpected text after the number: one number per line")
            }
            numbers.append((token, value))
        }
        return numbers
    }

    func scalarTable(_ f: AnyScalarFormat, _ numbers: [(token: Substring, value: Double)]) -> String {
        var rng = SplitMix64(seed: seed)
        var out = "input,bits,value\n"
        for (token, x) in numbers {
            let code = f.encode(x, rounding: rounding, overflow: overflow,
                                random: rounding == .stochastic ? rng.next() : 0)
            out += "\(token),\(hex(code, digits: f.hexDigits)),\(shortest(f.decode(code)))\n"
        }
        return out
    }

    func blockTable(_ f: BlockFormat, _ numbers: [(token: Substring, value: Double)]) -> String {
        let encoding = f.encode(numbers.map(\.value), rounding: rounding, seed: seed)
        if f.hasTensorScale {
            var stderr = StandardError()
            print("note: \(f.name) tensor scale = \(shortest(encoding.tensorScale)) (included in value)", to: &stderr)
        }
        var out = "input,block,scale_bits,bits,value\n"
        for (i, (token, _)) in numbers.enumerated() {
            let block = i / f.blockSize
            let scaleCode = encoding.scaleCodes[block], code = encoding.elementCodes[i]
            let value = f.value(code: code, scaleCode: scaleCode, tensorScale: encoding.tensorScale)
            out += "\(token),\(block),\(hex(scaleCode, digits: f.scale.hexDigits)),"
                + "\(hex(code, digits: f.element.hexDigits)),\(shortest(value))\n"
        }
        return out
    }
}

/// `0x`-prefixed lowercase hex, zero-padded to `digits`.
func hex(_ code: UInt32, digits: Int) -> String {
    let s = String(code, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// The shortest decimal that round-trips a Double, or inf, -inf, nan.
func shortest(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    return x.description
}
