"""Live mode: call akshare itself, politely and with retries.

Calls are sequential and spaced by a minimum interval; a failed call is retried with exponential
backoff and jitter; after the last try the error names the function and its parameters. A run
has a budget of calls (retries included) so that a loop gone wrong cannot hammer a site that
bans by IP for hours (see ../shared/akshare-reference.md §0.3). Sleeping and the clocks are
injected so that tests run instantly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd

from orchestration.sources.contracts import SchemaDriftError


class LiveFetchError(RuntimeError):
    """akshare kept failing for one call; nothing from this asset was landed."""


class RequestBudgetExceeded(LiveFetchError):
    """The run used up its call budget; the remaining calls were not made."""


def call_with_retry(
    func: Callable[..., pd.DataFrame],
    params: dict,
    *,
    attempts: int = 4,
    base_delay_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    before_each_try: Callable[[], None] = lambda: None,
    name: str | None = None,
) -> pd.DataFrame:
    """Call `func(**params)`, retrying failures after base·2^(n-1) s plus up to base s jitter."""
    call = describe_call(name or f"akshare.{func.__name__}", params)
    for attempt in range(1, attempts + 1):
        before_each_try()  # outside the try: an exhausted budget is not retried
        try:
            return func(**params)
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
    """One per run: it spaces the calls, counts them against the budget and retries them."""

    def __init__(
        self,
        min_interval_s: float = 1.5,
        attempts: int = 4,
        base_delay_s: float = 2.0,
        request_budget: int = 500,
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
        frame = call_with_retry(
            func,
            params,
            attempts=self.attempts,
            base_delay_s=self.base_delay_s,
            sleep=self.sleep,
            before_each_try=self._take_turn,
            name=origin,
        )
        return frame, origin

    def _take_turn(self) -> None:
        if self.requests_made >= self.request_budget:
            raise RequestBudgetExceeded(
                f"this run's live request budget of {self.request_budget} akshare calls is used "
                f"up; raise AkshareSource.request_budget if the run really needs more"
            )
        if self._last_request is not None:
            wait = self._last_request + self.min_interval_s - self.monotonic()
            if wait > 0:
                self.sleep(wait)
        self.requests_made += 1
        self._last_request = self.monotonic()


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
