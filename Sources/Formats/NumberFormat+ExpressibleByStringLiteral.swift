extension NumberFormat: ExpressibleByStringLiteral {
    /// A format written as a literal in code (`[.weight: "int4"]`), looked up
    /// in the catalog.
    ///
    /// A literal is part of the program, not its input: a name the catalog
    /// does not know is a programming error and traps. Names that come from
    /// files or options go through `FormatCatalog.format(named:)`, which throws.
    public init(stringLiteral name: String) {
        do throws(FormatError) { self = try FormatCatalog.format(named: name) } catch {
            preconditionFailure("format literal '\(name)': \(error)")
        }
    }
}
