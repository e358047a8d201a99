import Formats
import Testing

@Suite("Group-wise INT spellings with a scale format")
struct GroupwiseNameTests {
    @Test("[u]intN_gK[_SCALE]: the element, the group and the scale's bits amortised over it")
    func spellings() throws {
        let cases: [(String, Double)] = [("int4_g128", 4.125), ("uint4_g32_fp32", 5), ("int8_g64_bf16", 8.25),
                                         ("int8_g27_fp32", 8 + 32.0 / 27)]
        for (name, bits) in cases {
            let format = try FormatCatalog.format(named: name)
            #expect(format.bitsPerElement == bits, "\(name)")
            guard case .block(let b) = format else { Issue.record("\(name) is not a block format"); continue }
            #expect(b.element.name.hasPrefix(name.hasPrefix("u") ? "uint" : "int"), "\(name)")
        }
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: "int4_g32_nope") }
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: "int4_g32_mxfp4") }  // a scale must be scalar
    }
}
