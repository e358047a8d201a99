/// Any number format lpsim knows: a scalar format or a block-scaled one.
///
/// Ops, precision plans and devices carry formats as these values, resolved
/// from their names once when a file is read; the name is kept only to be
/// printed. The enum is `indirect` so that a value is one reference (a block
/// format holds two scalar formats and would otherwise be copied whole
/// wherever an op's role formats travel).
public indirect enum NumberFormat: Sendable, Hashable, CustomStringConvertible {
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
