import Foundation
import Testing

/// `describe` prices a MAC as `simulate` charges it: the datapath's MAC plus the device's per-MAC
/// overhead (an FPGA's from its resources), so its power at full load is the power a run draws.
@Suite("describe charges a MAC as simulate does")
struct DescribeChargeTests {
    static func json(_ args: [String]) throws -> [String: Any] {
        let r = try LPSimProcess.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("charged_mac_energy_pj equals a 4096³ GEMM's compute energy per MAC", arguments: [
        ("nvidia-h100-sxm5.yaml", "bf16", "bf16"), ("nvidia-b200.yaml", "fp8", "fp8_e4m3"),
        ("xilinx-zc706.yaml", "int8", "int8"),
    ])
    func charged(_ file: String, _ plan: String, _ format: String) throws {
        let root = LPSimProcess.packageRoot.path
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("dc-\(UUID().uuidString).yaml")
        try "ops:\n  - {kind: gemm, m: 4096, n: 4096, k: 4096}\n".write(to: trace, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: trace) }
        let run = try Self.json(["simulate", "--hardware", "\(root)/hardware/\(file)", "--workload", trace.path,
                                 "--precision", plan, "--json"])
        let totals = try #require(run["totals"] as? [String: Any])
        let breakdown = try #require(totals["energy_breakdown_j"] as? [String: Double])
        let perMAC = try #require(breakdown["compute"]) / (try #require(totals["macs"] as? Double)) * 1e12
        let described = try Self.json(["describe", "\(root)/hardware/\(file)", "--json"])
        let rows = try #require(described["datapath"] as? [[String: Any]])
        let row = try #require(rows.first { $0["format"] as? String == format })
        let charged = try #require(row["charged_mac_energy_pj"] as? Double)
        #expect(abs(charged / perMAC - 1) < 1e-9, "\(file) \(format): describe \(charged) pJ, simulate \(perMAC) pJ")
    }
}
