#!/usr/bin/env python3
"""`chimescope scan` against the emulator (issue 15): rate keeping, convergence under a quota,
a 100,000-user instance's wall time and peak memory, and the requests of a resumed scan.

    cargo build --release && nice python3 benches/scan.py [--bin target/release/chimescope]
        [--only rate80,rate500,big,resume,diagnose] [--big-users 100000] [--diagnose-users 100000]

Seeds come from benches/scan_seed.py (users implicit, 1 or 2 endpoints each). Figures:
- rate80: `--rate 80` against `--quota '*=100'`: achieved requests/s (goal >= 95% of 80), none
  throttled;
- rate500: `--rate 500` against `--quota '*=100'`: successful requests/s (goal >= 85 of 100),
  share throttled (goal <= 5%), users and endpoints all counted;
- big: 10,000 and 100,000 users, no quota: wall time and peak RSS of the scan (/usr/bin/time -v;
  goal <= 64 MiB, flat from 10k to 100k);
- resume: a scan stopped by SIGINT, and one killed by SIGKILL, halfway, then resumed: the
  requests the emulator served in total against one uninterrupted scan's (goal: at most one
  scan + concurrency + one page), and the reports equal;
- diagnose: 2,000 users and --diagnose-users, every endpoint naming one (healthy) Pinpoint app,
  `scan --diagnose`: the Pinpoint reads (PinpointRequests, and the emulator's own count; goal:
  2, GetApp and GetGcmChannel, whatever the number of users), wall time and peak RSS (flat).
Public tools only: Python, /usr/bin/time.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
INST = "arn:aws:chime:us-east-1:123456789012:app-instance/scan-bench"


def expected(users):
    n = endpoints = 0
    for u in range(users):
        endpoints += 2 if u % 4 == 0 else 1
    return endpoints


class Emulator:
    def __init__(self, binary, seed, *args):
        self.p = subprocess.Popen([binary, "emulator", "--seed", seed, *args], stdout=subprocess.PIPE)
        line = self.p.stdout.readline().decode()
        assert line.startswith("listening on "), line
        self.url = line.split()[-1]

    def requests(self):
        # The admin API answers at most 1,000 log entries a call: page with ?since=.
        out, since = [], 0
        for _ in range(20):
            with urllib.request.urlopen(f"{self.url}/_chimescope/requests?since={since}") as r:
                page = json.load(r)
            out.extend(page["Requests"])
            since = page["NextSince"]
            if not page["More"]:
                break
        return out

    def close(self):
        self.p.kill()
        self.p.wait()


def env(home):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(
        HOME=home,
        XDG_STATE_HOME=os.path.join(home, "state"),
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="AKIDBENCH",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    return e


def scan_cmd(binary, emu, *args):
    return [binary, "scan", "--app-instance-arn", INST, "--endpoint-url", emu.url, *args]


def run_scan(binary, emu, home, *args, timed=False):
    cmd = scan_cmd(binary, emu, *args)
    if timed:
        cmd = ["/usr/bin/time", "-v", *cmd]
    p = subprocess.run(cmd, env=env(home), capture_output=True)
    assert p.returncode in (0, 1), (p.returncode, p.stderr.decode()[-2000:])
    report = json.loads(p.stdout)
    stats = {}
    if timed:
        err = p.stderr.decode()
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err)
        stats["rss_mib"] = int(rss.group(1)) / 1024
        parts = [float(x) for x in wall.group(1).split(":")]
        stats["wall_s"] = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return report, stats


def seed(dirname, users, *extra):
    path = os.path.join(dirname, f"seed-{users}{''.join(extra)}.json")
    if not os.path.exists(path):
        script = os.path.join(HERE, "scan_seed.py")
        subprocess.run([sys.executable, script, str(users), path, *extra], check=True)
    return path


def bench_rate(binary, tmp, rate, users):
    emu = Emulator(binary, seed(tmp, users), "--quota", "*=100")
    try:
        r, _ = run_scan(binary, emu, tmp, "--rate", str(rate))
        ok = r["Requests"] - r["Throttled"]
        out = {
            "users": r["Users"],
            "endpoints": r["Endpoints"],
            "expected_endpoints": expected(users),
            "requests": r["Requests"],
            "throttled": r["Throttled"],
            "seconds": r["Seconds"],
            "requests_per_s": round(r["Requests"] / r["Seconds"], 1),
            "served_per_s": round(ok / r["Seconds"], 1),
            "throttled_share": round(r["Throttled"] / r["Requests"], 4),
            "served_by_emulator": sum(1 for q in emu.requests() if q["Status"] == 200),
        }
        return out
    finally:
        emu.close()


def bench_big(binary, tmp, users, rate):
    t0 = time.monotonic()
    path = seed(tmp, users)
    emu = Emulator(binary, path)
    loaded = time.monotonic() - t0
    try:
        r, stats = run_scan(binary, emu, tmp, "--rate", str(rate), "--concurrency", "16", timed=True)
        return {
            "users": r["Users"],
            "endpoints": r["Endpoints"],
            "expected_endpoints": expected(users),
            "requests": r["Requests"],
            "requests_per_s": round(r["Requests"] / r["Seconds"], 1),
            "emulator_start_s": round(loaded, 1),
            **stats,
        }
    finally:
        emu.close()


def bench_diagnose(binary, tmp, users):
    emu = Emulator(binary, seed(tmp, users, "--pinpoint"))
    try:
        r, stats = run_scan(
            binary, emu, tmp, "--rate", "10000", "--concurrency", "16", "--diagnose", timed=True
        )
        log = emu.requests()
        pinpoint_ops = ("GetApp", "GetGcmChannel", "GetApnsChannel", "GetApnsSandboxChannel")
        return {
            "users": r["Users"],
            "endpoints": r["Endpoints"],
            "requests": r["Requests"],
            "pinpoint_requests": r["PinpointRequests"],
            # The log keeps the last requests only; the Pinpoint reads come early.
            "pinpoint_in_log": sum(1 for q in log if q["Operation"] in pinpoint_ops),
            "log_len": len(log),
            "cannot_receive": len(r["CannotReceive"]),
            **stats,
        }
    finally:
        emu.close()


def comparable(r):
    r = dict(r)
    for k in ("Requests", "Throttled", "PinpointRequests", "Seconds"):
        r.pop(k, None)
    r["CannotReceive"] = sorted(json.dumps(x, sort_keys=True) for x in r["CannotReceive"])
    return r


def bench_resume(binary, tmp, users, sig):
    emu = Emulator(binary, seed(tmp, users))
    conc = 8
    try:
        cp = os.path.join(tmp, f"cp-{sig}.json")
        args = ("--rate", "400", "--concurrency", str(conc), "--checkpoint", cp)
        p = subprocess.Popen(scan_cmd(binary, emu, *args), env=env(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while True:
            try:
                with open(cp) as f:
                    if json.load(f)["Tally"]["Users"] >= users // 2:
                        break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        p.send_signal(sig)
        p.communicate()
        r, _ = run_scan(binary, emu, tmp, *args)
        total = len(emu.requests())
        full, _ = run_scan(binary, emu, tmp, "--rate", "400", "--concurrency", str(conc))
        return {
            "signal": signal.Signals(sig).name,
            "one_scan_requests": full["Requests"],
            "interrupted_plus_resumed_requests": total,
            "bound": full["Requests"] + conc + 1,
            "reports_equal": comparable(r) == comparable(full),
        }
    finally:
        emu.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "chimescope"))
    ap.add_argument("--only", default="rate80,rate500,big,resume,diagnose")
    ap.add_argument("--big-users", type=int, default=100_000)
    ap.add_argument("--diagnose-users", type=int, default=100_000)
    a = ap.parse_args()
    only = a.only.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        res = {}
        if "rate80" in only:
            res["rate80_quota100"] = bench_rate(a.bin, tmp, 80, 1600)
            print(json.dumps(res["rate80_quota100"]), flush=True)
        if "rate500" in only:
            res["rate500_quota100"] = bench_rate(a.bin, tmp, 500, 3000)
            print(json.dumps(res["rate500_quota100"]), flush=True)
        if "big" in only:
            for users in (10_000, a.big_users):
                res[f"big_{users}"] = bench_big(a.bin, tmp, users, 10_000)
                print(json.dumps(res[f"big_{users}"]), flush=True)
        if "resume" in only:
            for sig in (signal.SIGINT, signal.SIGKILL):
                res[f"resume_{sig.name}"] = bench_resume(a.bin, tmp, 4000, sig)
                print(json.dumps(res[f"resume_{sig.name}"]), flush=True)
        if "diagnose" in only:
            for users in (2_000, a.diagnose_users):
                res[f"diagnose_{users}"] = bench_diagnose(a.bin, tmp, users)
                print(json.dumps(res[f"diagnose_{users}"]), flush=True)
        print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
