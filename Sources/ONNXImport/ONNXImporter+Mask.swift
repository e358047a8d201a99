/// Reading an attention's mask: whether the scores between QKᵀ and Softmax are masked causally.
///
/// Exporters build the causal mask in a few ways, all recognised from the mask's ancestors:
/// - `Trilu` of a filled square: `triu(full(min), diagonal = 1)` added to the scores (upper, k = 1;
///   transformers' `_update_causal_mask`) or `tril(ones)` as a keep mask (lower, k = 0);
/// - a comparison of two position ranges, `kv_idx <= q_idx` (`Less`, `LessOrEqual`, `Greater` or
///   `GreaterOrEqual` whose operands both descend from `Range`; transformers' `create_causal_mask`);
/// - a constant whose last two axes are triangular (GPT-2's `attn.bias` buffer, sliced), when its
///   values are small enough to be kept (see `ONNXFile`).
///
/// Any of them makes the attention `causal`: lpsim's rule (queries the last `seq_q` positions, each
/// seeing the keys up to its own) is what each of these computes for a prefill. The direction of a
/// comparison or a triangle is not checked: a mask that hides the past instead is not a pattern
/// any exporter writes. A padding mask alongside (HF exports add the `attention_mask` input into the
/// causal mask) changes nothing, as for a batch without padding. A mask that matches none of these
/// is reported (`ONNXImport.Summary.unreadMasks`) and the attention imported without `causal`.
extension ONNXImporter {
    enum MaskReading: Equatable {
        /// No mask on the path from QKᵀ to Softmax.
        case none
        case causal
        /// A mask the importer could not read: its tensor and why.
        case unread(mask: String, reason: String)
    }

    static let matrixProducts: Set<String> = ["MatMul", "QLinearMatMul", "MatMulInteger"]
    static let comparisons: Set<String> = ["Less", "LessOrEqual", "Greater", "GreaterOrEqual"]

    /// The mask reading of the Softmax at `softmax`: the scores' path is walked back to the product,
    /// and every tensor added (Add, Sub, QLinearAdd) or selected by (Where's condition) into it is a mask.
    func maskReading(softmax: Int) -> MaskReading {
        var masks: [String] = []
        var tensor = nodes[softmax].input(0) ?? ""
        for _ in 0..<16 {
            guard let p = producers[tensor] else { break }
            let node = nodes[p]
            guard !Self.matrixProducts.contains(node.opType), Self.scorePassing.contains(node.opType) else { break }
            let operands: [Int]
            switch node.opType {
            case "QLinearAdd", "QLinearMul": operands = [0, 3]
            case "Where": operands = [1, 2]
            case "Add", "Sub", "Mul", "Div": operands = [0, 1]
            default: operands = [0]
            }
            guard let path = operands.compactMap({ node.input($0) }).first(where: reachesProduct) else { break }
            if ["Add", "Sub", "QLinearAdd"].contains(node.opType) {
                masks += operands.compactMap { node.input($0) }.filter { $0 != path }
            }
            if node.opType == "Where", let condition = node.input(0) { masks.append(condition) }
            tensor = path
        }
        // A scalar added to the scores is an offset, not a mask.
        masks = masks.filter { (values[$0]?.elements ?? 2) > 1 }
        guard !masks.isEmpty else { return .none }
        var first: MaskReading?
        for mask in masks {
            let reading = causalEvidence(mask)
            if reading == .causal { return .causal }
            first = first ?? reading
        }
        return first ?? .none
    }

    /// The ops a score passes through between QKᵀ and Softmax (as `attentionKind` walks them).
    static let scorePassing: Set<String> = ["Mul", "Div", "Add", "Sub", "Where", "QLinearMul", "QLinearAdd",
                                            "QuantizeLinear", "DequantizeLinear", "Cast", "Identity"]

    /// Whether `tensor` comes from a matrix product through score-passing ops.
    func reachesProduct(_ tensor: String) -> Bool {
        hasAncestor(tensor, through: { Self.scorePassing.contains($0.opType) }) {
            Self.matrixProducts.contains($0.opType)
        }
    }

    /// Whether a node that `found` accepts produces `tensor` or one of its ancestors (at most 64
    /// tensors), walking back only through the nodes `through` accepts.
    func hasAncestor(_ tensor: String, through: (NodeView) -> Bool = { _ in true },
                     _ found: (NodeView) -> Bool) -> Bool {
        var frontier = [tensor], seen = Set<String>()
        while let t = frontier.popLast(), seen.count < 64 {
            guard seen.insert(t).inserted, let p = producers[t] else { continue }
            if found(nodes[p]) { return true }
            if through(nodes[p]) { frontier += nodes[p].node.input.filter { !$0.isEmpty } }
        }
        return false
    }

    /// `.causal` when the mask's ancestors (at most 256 tensors) build a causal pattern; else why not.
    func causalEvidence(_ mask: String) -> MaskReading {
        var frontier = [mask], seen = Set<String>(), reason: String?
        var fromInput: String?, unkept: String?
        while let t = frontier.popLast(), seen.count < 256 {
            guard seen.insert(t).inserted else { continue }
            guard let p = producers[t] else {
                if let v = values[t], v.isConstant {
                    if let shape = v.shape, let data = v.values, Self.isTriangular(data, shape) { return .causal }
                    if v.values == nil, (v.shape?.count ?? 0) >= 2 { unkept = unkept ?? t }
                } else {
                    fromInput = fromInput ?? t
                }
                continue
            }
            let node = nodes[p]
            if node.opType == "Trilu" {
                let upper = node.int("upper", 1)
                let k = node.input(1).flatMap { values[$0]?.values?.first }.map { Int($0) } ?? 0
                if (upper == 1 && k == 1) || (upper == 0 && k == 0) { return .causal }
                reason = reason ?? "Trilu '\(node.name)' keeps the \(upper == 1 ? "upper" : "lower") triangle from "
                    + "diagonal \(k), not the causal one"
            }
            let fromRange = { (t: String?) in t.map { self.hasAncestor($0) { $0.opType == "Range" } } ?? false }
            if Self.comparisons.contains(node.opType), fromRange(node.input(0)), fromRange(node.input(1)) {
                return .causal
            }
            frontier += node.node.input.filter { !$0.isEmpty }
        }
        let why = reason
            ?? unkept.map { "it comes from the constant '\($0)', too large for the importer to keep its values" }
            ?? fromInput.map { "it comes from the graph input '\($0)', whose values are not known" }
            ?? "it is built in a way the importer does not recognise as causal"
        return .unread(mask: mask, reason: why)
    }

    /// Whether the last two axes (rows × columns, every leading index alike) hold one value where a
    /// query sees the key (column ≤ row + columns − rows: the queries the last rows) and another
    /// elsewhere, with both regions present: a causal keep mask, a hiding mask or an additive mask.
    static func isTriangular(_ data: [Double], _ shape: [Int]) -> Bool {
        guard shape.count >= 2, case let rows = shape[shape.count - 2], case let columns = shape[shape.count - 1],
              rows >= 2, columns >= 2, rows <= columns, data.count == shape.reduce(1, *) else { return false }
        let plane = rows * columns, offset = columns - rows
        let visible = data[0], hidden = data[columns - 1]
        guard visible != hidden else { return false }
        for (i, x) in data.enumerated() {
            let row = (i % plane) / columns, column = i % columns
            if x != (column <= row + offset ? visible : hidden) { return false }
        }
        return true
    }
}
