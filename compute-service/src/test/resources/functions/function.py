# A function following the substra-tools 1.0 contract by hand (no substratools here): it reads
# @arguments.txt, --function-name, --task-properties, --inputs and --outputs.
import importlib.util
import json
import os
import sys
import time


def arguments(argv):
    expanded = []
    for arg in argv:
        if arg.startswith("@"):
            with open(arg[1:]) as lines:
                expanded += [line.rstrip("\n") for line in lines]
        else:
            expanded.append(arg)
    options = {}
    for i in range(0, len(expanded) - 1, 2):
        options[expanded[i]] = expanded[i + 1]
    return options


def resources(text):
    grouped = {}
    for resource in json.loads(text.replace("\\", "/")):
        assert set(resource) == {"id", "value", "multiple"}, resource
        grouped.setdefault(resource["id"], []).append(resource["value"])
    return grouped


options = arguments(sys.argv[1:])
name = options["--function-name"]
inputs = resources(options.get("--inputs", "[]"))
outputs = {k: v[0] for k, v in resources(options.get("--outputs", "[]")).items()}
rank = json.loads(options["--task-properties"])["rank"]
print(f"{name} rank {rank} pid {os.getpid()} started {time.time():.6f}", flush=True)

data = []
if "opener" in inputs:
    spec = importlib.util.spec_from_file_location("opener", inputs["opener"][0])
    opener = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(opener)
    data = opener.get_data(inputs.get("datasamples", []))


def read(path):
    with open(path) as f:
        return float(f.read())


def write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


if name == "train":
    write(outputs["model"], sum(read(p) for p in inputs.get("models", [])) + sum(data))
elif name == "aggregate":
    models = [read(p) for p in inputs["models"]]
    write(outputs["model"], sum(models) / len(models))
elif name == "predict":
    write(outputs["predictions"], read(inputs["models"][0]) * len(data))
elif name == "score":
    with open(outputs["performance"], "w") as f:
        json.dump({"all": read(inputs["predictions"][0])}, f)
elif name == "chainkeys":
    with open(os.path.join(inputs["chainkeys"][0], "chainkeys.json")) as f:
        keys = json.load(f)["chain_keys"]
    write(outputs["model"], sum(sum(values) for values in keys.values()))
elif name == "fail":
    print("something went wrong on purpose", file=sys.stderr, flush=True)
    sys.exit(3)
elif name == "noop":
    write(outputs["model"], 0)
elif name == "nap":
    time.sleep(1.5)
    write(outputs["model"], sum(data))
    print(f"ended {time.time():.6f}", flush=True)
elif name == "slow":
    time.sleep(10)
    write(outputs["model"], sum(data))
elif name == "sleep":
    time.sleep(600)
    write(outputs["model"], 0)
else:
    sys.exit(f"unknown function {name}")
