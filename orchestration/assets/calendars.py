"""Exchange calendars: trading sessions of Shanghai, Hong Kong and New York.

From the `exchange-calendars` package, which ships the calendars offline, so this dataset is the
same in snapshot and live mode. The warehouse uses it to tell a holiday (no fixing was due) from
a gap in the FX data.
"""

import dagster as dg
import exchange_calendars
import pandas as pd

from orchestration import trading_calendar
from orchestration.assets.landing import RAW_OWNERS
from orchestration.resources import RawZone, utc_now

EXCHANGES = (trading_calendar.A_SHARE, trading_calendar.HONG_KONG, trading_calendar.US)
FIRST_SESSION, LAST_SESSION = "2019-01-02", "2026-12-31"


def sessions(exchange: str) -> pd.DataFrame:
    days = trading_calendar.sessions_between(exchange, FIRST_SESSION, LAST_SESSION)
    return pd.DataFrame({"exchange": exchange, "session_date": days})


@dg.asset(
    key=["raw", "exchange_sessions"],
    group_name="raw_reference",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Trading sessions of Shanghai (XSHG, also the calendar of the CNY central parity), Hong "
        "Kong (XHKG) and New York (XNYS), from the exchange-calendars package."
    ),
)
def exchange_sessions(raw_zone: RawZone) -> dg.MaterializeResult:
    frame = pd.concat([sessions(code) for code in EXCHANGES], ignore_index=True)
    load_metadata = {
        "function": "exchange_calendars.get_calendar(...).sessions_in_range",
        "parameters": {"exchanges": list(EXCHANGES), "start": FIRST_SESSION, "end": LAST_SESSION},
        "package_version": exchange_calendars.__version__,
        "retrieved_at": utc_now(),
        "row_count": len(frame),
    }
    path = raw_zone.land("exchange_sessions", frame, load_metadata)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "first_date": FIRST_SESSION,
            "last_date": LAST_SESSION,
            "path": dg.MetadataValue.path(str(path)),
        }
    )
