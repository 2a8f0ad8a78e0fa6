"""When the live job runs: after each market's close, on that exchange's trading days only.
(The warehouse update after each landing is a sensor: orchestration/sensors.py.)

A cron cannot know exchange holidays (mainland and Hong Kong differ), so each schedule ticks on
weekdays and skips, saying why, when its exchange had no session by the landed calendar
(raw/exchange_sessions), or when the day is past that calendar's horizon ("calendar unknown").
"""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from orchestration.lib import trading_calendar
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import month_of
from orchestration.resources import RawZone
from orchestration.settings import raw_zone_dir

TIMEZONE = "Asia/Shanghai"
A_SHARE_CLOSE_ASSETS = [
    dg.AssetKey(["raw", "stock_zh_a_spot_em"]),
    # The parity and the Shenwan list follow the mainland calendar too.
    dg.AssetKey(["raw", "forex_hist_em"]),
    dg.AssetKey(["raw", "stock_industry_clf_hist_sw"]),
    dg.AssetKey(["raw", "sw_index_first_info"]),
]
HONG_KONG_CLOSE_ASSETS = [dg.AssetKey(["raw", "stock_hk_spot_em"])]
US_CLOSE_ASSETS = [dg.AssetKey(["raw", "stock_us_spot_em"])]


def after_close_schedule(
    name: str,
    cron: str,
    calendar: str,
    assets: list[dg.AssetKey],
    job: dg.UnresolvedAssetJobDefinition,
    session_lag_days: int = 0,
) -> dg.ScheduleDefinition:
    """Land today's day of `assets` if `calendar` had the session they hold: a run over the month
    partition holding today, one run key per day."""

    @dg.schedule(
        name=name,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
        job=job,
        default_status=dg.DefaultScheduleStatus.STOPPED,  # live mode needs internet: opt in
        description=f"Lands {', '.join(k.path[-1] for k in assets)} on {calendar} sessions.",
    )
    def _schedule(context: dg.ScheduleEvaluationContext):
        day = context.scheduled_execution_time.astimezone(SHANGHAI).date()
        session = day - timedelta(days=session_lag_days)
        try:
            trades = trading_calendar.is_session(
                calendar, session, RawZone(root=str(raw_zone_dir()))
            )
        except trading_calendar.CalendarUnknownError as unknown:
            return dg.SkipReason(str(unknown))  # past the horizon: no guessing from weekdays
        if not trades:
            return dg.SkipReason(f"{session} is not a {calendar} trading day")
        return dg.RunRequest(
            run_key=f"{name}:{day}", partition_key=month_of(day), asset_selection=assets
        )

    return _schedule


def live_schedules(job: dg.UnresolvedAssetJobDefinition) -> list[dg.ScheduleDefinition]:
    return [
        # A shares close at 15:00 (Shanghai).
        after_close_schedule(
            "after_a_share_close",
            "30 15 * * 1-5",
            trading_calendar.A_SHARE,
            A_SHARE_CLOSE_ASSETS,
            job,
        ),
        # Hong Kong closes at 16:00, 16:10 after the closing auction.
        after_close_schedule(
            "after_hong_kong_close",
            "30 16 * * 1-5",
            trading_calendar.HONG_KONG,
            HONG_KONG_CLOSE_ASSETS,
            job,
        ),
        # New York closes at 04:00/05:00 Shanghai; the file of day D holds the US session of D-1,
        # and its quotes must be taken before the next US open.
        after_close_schedule(
            "after_us_close",
            "30 6 * * 2-6",
            trading_calendar.US,
            US_CLOSE_ASSETS,
            job,
            session_lag_days=1,
        ),
    ]
