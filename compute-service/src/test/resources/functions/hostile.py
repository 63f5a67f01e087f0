# A hostile function: each --function-name tries one way out of its sandbox and prints, one line
# per attempt, "ESCAPED <what>" when it got through or "blocked <what>: <error>" when it did not.
import json
import os
import socket
import subprocess
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
    return {expanded[i]: expanded[i + 1] for i in range(0, len(expanded) - 1, 2)}


options = arguments(sys.argv[1:])
name = options["--function-name"]
targets = json.loads(os.environ.get("HOSTILE_TARGETS", "{}"))


def attempt(what, action):
    try:
        action()
        print(f"ESCAPED {what}", flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is what we hope for
        print(f"blocked {what}: {type(e).__name__}: {e}", flush=True)


def read(path):
    with open(path, "rb") as f:
        f.read(1)


def listdir(path):
    os.listdir(path)


def write(path):
    with open(path, "ab") as f:
        f.write(b"hostile")


def connect(port):
    def go():
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.close()

    return go


if name == "read":
    for path in ["/etc/shadow"] + targets.get("secrets", []):
        attempt("read " + path, lambda p=path: read(p))
    for path in targets.get("folders", []):
        attempt("list " + path, lambda p=path: listdir(p))
elif name == "network":
    for port in targets.get("ports", []):
        attempt(f"connect 127.0.0.1:{port}", connect(port))
    attempt("resolve a name", lambda: socket.getaddrinfo("example.org", 443))
elif name == "write":
    for path in targets.get("writes", []):
        attempt("write " + path, lambda p=path: write(p))
    for path in targets.get("inputs", []):
        attempt("write input " + path, lambda p=path: write(p))
        attempt("chmod input " + path, lambda p=path: os.chmod(p, 0o777))
        attempt("remove input " + path, lambda p=path: os.remove(p))
        attempt("rename input " + path, lambda p=path: os.rename(p, p + ".moved"))
    with open("/task/out_models/mine", "w") as f:
        f.write("an output of my own")
    print(f"wrote my output as uid {os.getuid()}", flush=True)
elif name == "forkbomb":
    children = 0
    try:
        while True:
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            children += 1
    except OSError as e:
        print(f"blocked fork after {children} children: {e}", flush=True)
elif name == "memory":
    hoard = bytearray(1 << 30)
    print(f"ESCAPED allocated {len(hoard)} bytes", flush=True)
elif name == "hoard":
    hoard = []
    for i in range(100):
        hoard.append(bytearray(8 << 20))  # zero-filled: resident at once
        time.sleep(0.02)
    print(f"ESCAPED kept {len(hoard) * 8} MiB", flush=True)
elif name == "sleep":
    time.sleep(120)
    print("ESCAPED the timeout", flush=True)
elif name == "leftover":
    marker = targets["marker"]
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)", marker], start_new_session=True
    )
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", marker])
        os._exit(0)
    time.sleep(0.5)
    print("children left behind", flush=True)
elif name == "disk":
    for i in range(64):
        with open(f"/task/out_models/fill-{i}", "wb") as f:
            f.write(b"\0" * (1 << 20))
    time.sleep(30)
    print("ESCAPED the disk limit", flush=True)
elif name == "identity":
    print(f"uid {os.getuid()} gid {os.getgid()} pid {os.getpid()}", flush=True)
    print("env " + json.dumps(sorted(os.environ)), flush=True)
    print("processes " + json.dumps(sorted(p for p in os.listdir("/proc") if p.isdigit())), flush=True)
    print("root " + json.dumps(sorted(os.listdir("/"))), flush=True)
else:
    sys.exit(f"unknown function {name}")
