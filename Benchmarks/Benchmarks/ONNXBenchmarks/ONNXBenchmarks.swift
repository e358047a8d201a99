import Benchmark
import Foundation
import ONNXImport
import Workload

/// Importing a ResNet-50-sized ONNX model (about 102 MB, fp32 weights as raw_data): every conv of
/// `CNNModel.resnet50` becomes a Conv node with an initializer of its true size (and a graph input of its
/// input's shape, so the nodes need not be chained), plus the fully connected layer as a Gemm. The file is
/// written once by the benchmark itself, with the small protobuf writer below. The target is an
/// import under 1 s; peak resident memory shows the weights are mapped and skipped, not held.
let modelFile: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-bench-resnet50.onnx").path
    if !FileManager.default.fileExists(atPath: path) {
        FileManager.default.createFile(atPath: path, contents: Data(ResNet50ONNX.bytes()))
    }
    return path
}()

/// Protobuf wire format, field numbers of onnx.proto (onnx 1.23.2).
enum Wire {
    static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
    static func int(_ field: UInt64, _ v: Int, _ out: inout [UInt8]) { varint(field << 3, &out); varint(UInt64(v), &out) }
    static func bytes(_ field: UInt64, _ b: [UInt8], _ out: inout [UInt8]) {
        varint(field << 3 | 2, &out); varint(UInt64(b.count), &out); out += b
    }
    static func string(_ field: UInt64, _ s: String, _ out: inout [UInt8]) { bytes(field, Array(s.utf8), &out) }
    static func message(_ field: UInt64, _ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        var inner: [UInt8] = []
        body(&inner)
        bytes(field, inner, &out)
    }
}

enum ResNet50ONNX {
    static func bytes() -> [UInt8] {
        var graph: [UInt8] = []
        Wire.string(2, "resnet50-like", &graph)
        func input(_ name: String, _ shape: [Int], _ field: UInt64 = 11) {
            Wire.message(field, &graph) { v in
                Wire.string(1, name, &v)
                Wire.message(2, &v) { t in Wire.message(1, &t) { tensor in
                    Wire.int(1, 1, &tensor)
                    Wire.message(2, &tensor) { s in for d in shape { Wire.message(1, &s) { Wire.int(1, d, &$0) } } }
                } }
            }
        }
        func weight(_ name: String, _ dims: [Int]) {
            Wire.message(5, &graph) { t in
                for d in dims { Wire.int(1, d, &t) }
                Wire.int(2, 1, &t)
                Wire.string(8, name, &t)
                Wire.bytes(9, [UInt8](repeating: 0, count: dims.reduce(4, *)), &t)
            }
        }
        func ints(_ name: String, _ values: [Int], _ node: inout [UInt8]) {
            Wire.message(5, &node) { a in Wire.string(1, name, &a); for v in values { Wire.int(8, v, &a) }; Wire.int(20, 7, &a) }
        }
        for op in CNNModel.resnet50.trace(batch: 1).ops where op.kind == .conv2d || op.kind == .gemm {
            let name = op.name
            if op.kind == .gemm {
                input(name + ".x", [(op.shape[.m] ?? 0), (op.shape[.k] ?? 0)])
                weight(name + ".w", [(op.shape[.k] ?? 0), (op.shape[.n] ?? 0)])
                Wire.message(1, &graph) { n in
                    Wire.string(1, name + ".x", &n); Wire.string(1, name + ".w", &n); Wire.string(2, name + ".y", &n)
                    Wire.string(3, name, &n); Wire.string(4, "Gemm", &n)
                }
                input(name + ".y", [(op.shape[.m] ?? 0), (op.shape[.n] ?? 0)], 12)
                continue
            }
            input(name + ".x", [(op.shape[.n] ?? 0), (op.shape[.c] ?? 0), (op.shape[.h] ?? 0), (op.shape[.w] ?? 0)])
            weight(name + ".w", [(op.shape[.k] ?? 0), (op.shape[.c] ?? 0) / (op.shape[.groups] ?? 0), (op.shape[.r] ?? 0), (op.shape[.s] ?? 0)])
            Wire.message(1, &graph) { n in
                Wire.string(1, name + ".x", &n); Wire.string(1, name + ".w", &n); Wire.string(2, name + ".y", &n)
                Wire.string(3, name, &n); Wire.string(4, "Conv", &n)
                ints("kernel_shape", [(op.shape[.r] ?? 0), (op.shape[.s] ?? 0)], &n)
                ints("strides", [(op.shape[.stride] ?? 0), (op.shape[.stride] ?? 0)], &n)
                ints("pads", Array(repeating: (op.shape[.padding] ?? 0), count: 4), &n)
                Wire.message(5, &n) { a in Wire.string(1, "group", &a); Wire.int(3, (op.shape[.groups] ?? 0), &a); Wire.int(20, 2, &a) }
            }
        }
        var model: [UInt8] = []
        Wire.int(1, 10, &model)
        Wire.message(8, &model) { Wire.int(2, 21, &$0) }
        Wire.bytes(7, graph, &model)
        return model
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                           warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)
    Benchmark("import a 102 MB ResNet-50-sized ONNX model") { benchmark in
        let file = modelFile
        benchmark.startMeasurement()
        let model = try ONNXImporter.load(file)
        benchmark.stopMeasurement()
        blackHole(model.ops.count)
    }
}
