import Benchmark
import Foundation
import Workload

/// Loading and validating a 1,000,000-op JSON Lines trace (about 70 MB),
/// streamed op by op: ops per second = 1 M / wall time. Peak resident
/// memory shows that the file is never held whole.
let opCount = 1_000_000

let traceFile: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-bench-1M.jsonl").path
    if !FileManager.default.fileExists(atPath: path) {
        var text = "{\"lpsim_trace\": 1, \"name\": \"1M ops\"}\n"
        text.reserveCapacity(opCount * 80)
        for i in 0..<opCount {
            switch i % 4 {
            case 0: text += "{\"name\": \"q\(i)\", \"kind\": \"gemm\", \"m\": \(i % 512 + 1), \"n\": 4096, \"k\": 4096}\n"
            case 1: text += "{\"kind\": \"conv2d\", \"c\": 64, \"h\": 56, \"w\": 56, \"k\": 64, \"r\": 3, \"s\": 3, \"padding\": 1}\n"
            case 2: text += "{\"kind\": \"attention_qk\", \"heads\": 32, \"kv_heads\": 8, \"seq_q\": 1, \"seq_kv\": \(i % 4096 + 1), \"head_dim\": 128}\n"
            default: text += "{\"kind\": \"elementwise\", \"elements\": \(i + 1), \"operands\": 2, \"formats\": {\"input\": \"bf16\"}}\n"
            }
        }
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
    return path
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                           timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)
    Benchmark("load and validate a 1M-op JSON Lines trace (streamed)") { benchmark in
        let file = traceFile
        benchmark.startMeasurement()
        var macs: Int64 = 0
        try TraceReader.stream(file, header: { _ in }) { op in macs &+= try op.counts().macs }
        benchmark.stopMeasurement()
        blackHole(macs)
    }
    // Issue 16: 10 MB of op names (20 000 names of 500 bytes, each ending in the
    // patterns' last letter, so no quick tail check rejects them) against 40
    // adversarial patterns that backtracking matchers take quadratic time on.
    Benchmark("glob: 10 MB of op names × 40 patterns '*a*a…*a*c*b'") { benchmark in
        let names = (0..<20_000).map { String(repeating: "a", count: 494) + String($0 + 100_000) + "b" }
        let patterns = (0..<40).map { GlobPattern(String(repeating: "*a", count: 20) + "*c\($0)*b") }
        benchmark.startMeasurement()
        var hits = 0
        for name in names { for p in patterns where p.matches(name) { hits += 1 } }
        benchmark.stopMeasurement()
        blackHole(hits)
    }
}
