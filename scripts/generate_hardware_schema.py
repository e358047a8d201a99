#!/usr/bin/env python3
"""Write docs/schema/hardware.schema.json (JSON Schema draft-07) for lpsim's hardware
language. The Swift test HardwareSchemaTests keeps its keys in step with the decoder
(Sources/Hardware/HardwareSchema.swift); scripts/check_schema.py runs it on the files.

    python3 scripts/generate_hardware_schema.py
"""
import copy
import json
import os

NUMBER = r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
NONZERO = r"(?!0*\.?0*([eE][+-]?\d+)? ?[^\d.eE+-])"


def quantity(units, example, zero=False):
    alternatives = "|".join(u.replace(".", r"\.") for u in units)
    pattern = "^\\+?" + ("" if zero else NONZERO) + NUMBER + " ?(" + alternatives + ")$"
    return {"type": "string", "pattern": pattern, "description": f"e.g. '{example}'" + ("" if zero else ", greater than zero")}


FREQUENCY = ["Hz", "kHz", "MHz", "GHz"]
BANDWIDTH = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"]
BYTES = ["B", "kB", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "bit", "Kib", "Mib", "Gib"]
ENERGY = ["J", "mJ", "uJ", "µJ", "nJ", "pJ", "fJ"]
POWER = ["W", "mW", "uW", "µW", "kW"]
TIME = ["s", "ms", "us", "µs", "ns", "ps"]
LENGTH = ["m", "mm", "um", "µm", "nm"]
VOLTAGE = ["V", "mV"]
AREA = ["m2", "mm2", "mm²", "um2", "µm2", "µm²", "um²"]
ENERGY_PER_BYTE = ["J/B", "pJ/B", "fJ/B", "nJ/B", "pJ/bit"]

POS_INT = {"type": "integer", "minimum": 1}
NONNEG_INT = {"type": "integer", "minimum": 0}
POS_NUM = {"type": "number", "exclusiveMinimum": 0}
FORMAT = {"type": "string", "description": "a format name (see 'lpsim formats')"}
TEXT = {"type": "string"}
RATES = {"type": "object", "minProperties": 1, "additionalProperties": {"$ref": "#/definitions/rate"}}


def section(required, properties, **extra):
    return {"type": "object", "additionalProperties": False, "required": required, "properties": properties, **extra}


DEFINITIONS = {
    "technology": section(["node"], {"node": quantity(LENGTH, "7 nm"), "voltage": quantity(VOLTAGE, "0.9 V"), "source": TEXT}),
    "power": section([], {"tdp": quantity(POWER, "700 W"), "static": quantity(POWER, "60 W", zero=True),
                          "mac_overhead": quantity(ENERGY, "1.2 pJ", zero=True), "source": TEXT}),
    "memoryLevel": section(["name", "kind", "capacity", "bandwidth", "energy_per_byte"], {
        "name": TEXT, "kind": {"enum": ["registers", "sram", "cache", "bram", "uram", "tcm", "hbm", "dram", "ddr"]},
        "capacity": quantity(BYTES, "50 MiB"), "bandwidth": quantity(BANDWIDTH, "3.35 TB/s"),
        "energy_per_byte": quantity(ENERGY_PER_BYTE, "7 pJ/B", zero=True),
        "holds": {"type": "array", "items": {"enum": ["weight", "input", "output", "accumulator"]}},
        "achievable": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}, "source": TEXT}),
    "datapath": section(["formats", "accumulator"], {
        "formats": {"type": "array", "minItems": 1, "items": FORMAT}, "multiplier": {"enum": ["exact", "lmul", "binary"]},
        "accumulator": {"$ref": "#/definitions/accumulator"}, "block_scale": {"type": "array", "items": FORMAT},
        "cost_overrides": {"type": "array", "items": {"$ref": "#/definitions/costOverride"}},
        "dot_product_lanes": {"type": "integer", "minimum": 1, "maximum": 4096}}),
    "accumulator": section(["kind"], {
        "kind": {"enum": ["int", "fp"]}, "bits": {"type": "integer", "minimum": 2, "maximum": 64},
        "overflow": {"enum": ["wrap", "saturate"]}, "format": FORMAT, "kept_bits": {"type": "integer", "minimum": 2, "maximum": 64},
        "promotion_interval": POS_INT, "source": TEXT},
        allOf=[{"if": {"properties": {"kind": {"const": "fp"}}}, "then": {"properties": {"bits": False, "overflow": False}}},
               {"if": {"properties": {"kind": {"const": "int"}}}, "then": {"properties": {"format": False, "kept_bits": False}}}]),
    "costOverride": section(["unit", "format", "energy", "area", "delay"], {
        "unit": {"enum": ["multiplier", "lmul", "adder", "accumulator"]}, "format": FORMAT,
        "energy": quantity(ENERGY, "0.2 pJ"), "area": quantity(AREA, "300 um2"), "delay": quantity(TIME, "0.4 ns"), "source": TEXT}),
    "rate": {"oneOf": [POS_NUM, section(["macs"], {"macs": POS_NUM, "source": TEXT})]},
    "gpu": section(["sms", "tensor_cores_per_sm", "dense_macs_per_clock"], {
        "sms": POS_INT, "tensor_cores_per_sm": POS_INT, "dense_macs_per_clock": RATES, "binary_macs_per_clock": POS_NUM,
        "launch_overhead": quantity(TIME, "4 us", zero=True),
        "tiles": {"type": "array", "items": {"type": "array", "minItems": 3, "maxItems": 3, "items": POS_INT}},
        "sustained_fraction": RATES}),
    "systolic": section(["rows", "columns", "dataflow", "buffers", "macs_per_pe_per_clock"], {
        "rows": POS_INT, "columns": POS_INT, "dataflow": {"enum": ["os", "ws", "is"]},
        "buffers": {"$ref": "#/definitions/buffers"}, "macs_per_pe_per_clock": RATES}),
    "buffers": section(["ifmap", "filter", "ofmap"], {
        "ifmap": quantity(BYTES, "64 KiB"), "filter": quantity(BYTES, "64 KiB"), "ofmap": quantity(BYTES, "64 KiB")}),
    "fpga": section(["luts", "ffs", "dsps", "dsp_type", "bram_36k", "dsp_packing"], {
        "part": TEXT, "luts": POS_INT, "ffs": POS_INT, "dsps": POS_INT, "dsp_type": {"enum": ["dsp48e2", "dsp58"]},
        "bram_36k": NONNEG_INT, "uram": NONNEG_INT, "dsp_packing": RATES, "lut_fraction": {"type": "number", "minimum": 0, "maximum": 1}}),
    "dsp": section(["vector_units", "vector_width_bits", "macs_per_lane_per_cycle"], {
        "vector_units": POS_INT, "vector_width_bits": {"type": "integer", "minimum": 8}, "macs_per_lane_per_cycle": RATES,
        "vliw_slots": POS_INT}),
}

TOP_REQUIRED = ["name", "family", "technology", "clock", "memory", "datapath"]


def top(definitions_prefix):
    ref = lambda name: {"$ref": f"#/definitions/{definitions_prefix}{name}"}
    return {
        "name": TEXT, "family": {"enum": ["gpu", "systolic", "fpga", "dsp"]}, "source": TEXT, "extends": TEXT,
        "technology": ref("technology"), "clock": quantity(FREQUENCY, "1.98 GHz"), "power": ref("power"),
        "memory": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/memoryLevel"}},
        "datapath": ref("datapath"), "gpu": ref("gpu"), "systolic": ref("systolic"), "fpga": ref("fpga"), "dsp": ref("dsp"),
    }


def main():
    definitions = copy.deepcopy(DEFINITIONS)
    # A file that extends another may leave out what its parent gives: partial sections.
    for name in ["technology", "power", "datapath", "gpu", "systolic", "fpga", "dsp"]:
        partial = copy.deepcopy(DEFINITIONS[name])
        partial["required"] = []
        definitions["partial_" + name] = partial
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/lpsim/lpsim/docs/schema/hardware.schema.json",
        "title": "lpsim hardware description",
        "description": "A device for lpsim (see the README, 'Describe your own hardware'). Keys are checked "
                       "strictly; a file with 'extends:' may omit what its parent gives.",
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"additionalProperties": False, "properties": top("partial_")},
        "else": {"additionalProperties": False, "required": TOP_REQUIRED, "properties": top("")},
        "definitions": definitions,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "docs", "schema", "hardware.schema.json")
    with open(path, "w") as f:
        json.dump(schema, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
