import Foundation
import Testing

@Suite("lpsim convert")
struct ConvertCommandTests {
    /// Every format in the ml_dtypes fixture (scripts/generate_ml_dtypes_fixtures.py).
    static let fixtureFormats = ["bf16", "fp16", "fp8_e4m3", "fp8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
                                 "fp6_e2m3", "fp6_e3m2", "fp4_e2m1", "e8m0", "e3m4"]

    @Test("agrees bit for bit with ml_dtypes' float32 conversion", arguments: fixtureFormats)
    func mlDtypes(format: String) throws {
        let url = LPSimProcess.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/ml_dtypes/\(format).bin")
        let data = try Data(contentsOf: url)
        #expect(data.count % 6 == 0 && data.count > 0)
        var inputs: [UInt32] = [], expected: [UInt32] = []
        data.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 6) {
                inputs.append(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                expected.append(UInt32(raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self).littleEndian))
            }
        }
        // Hex floats carry float32 values exactly; NaN is spelled "nan".
        let lines = inputs.map { bits -> String in
            let x = Float(bitPattern: bits)
            return x.isNaN ? "nan" : hexFloat(Double(x))
        }
        let result = try LPSimProcess.run(["convert", "--format", format], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == inputs.count)
        var mismatches = 0, knownDeviations = 0
        for (i, row) in rows.enumerated() {
            let fields = row.split(separator: ",")
            guard fields.count == 3, let bits = UInt32(fields[1].dropFirst(2), radix: 16) else {
                Issue.record("bad row \(row)"); return
            }
            if bits != expected[i] {
                // ml_dtypes 0.6 rounds float32-subnormal inputs in (2^-127, 1.5·2^-127)
                // up to 2^-126 in E8M0, although 2^-127 is nearer; lpsim rounds exactly.
                let x = Double(Float(bitPattern: inputs[i]))
                if format == "e8m0", Float(bitPattern: inputs[i]).isSubnormal, x < 0x1.8p-127, bits == 0 {
                    knownDeviations += 1
                    continue
                }
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(format): \(lines[i]) gives \(fields[1]), ml_dtypes 0x\(String(expected[i], radix: 16))") }
            }
        }
        #expect(mismatches == 0)
        #expect(knownDeviations <= 1)
    }

    @Test("CSV shape: header, padded hex, shortest round-trip value")
    func csvShape() throws {
        let r = try LPSimProcess.run(["convert", "--format", "bf16"], input: "0.1\n-inf\n0x1.8p-3\nnan\n\n# comment\n1e-45\n")
        #expect(r.status == 0)
        #expect(r.stdout == """
            input,bits,value
            0.1,0x3dcd,0.10009765625
            -inf,0xff80,-inf
            0x1.8p-3,0x3e40,0.1875
            nan,0x7fc0,nan
            1e-45,0x0000,0.0

            """)
        let int4 = try LPSimProcess.run(["convert", "--format", "int4"], input: "-3\n7.6\n")
        #expect(int4.stdout == "input,bits,value\n-3,0xd,-3.0\n7.6,0x7,7.0\n")
    }

    @Test("rounding, overflow and seeded stochastic rounding options")
    func options() throws {
        let up = try LPSimProcess.run(["convert", "--format", "fp8_e4m3", "--rounding", "up"], input: "1e-30\n")
        #expect(up.stdout.contains("1e-30,0x01,0.001953125"))
        let sat = try LPSimProcess.run(["convert", "--format", "fp8_e5m2", "--overflow", "saturate"], input: "1e9\ninf\n")
        #expect(sat.stdout == "input,bits,value\n1e9,0x7b,57344.0\ninf,0x7b,57344.0\n")
        let input = String(repeating: "1.0625\n", count: 64)
        let a = try LPSimProcess.run(["convert", "--format", "e4m3", "--rounding", "stochastic", "--seed", "3"], input: input)
        let b = try LPSimProcess.run(["convert", "--format", "e4m3", "--rounding", "stochastic", "--seed", "3"], input: input)
        let c = try LPSimProcess.run(["convert", "--format", "e4m3", "--rounding", "stochastic", "--seed", "4"], input: input)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
        #expect(a.stdout.contains("0x38") && a.stdout.contains("0x39"))
    }

    @Test("block formats print block, scale bits and scaled values")
    func blocks() throws {
        let input = (0..<33).map { String($0) }.joined(separator: "\n")
        let r = try LPSimProcess.run(["convert", "--format", "mxfp4"], input: input)
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n")
        #expect(rows[0] == "input,block,scale_bits,bits,value")
        #expect(rows.count == 34)
        // Block 0: amax 31 → ⌊log2⌋ 4 − 2 → X = 4 (E8M0 0x81); 31/4 = 7.75 saturates to 6 → 24.
        #expect(rows[32] == "31,0,0x81,0x7,24.0")
        #expect(rows[33] == "32,1,0x82,0x6,32.0")
    }

    @Test("bad input: a clear message, a non-zero exit, no output")
    func badInput() throws {
        let malformed = try LPSimProcess.run(["convert", "--format", "fp8_e4m3"], input: "1\n2\n  1.5x\n")
        #expect(malformed.status != 0)
        #expect(malformed.stdout.isEmpty)
        #expect(malformed.stderr.hasPrefix("<stdin>:3:3: error: malformed number '1.5x'"))
        let extra = try LPSimProcess.run(["convert", "--format", "fp8_e4m3"], input: "1 2\n")
        #expect(extra.stderr.hasPrefix("<stdin>:1:3: error:"))
        let unknown = try LPSimProcess.run(["convert", "--format", "fp8_e4m4"], input: "1\n")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown format 'fp8_e4m4'; did you mean"))
        #expect(unknown.stderr.contains("fp8_e4m3"))
        let rounding = try LPSimProcess.run(["convert", "--format", "fp16", "--rounding", "sideways"], input: "1\n")
        #expect(rounding.status != 0)
        #expect(rounding.stderr.contains("sideways"))
        let missing = try LPSimProcess.run(["convert", "--format", "fp16", "--input", "/nonexistent/numbers.txt"])
        #expect(missing.status != 0)
        #expect(missing.stderr.hasPrefix("/nonexistent/numbers.txt: error:"))
        let directory = try LPSimProcess.run(["convert", "--format", "fp16", "--input", "/tmp"])
        #expect(directory.status != 0)
        let binary = try LPSimProcess.run(["convert", "--format", "fp16"], input: "1\n\u{FFFF}\u{0}abc\n")
        #expect(binary.status != 0)
        #expect(binary.stderr.contains("<stdin>:2:"))
        let badParameters = try LPSimProcess.run(["convert", "--format", "e9m3"], input: "1\n")
        #expect(badParameters.status != 0)
        #expect(badParameters.stderr.contains("exponent bits must be 1…8"))
    }
}

@Suite("lpsim formats")
struct FormatsCommandTests {
    @Test("the table lists every named format of the brief")
    func table() throws {
        let r = try LPSimProcess.run(["formats"])
        #expect(r.status == 0)
        for name in ["fp32", "tf32", "bf16", "fp16", "fp8_e4m3", "fp8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
                     "fp6_e2m3", "fp6_e3m2", "fp4_e2m1", "e8m0", "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3",
                     "mxfp6_e3m2", "mxfp4", "mxint8", "nvfp4", "int4_g128", "bipolar2", "fixed<16,8>"] {
            #expect(r.stdout.contains(name), "\(name)")
        }
    }

    @Test("--json is valid JSON with each format's properties")
    func json() throws {
        let r = try LPSimProcess.run(["formats", "--json"])
        #expect(r.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        let e4m3 = parsed?.first { $0["name"] as? String == "fp8_e4m3" }
        #expect(e4m3?["max_finite"] as? Double == 448)
        #expect(e4m3?["min_subnormal"] as? Double == 0.001953125)
        let mxfp4 = parsed?.first { $0["name"] as? String == "mxfp4" }
        #expect(mxfp4?["bits_per_element"] as? Double == 4.25)
    }

    @Test("unknown options are rejected without a crash")
    func badOption() throws {
        let r = try LPSimProcess.run(["formats", "--yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--yaml"))
    }
}

/// A float written exactly as a C99 hex float.
func hexFloat(_ x: Double) -> String {
    if x == 0 { return x.sign == .minus ? "-0x0p+0" : "0x0p+0" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    let sign = x < 0 ? "-" : ""
    let mantissa = x.magnitude.significandBitPattern
    let exponent = Int(x.magnitude.exponent)
    var digits = String(mantissa, radix: 16)
    digits = String(repeating: "0", count: 13 - digits.count) + digits   // 52 bits = 13 hex digits
    return x.magnitude.isSubnormal ? "\(sign)0x0.\(digits)p-1022" : "\(sign)0x1.\(digits)p\(exponent)"
}
