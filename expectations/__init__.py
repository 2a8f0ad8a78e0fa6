"""great-expectations suites guarding currency conversion and club thresholds (GX 1.x, as code).

One module per risk: fx_rates (the central-parity fixings), conversion (values in CNY) and
thresholds (club membership and events). gates.py runs a suite inside DuckDB over a window of
trade dates, with great-expectations judging a bounded sample.
"""

from expectations import conversion, fx_rates, thresholds

SUITES = (fx_rates.SUITE, conversion.SUITE, thresholds.MEMBERSHIP, thresholds.EVENTS)
