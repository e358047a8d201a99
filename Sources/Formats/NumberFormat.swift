/// Any number format lpsim knows: a scalar format or a block-scaled one.
public enum NumberFormat: Sendable, Hashable, CustomStringConvertible {
    case scalar(AnyScalarFormat)
    case block(BlockFormat)

    public var name: String {
        switch self {
        case .scalar(let f): return f.name
        case .block(let f): return f.name
        }
    }

    public var description: String { name }

    /// Storage bits per element, scales amortised (mxfp4 = 4.25).
    public var bitsPerElement: Double {
        switch self {
        case .scalar(let f): return Double(f.bitWidth)
        case .block(let f): return f.bitsPerElement
        }
    }

    /// The format of one element (for block formats, before scaling).
    public var elementFormat: AnyScalarFormat {
        switch self {
        case .scalar(let f): return f
        case .block(let f): return f.element
        }
    }
}
