import Foundation
import Testing

@Suite("lpsim dataflow")
struct DataflowCommandTests {
    static func run(_ arguments: [String]) throws -> LPSimProcess.Result {
        try LPSimProcess.run(["dataflow"] + arguments, in: LPSimProcess.packageRoot)
    }

    @Test("FINN's SFC on the ZC706: JSON with the rate, latency and per-layer resources")
    func sfc() throws {
        let r = try Self.run(["--hardware", "hardware/xilinx-zc706.yaml", "--workload", "workloads/finn/sfc.yaml",
                              "--precision", "workloads/plans/binary.yaml", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rate = try #require(json["inferences_per_s"] as? Double)
        let clock = try #require(json["clock_hz"] as? Double), ii = try #require(json["max_ii_cycles"] as? Double)
        #expect(rate == clock / ii)
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(layers.count == 4)
        #expect(layers.allSatisfy { ($0["multipliers"] as? String) == "xnor" })
    }

    @Test("a rate the budget cannot reach is refused, naming the fastest that fits")
    func unreachable() throws {
        let r = try Self.run(["--hardware", "hardware/xilinx-zc706.yaml", "--workload", "workloads/finn/sfc.yaml",
                              "--precision", "workloads/plans/binary.yaml", "--target-rate", "1e9"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("error:") && r.stderr.contains("the fastest design that fits"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a target rate gives the cheapest design reaching it")
    func target() throws {
        let fast = try Self.run(["--hardware", "hardware/xilinx-zc706.yaml", "--workload", "workloads/finn/sfc.yaml",
                                 "--precision", "workloads/plans/binary.yaml", "--json"])
        let slow = try Self.run(["--hardware", "hardware/xilinx-zc706.yaml", "--workload", "workloads/finn/sfc.yaml",
                                 "--precision", "workloads/plans/binary.yaml", "--target-rate", "1e6", "--json"])
        #expect(slow.status == 0, "\(slow.stderr)")
        func luts(_ text: String) throws -> Double {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return try #require((json["resources"] as? [String: Any])?["lut"] as? Double)
        }
        #expect(try luts(slow.stdout) < luts(fast.stdout))
    }

    @Test("a device of another family is refused")
    func notFPGA() throws {
        let r = try Self.run(["--hardware", "hardware/hexagon-hvx-like.yaml", "--workload", "workloads/finn/sfc.yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("error: a dataflow design needs an fpga device"), "\(r.stderr)")
    }
}
