import Foundation

/// The keys of the hardware language, section by section. The loader
/// accepts exactly these (anything else is an unknown-key error), and a test
/// keeps `docs/schema/hardware.schema.json` in step with them. Family
/// sections come from the families themselves (`FamilySpec.schemaSections`).
public enum HardwareSchema {
    /// Top-level keys shared by every family; each family adds its section's name.
    public static let top = ["name", "family", "source", "extends", "technology", "clock", "power",
                             "memory", "datapath"]
    public static let technology = ["node", "voltage", "source"]
    public static let power = ["tdp", "static", "mac_overhead", "source"]
    public static let memoryLevel = ["name", "kind", "capacity", "bandwidth", "energy_per_byte", "holds", "achievable",
                                     "source"]
    public static let datapath = ["formats", "multiplier", "accumulator", "block_scale", "cost_overrides",
                                  "dot_product_lanes"]
    public static let accumulator = ["kind", "bits", "overflow", "format", "kept_bits", "promotion_interval", "source"]
    public static let costOverride = ["unit", "format", "energy", "area", "delay", "source"]
    public static let rate = ["macs", "source"]

    /// Every section, by its schema definition name, the families' included.
    public static func sections(_ families: FamilyRegistry) -> [String: [String]] {
        var all: [String: [String]] = [
            "top": top + families.names, "technology": technology, "power": power, "memoryLevel": memoryLevel,
            "datapath": datapath, "accumulator": accumulator, "costOverride": costOverride, "rate": rate,
        ]
        for family in families.families {
            for (name, keys) in family.schemaSections { all[name] = keys }
        }
        return all
    }
}

extension HardwareSchema {
    /// The JSON Schema (draft-07) of the hardware language with `families`:
    /// the shared definitions, each family's fragment, partial variants for
    /// files that `extends:` a parent, and `family:` as the registry's names.
    /// Written to `docs/schema/hardware.schema.json` by `lpsim schema`.
    public static func jsonSchema(_ families: FamilyRegistry) throws -> Data {
        func object(_ text: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        }
        let shared = try object(sharedDefinitions)
        var definitions = shared["definitions"] as? [String: Any] ?? [:]
        for family in families.families {
            for (name, fragment) in try object(family.schemaDefinitions) { definitions[name] = fragment }
        }
        // A file that extends another may leave out what its parent gives: partial sections.
        for name in ["technology", "power", "datapath"] + families.names {
            guard var partial = definitions[name] as? [String: Any] else { continue }
            partial["required"] = [String]()
            definitions["partial_" + name] = partial
        }
        func top(_ prefix: String) -> [String: Any] {
            func ref(_ name: String) -> [String: Any] { ["$ref": "#/definitions/\(prefix)\(name)"] }
            var properties: [String: Any] = [
                "name": ["type": "string"], "family": ["enum": families.names], "source": ["type": "string"],
                "extends": ["type": "string"], "technology": ref("technology"), "clock": shared["clock"] ?? [:],
                "power": ref("power"), "datapath": ref("datapath"),
                "memory": ["type": "array", "minItems": 1, "items": ["$ref": "#/definitions/memoryLevel"]],
            ]
            for name in families.names { properties[name] = ref(name) }
            return ["additionalProperties": false, "properties": properties]
        }
        var complete = top("")
        complete["required"] = ["name", "family", "technology", "clock", "memory", "datapath"]
        let schema: [String: Any] = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://github.com/lpsim/lpsim/docs/schema/hardware.schema.json",
            "title": "lpsim hardware description",
            "description": "A device for lpsim (see the README, 'Describe your own hardware'). Keys are checked "
                + "strictly; a file with 'extends:' may omit what its parent gives.",
            "type": "object", "if": ["required": ["extends"]], "then": top("partial_"), "else": complete,
            "definitions": definitions,
        ]
        return try JSONSerialization.data(withJSONObject: schema,
                                          options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
