#!/usr/bin/env python3
"""Record how SCALE-Sim v3 reads topology CSVs (ofmap size, MACs, window size, filters per
layer), so that lpsim's importer is checked against SCALE-Sim's own code.

    python3 -m venv /tmp/ss && /tmp/ss/bin/pip install scalesim "numpy<2"
    /tmp/ss/bin/python scripts/generate_scalesim_fixtures.py
"""
import json
import os

from scalesim.topology_utils import topologies

HERE = os.path.join(os.path.dirname(__file__), "..", "Tests", "WorkloadTests", "Fixtures")

for name, gemm in [("resnet18-scalesim.csv", False), ("gemm-scalesim.csv", True)]:
    topo = topologies()
    topo.load_arrays(topofile=os.path.join(HERE, name), mnk_inputs=gemm)
    topo.topo_calc_hyperparams()
    layers = []
    for i in range(topo.num_layers):
        m, n, k = topo.get_transformed_mnk_dimensions()[i]
        layers.append({"name": topo.get_layer_name(i), "ofmap_px": int(m), "filters": int(n), "window": int(k),
                       "macs": int(topo.get_layer_mac_ops(i))})
    out = os.path.join(HERE, name.replace(".csv", ".expected.json"))
    with open(out, "w") as f:
        json.dump(layers, f, indent=1)
        f.write("\n")
    print(out, len(layers), "layers")
