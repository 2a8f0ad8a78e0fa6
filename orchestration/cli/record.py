"""`python -m orchestration.cli.record`: re-record the snapshot from live akshare (needs the
internet). What it fetches and writes: orchestration/sources/record.py.

    python -m orchestration.cli.record [--out data/snapshot] [--min-interval 2] [--budget 200]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration import settings
from orchestration.sources.live import LiveSource
from orchestration.sources.record import record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=settings.snapshot_dir())
    parser.add_argument(
        "--min-interval", type=float, default=2.0, help="seconds between HTTP requests"
    )
    parser.add_argument("--budget", type=int, default=200, help="max HTTP requests, retries too")
    args = parser.parse_args(argv)
    answers = record(args.out, LiveSource(args.min_interval, request_budget=args.budget))
    print(f"recorded {len(answers)} calls into {args.out}")


if __name__ == "__main__":
    main()
