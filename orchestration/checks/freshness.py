"""Freshness checks on the raw assets: was the raw zone landed when it should have been?

They measure when an asset was last landed, not the dates of its rows. The embedded snapshot
ends in mid-2025 by design, so a check on the age of its rows would always fail; a landing-time
check passes right after `make demo` (it runs in the same job, after the landing) and turns to
WARN once a landing is overdue. Severity WARN: an overdue landing never blocks the marts.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import timedelta

import dagster as dg

from orchestration.schedules import A_SHARE_CLOSE_ASSETS, HONG_KONG_CLOSE_ASSETS, US_CLOSE_ASSETS

# History (snapshot or backfill_history): re-landed at least weekly.
HISTORY_MAX_AGE = timedelta(days=7)
# Live: landed by one hour after its schedule, each weekday. A cron has no exchange holidays,
# so on a holiday (no session, the schedule skips) the check warns; that warning is expected.
# It measures landing time only and never decides that a weekday is a session: past the
# calendar's horizon it warns as overdue, and the schedule's skip ("calendar unknown") and the
# WARN check sessions_known_a_month_ahead on raw/exchange_sessions say why.
LIVE_DEADLINES = [
    (A_SHARE_CLOSE_ASSETS, "30 16 * * 1-5"),
    (HONG_KONG_CLOSE_ASSETS, "30 17 * * 1-5"),
    (US_CLOSE_ASSETS, "30 7 * * 2-6"),
]
LIVE_WINDOW = timedelta(hours=25)  # since the previous day's schedule tick, give or take


def raw_freshness_checks(history_assets: Sequence) -> list[dg.AssetChecksDefinition]:
    # Superseded by FreshnessPolicy, which shows a state but is no check: checks run in the
    # landing job and list next to the dbt tests, so we keep them (and silence the notice).
    with warnings.catch_warnings(category=dg.SupersessionWarning, action="ignore"):
        return _build_checks(history_assets)


def _build_checks(history_assets: Sequence) -> list[dg.AssetChecksDefinition]:
    checks = list(
        dg.build_last_update_freshness_checks(
            assets=history_assets, lower_bound_delta=HISTORY_MAX_AGE
        )
    )
    for assets, deadline in LIVE_DEADLINES:
        checks += dg.build_last_update_freshness_checks(
            assets=assets,
            deadline_cron=deadline,
            timezone="Asia/Shanghai",
            lower_bound_delta=LIVE_WINDOW,
        )
    return checks
