"""Live mode: call akshare itself, politely and with retries.

Calls are sequential, and so is every HTTP request inside one (a whole-market spot call pages
through 100 rows per request): each request is spaced from the one before by a minimum interval
and counted against the run's budget of HTTP requests (retries included), so that a loop gone
wrong cannot hammer a site that bans by IP for hours (see ../shared/akshare-reference.md §0.3).
A failed call is retried as a whole with exponential backoff and jitter; after the last try the
error names the function and its parameters. Sleeping and the clocks are injected so that tests
run instantly.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pandas as pd

from orchestration.sources.contracts import SchemaDriftError


class LiveFetchError(RuntimeError):
    """akshare kept failing for one call; nothing from this asset was landed."""


class RequestBudgetExceeded(LiveFetchError):
    """The run used up its budget of HTTP requests; the remaining requests were not sent."""


def call_with_retry(
    func: Callable[..., pd.DataFrame],
    params: dict,
    *,
    attempts: int = 4,
    base_delay_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    name: str | None = None,
) -> pd.DataFrame:
    """Call `func(**params)`, retrying failures after base·2^(n-1) s plus up to base s jitter."""
    call = describe_call(name or f"akshare.{func.__name__}", params)
    for attempt in range(1, attempts + 1):
        try:
            return func(**params)
        except RequestBudgetExceeded:
            raise  # a retry would be refused too
        except Exception as error:  # akshare raises anything from KeyError to ConnectionError
            if is_positional_drift(error):
                raise SchemaDriftError(
                    f"{call}: the response's fields no longer match the columns akshare assigns "
                    f"by position ({error}); upstream changed its fields or sent none. Nothing "
                    f"was landed."
                ) from error
            if attempt == attempts:
                raise LiveFetchError(f"{call} failed after {attempts} tries: {error!r}") from error
            sleep(base_delay_s * 2 ** (attempt - 1) + random.uniform(0, base_delay_s))
    raise AssertionError("unreachable")


def is_positional_drift(error: Exception) -> bool:
    # pandas raises these when akshare sets `df.columns = [...]` or selects columns by name on a
    # frame whose eastmoney "fNN" keys changed (reference §0.2).
    message = str(error)
    return (isinstance(error, ValueError) and "Length mismatch" in message) or (
        isinstance(error, KeyError) and "not in index" in message
    )


def describe_call(qualified_name: str, params: dict) -> str:
    return f"{qualified_name}({', '.join(f'{k}={v!r}' for k, v in params.items())})"


class LiveSource:
    """One per run: it spaces the HTTP requests, counts them against the budget, retries calls."""

    def __init__(
        self,
        min_interval_s: float = 1.5,
        attempts: int = 4,
        base_delay_s: float = 2.0,
        request_budget: int = 400,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.min_interval_s = min_interval_s
        self.attempts = attempts
        self.base_delay_s = base_delay_s
        self.request_budget = request_budget
        self.requests_made = 0
        self.sleep = sleep
        self.monotonic = monotonic
        self.now = now
        self._last_request: float | None = None

    def fetch(self, function: str, **params) -> tuple[pd.DataFrame, str]:
        func, origin = resolve(function)
        call = describe_call(origin, params)
        with before_each_http_request(lambda: self._take_turn(call)):
            frame = call_with_retry(
                func,
                params,
                attempts=self.attempts,
                base_delay_s=self.base_delay_s,
                sleep=self.sleep,
                name=origin,
            )
        return frame, origin

    def _take_turn(self, call: str) -> None:
        if self.requests_made >= self.request_budget:
            raise RequestBudgetExceeded(
                f"{call}: HTTP request not sent, this run's live budget of "
                f"{self.request_budget} HTTP requests (retries included) is used up; raise "
                f"AkshareSource.request_budget if the run really needs more"
            )
        if self._last_request is not None:
            wait = self._last_request + self.min_interval_s - self.monotonic()
            if wait > 0:
                self.sleep(wait)
        self.requests_made += 1
        self._last_request = self.monotonic()


@contextmanager
def before_each_http_request(hook: Callable[[], None]) -> Iterator[None]:
    """Call `hook` before every HTTP request sent inside the block, whichever client sends it.

    Most of akshare uses requests; stock_hk_valuation_baidu uses curl_cffi, and
    stock_us_valuation_baidu and currency_boc_safe's pandas.read_excel(url) use http.client.
    """
    import requests  # akshare's clients, imported here as akshare is: snapshot mode needs neither
    from curl_cffi.requests import Session as CurlSession

    send, curl_request = requests.Session.send, CurlSession.request
    putrequest = http.client.HTTPConnection.putrequest
    # requests' urllib3 ends in http.client too: its requests are counted once, at Session.send
    # (above HTTPAdapter.send, where `responses` answers in tests).
    sending = threading.local()

    def hooked_send(session, request, **kwargs):
        hook()
        outer, sending.by_requests = getattr(sending, "by_requests", False), True
        try:
            return send(session, request, **kwargs)
        finally:
            sending.by_requests = outer

    def hooked_curl_request(session, *args, **kwargs):
        hook()
        return curl_request(session, *args, **kwargs)

    def hooked_putrequest(connection, *args, **kwargs):
        if not getattr(sending, "by_requests", False):
            hook()
        return putrequest(connection, *args, **kwargs)

    requests.Session.send, CurlSession.request = hooked_send, hooked_curl_request
    http.client.HTTPConnection.putrequest = hooked_putrequest
    try:
        yield
    finally:
        requests.Session.send, CurlSession.request = send, curl_request
        http.client.HTTPConnection.putrequest = putrequest


def resolve(function: str) -> tuple[Callable[..., pd.DataFrame], str]:
    """The callable behind a function name: a project-side replacement, or akshare's own."""
    from orchestration.sources import eastmoney

    if function in eastmoney.REPLACEMENTS:
        func = eastmoney.REPLACEMENTS[function]
        return func, f"{func.__module__}.{func.__name__}"
    import akshare  # imported lazily: it is slow to import and snapshot mode never needs it

    func = getattr(akshare, function, None)
    if func is None:
        raise LiveFetchError(f"akshare has no function {function!r} (no live source for it)")
    return func, f"akshare.{function}"
