import Testing

@testable import Reports

/// The Hexagon row measures an NPU whose matrix unit the DSP family lacks: shown, never counted.
@Suite("DSP design validation: the HMX-measured row is out of scope")
struct DSPValidationScopeTests {
    @Test("the Snapdragon 8 Gen 2 row is out of scope and left out of the count")
    func hexagonRowNotCounted() throws {
        let (_, rows) = try DSPDesignValidation.rows(hardwareDirectory: DesignValidationTests.hardware)
        let row = try #require(rows.first { $0.quantity.contains("Snapdragon 8 Gen 2") })
        #expect(row.basis == .outOfScope && !row.basis.isCounted)
        #expect(row.note.contains("HMX"))
    }
}
