import Foundation
import Testing

@Suite("lpsim error and lpsim units")
struct ArithmeticCommandTests {
    func qsnr(_ format: String, crest: Double) throws -> Double {
        let r = try LPSimProcess.run(["error", "--format", format, "--crest-factor", "\(crest)", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let quantization = object?["quantization"] as? [String: Any]
        return try #require(quantization?["qsnr_db"] as? Double)
    }

    @Test("the INT-vs-FP crossover: INT8 wins at low crest factor, FP8 at high (arXiv 2510.25602)")
    func crossover() throws {
        #expect(try qsnr("int8", crest: 4) > qsnr("fp8_e4m3", crest: 4))
        #expect(try qsnr("int8", crest: 32) < qsnr("fp8_e4m3", crest: 32))
        #expect(try qsnr("int4", crest: 4) < qsnr("int8", crest: 4))
    }

    @Test("the same seed gives the same output; dot products through L-Mul and a truncating accumulator")
    func deterministic() throws {
        let args = ["error", "--format", "fp8_e4m3", "--samples", "8192", "--dot-length", "1024",
                    "--multiplier", "lmul", "--accumulator", "tc14", "--promote-every", "128", "--seed", "9"]
        let a = try LPSimProcess.run(args), b = try LPSimProcess.run(args)
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(a.stdout.contains("dot product (K=1024)"))
    }

    @Test("bad arguments are clear errors")
    func bad() throws {
        for args in [["error", "--format", "fp8_e4m3", "--distribution", "cauchy"],
                     ["error", "--format", "fp8_e4m3", "--distribution", "student-t:2"],
                     ["error", "--format", "fp8_e4m3", "--crest-factor", "500"],
                     ["error", "--format", "fp8_e4m3", "--samples", "0"],
                     ["error", "--format", "int8", "--dot-length", "64", "--multiplier", "lmul"],
                     ["error", "--format", "nope"],
                     ["units", "--format", "fp8_e4m3", "--node=-3"],
                     ["units", "--format", "fp8_e4m3", "--voltage", "nan"]] {
            let r = try LPSimProcess.run(args)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains("error"), "\(args): \(r.stderr)")
        }
    }

    @Test("units prints the MAC building blocks with costs that scale with the node")
    func units() throws {
        func energy(_ node: String) throws -> Double {
            let r = try LPSimProcess.run(["units", "--format", "fp8_e4m3", "--node", node, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let units = object?["units"] as? [[String: Any]]
            return try #require(units?.first { $0["unit"] as? String == "e4m3 multiplier" }?["energy_pj"] as? Double)
        }
        #expect(try energy("7") < energy("45"))
        let table = try LPSimProcess.run(["units", "--format", "mxfp4"])
        #expect(table.stdout.contains("E8M0 scale") && table.stdout.contains("L-Mul"))
    }
}
