"""LiveSource: spacing, backoff with jitter, the request budget, errors that name the call."""

import pytest

from orchestration.sources.live import LiveFetchError, RequestBudgetExceeded
from tests.live.conftest import serve_pages

HK_HIST_URL = "https://33.push2his.eastmoney.com/api/qt/stock/kline/get"


def test_calls_are_spaced_by_the_minimum_interval(http, live, fake_time):
    serve_pages(http, "kline_stock_hk_hist")
    live.fetch("stock_hk_hist", symbol="00700")
    live.fetch("stock_hk_hist", symbol="00700")
    assert fake_time.slept == [1.5]
    assert live.requests_made == 2


def test_a_5xx_is_retried_with_exponential_backoff_and_jitter(http, live, fake_time):
    http.get(HK_HIST_URL, status=503)
    http.get(HK_HIST_URL, status=502)
    serve_pages(http, "kline_stock_hk_hist")
    frame, origin = live.fetch("stock_hk_hist", symbol="00700")
    assert origin == "akshare.stock_hk_hist"
    assert frame["收盘"].tolist() == [372.4, 380.2]
    assert live.requests_made == 3
    first, second = fake_time.slept  # backoff base·2^(n-1) plus up to base of jitter
    assert 2.0 <= first <= 4.0
    assert 4.0 <= second <= 6.0


def test_persistent_failure_names_the_function_and_parameters(http, live):
    http.get(HK_HIST_URL, status=503)
    with pytest.raises(LiveFetchError) as error:
        live.fetch("stock_hk_hist", symbol="00700", adjust="")
    assert "akshare.stock_hk_hist(symbol='00700', adjust='') failed after 3 tries" in str(
        error.value
    )
    assert live.requests_made == 3


def test_the_request_budget_stops_the_run(http, live):
    live.request_budget = 2
    http.get(HK_HIST_URL, status=503)
    with pytest.raises(RequestBudgetExceeded, match="budget of 2 HTTP requests"):
        live.fetch("stock_hk_hist", symbol="00700")
    assert live.requests_made == 2


def test_an_unknown_function_is_a_clear_error(live):
    with pytest.raises(LiveFetchError, match="akshare has no function 'stock_nowhere_em'"):
        live.fetch("stock_nowhere_em")
