import Documents
import Foundation
import Simulator
import Testing
@testable import Hardware

@Suite("SCALE-Sim .cfg files as hardware")
struct ScaleSimConfigTests {
    func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/HardwareTests/Fixtures/\(name)").path
    }

    func temporary(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Loading `text` as a `.cfg` fails with a Diagnostic whose text contains `expected`.
    func expectError(_ text: String, _ expected: String) throws {
        do {
            _ = try HardwareLoader.load(try temporary(text, "t.cfg"))
            Issue.record("accepted")
        } catch let d as Diagnostic {
            #expect(d.description.contains(expected), "\(d.description)")
        }
    }

    @Test("scale.cfg: 32×32 ws, 64 KiB buffers, CALC mode")
    func scaleCfg() throws {
        let m = try HardwareLoader.load(fixture("scale.cfg"))
        let s = try #require(m.spec as? SystolicFamily)
        #expect(s.rows == 32 && s.columns == 32 && s.dataflow == .ws)
        #expect(s.ifmapBufferBytes == 65536 && s.filterBufferBytes == 65536 && s.ofmapBufferBytes == 65536)
        #expect(s.dram?.mode == .calc)
        #expect(m.technology.nodeNanometres == 45 && m.clockHertz == 1e9)
    }

    @Test("google.cfg: 256×256 os, USER mode with each operand's bandwidth")
    func googleCfg() throws {
        let m = try HardwareLoader.load(fixture("google.cfg"))
        let s = try #require(m.spec as? SystolicFamily)
        #expect(s.rows == 256 && s.dataflow == .os && s.ifmapBufferBytes == 6144 * 1024)
        #expect(s.dram == SystolicFamily.DRAMChannels(mode: .user, ifmap: 10e9, filter: 10e9, ofmap: 10e9))
    }

    @Test("a YAML file extending a .cfg changes its stated defaults")
    func overlay() throws {
        let dir = (fixture("scale.cfg") as NSString).deletingLastPathComponent
        let overlay = "extends: \(dir)/scale.cfg\nclock: 700 MHz\ntechnology:\n  node: 7 nm\n"
        let file = try temporary(overlay, "overlay.yaml")
        let m = try HardwareLoader.load(file)
        #expect(m.clockHertz == 700e6 && m.technology.nodeNanometres == 7)
        let s = try #require(m.spec as? SystolicFamily)
        #expect(s.rows == 32 && s.dataflow == .ws)
    }

    @Test("bad .cfg files are errors at the line and column", arguments: [
        ("[general]\nrun_name = x\n[architecture_presets]\nArrayHeight: 0\n", "t.cfg:4:14: error:"),
        ("[general]\nrun_name = x\n[architecture_presets]\nArrayHeigth: 8\n",
         "t.cfg:4:1: error: architecture_presets: unknown key 'arrayheigth'"),
        ("[generl]\n", "t.cfg:1:2: error: unknown section 'generl'"),
        ("ArrayHeight: 8\n", "t.cfg:1:1: error: 'arrayheight' before any [section]"),
        // configparser (strict, SCALE-Sim's default) refuses repeats; lpsim kept the first value.
        ("[architecture_presets]\nBandwidth: 4\nbandwidth = 8\n",
         "t.cfg:3:1: error: architecture_presets.bandwidth: duplicate key 'bandwidth' in [architecture_presets], "
            + "first set at line 2"),
        ("[general]\nrun_name = x\n[general]\n", "t.cfg:3:2: error: duplicate section '[general]'"),
    ])
    func errors(text: String, expected: String) throws {
        try expectError(text, expected)
    }

    @Test("SparsitySupport becomes systolic.structured_sparsity (SCALE-Sim's `.lower() == 'true'`)")
    func sparsitySupport() throws {
        let text = try String(contentsOfFile: fixture("scale.cfg"), encoding: .utf8)
        let off = try #require(try HardwareLoader.load(fixture("scale.cfg")).spec as? SystolicFamily)
        #expect(!off.structuredSparsity)
        let onText = text.replacingOccurrences(of: "SparsitySupport : false", with: "SparsitySupport : TRUE")
        try #require(onText != text)
        let on = try #require(try HardwareLoader.load(try temporary(onText, "t.cfg")).spec as? SystolicFamily)
        #expect(on.structuredSparsity)
        // configparser's other true words are not 'true' to SCALE-Sim's comparison: its run stays dense.
        for word in ["yes", "1", "on"] {
            let other = text.replacingOccurrences(of: "SparsitySupport : false", with: "SparsitySupport : \(word)")
            let spec = try #require(try HardwareLoader.load(try temporary(other, "t.cfg")).spec as? SystolicFamily)
            #expect(!spec.structuredSparsity, "SparsitySupport : \(word)")
        }
    }

    @Test("settings that would change SCALE-Sim's counts but that lpsim does not model are errors", arguments: [
        ("IfmapCustomLayout: False", "IfmapCustomLayout: True", "layout.ifmapcustomlayout: a custom SRAM layout"),
        ("FilterCustomLayout: False", "FilterCustomLayout: yes", "layout.filtercustomlayout: a custom SRAM layout"),
        ("IfmapCustomLayout: False", "IfmapCustomLayout: maybe", "layout.ifmapcustomlayout: expected True or False"),
    ])
    func unmodelled(from: String, to: String, expected: String) throws {
        let text = try String(contentsOfFile: fixture("scale.cfg"), encoding: .utf8)
        let changed = text.replacingOccurrences(of: from, with: to)
        try #require(changed != text)
        try expectError(changed, expected)
    }

    @Test("the optimized sparse mapping is refused only when sparsity is on (SCALE-Sim reads it only then)")
    func optimizedMapping() throws {
        let text = try String(contentsOfFile: fixture("scale.cfg"), encoding: .utf8)
        let mapped = text.replacingOccurrences(of: "OptimizedMapping : false", with: "OptimizedMapping : true")
        try #require(mapped != text)
        _ = try HardwareLoader.load(try temporary(mapped, "t.cfg"))
        let both = mapped.replacingOccurrences(of: "SparsitySupport : false", with: "SparsitySupport : true")
        try expectError(both, "t.cfg:32:20: error: sparsity.optimizedmapping: SCALE-Sim's optimized")
    }

    @Test("a .cfg missing a key SCALE-Sim requires says which")
    func missing() throws {
        let text = try String(contentsOfFile: fixture("scale.cfg"), encoding: .utf8)
            .replacingOccurrences(of: "Dataflow : ws\n", with: "")
        try expectError(text, "missing 'dataflow' in [architecture_presets]")
    }
}
