import Yams

extension YAMLValue {
    /// YAML 1.1's merge key (`<<: *defaults`), which LibYAML leaves to the
    /// application: lpsim does not merge, so a `<<` key would otherwise be
    /// read as a key of its own and reported as unknown, or the keys it was
    /// meant to bring in as missing (`missing required key 'kind'`). Named
    /// for what it is instead. A quoted `"<<"` is an ordinary key.
    static func mergeKeyError(_ key: Node, in mapping: YAMLValue) -> Diagnostic {
        Diagnostic(file: mapping.sourceFile, line: key.mark?.line, column: key.mark?.column,
                   keyPath: mapping.child("<<"),
                   message: "YAML merge keys ('<<: *anchor') are not supported: write the keys out "
                       + "(an alias '*anchor' of a whole value works, and hardware files can 'extends:' another)")
    }
}
