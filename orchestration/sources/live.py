"""Live mode: call akshare itself, politely and with retries.

Calls are sequential, and so is every HTTP request inside one (a whole-market spot call pages
through 100 rows per request): each request is spaced from the one before by a minimum interval
and counted against the run's budget of HTTP requests (retries included), so that a loop gone
wrong cannot hammer a site that bans by IP for hours (see docs/akshare-reference.md §0.3).
A failed call is retried as a whole with exponential backoff and jitter; after the last try the
error names the function and its parameters. Without a network, retrying only waits: a host that
does not resolve, or connections refused several times in a row, stop the run at once, naming
the host and the call. Sleeping and the clocks are injected so that tests run instantly.
"""

from __future__ import annotations

import errno
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd
import tenacity

from orchestration.sources.contracts import SchemaDriftError


class LiveFetchError(RuntimeError):
    """akshare kept failing for one call; nothing from this asset was landed."""


class RunStopped(LiveFetchError):
    """The run cannot go on: a retry would be refused too, so none is made."""


class RequestBudgetExceeded(RunStopped):
    """The run used up its budget of HTTP requests; the remaining requests were not sent."""


class HostUnreachable(RunStopped):
    """A host does not resolve or keeps refusing connections: no network, nothing to retry."""


DNS_FAILURE, CANNOT_CONNECT = "does not resolve", "cannot connect"
# errno of a connect() that reached no server: refused, no route to the network or to the host.
_CANNOT_CONNECT_ERRNOS = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH}


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
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=base_delay_s)
        + tenacity.wait_random(0, base_delay_s),
        retry=tenacity.retry_if_exception(_worth_retrying),
        sleep=sleep,
    )
    try:
        return retrying(func, **params)
    except tenacity.RetryError as exhausted:
        error = exhausted.last_attempt.exception()
        raise LiveFetchError(f"{call} failed after {attempts} tries: {error!r}") from error
    except Exception as error:
        if not is_positional_drift(error):
            raise  # the run stopped
        raise SchemaDriftError(
            f"{call}: the response's fields no longer match the columns akshare assigns "
            f"by position ({error}); upstream changed its fields or sent none. Nothing "
            f"was landed."
        ) from error


def _worth_retrying(error: BaseException) -> bool:
    # akshare raises anything from KeyError to ConnectionError: retry every Exception but a
    # stopped run (a retry would be refused too) and positional drift (the same fields would
    # come back). Not a BaseException such as KeyboardInterrupt or Dagster's run termination.
    return (
        isinstance(error, Exception)
        and not isinstance(error, RunStopped)
        and not is_positional_drift(error)
    )


def is_positional_drift(error: Exception) -> bool:
    # pandas raises these when akshare sets `df.columns = [...]` or selects columns by name on a
    # frame whose eastmoney "fNN" keys changed (docs/akshare-reference.md §0.2).
    message = str(error)
    return (isinstance(error, ValueError) and "Length mismatch" in message) or (
        isinstance(error, KeyError) and "not in index" in message
    )


def describe_call(qualified_name: str, params: dict) -> str:
    return f"{qualified_name}({', '.join(f'{k}={v!r}' for k, v in params.items())})"


def cannot_reach(error: BaseException) -> str | None:
    """DNS_FAILURE or CANNOT_CONNECT when `error` means the host could not be reached at all;
    None for what a retry may cure (timeouts, resets, HTTP errors)."""
    from curl_cffi.const import CurlECode
    from curl_cffi.curl import CurlError
    from urllib3.exceptions import NameResolutionError, NewConnectionError

    causes = list(_wrapped(error))
    curl_codes = {cause.code for cause in causes if isinstance(cause, CurlError)}
    if CurlECode.COULDNT_RESOLVE_HOST in curl_codes or any(
        isinstance(cause, socket.gaierror | NameResolutionError) for cause in causes
    ):
        return DNS_FAILURE
    # urllib3's NewConnectionError is a connect() that failed without timing out (refused,
    # unreachable); its class derives from ConnectTimeoutError, which is not matched here.
    if CurlECode.COULDNT_CONNECT in curl_codes or any(
        isinstance(cause, NewConnectionError)
        or (isinstance(cause, OSError) and cause.errno in _CANNOT_CONNECT_ERRNOS)
        for cause in causes
    ):
        return CANNOT_CONNECT
    return None


def _wrapped(error: BaseException) -> Iterator[BaseException]:
    """`error` and every error it wraps: requests wraps urllib3's MaxRetryError in its args,
    which names the failure in `reason`; urllib's URLError too; urllib3 raises `from` the
    socket error."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [current.__cause__, getattr(current, "reason", None), *current.args]
        pending.extend(e for e in inner if isinstance(e, BaseException))


class LiveSource:
    """One per run: it spaces the HTTP requests, counts them against the budget, retries calls."""

    def __init__(
        self,
        min_interval_s: float = 1.5,
        attempts: int = 4,
        base_delay_s: float = 2.0,
        request_budget: int = 400,
        refused_in_a_row_limit: int = 3,
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
        self.refused_in_a_row_limit = refused_in_a_row_limit
        self._refused_in_a_row = 0
        self._unreachable: str | None = None  # why the run stopped, once a host was unreachable
        self.sleep = sleep
        self.monotonic = monotonic
        self.now = now
        self._last_request: float | None = None

    def fetch(self, function: str, **params) -> tuple[pd.DataFrame, str]:
        func, origin = resolve(function)
        call = describe_call(origin, params)
        hooks = RequestHooks(
            before=lambda: self._take_turn(call),
            failed=lambda host, error: self._stop_if_unreachable(call, host, error),
            connected=self._connected,
        )
        with around_each_http_request(hooks):
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
        if self._unreachable:
            raise HostUnreachable(f"{call}: HTTP request not sent, as {self._unreachable}")
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

    def _stop_if_unreachable(self, call: str, host: str, error: Exception) -> None:
        """Raise HostUnreachable when `host` cannot be reached: without a network, retries of
        this call and of every later one would only wait (backoff and akshare's own retries)."""
        reason = cannot_reach(error)
        if reason == CANNOT_CONNECT:
            self._refused_in_a_row += 1
            if self._refused_in_a_row < self.refused_in_a_row_limit:
                return  # maybe a server restarting: retried with backoff
            self._unreachable = (
                f"{host} could not be connected to {self._refused_in_a_row} times in a row "
                f"(refused or no route: no network, or the server is down)"
            )
        elif reason == DNS_FAILURE:
            self._unreachable = (
                f"{host} does not resolve (DNS failure: no network, or no such host)"
            )
        else:
            return
        # The message carries the client's error; unchained, it is the innermost error, the one
        # `make demo` prints, and that names the akshare call.
        raise HostUnreachable(
            f"{call}: {self._unreachable}; the live run stops instead of retrying ({error})"
        ) from None

    def _connected(self) -> None:
        self._refused_in_a_row = 0


@dataclass(frozen=True)
class RequestHooks:
    """What to do around each HTTP request, whichever client sends it."""

    before: Callable[[], None]  # before it is sent; may refuse it by raising
    failed: Callable[[str, Exception], None] = lambda host, error: None  # may raise instead
    connected: Callable[[], None] = lambda: None  # a connection to the server was made


@contextmanager
def around_each_http_request(hooks: RequestHooks) -> Iterator[None]:
    """Run `hooks` around every HTTP request sent inside the block, whichever client sends it.

    Most of akshare uses requests; stock_hk_valuation_baidu uses curl_cffi, and
    stock_us_valuation_baidu and currency_boc_safe's pandas.read_excel(url) use http.client.
    """
    import requests  # akshare's clients, imported here as akshare is: snapshot mode needs neither
    from curl_cffi.requests import Session as CurlSession

    send, curl_request = requests.Session.send, CurlSession.request
    putrequest, connect = http.client.HTTPConnection.putrequest, http.client.HTTPConnection.connect
    # requests' urllib3 ends in http.client too: its requests are counted once, at Session.send
    # (above HTTPAdapter.send, where `responses` answers in tests). urllib3 connects with its
    # own code, so the http.client connect below sees only the requests of http.client's users.
    sending = threading.local()

    def hooked_send(session, request, **kwargs):
        hooks.before()
        outer, sending.by_requests = getattr(sending, "by_requests", False), True
        try:
            return _watched(hooks, _host(request.url), lambda: send(session, request, **kwargs))
        finally:
            sending.by_requests = outer

    def hooked_curl_request(session, method, url, *args, **kwargs):
        hooks.before()
        return _watched(
            hooks, _host(url), lambda: curl_request(session, method, url, *args, **kwargs)
        )

    def hooked_putrequest(connection, *args, **kwargs):
        if not getattr(sending, "by_requests", False):
            hooks.before()
        return putrequest(connection, *args, **kwargs)

    def hooked_connect(connection):
        return _watched(hooks, connection.host, lambda: connect(connection))

    requests.Session.send, CurlSession.request = hooked_send, hooked_curl_request
    http.client.HTTPConnection.putrequest = hooked_putrequest
    http.client.HTTPConnection.connect = hooked_connect
    try:
        yield
    finally:
        requests.Session.send, CurlSession.request = send, curl_request
        http.client.HTTPConnection.putrequest = putrequest
        http.client.HTTPConnection.connect = connect


def _watched(hooks: RequestHooks, host: str, attempt: Callable[[], object]) -> object:
    try:
        result = attempt()
    except Exception as error:
        hooks.failed(host, error)
        raise
    hooks.connected()
    return result


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


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
