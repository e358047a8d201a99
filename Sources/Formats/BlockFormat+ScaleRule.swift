extension BlockFormat.ScaleRule {
    /// The rule's name as outputs print it.
    public var displayName: String {
        switch self {
        case .sharedExponent: return "OCP MX v1.0 floor rule (2^(⌊log2 amax⌋ − emax))"
        case .sharedExponentRoundUp: return "round-up rule of arXiv 2510.25602 (2^⌈log2(amax/max)⌉)"
        case .absMax: return "absmax (amax / element max, rounded in the scale format)"
        }
    }

    /// The suffix a format name carries for a non-default power-of-two rule.
    public var nameSuffix: String {
        switch self {
        case .sharedExponent: return "@floor"
        case .sharedExponentRoundUp: return "@ceil"
        case .absMax: return ""
        }
    }
}

extension BlockFormat {
    /// The same format under another power-of-two scale rule, named
    /// `NAME@ceil` (round-up) or `NAME` (the OCP floor rule, the default), so
    /// every output that names the format names the rule too.
    ///
    /// - Throws: when the format's scale is not a power of two chosen from
    ///   the block's amax (NVFP4 and group-wise INT have absmax scales).
    public func withScaleRule(_ newRule: ScaleRule) throws(FormatError) -> BlockFormat {
        guard rule != .absMax, newRule != .absMax else {
            throw .invalidParameters("'\(name)' has absmax scales; "
                + "only MX-style power-of-two scales take @floor or @ceil")
        }
        let base = name.hasSuffix("@ceil") || name.hasSuffix("@floor") ? String(name.prefix { $0 != "@" }) : name
        return try BlockFormat(name: newRule == .sharedExponent ? base : base + newRule.nameSuffix, element: element,
                               scale: scale, blockSize: blockSize, rule: newRule, hasTensorScale: hasTensorScale)
    }
}
