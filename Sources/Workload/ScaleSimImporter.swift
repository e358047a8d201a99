import Documents
import Foundation

/// Reads SCALE-Sim topology CSV files as SCALE-Sim itself reads them
/// (`topology_utils.topologies.load_arrays_conv` / `load_arrays_gemm`):
/// - the first line is a header and is skipped whatever it says
///   (`Layer name, IFMAP Height, …`, `Layer, M, N, K`, `L,M,N,K` all occur);
/// - a convolution row is `name, IFMAP height, IFMAP width, filter height,
///   filter width, channels, filters, stride` — the IFMAP already includes
///   any padding (SCALE-Sim pads nothing, and counts a partial last window:
///   `ceil_mode`) — and a layer whose name contains `DP` is depthwise
///   (SCALE-Sim runs it as one layer per channel; lpsim keeps one grouped
///   convolution with the same MACs);
/// - a GEMM row is `name, M, N, K`: an M×K by K×N product;
/// - an optional last column `N:M` gives structured sparsity; 2:4 sets
///   `Op.sparse24`, `M:M` is dense, any other ratio `Op.structuredSparsity`.
///
/// SCALE-Sim is told the kind (`-i gemm` or `conv`); lpsim takes `gemm`
/// when given, else decides from the first row's width: eight or nine
/// values is a convolution, four or five a GEMM (another width goes by the
/// header's: eight or more names, a convolution). CRLF line endings, a
/// byte-order mark, blank lines and trailing empty cells (SCALE-Sim's rows
/// end with a comma) are accepted. A file without rows is an error.
public enum ScaleSimImporter {
    public static func load(_ path: String, gemm: Bool? = nil) throws -> Trace {
        var text = try decodeUTF8(try readInputFile(path), path: path)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Split on scalars: "\r\n" is one Character, so a split on "\n" never matches it.
        let scalarLines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        let lines = scalarLines.map { scalars -> String in
            var line = String(scalars)
            if line.hasSuffix("\r") { line.removeLast() }
            return line
        }
        let conv = ["layer name", "ifmap height", "ifmap width", "filter height", "filter width", "channels",
                    "num filter", "strides"]
        let gemmKeys = ["layer", "m", "n", "k"]
        let gemmLayout = "name, M, N, K"
        let convLayout = "name, IFMAP height, IFMAP width, filter height, filter width, channels, filters, stride"
        var isGEMM = gemm
        var ops: [Op] = []
        for (index, raw) in lines.enumerated().dropFirst() {
            let line = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var cells: [(text: String, column: Int)] = []
            var column = 1
            for cell in raw.split(separator: ",", omittingEmptySubsequences: false) {
                // The column of the cell's text, not of the space before it.
                cells.append((cell.trimmingCharacters(in: .whitespaces),
                              column + cell.prefix { $0 == " " || $0 == "\t" }.count))
                column += cell.count + 1
            }
            let endsWithComma = cells.last?.text.isEmpty == true
            while cells.last?.text.isEmpty == true { cells.removeLast() }
            if isGEMM == nil {
                // The first row's width decides (4–5: GEMM, 8–9: conv); a width that fits neither goes by the
                // header's, so that a short conv row is reported as one.
                let headerCells = lines[0].split(separator: ",")
                    .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                isGEMM = (4...5).contains(cells.count) ? true
                    : (8...9).contains(cells.count) ? false : headerCells.count < 8
            }
            let gemmRow = isGEMM!
            let needed = gemmRow ? 4 : 8
            // SCALE-Sim drops every row's last cell (`row.split(',')[:-1]`), expecting a trailing comma; a
            // row without one keeps its values here, but a note after them (`…, 1,#dw`) is dropped as there.
            if !endsWithComma, cells.count > needed, !cells[cells.count - 1].text.contains(":") { cells.removeLast() }
            guard cells.count >= needed, cells.count <= needed + 1 else {
                // A row of commas alone (SCALE-Sim's Resnet50.csv has one under its header) has no cells at all.
                let found = cells.isEmpty ? "found a row of empty cells" : "found \(cells.count)"
                throw Diagnostic(file: path, line: line, column: 1, message:
                    "expected \(needed) columns (\(gemmRow ? gemmLayout : convLayout)) and an optional N:M sparsity, "
                    + found)
            }
            func number(_ i: Int) throws -> Int {
                // The shared number grammar (NumberGrammar): digits only, exact to Int64.
                guard case .value(let v) = NumberGrammar.integer(cells[i].text), v >= 1 else {
                    throw Diagnostic(file: path, line: line, column: cells[i].column,
                                     keyPath: gemmRow ? gemmKeys[i] : conv[i],
                                     message: "expected a positive integer, got \(quotedToken(cells[i].text))")
                }
                return v
            }
            let name = cells[0].text
            var sparse24 = false, ratio: StructuredSparsity?
            if cells.count == needed + 1 {
                let cell = cells[needed]
                let parts = cell.text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard parts.count == 2, let n = parts[0], let m = parts[1], n >= 1, m >= n else {
                    throw Diagnostic(file: path, line: line, column: cell.column, keyPath: "sparsity",
                                     message: "expected a sparsity ratio N:M with 1 ≤ N ≤ M, got '\(cell.text)'")
                }
                sparse24 = n == 2 && m == 4
                if n != m && !sparse24 { ratio = StructuredSparsity(n: n, m: m) }
            }
            var op: Op
            if !gemmRow {
                let c = try number(5), k = try number(6)
                let depthwise = name.contains("DP")
                op = Op(name: name, kind: .conv2d,
                        dims: ["n": 1, "h": try number(1), "w": try number(2), "r": try number(3), "s": try number(4),
                               "c": c, "k": depthwise ? c * k : k, "stride": try number(7), "padding": 0,
                               "dilation": 1, "groups": depthwise ? c : 1, "ceil_mode": 1],
                        sparse24: sparse24)
            } else {
                op = Op(name: name, kind: .gemm, dims: ["m": try number(1), "n": try number(2), "k": try number(3),
                                                        "batch": 1], sparse24: sparse24)
            }
            op.structuredSparsity = ratio
            do throws(ShapeError) { _ = try op.counts() } catch {
                throw Diagnostic(file: path, line: line, column: 1, message: error.message)
            }
            ops.append(op)
        }
        guard !ops.isEmpty else {
            throw Diagnostic(file: path, line: max(1, lines.count), column: 1,
                             message: "no layers: a SCALE-Sim topology has a header line and one row per layer")
        }
        return Trace(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
                     source: "SCALE-Sim topology \((path as NSString).lastPathComponent)", ops: ops)
    }
}
