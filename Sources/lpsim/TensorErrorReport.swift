import Arithmetic
import Documents
import Foundation
import Formats

/// `lpsim error --tensors FILE`: QSNR of each format on every tensor of a
/// checkpoint and over all of them, read in chunks on all cores.
///
/// Two passes over the file: the largest finite magnitude of each tensor
/// (for per-tensor scales; skipped when only block scales are asked for),
/// then each chunk in each format. Work items are
/// chunks of 2^20 elements, so memory stays a few chunks per core however
/// large the checkpoint; results are combined in a fixed order, so the
/// output is the same on any number of cores.
struct TensorErrorReport {
    var command: ErrorCommand
    static let chunk = 1 << 20

    func run(file: String) throws {
        let names = command.format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let formats = try names.map { try command.resolvedFormat($0) }
        for f in formats {
            if case .block(let b) = f, Self.chunk % b.blockSize != 0 {
                throw CommandLineError(message: "\(b.name): --tensors needs a block size dividing \(Self.chunk)")
            }
        }
        let tensors = try TensorFile.open(file)
        let results = try Self.measure(tensors, formats)
        Self.warnUnmeasured(file: file, tensors.entries.map(\.name), results.map { $0.first ?? SignalNoise() })
        let overall = formats.indices.map { f in results.reduce(SignalNoise()) { $0 + $1[f] } }
        if command.json {
            print(JSON.object([
                ("file", .string(file)), ("formats", .array(formats.map { .string($0.name) })),
                ("scale_rules", .object(formats.map { ($0.name, scaleRuleName($0).map(JSON.string) ?? .null) })),
                ("tensors", .array(zip(tensors.entries, results).map { entry, r in
                    .object([("name", .string(entry.name)), ("dtype", .string(entry.dtype.rawValue)),
                             ("shape", .array(entry.shape.map { .number(Double($0)) })),
                             ("elements", .number(Double(entry.elementCount))),
                             ("non_finite", .number(Double(r.first?.nonFinite ?? 0))),
                             ("qsnr_db", .object(zip(formats, r).map { ($0.name, .number($1.qsnrDecibels)) }))])
                })),
                ("overall_qsnr_db", .object(zip(formats, overall).map { ($0.name, .number($1.qsnrDecibels)) })),
            ]).rendered())
            return
        }
        let elements = tensors.entries.reduce(0) { $0 + $1.elementCount }
        print("\(file): \(tensors.entries.count) tensors, \(elements) elements; QSNR (dB) per format")
        for f in formats { if let rule = scaleRuleName(f) { print("\(f.name) scales: \(rule)") } }
        var rows = zip(tensors.entries, results).map { entry, r in
            [entry.name, entry.dtype.rawValue, "[" + entry.shape.map(String.init).joined(separator: ", ") + "]"]
                + r.map { String(format2: $0.qsnrDecibels) }
        }
        rows.append(["overall", "", "\(elements)"] + overall.map { String(format2: $0.qsnrDecibels) })
        print(TextTable(header: ["tensor", "dtype", "shape"] + formats.map(\.name), rows: rows).rendered())
    }

    /// Per tensor, per format: signal and noise energy.
    static func measure(_ file: TensorFile, _ formats: [NumberFormat]) throws -> [[SignalNoise]] {
        struct Item: Sendable { var tensor: Int; var range: Range<Int> }
        var list: [Item] = []
        for (t, e) in file.entries.enumerated() {
            for start in stride(from: 0, to: e.elementCount, by: chunk) {
                list.append(Item(tensor: t, range: start..<min(start + chunk, e.elementCount)))
            }
        }
        let items = list
        let amax = Shared(Array(repeating: 0.0, count: items.count))
        // Only per-tensor scales (scalar formats, NVFP4's tensor scale) need the first pass.
        let needsAmax = formats.contains { f in
            if case .block(let b) = f { return b.hasTensorScale } else { return true }
        }
        try parallel(needsAmax ? items.count : 0) { i in
            let reader = try TensorReader(file: file, entry: file.entries[items[i].tensor])
            defer { reader.close() }
            if let f = try reader.readFloats(items[i].range) {
                amax.set(i, Double(f.reduce(Float(0)) { $1.isFinite ? max($0, abs($1)) : $0 }))
                return
            }
            let v = try reader.read(items[i].range)
            amax.set(i, v.reduce(0) { $1.isFinite ? max($0, abs($1)) : $0 })
        }
        var maxima = [Double](repeating: 0, count: file.entries.count)
        for (i, item) in items.enumerated() { maxima[item.tensor] = max(maxima[item.tensor], amax.values[i]) }
        let tensorAmax = maxima
        let parts = Shared(Array(repeating: [SignalNoise](), count: items.count))
        try parallel(items.count) { i in
            let reader = try TensorReader(file: file, entry: file.entries[items[i].tensor])
            defer { reader.close() }
            let amax = tensorAmax[items[i].tensor]
            // fp32, bf16 and fp16 chunks go through the float32 kernels (same errors, summed in another order).
            if let f = try reader.readFloats(items[i].range) {
                let sums = f.withUnsafeBufferPointer { p in formats.map { $0.signalNoise(float: p, tensorAmax: amax) } }
                parts.set(i, sums)
                return
            }
            let v = try reader.read(items[i].range)
            parts.set(i, formats.map { $0.signalNoise(v, tensorAmax: amax) })
        }
        var result = Array(repeating: Array(repeating: SignalNoise(), count: formats.count), count: file.entries.count)
        for (i, item) in items.enumerated() {
            for f in formats.indices { result[item.tensor][f] = result[item.tensor][f] + parts.values[i][f] }
        }
        return result
    }

    /// Runs `body(0..<n)` on all cores; rethrows the first error by index.
    static func parallel(_ n: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let errors = Shared([Error?](repeating: nil, count: n))
        DispatchQueue.concurrentPerform(iterations: n) { i in
            do { try body(i) } catch { errors.set(i, error) }
        }
        if let first = errors.values.compactMap({ $0 }).first { throw first }
    }
}

/// An array written by index from many threads under a lock.
final class Shared<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T]
    init(_ values: [T]) { storage = values }
    func set(_ i: Int, _ v: T) { lock.lock(); storage[i] = v; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return storage }
}

extension TensorErrorReport {
    /// Warnings, on standard error, for the tensors whose QSNR leaves something out or means nothing:
    /// NaN and infinite elements are skipped (counted in `non_finite`), and a tensor with no non-zero
    /// finite element has no signal, so its QSNR (printed as inf: no error) is not a measurement.
    static func warnUnmeasured(file: String, _ names: [String], _ parts: [SignalNoise]) {
        var stderr = StandardError()
        for (name, part) in zip(names, parts) {
            if part.nonFinite > 0 {
                print("\(file): warning: tensor '\(name)': \(part.nonFinite) of \(part.count + part.nonFinite) "
                      + "elements are NaN or infinite and are left out of its QSNR", to: &stderr)
            }
            if part.signal == 0 {
                print("\(file): warning: tensor '\(name)' has no non-zero finite element: "
                      + "its QSNR is not a measurement", to: &stderr)
            }
        }
    }
}
