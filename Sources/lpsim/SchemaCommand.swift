import ArgumentParser
import Documents
import Foundation
import Hardware
import Simulator

/// `lpsim schema`: the JSON Schema of the hardware language, generated from
/// the families lpsim registers (`FamilyRegistry.standard`), so that editors
/// and CI validate hardware files against exactly what the loader accepts.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the hardware language (docs/schema/hardware.schema.json)."
    )

    @Option(name: .shortAndLong, help: "Write the schema to this file instead of standard output.")
    var output: String?

    func run() throws {
        var schema = try HardwareSchema.jsonSchema(.standard)
        schema.append(UInt8(ascii: "\n"))
        if let output {
            try reportingErrors { try writeAtomically(schema, to: output) }
        } else {
            FileHandle.standardOutput.write(schema)
        }
    }
}
