import Foundation

/// Small, dependency-free SVG charts for reports: a scatter (Pareto) chart
/// and a stacked bar chart, with labelled axes, units, ticks and a legend.
/// Output is deterministic (fixed formatting, no ids from randomness).
public enum SVGChart {
    public static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]

    /// "Nice" tick values covering [low, high] (steps of 1, 2 or 5 × 10^k).
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        let span = max(high - low, abs(high) * 1e-9 + 1e-12)
        let raw = span / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        // From the step below `low` to the step at or above `high`, so every value fits.
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    static func label(_ x: Double) -> String {
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e4 || a < 1e-2 { return String(format: "%.1e", x) }
        return String(format: a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", x)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func header(_ width: Int, _ height: Int, _ title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="\(width)" height="\(height)" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15" font-weight="bold">\(escape(title))</text>

        """
    }

    /// A point of a scatter chart.
    public struct Point {
        public var x: Double
        public var y: Double
        public var label: String
        public var series: String
        public init(x: Double, y: Double, label: String, series: String) {
            self.x = x; self.y = y; self.label = label; self.series = series
        }
    }

    /// Points coloured by series, each labelled; the Pareto-optimal points
    /// (lower y at higher x) joined by a dashed line.
    public static func scatter(title: String, xLabel: String, yLabel: String, points: [Point]) -> String {
        let (w, h, left, right, top, bottom) = (760, 460, 80, 200, 40, 60)
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = finite.map(\.x), ys = finite.map(\.y)
        let low = (xs.min() ?? 0) - 1
        let xt = ticks((xs.min() ?? 0) >= 0 ? max(0, low) : low, (xs.max() ?? 1) + 1), yt = ticks(0, (ys.max() ?? 1) * 1.1)
        let (x0, x1, y0, y1) = (xt.first!, xt.last!, yt.first!, yt.last!)
        func px(_ x: Double) -> Double { Double(left) + (x - x0) / (x1 - x0) * Double(w - left - right) }
        func py(_ y: Double) -> Double { Double(h - bottom) - (y - y0) / (y1 - y0) * Double(h - top - bottom) }
        var svg = header(w, h, title)
        svg += axes(w: w, h: h, left: left, right: right, top: top, bottom: bottom, xLabel: xLabel, yLabel: yLabel)
        for t in xt {
            svg += "<line x1=\"\(f(px(t)))\" y1=\"\(h - bottom)\" x2=\"\(f(px(t)))\" y2=\"\(top)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(f(px(t)))\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\">\(label(t))</text>\n"
        }
        for t in yt {
            svg += "<line x1=\"\(left)\" y1=\"\(f(py(t)))\" x2=\"\(w - right)\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
        }
        // The Pareto front: no other point has both higher QSNR and lower energy.
        let front = finite.filter { p in !finite.contains { q in q.x >= p.x && q.y <= p.y && (q.x > p.x || q.y < p.y) } }
            .sorted { $0.x < $1.x }
        if front.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#888\" stroke-dasharray=\"5,4\" points=\""
                + front.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
        }
        let series = orderedUnique(finite.map(\.series))
        var placed: [(x: Double, y: Double)] = []
        for p in finite.sorted(by: { $0.y != $1.y ? $0.y < $1.y : $0.label < $1.label }) {
            let color = palette[(series.firstIndex(of: p.series) ?? 0) % palette.count]
            svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"6\" fill=\"\(color)\" stroke=\"white\"/>\n"
            // Nudge a label up until it clears the labels already placed.
            var lx = px(p.x) + 9, ly = py(p.y) - 8
            while placed.contains(where: { abs($0.y - ly) < 14 && abs($0.x - lx) < 90 }) { ly -= 14 }
            placed.append((lx, ly))
            if ly < py(p.y) - 20 {
                svg += "<line x1=\"\(f(px(p.x)))\" y1=\"\(f(py(p.y) - 6))\" x2=\"\(f(lx))\" y2=\"\(f(ly + 3))\" stroke=\"#aaa\"/>\n"
            }
            lx = max(lx, 0)
            svg += "<text x=\"\(f(lx))\" y=\"\(f(ly))\">\(escape(p.label))</text>\n"
        }
        svg += legend(series, x: w - right + 16, y: top + 10, title: "hardware")
        return svg + "</svg>\n"
    }

    /// One stacked bar per category; `parts` names the stack layers.
    public static func stackedBars(title: String, yLabel: String, categories: [String], parts: [String],
                                   values: [[Double]]) -> String {
        let (w, h, left, right, top, bottom) = (760, 460, 80, 200, 40, 110)
        let totals = values.map { $0.reduce(0, +) }
        let yt = ticks(0, (totals.max() ?? 1) * 1.05)
        let y1 = yt.last!
        func py(_ y: Double) -> Double { Double(h - bottom) - y / y1 * Double(h - top - bottom) }
        var svg = header(w, h, title)
        svg += axes(w: w, h: h, left: left, right: right, top: top, bottom: bottom, xLabel: "", yLabel: yLabel)
        for t in yt {
            svg += "<line x1=\"\(left)\" y1=\"\(f(py(t)))\" x2=\"\(w - right)\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
        }
        let slot = Double(w - left - right) / Double(max(categories.count, 1))
        let barWidth = min(60, slot * 0.6)
        for (i, category) in categories.enumerated() {
            let x = Double(left) + slot * (Double(i) + 0.5) - barWidth / 2
            var base = 0.0
            for (j, v) in values[i].enumerated() where v > 0 {
                svg += "<rect x=\"\(f(x))\" y=\"\(f(py(base + v)))\" width=\"\(f(barWidth))\" height=\"\(f(py(base) - py(base + v)))\" fill=\"\(palette[j % palette.count])\"/>\n"
                base += v
            }
            let cx = f(x + barWidth / 2)
            svg += "<text x=\"\(cx)\" y=\"\(h - bottom + 14)\" text-anchor=\"end\" transform=\"rotate(-35 \(cx) \(h - bottom + 14))\">\(escape(category))</text>\n"
        }
        svg += legend(parts, x: w - right + 16, y: top + 10, title: "energy")
        return svg + "</svg>\n"
    }

    static func axes(w: Int, h: Int, left: Int, right: Int, top: Int, bottom: Int, xLabel: String, yLabel: String) -> String {
        var svg = "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        if !xLabel.isEmpty {
            svg += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - bottom + 40)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        }
        let cy = (top + h - bottom) / 2
        svg += "<text x=\"20\" y=\"\(cy)\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(cy))\">\(escape(yLabel))</text>\n"
        return svg
    }

    static func legend(_ names: [String], x: Int, y: Int, title: String) -> String {
        var svg = "<text x=\"\(x)\" y=\"\(y)\" font-weight=\"bold\">\(escape(title))</text>\n"
        for (i, name) in names.enumerated() {
            let yy = y + 18 * (i + 1)
            svg += "<rect x=\"\(x)\" y=\"\(yy - 10)\" width=\"12\" height=\"12\" fill=\"\(palette[i % palette.count])\"/>\n"
            // Long names are shortened to fit the margin; the full name is the tooltip.
            let shown = name.count > 26 ? String(name.prefix(25)) + "…" : name
            svg += "<text x=\"\(x + 18)\" y=\"\(yy)\"><title>\(escape(name))</title>\(escape(shown))</text>\n"
        }
        return svg
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for i in items where seen.insert(i).inserted { out.append(i) }
        return out
    }
}
