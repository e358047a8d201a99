import Foundation
import Reports

/// A Pareto chart of a sweep on logarithmic axes (QSNR, in dB, on a linear
/// one): the sampled points in grey, the front in colour joined by a line.
enum SweepChart {
    static func svg(title: String, front: SweepSummary.Front, sample: [SweepRow]) -> String {
        let (w, h, left, right, top, bottom) = (760, 460, 90, 30, 40, 60)
        let logY = front.y != .outputQSNR
        func fx(_ r: SweepRow) -> Double { log10(r[front.x]) }
        func fy(_ r: SweepRow) -> Double { logY ? log10(r[front.y]) : r[front.y] }
        let all = (sample + front.points).filter { r in
            let (x, y) = (fx(r), fy(r))
            return x.isFinite && y.isFinite
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" "
            + "font-family=\"sans-serif\" "
            + "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + "<text x=\"\(w / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        guard let x0 = all.map(fx).min(), let x1 = all.map(fx).max(), let y0 = all.map(fy).min(),
              let y1 = all.map(fy).max() else {
            return svg + "<text x=\"\(w / 2)\" y=\"\(h / 2)\" text-anchor=\"middle\">no point ran</text>\n</svg>\n"
        }
        // 3% of margin on each side, so that no point sits on an axis.
        let dx = x1 > x0 ? (x1 - x0) * 0.03 : 0.5, dy = y1 > y0 ? (y1 - y0) * 0.03 : 0.5
        let (xa, xb, ya, yb) = (x0 - dx, x1 + dx, y0 - dy, y1 + dy)
        func px(_ x: Double) -> String { f(Double(left) + (x - xa) / (xb - xa) * Double(w - left - right)) }
        func py(_ y: Double) -> String { f(Double(h - bottom) - (y - ya) / (yb - ya) * Double(h - top - bottom)) }
        svg += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" "
            + "stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        for k in 0...4 {
            let x = xa + (xb - xa) * Double(k) / 4, y = ya + (yb - ya) * Double(k) / 4
            svg += "<text x=\"\(px(x))\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\">\(tick(pow(10, x)))</text>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(py(y))\" text-anchor=\"end\">\(tick(logY ? pow(10, y) : y))</text>\n"
        }
        svg += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - 18)\" text-anchor=\"middle\">"
            + "\(front.x.column) (log)</text>\n"
        svg += "<text x=\"18\" y=\"\((top + h - bottom) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 18 "
            + "\((top + h - bottom) / 2))\">\(front.y.column)\(logY ? " (log)" : "")</text>\n"
        for r in sample where fx(r).isFinite && fy(r).isFinite {
            svg += "<circle cx=\"\(px(fx(r)))\" cy=\"\(py(fy(r)))\" r=\"2\" fill=\"#bbbbbb\"/>\n"
        }
        let onFront = front.points.filter { fx($0).isFinite && fy($0).isFinite }.sorted { fx($0) < fx($1) }
        if onFront.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"\(SVGChart.palette[0])\" points=\""
                + onFront.map { "\(px(fx($0))),\(py(fy($0)))" }.joined(separator: " ") + "\"/>\n"
        }
        for r in onFront {
            svg += "<circle cx=\"\(px(fx(r)))\" cy=\"\(py(fy(r)))\" r=\"4\" fill=\"\(SVGChart.palette[1])\">"
                + "<title>#\(r.index)</title></circle>\n"
        }
        return svg + "</svg>\n"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    static func tick(_ x: Double) -> String { String(format: "%.3g", x) }
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
