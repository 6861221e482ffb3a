#!/usr/bin/env python3
"""Fires Sentry-shaped, signed event_alert webhooks at a SignalCraft Sentry integration, for the offline demo.

Each send is one of the fixtures beside this file with a fresh event_id (so a repeat counts as a new event of the
same group, as Sentry would send it), the current Sentry-Hook-Timestamp, and Sentry-Hook-Signature: the hex
HMAC-SHA256 of the exact body bytes under the integration's client secret.
"""
import argparse
import hashlib
import hmac
import itertools
import pathlib
import re
import sys
import time
import urllib.error
import urllib.request
import uuid

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
# What a small team sees: an error that keeps repeating, a staging warning, and now and then a fatal.
SEQUENCE = ["event_alert.error.production", "event_alert.error.production", "event_alert.warning.staging",
            "event_alert.error.production", "event_alert.fatal.production"]


def send(url: str, secret: str, name: str) -> str:
    body = (FIXTURES / f"{name}.json").read_bytes()
    body = re.sub(rb'"event_id":\s*"[0-9a-f]{32}"', f'"event_id": "{uuid.uuid4().hex}"'.encode(), body, count=1)
    headers = {
        "Content-Type": "application/json",
        "Sentry-Hook-Resource": "event_alert",
        "Sentry-Hook-Timestamp": str(int(time.time())),
        "Sentry-Hook-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
        "Request-ID": uuid.uuid4().hex,
        "User-Agent": "signalcraft-demo-sender",
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(response.status)
    except urllib.error.HTTPError as e:
        return f"{e.code} {e.read()[:300].decode(errors='replace')}"
    except OSError as e:
        return f"failed: {e}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the integration's webhook URL")
    parser.add_argument("--secret", required=True, help="the integration's client secret")
    parser.add_argument("--interval", type=float, default=20, help="seconds between webhooks")
    parser.add_argument("--count", type=int, default=0, help="how many to send (0 = until stopped)")
    args = parser.parse_args()

    names = itertools.cycle(SEQUENCE)
    sent = 0
    while args.count == 0 or sent < args.count:
        name = next(names)
        print(f"sender: {name} -> {send(args.url, args.secret, name)}", flush=True)
        sent += 1
        if args.count == 0 or sent < args.count:
            time.sleep(args.interval)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
