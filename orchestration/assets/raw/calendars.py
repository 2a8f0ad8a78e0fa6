"""Exchange calendars: trading sessions of Shanghai, Hong Kong and New York.

The warehouse uses them to tell a holiday (no fixing was due) from a gap in the FX data, and
the live schedules to tell a holiday from a session. They are known up to a horizon computed
from the run date (`trading_calendar.horizon`): Shanghai's from akshare's
`tool_trade_date_hist_sina` in live mode (Sina carries a year once the exchange publishes it),
else, and for Hong Kong and New York, from the installed exchange-calendars package.
"""

from datetime import date

import dagster as dg
import exchange_calendars
import pandas as pd

from orchestration import settings
from orchestration.assets.landing import RAW_OWNERS
from orchestration.lib import trading_calendar
from orchestration.lib.trading_calendar import FIRST_SESSION
from orchestration.resources import AkshareSource, RawZone, utc_now
from orchestration.sources.contracts import RawDataError
from orchestration.sources.live import LiveFetchError

EXCHANGES = (trading_calendar.A_SHARE, trading_calendar.HONG_KONG, trading_calendar.US)
OFFLINE_SOURCE = "exchange_calendars"
LIVE_A_SHARE_SOURCE = "akshare.tool_trade_date_hist_sina"


def live_a_share_sessions(context, akshare: AkshareSource) -> list[date] | None:
    """Shanghai's sessions from Sina, or None (with a warning) when the call fails."""
    try:
        batch = akshare.fetch("tool_trade_date_hist_sina")
    except (LiveFetchError, RawDataError) as error:
        context.log.warning(f"{LIVE_A_SHARE_SOURCE} failed, using {OFFLINE_SOURCE}: {error}")
        return None
    return sorted(day for day in batch.frame["trade_date"] if day >= FIRST_SESSION)


def sessions(context, akshare: AkshareSource, exchange: str, run_date: date):
    """(sessions, source) of one exchange."""
    if akshare.mode == "live" and exchange == trading_calendar.A_SHARE:
        days = live_a_share_sessions(context, akshare)
        if days:
            return days, LIVE_A_SHARE_SOURCE
    return list(trading_calendar.offline_sessions(exchange, run_date)), OFFLINE_SOURCE


@dg.asset(
    key=["raw", "exchange_sessions"],
    group_name="raw_reference",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Trading sessions of Shanghai (XSHG, also the calendar of the CNY central parity), Hong "
        "Kong (XHKG) and New York (XNYS) from 2019 to the horizon computed from the run date: "
        "exchange-calendars, and in live mode Sina's A-share calendar (tool_trade_date_hist_sina)."
    ),
)
def exchange_sessions(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    run_date = settings.run_date()
    frames, sources, last = [], {}, {}
    for exchange in EXCHANGES:
        days, sources[exchange] = sessions(context, akshare, exchange, run_date)
        last[exchange] = days[-1].isoformat()
        frames.append(pd.DataFrame({"exchange": exchange, "session_date": days}))
    frame = pd.concat(frames, ignore_index=True)
    load_metadata = {
        "function": "exchange_calendars.get_calendar(...).sessions / "
        "akshare.tool_trade_date_hist_sina (live, XSHG)",
        "parameters": {"exchanges": list(EXCHANGES), "start": FIRST_SESSION.isoformat()},
        "run_date": run_date.isoformat(),
        "sources": sources,
        "last_session": last,
        "package_version": exchange_calendars.__version__,
        "retrieved_at": utc_now(),
        "row_count": len(frame),
    }
    path = raw_zone.land("exchange_sessions", frame, load_metadata)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "first_date": FIRST_SESSION.isoformat(),
            "last_date": min(last.values()),  # the earliest horizon is the one that binds
            "run_date": run_date.isoformat(),
            **{f"last_session_{exchange}": day for exchange, day in last.items()},
            **{f"source_{exchange}": source for exchange, source in sources.items()},
            "path": dg.MetadataValue.path(str(path)),
        }
    )
