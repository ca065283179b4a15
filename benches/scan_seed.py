#!/usr/bin/env python3
"""Write an emulator seed for scan tests and benchmarks: one app instance with USERS users
(implicit, named by their endpoints, to keep 100,000 of them under the seed's 64 MiB), user u
holding 2 endpoints when u % 4 == 0, else 1; every 7th endpoint INACTIVE (INVALID_DEVICE_TOKEN), every
11th AllowMessages NONE. Prints nothing; the counts follow from the rule (see expected()).

With --pinpoint, the seed also holds the Pinpoint app every endpoint names, healthy (GCM on, FCM
credentials), so that `scan --diagnose` reads it (GetApp, GetGcmChannel) and finds nothing there.

usage: scan_seed.py USERS OUT.json [--pinpoint]
"""
import json
import sys

INST = "arn:aws:chime:us-east-1:123456789012:app-instance/scan-bench"
APP = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def endpoints(users):
    n = 0
    for u in range(users):
        for k in range(2 if u % 4 == 0 else 1):
            inactive = n % 7 == 3
            muted = n % 11 == 5
            state = {"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"} if inactive else {"Status": "ACTIVE"}
            yield {
                "AppInstanceUserArn": f"{INST}/user/u{u:06d}",
                "EndpointId": f"e{u:06d}-{k}",
                "Name": f"Phone of user {u}",
                "Type": "GCM",
                "ResourceArn": APP,
                "EndpointAttributes": {"DeviceToken": f"tok{n}"},
                "AllowMessages": "NONE" if muted else "ALL",
                "EndpointState": state,
            }
            n += 1


def main():
    users, out = int(sys.argv[1]), sys.argv[2]
    seed = {
        "AppInstances": [{"AppInstanceArn": INST, "Name": "scan bench"}],
        "AppInstanceUserEndpoints": list(endpoints(users)),
    }
    if "--pinpoint" in sys.argv[3:]:
        gcm = {"Enabled": True, "DefaultAuthenticationMethod": "TOKEN", "HasFcmServiceCredentials": True}
        seed["PinpointApps"] = [{"Arn": APP, "Name": "scan bench push", "Channels": {"GCM": gcm}}]
    with open(out, "w") as f:
        json.dump(seed, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
