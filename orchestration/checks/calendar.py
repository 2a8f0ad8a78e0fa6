"""Are the exchanges' sessions known far enough ahead? Past the last known session nothing
can tell a holiday from a gap (orchestration/lib/trading_calendar.py)."""

from datetime import timedelta

import dagster as dg
import pandas as pd

from orchestration import settings
from orchestration.assets.raw.calendars import exchange_sessions
from orchestration.resources import RawZone

# Warn this long before the last known session: time to land the live calendar or upgrade.
HORIZON_WARNING = timedelta(days=30)


@dg.asset_check(
    asset=exchange_sessions,
    blocking=False,
    description=(
        "Every exchange's sessions are known for more than 30 days after the run date. WARN: "
        "past the last known session FX staleness reads 'unknown calendar' and the live "
        "schedules skip with 'calendar unknown'."
    ),
)
def sessions_known_a_month_ahead(raw_zone: RawZone) -> dg.AssetCheckResult:
    run_date = settings.run_date()
    frame = pd.read_parquet(raw_zone.path("exchange_sessions"))
    last = pd.to_datetime(frame.groupby("exchange")["session_date"].max()).dt.date
    days_left = {exchange: (day - run_date).days for exchange, day in last.items()}
    short = [e for e, days in days_left.items() if days <= HORIZON_WARNING.days]
    return dg.AssetCheckResult(
        passed=not short,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            "; ".join(
                f"{e} sessions are known only through {last[e]} ({days_left[e]} days from the "
                f"run date {run_date}): land raw/exchange_sessions in live mode once the "
                f"exchange publishes its holidays, or upgrade exchange_calendars"
                for e in short
            )
            or None
        ),
        metadata={
            "run_date": run_date.isoformat(),
            **{f"days_left_{exchange}": days for exchange, days in days_left.items()},
        },
    )
