import Documents
import Foundation
import Testing
@testable import Hardware

/// A TDP at or below the static power leaves the datapath nothing: the
/// simulator's cap (tdp − static) could not be applied, and every op would
/// run uncapped, as if no TDP were given. Found by exploratory testing: an
/// H100 variant with `power: {tdp: 1 W}` (static 90 W inherited) ran
/// exactly as fast as the 700 W original.
@Suite("power.tdp against power.static")
struct PowerCapTests {
    /// A variant of the shipped H100 with `power` replaced by `section`, in a fresh directory.
    func variant(_ section: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lpsim-power-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("variant.yaml").path
        let text = "extends: \(hardwarePath("nvidia-h100-sxm5.yaml"))\n\(section)\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a TDP below the static power, set here or inherited, is an error at power.tdp",
          arguments: ["power: {tdp: 1 W}", "power: {tdp: 700 W, static: 800 W}", "power: {tdp: 90 W, static: 90 W}"])
    func refused(section: String) throws {
        let path = try variant(section)
        do {
            _ = try HardwareLoader.load(path)
            Issue.record("\(section) loaded without error")
        } catch let d as Diagnostic {
            #expect(d.file == path && d.line == 2 && d.keyPath == "power.tdp", "\(d)")
            #expect(d.message.contains("must exceed the static power"), "\(d)")
        }
    }

    @Test("a TDP above the static power still loads")
    func accepted() throws {
        let model = try HardwareLoader.load(try variant("power: {tdp: 200 W}"))
        #expect(model.tdpWatts == 200 && model.staticWatts == 90)
    }
}
