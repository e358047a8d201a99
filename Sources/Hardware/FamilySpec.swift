import Arithmetic
import Documents
import Formats

/// What a datapath family says about a device it describes: the family's
/// name, its YAML section (keys, schema, decoding) and the figures the
/// hardware layer derives from it (MAC rates, vector rate, family checks).
///
/// Families are not listed here: a `FamilyRegistry` handed to the loader
/// names them, so a family is a type any package can add. The simulator
/// refines this protocol with the family's mapping and timing
/// (`DatapathFamily` in the Simulator module).
public protocol FamilySpec: Sendable {
    /// The `family:` value, which is also the name of the family's section.
    static var name: String { get }
    /// The keys of the section and of each mapping nested in it, by schema
    /// definition name; the section itself is listed under `name`.
    static var schemaSections: [String: [String]] { get }
    /// The JSON Schema definitions of those sections: JSON text of one object
    /// (definition name → schema), merged into `docs/schema/hardware.schema.json`.
    static var schemaDefinitions: String { get }
    /// Required keys of the section, for the schema.
    static var requiredKeys: [String] { get }
    /// The multipliers the family can build (`datapath.multiplier`).
    static var multipliers: [Datapath.MultiplierKind] { get }
    /// The key of the section's per-format MAC-rate table (every format it
    /// rates must be one `datapath.formats` lists), or nil when the family
    /// derives its rates (a precision-scalable array).
    static var rateKey: String? { get }

    /// Decodes the family's section; `datapath` is decoded before it.
    ///
    /// - Throws: `Diagnostic` at the offending node.
    static func decode(_ section: YAMLValue, datapath: Datapath) throws -> Self

    /// Dense MACs per clock cycle over the whole device for `format`, or nil
    /// when the device does not execute it.
    func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double?
    /// The formats with a MAC rate, in the order the file lists them.
    func executableFormats(_ datapath: Datapath) -> [NumberFormat]
    /// Non-MAC operations (elementwise, softmax, norm) per cycle.
    var vectorOpsPerCycle: Double { get }
    /// Checks that need the whole model (a budget, a multiplier the family
    /// cannot host); may append warnings.
    ///
    /// - Throws: `Diagnostic` at a node of `section` or `datapath`.
    func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws
    /// The units one MAC of `format` uses when the family builds it in its
    /// own way (bit decomposition on binary tensor cores, fused bit bricks),
    /// or nil for the datapath's scalar multiplier.
    func macUnits(_ format: NumberFormat, datapath: Datapath) -> [(ArithmeticUnit, Double)]?
    /// A per-format resource table for reports (header, rows), if the family has one.
    func resourceTable(_ model: HardwareModel) -> (header: [String], rows: [[String]])?
    /// The integer accumulator width a MAC of `format` sums into where the family's units fix it whatever
    /// `datapath.accumulator` says (a GPU's integer MMAs accumulate in INT32), or nil for the file's accumulator.
    func integerAccumulatorBits(_ format: NumberFormat) -> Int?
    /// Whether a MAC of `format` sums into an accumulator the family's own units size to add without
    /// error, whatever `datapath.accumulator` says (an FPGA's LUT-built minifloat MACs carry a fixed-point
    /// accumulator spanning their products' exponent range and K, as `FPGAResources` prices them).
    func accumulatesExactly(_ format: NumberFormat) -> Bool
}

extension FamilySpec {
    public func check(_ model: inout HardwareModel, section: YAMLValue, datapath: YAMLValue) throws {}
    public func macUnits(_ format: NumberFormat, datapath: Datapath) -> [(ArithmeticUnit, Double)]? { nil }
    public func resourceTable(_ model: HardwareModel) -> (header: [String], rows: [[String]])? { nil }
    public func integerAccumulatorBits(_ format: NumberFormat) -> Int? { nil }
    public func accumulatesExactly(_ format: NumberFormat) -> Bool { false }
    public static var requiredKeys: [String] { [] }
    public static var multipliers: [Datapath.MultiplierKind] { [.exact, .lmul] }
}

/// The families a loader accepts, in the order `family:` errors list them.
public struct FamilyRegistry: Sendable {
    public let families: [any FamilySpec.Type]

    public init(_ families: [any FamilySpec.Type]) { self.families = families }

    public var names: [String] { families.map { $0.name } }

    public func family(named name: String) -> (any FamilySpec.Type)? { families.first { $0.name == name } }
}
