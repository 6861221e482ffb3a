#!/usr/bin/env python3
"""Fires Sentry-shaped, signed event_alert webhooks at a SignalCraft Sentry integration, for the offline demo.

Each send is one of the fixtures beside this file with a fresh event_id (so a repeat counts as a new event of the
same group, as Sentry would send it), the current Sentry-Hook-Timestamp, and Sentry-Hook-Signature: the hex
HMAC-SHA256 of the exact body bytes under the integration's client secret. Once a round the sender also makes up a
new Sentry issue (fresh issue_id and title), so a routing rule changed during the demo shows on the next new alert.
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
import random
import uuid

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
# What a small team sees: an error that keeps repeating, a staging warning, now and then a fatal, and a new error.
NEW = "new"
SEQUENCE = ["event_alert.error.production", "event_alert.error.production", "event_alert.warning.staging",
            "event_alert.error.production", "event_alert.fatal.production", NEW]
NEW_TITLES = ["TimeoutError: payments-api did not answer within 30 s", "KeyError: 'currency' in invoice_renderer.render_totals",
              "RangeError: Maximum call stack size exceeded in CartSummary", "ConnectionResetError: redis-sessions closed the connection"]


def new_issue(body: bytes, number: int) -> bytes:
    """The error fixture as another Sentry issue: a fresh issue_id and one of a few realistic titles."""
    old_title = re.search(rb'"title":\s*("(?:[^"\\]|\\.)*")', body).group(1)
    title = f'"{NEW_TITLES[number % len(NEW_TITLES)]} (#{number})"'.encode()
    body = body.replace(old_title, title)
    return re.sub(rb'"issue_id":\s*"[0-9]+"', f'"issue_id": "{random.randint(7_000_000_000, 7_999_999_999)}"'.encode(), body)


def send(url: str, secret: str, name: str, number: int = 0) -> str:
    fixture = "event_alert.error.production" if name == NEW else name
    body = (FIXTURES / f"{fixture}.json").read_bytes()
    if name == NEW:
        body = new_issue(body, number)
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
        sent += 1
        label = f"new issue #{sent}" if name == NEW else name
        print(f"sender: {label} -> {send(args.url, args.secret, name, sent)}", flush=True)
        if args.count == 0 or sent < args.count:
            time.sleep(args.interval)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
