import Foundation
import Formats
import Hardware
import ONNXImport
import Simulator
import Workload

/// One libFuzzer entry point for all readers; the target is chosen by the
/// LPSIM_FUZZ_TARGET environment variable (hardware, trace-yaml,
/// trace-jsonl, csv, plan, config, convert, onnx, glob). Readers that take paths get the
/// input through a scratch file with the right extension. Any thrown error
/// is a correct answer; only a crash, a sanitizer report or a hang fails.
nonisolated(unsafe) var target = ProcessInfo.processInfo.environment["LPSIM_FUZZ_TARGET"] ?? "hardware"
nonisolated(unsafe) let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-fuzz-\(getpid())").path

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    func file(_ ext: String) -> String {
        let path = scratch + "." + ext
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
    switch target {
    case "hardware": _ = try? HardwareLoader.load(file("yaml"))
    case "trace-yaml": _ = try? TraceReader.load(file("yaml"))
    case "trace-jsonl": _ = try? TraceReader.load(file("jsonl"))
    case "csv": _ = try? TraceReader.load(file("csv"))
    case "plan": _ = try? PrecisionPlan.load(file("yaml"))
    case "config": _ = try? TransformerConfig.load(file("json"))
    case "onnx":
        if let model = try? ONNXImporter.load(file("onnx"), options: .init(dims: ["seq": 16, "batch": 2], skipUnknown: true)) {
            for op in model.trace(keepingQuantization: true).ops { _ = try? op.counts() }
        }
    case "convert":
        let text = String(decoding: data, as: UTF8.self)
        let formats = ["fp8_e4m3", "fp8_e5m2", "e8m0", "int4", "bipolar3", "fixed<16,8>", "float8_e4m3fnuz", "fp4_e2m1"]
        let values = text.split(separator: "\n").compactMap { Double(String($0)) }
        for name in formats {
            guard case .scalar(let f)? = try? FormatCatalog.format(named: name) else { continue }
            for (i, x) in values.enumerated() {
                for mode in RoundingMode.allCases {
                    _ = f.decode(f.encode(x, rounding: mode, overflow: i % 2 == 0 ? .ieee : .saturate, random: UInt64(i)))
                }
            }
        }
        for name in ["mxfp4", "nvfp4", "mxint8", "int4_g128"] {
            if case .block(let b)? = try? FormatCatalog.format(named: name) { _ = b.quantize(values) }
        }
        // Names are input too.
        _ = try? FormatCatalog.format(named: text)
    case "glob":
        // The first line is a pattern, the rest op names: linear-time matching must never trap or hang.
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let pattern = GlobPattern(String(lines.first ?? ""))
        for name in lines.dropFirst() { _ = pattern.matches(String(name)) }
    default: fatalError("unknown LPSIM_FUZZ_TARGET \(target)")
    }
    return 0
}

// SwiftPM names an executable's entry point `LPSimFuzz_main` and points `main`
// at it; hand control to libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("LPSimFuzz_main")
public func lpsimFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
