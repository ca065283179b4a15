#!/usr/bin/env bash
# Whole-command timing of `chimescope describe --output json` against a running emulator,
# side by side with curl fetching the same URL and the AWS CLI's
# describe-app-instance-user-endpoint. Public tools only: hyperfine and /usr/bin/time.
#
#   cargo build --release && bash benches/describe.sh
#
# Targets (issue 2): median wall time at most 2x curl's, peak memory at most 20 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/chimescope}
AWS=${AWS:-.venv-awscli/bin/aws}
RUNS=${RUNS:-30}

"$BIN" emulator >/tmp/chimescope-bench-emu.out 2>/dev/null &
EMU=$!
trap 'kill $EMU 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  URL=$(head -1 /tmp/chimescope-bench-emu.out 2>/dev/null | sed -n 's/^listening on //p')
  [ -n "$URL" ] && break
  sleep 0.1
done

ARN='arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42'
ENC=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$ARN")
export AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=us-east-1 \
       AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 \
       AWS_EC2_METADATA_DISABLED=true

CURL="curl -sf -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/chime/aws4_request' $URL/app-instance-users/$ENC/endpoints/ep-1"
SCOPE="$BIN describe --output json --endpoint-url $URL --app-instance-user-arn $ARN --endpoint-id ep-1"
CLI="$AWS chime-sdk-identity describe-app-instance-user-endpoint --endpoint-url $URL --app-instance-user-arn $ARN --endpoint-id ep-1"

cmds=("$CURL" "$SCOPE")
[ -x "$AWS" ] && cmds+=("$CLI")
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown /tmp/chimescope-describe.md "${cmds[@]}"

echo
echo "peak resident memory (max RSS, KiB):"
for c in "${cmds[@]}"; do
  kb=$(/usr/bin/time -f '%M' sh -c "exec $c >/dev/null" 2>&1 | tail -1)
  printf '  %8s  %s\n' "$kb" "${c%% *}"
done
