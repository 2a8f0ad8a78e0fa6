"""Benchmarks at full-market scale on SYNTHETIC data (issue #7): `make bench`.

generate.py writes a synthetic raw zone and bench seeds, project.py points a copy of the dbt
project at them, floor.py runs the same compiled SQL straight in DuckDB, live_requests.py counts
the HTTP requests of a live daily update, run.py times it all and writes reports/bench.json.
"""
