@testable import Documents
import Foundation
import Testing
import Workload
@testable import Simulator

@Suite("Streaming replay")
struct StreamingReplayTests {
    @Test("a replay that keeps no results sums, bit for bit, what the held result sums",
          arguments: [("llama-2-7b-decode-2048.yaml", "nvidia-h100-sxm5.yaml", "w4a16"),
                      ("resnet50.yaml", "scale-sim-32x32.yaml", "int8"),
                      ("mobilenet_v2.yaml", "xilinx-zcu104-dpu.yaml", "int8"),
                      ("gemm-sweep.jsonl", "tpu-v1-like.yaml", "int8")])
    func totalsEqualHeld(file: String, hardware: String, precision: String) throws {
        let simulator = Simulator(hardware: try device(hardware), plan: try plan(precision))
        let path = root.appendingPathComponent("workloads/\(file)").path
        let held = try simulator.run(try TraceReader.load(path), traceFile: path)
        var replay = Simulator.Replay(simulator, traceFile: path, keepingResults: false)
        var returned: [OpResult] = []
        try TraceReader.stream(path, header: { _ in }, op: { returned.append(try replay.add($0)) })
        let t = replay.totals, summary = replay.summary(workload: held.workload)
        #expect(summary.ops.isEmpty && replay.result(workload: "").ops.isEmpty)
        #expect(t.ops == held.ops.count && t.ops > 0)
        #expect(returned.map(\.seconds) == held.ops.map(\.seconds) && returned.map(\.name) == held.ops.map(\.name))
        #expect(t.cycles.bitPattern == held.cycles.bitPattern && t.seconds.bitPattern == held.seconds.bitPattern)
        #expect(t.macs.bitPattern == held.macs.bitPattern && t.offChipBytes.bitPattern == held.offChipBytes.bitPattern)
        #expect(t.energy == held.energy && t.access == held.access)
        #expect(t.cyclesInclPrefetch == held.ops.reduce(0) { $0 + ($1.access?.cyclesInclPrefetch ?? $1.cycles) })
        #expect(summary.areaSquareMillimetres == held.areaSquareMillimetres && summary.notes == held.notes)
        #expect(summary.mappingNames == held.mappingNames && summary.assignments == held.assignments)
        #expect(returned.map { replay.formats(of: $0) } == held.ops.map { held.formats(of: $0) })
        #expect((t.access != nil) == ["scale-sim-32x32.yaml", "tpu-v1-like.yaml"].contains(hardware))   // systolic arrays
    }
}

@Suite("SpillFile")
struct SpillFileTests {
    @Test("values and strings read back in order across buffer boundaries; no name is left in $TMPDIR")
    func roundTrip() throws {
        let file = try SpillFile(purpose: "test")
        // Unlinked as soon as made: no link count (a listing of $TMPDIR would race with the other tests' files).
        var status = stat()
        #expect(fstat(file.fd, &status) == 0 && status.st_nlink == 0)
        let long = String(repeating: "é", count: 1 << 20)   // 2 MiB of UTF-8: longer than the buffer
        for i in 0..<200_000 {
            file.append(UInt64(i))
            file.append(Double(i) * 0.1)
            file.append("op\(i)")
            if i == 99_999 { file.append(long) }
        }
        file.append(SIMD4<Int32>(1, -2, 3, .max))
        try file.rewind()
        var ok = true
        for i in 0..<200_000 {
            ok = ok && file.read(UInt64.self) == UInt64(i) && file.read(Double.self) == Double(i) * 0.1
                && file.readString() == "op\(i)"
            if i == 99_999 { ok = ok && file.readString() == long }
        }
        #expect(ok)
        #expect(file.read(SIMD4<Int32>.self) == SIMD4<Int32>(1, -2, 3, .max))
        try file.check()
        // Past the end: zeros and an error, never a trap.
        #expect(file.read(UInt64.self) == 0)
        #expect(throws: Diagnostic.self) { try file.check() }
    }
}
