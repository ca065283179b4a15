#!/usr/bin/env python3
"""Startup time, memory and idle CPU of the browser in --demo, measured in a pseudo-terminal.

    cargo build --release && python3 benches/tui_startup.py [--runs 20] [--bin target/release/chimescope]

For each run: start `chimescope --demo` in a 200x60 pty, time until the first frame is on the
terminal (the empty detail pane's text), paste a user ARN, type an endpoint ID, press Enter,
wait for the answer, read VmRSS/VmHWM from /proc, measure CPU used while idle for a second,
press q and check the exit status. Public tools only (Python's pty module and /proc).

Targets (issue 3): start to first frame at most 100 ms; resident memory after a lookup at
most 30 MiB; an idle browser uses no CPU.
"""

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

U42 = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42"
FIRST_FRAME = b"Nothing looked up yet"
ANSWER = b"Can receive pushes"


def read_until(fd, needle, buf, timeout=20.0):
    deadline = time.monotonic() + timeout
    while needle not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"waiting for {needle!r}; got {bytes(buf[-400:])!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise EOFError(f"pty closed waiting for {needle!r}")
            if not chunk:
                raise EOFError(f"pty closed waiting for {needle!r}")
            buf += chunk
    return buf


def drain(fd, seconds):
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def proc_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def one_run(binary, home):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_STATE_HOME": os.path.join(home, ".local/state"),
        "LANG": "C.UTF-8",
    }
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [binary, "--demo"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    buf = bytearray()
    try:
        buf = read_until(master, FIRST_FRAME, buf)
        first_frame_ms = (time.monotonic() - t0) * 1000
        os.write(master, b"\x1b[200~" + U42.encode() + b"\x1b[201~")
        os.write(master, b"\tep-1\r")
        t1 = time.monotonic()
        buf = read_until(master, ANSWER, bytearray())
        lookup_ms = (time.monotonic() - t1) * 1000
        drain(master, 0.3)
        rss = proc_kib(proc.pid, "VmRSS")
        hwm = proc_kib(proc.pid, "VmHWM")
        before = cpu_ticks(proc.pid)
        drain(master, 1.0)
        idle_ticks = cpu_ticks(proc.pid) - before
        os.write(master, b"q")
        code = proc.wait(timeout=20)
        drain(master, 0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return first_frame_ms, lookup_ms, rss, hwm, idle_ticks, code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/chimescope")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: cargo build --release first")
    results = []
    with tempfile.TemporaryDirectory() as home:
        one_run(args.bin, home)  # warm the page cache
        for _ in range(args.runs):
            results.append(one_run(args.bin, home))
    ff = [r[0] for r in results]
    lk = [r[1] for r in results]
    rss = [r[2] / 1024 for r in results]
    hwm = [r[3] / 1024 for r in results]
    idle = [r[4] for r in results]
    codes = {r[5] for r in results}
    hz = os.sysconf("SC_CLK_TCK")
    print(f"runs: {len(results)}  binary: {args.bin}  exit codes: {sorted(codes)}")
    print(f"start to first frame: median {statistics.median(ff):.1f} ms, max {max(ff):.1f} ms (target <= 100 ms)")
    print(f"lookup, key to answer on screen: median {statistics.median(lk):.1f} ms")
    print(f"RSS after a lookup: median {statistics.median(rss):.1f} MiB, max {max(rss):.1f} MiB (target <= 30 MiB)")
    print(f"peak RSS (VmHWM): median {statistics.median(hwm):.1f} MiB, max {max(hwm):.1f} MiB")
    print(f"CPU used in 1 s idle: max {max(idle)} ticks of 1/{hz} s")
    ok = statistics.median(ff) <= 100 and max(rss) <= 30 and codes == {0}
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
