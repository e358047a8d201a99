import Documents
import Foundation

/// Reads SCALE-Sim topology CSV files, detected by their header:
/// - convolution: `Layer name, IFMAP Height, IFMAP Width, Filter Height,
///   Filter Width, Channels, Num Filter, Strides,` — the IFMAP already
///   includes any padding (SCALE-Sim pads nothing, and counts a partial
///   last window: `ceil_mode`), and a layer whose name contains `DP` is
///   depthwise (SCALE-Sim runs it as one layer per channel; lpsim keeps one
///   grouped convolution with the same MACs);
/// - GEMM: `Layer, M, N, K,` — an M×K by K×N product.
/// Rows end with a comma, as SCALE-Sim writes them; an optional sparsity
/// column `N:M` follows.
public enum ScaleSimImporter {
    public static func load(_ path: String) throws -> Trace {
        let text = try decodeUTF8(try readInputFile(path), path: path)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let headerLine = lines.first, !headerLine.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "empty file: expected a SCALE-Sim topology header")
        }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let conv = ["layer name", "ifmap height", "ifmap width", "filter height", "filter width", "channels", "num filter", "strides"]
        let gemm = ["layer", "m", "n", "k"]
        let isConv = Array(header.prefix(conv.count)) == conv
        let isGEMM = Array(header.prefix(gemm.count)) == gemm
        guard isConv || isGEMM else {
            throw Diagnostic(file: path, line: 1, column: 1, message:
                "not a SCALE-Sim topology: expected the header 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,' or 'Layer, M, N, K,'")
        }
        var ops: [Op] = []
        for (index, raw) in lines.enumerated().dropFirst() {
            let line = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var cells: [(text: String, column: Int)] = []
            var column = 1
            for cell in raw.split(separator: ",", omittingEmptySubsequences: false) {
                // The column of the cell's text, not of the space before it.
                cells.append((cell.trimmingCharacters(in: .whitespaces), column + cell.prefix { $0 == " " || $0 == "\t" }.count))
                column += cell.count + 1
            }
            if cells.last?.text.isEmpty == true { cells.removeLast() }
            let needed = isConv ? 8 : 4
            guard cells.count >= needed else {
                throw Diagnostic(file: path, line: line, column: 1, message: "expected \(needed) columns, found \(cells.count)")
            }
            func number(_ i: Int) throws -> Int {
                // The shared number grammar (NumberGrammar): digits only, exact to Int64.
                guard case .value(let v) = NumberGrammar.integer(cells[i].text), v >= 1 else {
                    throw Diagnostic(file: path, line: line, column: cells[i].column,
                                     keyPath: isConv ? conv[i] : gemm[i], message: "expected a positive integer, got \(quotedToken(cells[i].text))")
                }
                return v
            }
            let name = cells[0].text
            let op: Op
            if isConv {
                let c = try number(5), k = try number(6)
                let depthwise = name.contains("DP")
                op = Op(name: name, kind: .conv2d,
                        dims: ["n": 1, "h": try number(1), "w": try number(2), "r": try number(3), "s": try number(4),
                               "c": c, "k": depthwise ? c * k : k, "stride": try number(7), "padding": 0,
                               "dilation": 1, "groups": depthwise ? c : 1, "ceil_mode": 1])
            } else {
                op = Op(name: name, kind: .gemm, dims: ["m": try number(1), "n": try number(2), "k": try number(3), "batch": 1])
            }
            do throws(ShapeError) { _ = try op.counts() } catch {
                throw Diagnostic(file: path, line: line, column: 1, message: error.message)
            }
            ops.append(op)
        }
        return Trace(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
                     source: "SCALE-Sim topology \((path as NSString).lastPathComponent)", ops: ops)
    }
}
