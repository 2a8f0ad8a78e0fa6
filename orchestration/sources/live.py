"""Live mode: call akshare itself, politely and with retries.

Requests are sequential and spaced; a failed call is retried with exponential backoff and jitter;
after the last try the error names the function and its parameters. The exchanges' sites block
bursts (see ../shared/akshare-reference.md §0.3), so this is deliberately slow.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pandas as pd


class LiveFetchError(RuntimeError):
    """akshare kept failing for one call; nothing from this run was landed."""


def call_with_retry(
    func: Callable[..., pd.DataFrame],
    params: dict,
    *,
    attempts: int = 4,
    base_delay_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> pd.DataFrame:
    call = f"akshare.{func.__name__}({_format(params)})"
    for attempt in range(1, attempts + 1):
        try:
            return func(**params)
        except Exception as error:  # akshare raises anything from KeyError to ConnectionError
            if attempt == attempts:
                raise LiveFetchError(f"{call} failed after {attempts} tries: {error!r}") from error
            sleep(base_delay_s * 2 ** (attempt - 1) + random.uniform(0, base_delay_s))
    raise AssertionError("unreachable")


def _format(params: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


class LiveSource:
    def __init__(self, min_interval_s: float = 1.5, attempts: int = 4):
        self.min_interval_s = min_interval_s
        self.attempts = attempts
        self._last_call = 0.0

    def fetch(self, function: str, **params) -> tuple[pd.DataFrame, str]:
        import akshare  # imported lazily: it is slow to import and snapshot mode never needs it

        func = getattr(akshare, function, None)
        if func is None:
            raise LiveFetchError(f"akshare has no function {function!r} (no live source for it)")
        wait = self._last_call + self.min_interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return call_with_retry(func, params, attempts=self.attempts), f"akshare.{function}"
        finally:
            self._last_call = time.monotonic()
