import Documents
import Foundation
import Testing
@testable import Hardware

@Suite("Device and memory-level names are non-empty, one-line text")
struct NameRuleHardwareTests {
    func file(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectError(_ expected: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected \(expected)")
        } catch let d as Diagnostic {
            #expect(d.description.contains(expected), "\(d.description)")
        } catch { Issue.record("\(error)") }
    }

    @Test("hardware files: the device's and a memory level's name")
    func hardware() throws {
        let source = try String(contentsOfFile: packageRoot.appendingPathComponent("hardware/tpu-v1-like.yaml").path,
                                encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(lines.firstIndex { $0.hasPrefix("name:") })
        var unnamed = lines
        unnamed[first] = "name:"
        expectError("error: name: expected a name (a non-empty string), got null") {
            _ = try HardwareLoader.load(try file(unnamed.joined(separator: "\n"), "t.yaml"))
        }
        let level = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- name:") })
        var blank = lines
        blank[level] = blank[level].prefix { $0 != "n" } + "name: \"\""
        expectError("name: a name must not be empty") {
            _ = try HardwareLoader.load(try file(blank.joined(separator: "\n"), "t.yaml"))
        }
    }
}
