"""Reads a whole-model HDF5 file with h5py and checks its `model_config` has the structure Keras 2.11 writes
(keras/engine/functional.py get_network_config, keras/engine/sequential.py get_config). Prints one line per layer,
nested models indented: `name class_name inbound=<json of inbound_nodes>`, then the model's input/output layers.

usage: model_config_check.py MODEL.h5
"""
import json, sys
import h5py


def check_model(entry, indent=""):
    assert set(entry) >= {"class_name", "config"}, entry.keys()
    config = entry["config"]
    names = [layer["config"]["name"] if entry["class_name"] == "Sequential" else layer["name"] for layer in config["layers"]]
    assert len(set(names)) == len(names), "duplicate layer names"
    for layer in config["layers"]:
        assert isinstance(layer["class_name"], str) and isinstance(layer["config"], dict)
        if entry["class_name"] == "Sequential":
            assert "inbound_nodes" not in layer
            print(f"{indent}{layer['config']['name']} {layer['class_name']}")
        else:
            assert layer["name"] == layer["config"]["name"], layer["name"]
            for node in layer["inbound_nodes"]:
                # A call is a list of references; an op layer (TFOpLambda) writes its one reference bare.
                for ref in [node] if isinstance(node[0], str) else node:
                    assert len(ref) == 4 and ref[0] in names and isinstance(ref[3], dict), ref
            print(f"{indent}{layer['name']} {layer['class_name']} inbound={json.dumps(layer['inbound_nodes'])}")
        if layer["class_name"] in ("Functional", "Sequential"):
            check_model(layer, indent + "  ")
    if entry["class_name"] != "Sequential":
        for ref in config["input_layers"] + config["output_layers"]:
            assert len(ref) == 3 and ref[0] in names, ref
        print(f"{indent}inputs={json.dumps(config['input_layers'])} outputs={json.dumps(config['output_layers'])}")


with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["keras_version"] == "2.11.0" and f.attrs["backend"] == "tensorflow"
    raw = f.attrs["model_config"]
    model = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    assert "model_weights" in f and "layer_names" in f["model_weights"].attrs
    check_model(model)
