#!/usr/bin/env python3
"""`chimescope doctor` for a user in 50 channels, against the emulator (issue 26): the requests
it makes (by operation, from the emulator's request log) and its wall time at the default rate
(10 Messaging reads a second, `[aws] rate`), and with `[aws] rate = 1000` for comparison.

    cargo build && python3 benches/doctor_memberships.py [--bin target/debug/chimescope]
        [--channels 50] [--runs 3]

The seed (one app instance, one user with one APNs endpoint, N channels: a third muted, a third
filtered, a third open) is written to a temporary directory under target/ and removed.
Public tools only: Python.
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INST = "arn:aws:chime:us-east-1:123456789012:app-instance/doctor-bench"
USER = INST + "/user/member"
APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def seed(channels):
    chans, members = [], []
    for i in range(channels):
        arn = f"{INST}/channel/c-{i:03}"
        chans.append({"ChannelArn": arn, "Name": f"c-{i:03}", "Privacy": "PUBLIC", "Mode": "UNRESTRICTED"})
        m = {"ChannelArn": arn, "Member": {"Arn": USER}, "Type": "DEFAULT"}
        if i % 3 == 0:
            m["Preferences"] = {"PushNotifications": {"AllowNotifications": "NONE"}}
        elif i % 3 == 1:
            m["Preferences"] = {"PushNotifications": {"AllowNotifications": "FILTERED",
                                                      "FilterRule": '{"mention":["member"]}'}}
        members.append(m)
    return {
        "AppInstances": [{"AppInstanceArn": INST, "Name": "doctor bench"}],
        "AppInstanceUsers": [{"AppInstanceUserArn": USER, "Name": "member"}],
        "AppInstanceUserEndpoints": [{
            "AppInstanceUserArn": USER, "EndpointId": "ep-1", "Name": "Phone", "Type": "APNS",
            "ResourceArn": APP, "EndpointAttributes": {"DeviceToken": "ab" * 32},
            "AllowMessages": "ALL", "EndpointState": {"Status": "ACTIVE"}}],
        "PinpointApps": [{"Arn": APP, "Name": "bench",
                          "Channels": {"APNS": {"Enabled": True, "DefaultAuthenticationMethod": "TOKEN"}}}],
        "Channels": chans,
        "ChannelMemberships": members,
    }


class Emulator:
    def __init__(self, binary, seed_path):
        self.p = subprocess.Popen([binary, "emulator", "--seed", seed_path], stdout=subprocess.PIPE)
        line = self.p.stdout.readline().decode()
        assert line.startswith("listening on "), line
        self.url = line.split()[-1]

    def requests(self):
        out, since = [], 0
        for _ in range(20):
            with urllib.request.urlopen(f"{self.url}/_chimescope/requests?since={since}") as r:
                page = json.load(r)
            out.extend(page["Requests"])
            since = page["NextSince"]
            if not page.get("More"):
                break
        return out

    def stop(self):
        self.p.terminate()
        self.p.wait()


def run(binary, url, home, rate):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    cfg = os.path.join(home, "config", "chimescope")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "config.toml"), "w") as f:
        f.write(f"[aws]\nrate = {rate}\n" if rate else "")
    t0 = time.monotonic()
    p = subprocess.run([binary, "doctor", "--app-instance-user-arn", USER, "--endpoint-url", url],
                       env=env, capture_output=True)
    wall = time.monotonic() - t0
    out = json.loads(p.stdout)
    return wall, p.returncode, len(out.get("Memberships", []))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/debug/chimescope"))
    ap.add_argument("--channels", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(os.path.join(ROOT, "target"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="doctor-bench-", dir=os.path.join(ROOT, "target"))
    try:
        path = os.path.join(tmp, "seed.json")
        with open(path, "w") as f:
            json.dump(seed(a.channels), f)
        emu = Emulator(a.bin, path)
        try:
            for label, rate in (("default rate (10/s)", None), ("rate 1000/s", 1000)):
                walls = []
                for _ in range(a.runs):
                    before = len(emu.requests())
                    wall, code, n = run(a.bin, emu.url, tmp, rate)
                    walls.append(wall)
                    reqs = emu.requests()[before:]
                assert n == a.channels, (n, a.channels)
                ops = {}
                for r in reqs:
                    ops[r["Operation"]] = ops.get(r["Operation"], 0) + 1
                walls.sort()
                print(f"{label}: {a.channels} memberships, exit {code}, wall median "
                      f"{walls[len(walls) // 2]:.2f} s (min {walls[0]:.2f}, max {walls[-1]:.2f}), "
                      f"{len(reqs)} requests a run:")
                for op, c in sorted(ops.items()):
                    print(f"    {c:4}  {op}")
        finally:
            emu.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
