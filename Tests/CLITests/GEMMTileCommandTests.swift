import Foundation
import Testing

/// `lpsim error --gemm-tile`: DeepSeek-V3's accumulation error (arXiv 2412.19437 §3.3.2) on the setup
/// pre-registered in docs/numerics-reproductions.md, run from the CLI.
@Suite("lpsim error --gemm-tile")
struct GEMMTileCommandTests {
    static let preRegistered = ["error", "--format", "fp8_e4m3", "--accumulator", "tc14", "--dot-length", "4096",
                                "--gemm-tile", "128", "--data-format", "bf16", "--json"]

    func maxOverRowRMS(_ args: [String]) throws -> Double {
        let r = try LPSimProcess.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(o["max_error_over_row_rms"] as? Double)
    }

    @Test("The pre-registered tile: max error over its row's RMS in [1%, 3%]; --promote-every 128 cuts it ≥ 15 dB")
    func deepSeek() throws {
        let plain = try maxOverRowRMS(Self.preRegistered)
        let fixed = try maxOverRowRMS(Self.preRegistered + ["--promote-every", "128"])
        #expect(plain >= 0.01 && plain <= 0.03, "\(plain)")
        #expect(20 * log10(plain / fixed) >= 15, "\(plain) → \(fixed)")
    }

    @Test("Bad --gemm-tile uses are errors", arguments: [
        ["--format", "fp8_e4m3", "--gemm-tile", "4"],
        ["--format", "int8", "--gemm-tile", "4", "--dot-length", "8"],
        ["--format", "fp8_e4m3", "--gemm-tile", "0", "--dot-length", "8"],
        ["--format", "fp8_e4m3", "--gemm-tile", "4", "--dot-length", "8", "--input-format", "fp8_e5m2"],
        ["--format", "fp8_e4m3", "--gemm-tile", "4", "--dot-length", "8", "--data-format", "mxfp8"],
        ["--format", "fp8_e4m3", "--data-format", "bf16"],
    ])
    func badInput(args: [String]) throws {
        let r = try LPSimProcess.run(["error"] + args)
        #expect(r.status != 0 && r.stderr.hasPrefix("lpsim: error: ") && r.stdout.isEmpty, "\(args): \(r.stderr)")
    }
}
