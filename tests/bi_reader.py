"""A BI tool stand-in: reads the published marts in a loop until told to stop.

`python -m tests.bi_reader <bi_path> <stop_file>` prints one JSON line: reads done, versions
seen, and every error or inconsistency (a table whose row count differs from the count its
publication recorded would mean a half-built or mixed state).
"""

import json
import sys
import time
from pathlib import Path

import duckdb


def read_once(bi_path: str) -> str:
    """Read every table of one publication; return its version, raise if it is inconsistent."""
    with duckdb.connect(bi_path, read_only=True) as connection:
        recorded = connection.execute(
            "select version, table_name, row_count from marts._publication"
        ).fetchall()
        versions = {version for version, _, _ in recorded}
        if len(versions) != 1:
            raise AssertionError(f"mixed versions {versions}")
        for _, table, row_count in recorded:
            [(count,)] = connection.execute(f'select count(*) from marts."{table}"').fetchall()
            if count != row_count:
                raise AssertionError(f"{table}: {count} rows, publication says {row_count}")
        return versions.pop()


def main(bi_path: str, stop_file: str, time_limit_s: float = 300) -> None:
    reads, versions, errors = 0, set(), []
    deadline = time.monotonic() + time_limit_s
    while not Path(stop_file).exists() and time.monotonic() < deadline:
        try:
            versions.add(read_once(bi_path))
        except Exception as error:  # every failure counts, whatever its kind
            errors.append(f"{type(error).__name__}: {error}")
        reads += 1
    print(json.dumps({"reads": reads, "versions": sorted(versions), "errors": errors[:20]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
