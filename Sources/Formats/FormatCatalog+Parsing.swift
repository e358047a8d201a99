extension FormatCatalog {
    /// Parses a generic spelling; `nil` when it is not one.
    static func parseGeneric(_ name: String) throws(FormatError) -> NumberFormat? {
        if let f = try parseScaleRule(name) { return f }
        if let f = try parseMinifloat(name) { return .scalar(.minifloat(f)) }
        if let f = try parseFixed(name) { return .scalar(.integer(f)) }
        if let f = try parseGroupwise(name) { return f }
        if let f = try parseInteger(name) { return .scalar(.integer(f)) }
        return nil
    }

    /// `MX@floor` (OCP v1.0, the default) and `MX@ceil` (round-up, arXiv 2510.25602).
    static func parseScaleRule(_ name: String) throws(FormatError) -> NumberFormat? {
        guard let at = name.firstIndex(of: "@") else { return nil }
        let rule: BlockFormat.ScaleRule
        switch name[name.index(after: at)...] {
        case "floor", "ocp": rule = .sharedExponent
        case "ceil", "round-up": rule = .sharedExponentRoundUp
        default:
            throw .invalidParameters("'\(name)': expected @floor (OCP MX v1.0) or @ceil "
                + "(round-up, arXiv 2510.25602) after the format")
        }
        guard case .block(let b) = try format(named: String(name[..<at])) else {
            throw .invalidParameters("'\(name)': a scale rule applies to block formats only")
        }
        return .block(try b.withScaleRule(rule))
    }

    /// `[floatN_]eXmY[bB][fn|fnuz|fnu]`.
    static func parseMinifloat(_ name: String) throws(FormatError) -> Minifloat? {
        var rest = Substring(name)
        var declaredWidth: Int?
        if rest.hasPrefix("float"), let underscore = rest.firstIndex(of: "_") {
            guard let width = Int(rest[rest.index(rest.startIndex, offsetBy: 5)..<underscore]) else { return nil }
            declaredWidth = width
            rest = rest[rest.index(after: underscore)...]
        }
        guard rest.first == "e" else { return nil }
        rest.removeFirst()
        guard let e = rest.takeInteger(), rest.first == "m" else { return nil }
        rest.removeFirst()
        guard let m = rest.takeInteger() else { return nil }
        var bias: Int?
        if rest.first == "b" {
            rest.removeFirst()
            guard let b = rest.takeInteger() else { return nil }
            bias = b
        }
        let specials: SpecialValues
        switch rest {
        case "": specials = .ieee
        case "fn": specials = .fn
        case "fnuz": specials = .fnuz
        case "fnu": specials = .fnu
        default: return nil
        }
        let format = try Minifloat(exponentBits: e, mantissaBits: m, bias: bias, specials: specials)
        if let declaredWidth, declaredWidth != format.bitWidth {
            throw .invalidParameters("'\(name)' declares \(declaredWidth) bits but e\(e)m\(m) has \(format.bitWidth)")
        }
        return format
    }

    /// `fixed<W,F>` and `ufixed<W,F>`.
    static func parseFixed(_ name: String) throws(FormatError) -> IntegerFormat? {
        let unsigned = name.hasPrefix("ufixed<")
        guard unsigned || name.hasPrefix("fixed<"), name.hasSuffix(">") else { return nil }
        let inner = name.dropFirst(unsigned ? 7 : 6).dropLast()
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0].trimmingSpacesSub), let f = Int(parts[1].trimmingSpacesSub) else {
            throw .invalidParameters("'\(name)': expected fixed<W,F> with integers W (total bits) "
                + "and F (fraction bits)")
        }
        return try IntegerFormat(bits: w, kind: unsigned ? .unsigned : .twosComplement, fractionBits: f)
    }

    /// `intN`, `uintN`, `intN_sym`, `bipolarN`.
    static func parseInteger(_ name: String) throws(FormatError) -> IntegerFormat? {
        var rest = Substring(name)
        let kind: IntegerFormat.Kind
        if rest.hasPrefix("uint") { kind = .unsigned; rest = rest.dropFirst(4) }
        else if rest.hasPrefix("int") { kind = .twosComplement; rest = rest.dropFirst(3) }
        else if rest.hasPrefix("bipolar") { kind = .bipolar; rest = rest.dropFirst(7) }
        else { return nil }
        guard let bits = rest.takeInteger() else { return nil }
        if rest == "_sym" && kind == .twosComplement {
            return try IntegerFormat(bits: bits, kind: .symmetric)
        }
        guard rest.isEmpty else { return nil }
        return try IntegerFormat(bits: bits, kind: kind)
    }

    /// `[u]intN_gK[_SCALE]`: group-wise INT with an absmax scale per K
    /// elements, FP16 unless a scalar `SCALE` format is named (`uint4_g32_fp32`,
    /// `int8_g64_bf16`: the spellings the ONNX importer writes for blocked
    /// and per-channel scales). A zero point per group is not counted in the bits.
    static func parseGroupwise(_ name: String) throws(FormatError) -> NumberFormat? {
        let unsigned = name.hasPrefix("uint")
        guard unsigned || name.hasPrefix("int"), let range = name.range(of: "_g") else { return nil }
        guard let bits = Int(name[name.index(name.startIndex, offsetBy: unsigned ? 4 : 3)..<range.lowerBound]) else {
            return nil
        }
        let tail = name[range.upperBound...]
        let groupText = tail.prefix { $0 != "_" }
        guard let group = Int(groupText) else { return nil }
        var scale = fp16
        if groupText.endIndex < tail.endIndex {
            let scaleName = String(tail[tail.index(after: groupText.endIndex)...])
            guard case .scalar(let s)? = try? format(named: scaleName) else {
                throw .invalidParameters("'\(name)': '\(scaleName)' is not a scalar scale format")
            }
            scale = s
        }
        let element = AnyScalarFormat.integer(try IntegerFormat(bits: bits,
                                                                kind: unsigned ? .unsigned : .twosComplement))
        return .block(try BlockFormat(name: name, element: element, scale: scale, blockSize: group, rule: .absMax))
    }
}

extension Substring {
    /// Removes and returns a leading run of decimal digits (at most 9).
    mutating func takeInteger() -> Int? {
        let digits = prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else { return nil }
        removeFirst(digits.count)
        return value
    }

    var trimmingSpacesSub: String { String(self).trimmingSpaces }
}

extension String {
    func range(of needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
