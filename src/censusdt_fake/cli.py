"""The ``censusdt-fake`` command: run the fake DingTalk as an HTTP server on 127.0.0.1."""

from __future__ import annotations

import argparse
import logging
import sys

from censusdt_fake._core import FakeDingTalk

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="censusdt-fake", description="A stateful in-memory DingTalk for offline tests."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the fake as an HTTP server on 127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one")
    serve.add_argument("--app-key", help="app key of the one app (random when omitted)")
    serve.add_argument("--app-secret", help="app secret of the one app (random when omitted)")
    serve.add_argument("--seed", type=int, default=0, help="seed for generated ids and secrets")
    serve.add_argument(
        "--rate-limit",
        type=int,
        default=0,
        help="throttle above this many calls per second per app and API, as DingTalk does (0: off)",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    arguments = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if arguments.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    fake = FakeDingTalk(
        seed=arguments.seed, app_key=arguments.app_key, app_secret=arguments.app_secret
    )
    if arguments.rate_limit:
        fake.enforce_rate_limit(arguments.rate_limit)
    app = fake.default_app
    server = fake.serve(port=arguments.port)
    print(f"base URL:   {server.url}", flush=True)
    print(f"app key:    {app.app_key}", flush=True)
    print(f"app secret: {app.app_secret}", flush=True)
    print(f"corp id:    {fake.default_corp.corp_id}", flush=True)
    print(
        f"export DINGTALK_OAPI_BASE_URL={server.url} DINGTALK_API_BASE_URL={server.url}", flush=True
    )
    try:
        server.serve_forever_blocking()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
