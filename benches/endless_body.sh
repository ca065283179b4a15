#!/usr/bin/env bash
# Peak memory of `chimescope describe` when the server's answer never ends (a 200 with an
# endless chunked body), next to an ordinary describe against the emulator. The client reads
# at most 1 MiB of one answer (aws::MAX_RESPONSE_BYTES) and reports an invalid response.
#
#   benches/endless_body.sh [path/to/chimescope]      (default: target/release/chimescope)
#
# Needs python3 (the loopback server) and GNU time (/usr/bin/time). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/chimescope}
if [ ! -x "$BIN" ]; then cargo build --release; fi
ARN='arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42'
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true
tmp=$(mktemp -d)
cleanup() { kill "${server:-}" "${emu:-}" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

python3 - "$tmp/port" <<'PY' &
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
def serve(c):
    try:
        c.recv(65536)
        c.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
        c.sendall(b"6\r\n{\"a\":\"\r\n")
        while True:
            c.sendall(chunk)
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port")"

"$BIN" emulator >"$tmp/emu" & emu=$!
for _ in $(seq 50); do [ -s "$tmp/emu" ] && break; sleep 0.1; done
emu_url=$(sed -n 's/^listening on //p' "$tmp/emu")

measure() {
    local label=$1; shift
    /usr/bin/time -f "%M %e %x" -o "$tmp/time" "$BIN" "$@" >/dev/null 2>"$tmp/err" || true
    read -r rss secs code < <(tail -n 1 "$tmp/time")
    printf '%-34s max RSS %6d KB  %5.2f s  exit %s\n' "$label" "$rss" "$secs" "$code"
}
measure "describe (emulator, normal)" describe --app-instance-user-arn "$ARN" --endpoint-id ep-1 --endpoint-url "$emu_url"
measure "describe (endless body)" describe --app-instance-user-arn "$ARN" --endpoint-id ep-1 --endpoint-url "$url" --timeout 30
grep -m1 'An error occurred' "$tmp/err" | sed 's/^/    /' || true
measure "list (endless body)" list --app-instance-user-arn "$ARN" --endpoint-url "$url" --timeout 30
