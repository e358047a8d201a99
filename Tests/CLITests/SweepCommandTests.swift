import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The number of fields of a CSV line, quotes respected.
func fields(_ line: Substring) -> Int {
    var count = 1, quoted = false
    for c in line {
        if c == "\"" { quoted.toggle() } else if c == "," && !quoted { count += 1 }
    }
    return count
}

/// `lpsim sweep`: shards merged byte for byte, a terminal's progress bar, SIGINT, bad specifications.
@Suite(.serialized) struct SweepCommandTests {
    let small = "Tests/CLITests/Fixtures/sweep/small.yaml"

    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func shardsRunAsSeparateProcessesMergeToTheUnshardedBytes() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = try LPSimProcess.run(["sweep", small, "--output", dir.path + "/whole", "--quiet"])
        #expect(whole.status == 0, "\(whole.stderr)")
        // Three shards at once, as a job array would run them.
        let processes = try (0..<3).map { i -> Process in
            let p = Process()
            p.executableURL = LPSimProcess.executable
            p.arguments = ["sweep", small, "--shard", "\(i)/3", "--output", dir.path + "/s\(i)", "--quiet"]
            p.currentDirectoryURL = LPSimProcess.packageRoot
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let merged = try LPSimProcess.run(["sweep", "merge", dir.path + "/s2", dir.path + "/s0", dir.path + "/s1",
                                           "--output", dir.path + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/whole").sorted()
        #expect(files.contains("report.md") && files.contains("points.csv") && files.contains("points.jsonl"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/merged").sorted() == files)
        for f in files {
            let a = try Data(contentsOf: dir.appendingPathComponent("whole/" + f))
            let b = try Data(contentsOf: dir.appendingPathComponent("merged/" + f))
            #expect(a == b, "\(f) differs")
        }
        // Every point has a row; the pruned ones say why.
        let csv = try String(contentsOf: dir.appendingPathComponent("whole/points.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.count == 24)
        #expect(rows.contains { $0.contains(",pruned,area ") } && rows.contains { $0.contains(",ok,") })
        // A missing shard is refused.
        let partial = try LPSimProcess.run(["sweep", "merge", dir.path + "/s0", dir.path + "/s1",
                                            "--output", dir.path + "/bad"])
        #expect(partial.status != 0 && partial.stderr.contains("shard 2/3 is missing"))
        // A shard whose rows run short fails the merge, which then leaves no directory or partial file.
        try FileManager.default.copyItem(atPath: dir.path + "/s2", toPath: dir.path + "/short")
        try Data().write(to: dir.appendingPathComponent("short/points.jsonl"))
        let short = try LPSimProcess.run(["sweep", "merge", dir.path + "/s0", dir.path + "/s1", dir.path + "/short",
                                          "--output", dir.path + "/left"])
        #expect(short.status != 0 && short.stderr.contains("missing or out of place"), "\(short.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/left"))
    }

    @Test func aBadKeyPathIsAnErrorAtItsPosition() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("bad.yaml")
        let root = LPSimProcess.packageRoot.path
        try """
            hardware: \(root)/hardware/scale-sim-32x32.yaml
            axes:
              - systolic.rows: [8, 16]
              - systolic.colums: [8]
              - workload: [\(root)/workloads/resnet18-scalesim-layers.yaml]
            """.write(to: spec, atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["sweep", spec.path, "--output", dir.path + "/out"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.yaml:4:5: error"), "\(r.stderr)")
        #expect(r.stderr.contains("no key 'colums' in 'systolic'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
        try """
            hardware: \(root)/hardware/scale-sim-32x32.yaml
            axes:
              - systolic.dataflow: [os, wss]
              - workload: [\(root)/workloads/resnet18-scalesim-layers.yaml]
            """.write(to: spec, atomically: true, encoding: .utf8)
        let value = try LPSimProcess.run(["sweep", spec.path, "--output", dir.path + "/out"])
        #expect(value.status != 0 && value.stderr.contains("bad.yaml:3:29: error"), "\(value.stderr)")
    }

    @Test func anOverrideNoWorkloadTakesIsAWarningAtThePlan() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = LPSimProcess.packageRoot.path
        try """
            name: plan
            default: {weight: int8, input: int8, output: int8, accumulator: int32}
            overrides:
              - name: "layers.*.mlp.*"
                formats: {weight: int4}
            """.write(to: dir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        let spec = dir.appendingPathComponent("s.yaml")
        try """
            hardware: \(root)/hardware/scale-sim-32x32.yaml
            axes:
              - precision: [plan.yaml]
              - workload: [\(root)/workloads/resnet18-scalesim-layers.yaml]
            """.write(to: spec, atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["sweep", spec.path, "--output", dir.path + "/out", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = "plan.yaml:4:5: warning: overrides[0]: no op of workload 'resnet18-scalesim'"
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(r.stderr.contains("takes this override (name 'layers.*.mlp.*')"), "\(r.stderr)")
    }

    /// Runs a long sweep with standard error on a pseudo-terminal, waits for the
    /// bar, sends SIGINT, and checks the rows written are whole and the exit is non-zero.
    @Test func progressOnATerminalAndACleanStopOnSIGINT() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var master: Int32 = 0, slave: Int32 = 0
        #expect(openpty(&master, &slave, nil, nil, nil) == 0)
        let p = Process()
        p.executableURL = LPSimProcess.executable
        p.arguments = ["sweep", "Tests/CLITests/Fixtures/sweep/long.yaml", "--output", dir.path + "/out"]
        p.currentDirectoryURL = LPSimProcess.packageRoot
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        p.standardError = tty
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(120)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline && !seen.contains("points/s") {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 200) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { seen += String(decoding: buffer[0..<n], as: UTF8.self) }
            }
        }
        #expect(seen.contains("\r[") && seen.contains("ETA"), "no progress bar: \(seen)")
        p.interrupt()
        while p.isRunning {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { seen += String(decoding: buffer[0..<n], as: UTF8.self) }
            }
        }
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&fds, 1, 200) > 0, case let n = read(master, &buffer, buffer.count), n > 0 {
            seen += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        close(master)
        #expect(p.terminationStatus == 130)
        #expect(seen.contains("interrupted:"), "\(seen)")
        let csv = try Data(contentsOf: dir.appendingPathComponent("out/points.csv"))
        #expect(csv.last == UInt8(ascii: "\n"))
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        let width = fields(lines[0])
        #expect(lines.count > 1 && lines.count < 1_200_001)
        for (i, line) in lines.dropFirst().enumerated() {
            #expect(line.hasPrefix("\(i),"))
            #expect(fields(line) == width)
        }
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/sweep.json"), encoding: .utf8)
        #expect(manifest.contains("\"complete\": false") && manifest.contains("\"rows\": \(lines.count - 1)"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out/report.md"))
    }
}
