import DesignSpace
import Documents
import Testing

@Suite("Sensitivity file")
struct SensitivityFileTests {
    static let layers = ["conv1", "layer1.0.conv1", "fc"].map { SearchLayer(name: $0, ops: [0], parameters: 1) }

    func error(_ text: String) -> Diagnostic? {
        #expect(throws: Diagnostic.self) { try SensitivityFile.parse(text, file: "h.csv", layers: Self.layers) }
    }

    @Test("a good file: header, comments, blank lines, CRLF; values in layer order")
    func good() throws {
        let text = "# from PyHessian\r\nlayer,trace\r\nfc, 0.5\r\n\r\nconv1,12.25\r\nlayer1.0.conv1,3e-2\r\n"
        #expect(try SensitivityFile.parse(text, file: "h.csv", layers: Self.layers) == [12.25, 0.03, 0.5])
    }

    @Test("bad rows are errors at their line and column")
    func positioned() {
        let head = "layer,trace\nconv1,1\n"
        #expect(error("name,value\n")?.description
                == "h.csv:1:1: error: expected the header 'layer,trace', got 'name,value'")
        #expect(error(head + "fc,abc\n")?.description
                == "h.csv:3:4: error: expected a finite Hessian trace ≥ 0, got 'abc'")
        #expect(error(head + "fc,-1\n")?.line == 3)
        #expect(error(head + "fc,1,2\n")?.description == "h.csv:3:1: error: expected 2 fields (layer,trace), got 3")
        #expect(error(head + "conv1,2\n")?.description == "h.csv:3:1: error: layer 'conv1' is given twice")
        #expect(error(head + "fc2,1\n")?.description.hasPrefix("h.csv:3:1: error: unknown layer 'fc2'") == true)
        #expect(error(head + "fc2,1\n")?.message.contains("did you mean 'fc'?") == true)
        #expect(error(head + "fc,1e400\n")?.column == 4)
    }

    @Test("an empty file and a file missing layers are errors")
    func missing() {
        #expect(error("")?.message == "empty: expected the header 'layer,trace'")
        #expect(error("layer,trace\nconv1,1\n")?.message
                == "2 of the workload's 3 layers have no trace ('layer1.0.conv1', 'fc'); give every layer a row")
    }
}
