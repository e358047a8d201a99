import Testing
@testable import Formats

@Suite("Format names")
struct CatalogTests {
    @Test("canonical names and ml_dtypes / OCP aliases find the same format",
          arguments: [("fp8_e4m3", ["float8_e4m3fn", "e4m3", "E4M3"]), ("fp8_e5m2", ["float8_e5m2", "e5m2"]),
                      ("fp6_e2m3", ["float6_e2m3fn"]), ("fp6_e3m2", ["float6_e3m2fn"]),
                      ("fp4_e2m1", ["float4_e2m1fn"]), ("e8m0", ["float8_e8m0fnu"]),
                      ("bf16", ["bfloat16"]), ("fp16", ["float16"]), ("fp32", ["float32"])])
    func aliases(name: String, aliases: [String]) throws {
        let canonical = try FormatCatalog.format(named: name)
        for alias in aliases { #expect(try FormatCatalog.format(named: alias) == canonical) }
    }

    @Test("generic spellings")
    func generic() throws {
        guard case .scalar(.minifloat(let e3m4)) = try FormatCatalog.format(named: "e3m4") else { Issue.record(); return }
        #expect(e3m4.bias == 3 && e3m4.specials == .ieee)
        guard case .scalar(.minifloat(let b11)) = try FormatCatalog.format(named: "float8_e4m3b11fnuz") else { Issue.record(); return }
        #expect(b11.bias == 11 && b11.specials == .fnuz)
        guard case .scalar(.integer(let i5)) = try FormatCatalog.format(named: "int5") else { Issue.record(); return }
        #expect(i5.bitWidth == 5 && i5.kind == .twosComplement)
        guard case .scalar(.integer(let u32)) = try FormatCatalog.format(named: "uint32") else { Issue.record(); return }
        #expect(u32.maxFinite == 4294967295)
        guard case .scalar(.integer(let bp)) = try FormatCatalog.format(named: "bipolar7") else { Issue.record(); return }
        #expect(bp.maxFinite == 127)
        #expect(try FormatCatalog.format(named: "int6_sym").name == "int6_sym")
        #expect(try FormatCatalog.format(named: "ufixed<8,8>").elementFormat.maxFinite == 255.0 / 256)
        for n in 1...32 { #expect(try FormatCatalog.format(named: "int\(n)").bitsPerElement == Double(n)) }
    }

    @Test("bad names and parameters are errors with suggestions",
          arguments: ["fp9", "e9m2", "e4m30", "int0", "int33", "fixed<8>", "float16_e4m3", "mxfp5", "", "int4_g0"])
    func bad(name: String) {
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: name) }
    }

    @Test("unknown names suggest close matches")
    func suggestions() {
        do {
            _ = try FormatCatalog.format(named: "fp8_e4m2")
            Issue.record("fp8_e4m2 should not exist")
        } catch {
            guard case .unknownName(_, let suggestions) = error else { Issue.record("\(error)"); return }
            #expect(suggestions.contains("fp8_e4m3"))
            #expect(suggestions.contains("fp8_e5m2"))
        }
    }
}
