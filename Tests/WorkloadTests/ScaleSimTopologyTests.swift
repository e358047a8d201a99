import Documents
import Foundation
import Testing
@testable import Workload

/// One topology file of SCALE-Sim's repository that SCALE-Sim's own parser accepts, with the MAC total it
/// computes (scripts/generate_scalesim_cycles.py --only topo).
struct ScaleSimTopology: Sendable, CustomStringConvertible {
    var file: String, gemm: Bool, layers: Int, macs: Int64
    var description: String { file }

    static let all: [ScaleSimTopology] = {
        let url = URL(fileURLWithPath: path("Tests/WorkloadTests/Fixtures/scalesim-topologies.json"))
        guard let data = try? Data(contentsOf: url),
              let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return rows.map {
            ScaleSimTopology(file: $0["file"] as! String, gemm: $0["gemm"] as! Bool, layers: $0["layers"] as! Int,
                             macs: ($0["macs"] as! NSNumber).int64Value)
        }
    }()
}

@Suite("SCALE-Sim topology files, read as SCALE-Sim reads them")
struct ScaleSimTopologyTests {
    static let directory = "Tests/WorkloadTests/Fixtures/scalesim-topologies/"

    @Test("the fixture lists the 102 files SCALE-Sim's parser accepts, CRLF and header variants among them")
    func coverage() throws {
        #expect(ScaleSimTopology.all.count == 102)
        var crlf = 0, headers = Set<String>()
        for t in ScaleSimTopology.all {
            let text = try String(contentsOfFile: path(Self.directory + t.file), encoding: .utf8)
            if text.contains("\r\n") { crlf += 1 }
            headers.insert(String(text.prefix { $0 != "\n" && $0 != "\r\n" }).lowercased())
        }
        #expect(crlf >= 5)
        #expect(headers.count >= 4)
    }

    @Test("every accepted file imports with SCALE-Sim's MAC total", arguments: ScaleSimTopology.all)
    func macs(topology t: ScaleSimTopology) throws {
        let file = path(Self.directory + t.file)
        let told = try ScaleSimImporter.load(file, gemm: t.gemm)
        let macs = try told.ops.reduce(Int64(0)) { $0 + (try $1.counts()).macs }
        #expect(macs == t.macs)
        // Without being told, the first row's width picks the same kind.
        let guessed = try TraceReader.load(file)
        #expect(guessed.ops.allSatisfy { ($0.kind == .gemm) == t.gemm })
    }

    func temporary(_ text: String, _ name: String = "t.csv") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-ss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("CRLF, a byte-order mark, any header, trailing empty cells and 2:4 sparsity are read")
    func variants() throws {
        let text = "\u{FEFF}L,M,N,K\r\ng1, 4, 8, 16,,\r\n\r\ng2,2,3,5,2:4,\r\n"
        let trace = try ScaleSimImporter.load(try temporary(text))
        #expect(trace.ops.count == 2)
        #expect(trace.ops[0].shape[.m] == 4 && trace.ops[0].shape[.n] == 8 && trace.ops[0].shape[.k] == 16 && !trace.ops[0].sparse24)
        #expect(trace.ops[1].sparse24)
        let other = try ScaleSimImporter.load(try temporary("L,M,N,K\ng, 4, 8, 16, 1:4,\n"))
        #expect(other.ops[0].structuredSparsity == StructuredSparsity(n: 1, m: 4) && !other.ops[0].sparse24)
        #expect(other.ops[0].weightSparsity?.description == "1:4")
        #expect(trace.ops[1].weightSparsity == StructuredSparsity(n: 2, m: 4) && trace.ops[0].weightSparsity == nil)
        let dense = try ScaleSimImporter.load(try temporary("L,M,N,K\ng, 4, 8, 16, 8:8,\n"))
        #expect(dense.ops[0].weightSparsity == nil)
    }

    @Test("a malformed row, a malformed sparsity and an empty file are positioned errors")
    func errors() throws {
        func message(_ text: String) throws -> String {
            do { _ = try TraceReader.load(try temporary(text)); return "" } catch let d as Diagnostic {
                return d.description
            }
        }
        #expect(try message("Layer, M, N, K,\ng, 4, x, 16,\n").contains("t.csv:2:7: error:"))
        #expect(try message("Layer, M, N, K,\ng, 4, 8, 16, 3:2,\n").contains("t.csv:2:14: error:"))
        #expect(try message("Layer, M, N, K,\r\n\r\n").contains("error: no layers"))
        #expect(try message("Layer, M, N, K,\ng, 4, 8,\n").contains("t.csv:2:1: error: expected 4 columns"))
    }
}
