"""`make bench` / `python -m bench`: the full-market benchmark; writes reports/bench.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.generate import Scale
from bench.run import quiet_logs, run_bench, table, write_report
from orchestration.settings import PROJECT_ROOT


def main() -> None:
    defaults = Scale()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--a-listings", type=int, default=defaults.a_listings)
    parser.add_argument("--hk-listings", type=int, default=defaults.hk_listings)
    parser.add_argument("--years", type=float, default=defaults.years)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--bench-dir",
        type=Path,
        default=PROJECT_ROOT / "data" / "bench",
        help="where the synthetic raw zone, seeds and warehouses go (emptied first)",
    )
    parser.add_argument("--report", type=Path, default=PROJECT_ROOT / "reports" / "bench.json")
    args = parser.parse_args()
    quiet_logs()
    scale = Scale(args.a_listings, args.hk_listings, args.years, args.seed)
    report = run_bench(args.bench_dir.resolve(), scale)
    write_report(report, args.report)
    print(table(report))
    print(f"\nwritten to {args.report}")


if __name__ == "__main__":
    main()
