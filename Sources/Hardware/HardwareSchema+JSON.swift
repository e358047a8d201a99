/// The JSON Schema definitions shared by every family (draft-07): quantities
/// with their unit patterns, the shared sections, and small definitions family
/// fragments refer to (`positiveInteger`, `rates`, `bytes`, `bandwidth`, `time`, `fraction`,
/// `format`, `text`). `HardwareSchema.jsonSchema` adds each family's fragment.
extension HardwareSchema {
    static let sharedDefinitions = #"""
{
 "clock": {
  "description": "e.g. '1.98 GHz', greater than zero",
  "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(Hz|kHz|MHz|GHz)$",
  "type": "string"
 },
 "definitions": {
  "accumulator": {
   "additionalProperties": false,
   "allOf": [
    {
     "if": {
      "properties": {
       "kind": {
        "const": "fp"
       }
      }
     },
     "then": {
      "properties": {
       "bits": false,
       "overflow": false
      }
     }
    },
    {
     "if": {
      "properties": {
       "kind": {
        "const": "int"
       }
      }
     },
     "then": {
      "properties": {
       "format": false,
       "kept_bits": false
      }
     }
    }
   ],
   "properties": {
    "bits": {
     "maximum": 64,
     "minimum": 2,
     "type": "integer"
    },
    "format": {
     "description": "a format name (see 'lpsim formats')",
     "type": "string"
    },
    "kept_bits": {
     "maximum": 64,
     "minimum": 2,
     "type": "integer"
    },
    "kind": {
     "enum": [
      "int",
      "fp"
     ]
    },
    "overflow": {
     "enum": [
      "wrap",
      "saturate"
     ]
    },
    "promotion_interval": {
     "minimum": 1,
     "type": "integer"
    },
    "source": {
     "type": "string"
    }
   },
   "required": [
    "kind"
   ],
   "type": "object"
  },
  "bandwidth": {
   "description": "e.g. '3.35 TB/s', greater than zero",
   "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(B/s|kB/s|MB/s|GB/s|TB/s|KiB/s|MiB/s|GiB/s|TiB/s)$",
   "type": "string"
  },
  "bytes": {
   "description": "e.g. '64 KiB', greater than zero",
   "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB|bit|Kib|Mib|Gib)$",
   "type": "string"
  },
  "costOverride": {
   "additionalProperties": false,
   "properties": {
    "area": {
     "description": "e.g. '300 um2', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(m2|mm2|mm²|um2|µm2|µm²|um²)$",
     "type": "string"
    },
    "delay": {
     "description": "e.g. '0.4 ns', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(s|ms|us|µs|ns|ps)$",
     "type": "string"
    },
    "energy": {
     "description": "e.g. '0.2 pJ', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(J|mJ|uJ|µJ|nJ|pJ|fJ)$",
     "type": "string"
    },
    "format": {
     "description": "a format name (see 'lpsim formats')",
     "type": "string"
    },
    "source": {
     "type": "string"
    },
    "unit": {
     "enum": [
      "multiplier",
      "lmul",
      "adder",
      "accumulator"
     ]
    }
   },
   "required": [
    "unit",
    "format",
    "energy",
    "area",
    "delay"
   ],
   "type": "object"
  },
  "datapath": {
   "additionalProperties": false,
   "properties": {
    "accumulator": {
     "$ref": "#/definitions/accumulator"
    },
    "block_scale": {
     "items": {
      "description": "a format name (see 'lpsim formats')",
      "type": "string"
     },
     "type": "array"
    },
    "cost_overrides": {
     "items": {
      "$ref": "#/definitions/costOverride"
     },
     "type": "array"
    },
    "dot_product_lanes": {
     "maximum": 4096,
     "minimum": 1,
     "type": "integer"
    },
    "formats": {
     "items": {
      "description": "a format name (see 'lpsim formats')",
      "type": "string"
     },
     "minItems": 1,
     "type": "array"
    },
    "multiplier": {
     "enum": [
      "exact",
      "lmul",
      "binary"
     ]
    }
   },
   "required": [
    "formats",
    "accumulator"
   ],
   "type": "object"
  },
  "format": {
   "description": "a format name (see 'lpsim formats')",
   "type": "string"
  },
  "fraction": {
   "maximum": 1,
   "minimum": 0,
   "type": "number"
  },
  "frequency": {
   "description": "e.g. '1.98 GHz', greater than zero",
   "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(Hz|kHz|MHz|GHz)$",
   "type": "string"
  },
  "memoryLevel": {
   "additionalProperties": false,
   "properties": {
    "achievable": {
     "exclusiveMinimum": 0,
     "maximum": 1,
     "type": "number"
    },
    "bandwidth": {
     "description": "e.g. '3.35 TB/s', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(B/s|kB/s|MB/s|GB/s|TB/s|KiB/s|MiB/s|GiB/s|TiB/s)$",
     "type": "string"
    },
    "capacity": {
     "description": "e.g. '50 MiB', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB|bit|Kib|Mib|Gib)$",
     "type": "string"
    },
    "energy_per_byte": {
     "description": "e.g. '7 pJ/B'",
     "pattern": "^\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(J/B|pJ/B|fJ/B|nJ/B|pJ/bit)$",
     "type": "string"
    },
    "holds": {
     "items": {
      "enum": [
       "weight",
       "input",
       "output",
       "accumulator"
      ]
     },
     "type": "array"
    },
    "kind": {
     "enum": [
      "registers",
      "sram",
      "cache",
      "bram",
      "uram",
      "tcm",
      "hbm",
      "dram",
      "ddr",
      "gddr6",
      "gddr6x",
      "gddr7",
      "lpddr5"
     ]
    },
    "name": {
     "type": "string"
    },
    "source": {
     "type": "string"
    }
   },
   "required": [
    "name",
    "kind",
    "capacity",
    "bandwidth",
    "energy_per_byte"
   ],
   "type": "object"
  },
  "nonNegativeInteger": {
   "minimum": 0,
   "type": "integer"
  },
  "positiveInteger": {
   "minimum": 1,
   "type": "integer"
  },
  "positiveNumber": {
   "exclusiveMinimum": 0,
   "type": "number"
  },
  "power": {
   "additionalProperties": false,
   "properties": {
    "mac_overhead": {
     "description": "e.g. '1.2 pJ'",
     "pattern": "^\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(J|mJ|uJ|µJ|nJ|pJ|fJ)$",
     "type": "string"
    },
    "source": {
     "type": "string"
    },
    "static": {
     "description": "e.g. '60 W'",
     "pattern": "^\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(W|mW|uW|µW|kW)$",
     "type": "string"
    },
    "tdp": {
     "description": "e.g. '700 W', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(W|mW|uW|µW|kW)$",
     "type": "string"
    }
   },
   "required": [],
   "type": "object"
  },
  "rate": {
   "oneOf": [
    {
     "exclusiveMinimum": 0,
     "type": "number"
    },
    {
     "additionalProperties": false,
     "properties": {
      "macs": {
       "exclusiveMinimum": 0,
       "type": "number"
      },
      "source": {
       "type": "string"
      }
     },
     "required": [
      "macs"
     ],
     "type": "object"
    }
   ]
  },
  "rates": {
   "additionalProperties": {
    "$ref": "#/definitions/rate"
   },
   "minProperties": 1,
   "type": "object"
  },
  "technology": {
   "additionalProperties": false,
   "properties": {
    "node": {
     "description": "e.g. '7 nm', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(m|mm|um|µm|nm)$",
     "type": "string"
    },
    "source": {
     "type": "string"
    },
    "voltage": {
     "description": "e.g. '0.9 V', greater than zero",
     "pattern": "^\\+?(?!0*\\.?0*([eE][+-]?\\d+)? ?[^\\d.eE+-])(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(V|mV)$",
     "type": "string"
    }
   },
   "required": [
    "node"
   ],
   "type": "object"
  },
  "text": {
   "type": "string"
  },
  "time": {
   "description": "e.g. '4 us'",
   "pattern": "^\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)? ?(s|ms|us|µs|ns|ps)$",
   "type": "string"
  }
 }
}
"""#
}
