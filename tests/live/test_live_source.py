"""LiveSource: spacing, backoff with jitter, the request budget, errors that name the call."""

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import curl_cffi.requests
import pytest
import requests

from orchestration.sources.live import (
    LiveFetchError,
    RequestBudgetExceeded,
    RequestHooks,
    around_each_http_request,
)
from orchestration.testing.akshare_replay import fixture
from tests.live.conftest import patch_baidu, serve_pages, serve_safe

HK_HIST_URL = "https://33.push2his.eastmoney.com/api/qt/stock/kline/get"
A_SPOT_URL = "https://82.push2.eastmoney.com/api/qt/clist/get"


def test_calls_are_spaced_by_the_minimum_interval(http, live, fake_time):
    serve_pages(http, "kline_stock_hk_hist")
    live.fetch("stock_hk_hist", symbol="00700")
    live.fetch("stock_hk_hist", symbol="00700")
    assert fake_time.slept == [1.5]
    assert live.requests_made == 2


def test_each_page_of_a_paginated_call_is_a_spaced_request(http, live, fake_time):
    serve_pages(http, "clist_stock_zh_a_spot_em")  # two pages
    frame, _ = live.fetch("stock_zh_a_spot_em")
    assert len(frame) == 3
    assert live.requests_made == len(http.calls) == 2
    assert fake_time.slept == [1.5]


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


def test_every_request_of_a_retried_call_counts(http, live, fake_time):
    http.get(A_SPOT_URL, json=fixture("clist_stock_zh_a_spot_em")["pages"][0])
    for _ in range(3):  # akshare's own helper tries page 2 three times, then the call fails
        http.get(A_SPOT_URL, status=503)
    serve_pages(http, "clist_stock_zh_a_spot_em")  # our retry of the whole call
    frame, _ = live.fetch("stock_zh_a_spot_em")
    assert len(frame) == 3
    assert live.requests_made == len(http.calls) == 6
    *spacing, backoff, last_page = fake_time.slept
    assert spacing == [1.5, 1.5, 1.5] and 2.0 <= backoff <= 4.0
    assert last_page == pytest.approx(1.5)


def test_persistent_failure_names_the_function_and_parameters(http, live):
    http.get(HK_HIST_URL, status=503)
    with pytest.raises(LiveFetchError) as error:
        live.fetch("stock_hk_hist", symbol="00700", adjust="")
    assert "akshare.stock_hk_hist(symbol='00700', adjust='') failed after 3 tries" in str(
        error.value
    )
    assert live.requests_made == 3


def test_the_request_budget_stops_the_run_and_is_not_retried(http, live):
    live.request_budget = 2
    http.get(HK_HIST_URL, status=503)
    budget = r"akshare.stock_hk_hist\(symbol='00700'\): .* budget of 2 HTTP requests"
    with pytest.raises(RequestBudgetExceeded, match=budget):
        live.fetch("stock_hk_hist", symbol="00700")
    assert live.requests_made == len(http.calls) == 2


def test_requests_that_bypass_requests_are_counted_and_spaced(http, monkeypatch, live, fake_time):
    # curl_cffi (HK), http.client (US): patch_baidu fakes only what lies below LiveSource's hooks.
    patch_baidu(monkeypatch)
    live.fetch("stock_hk_valuation_baidu", symbol="00700", indicator="总市值", period="全部")
    live.fetch("stock_us_valuation_baidu", symbol="BABA", indicator="总市值", period="全部")
    assert live.requests_made == 2 and not http.calls
    assert fake_time.slept == [1.5]


def test_currency_boc_safe_makes_four_requests(http, monkeypatch, live):
    serve_safe(http, monkeypatch)
    live.fetch("currency_boc_safe")
    # requests sends the index page and the POSTed tail; pandas.read_excel(url) fetches the
    # xlsx through urllib and http.client twice: once to sniff its format, once to read it.
    assert live.requests_made == 4 and len(http.calls) == 2


def test_the_budget_refuses_a_request_made_through_urllib_too(http, monkeypatch, live):
    live.request_budget = 1
    serve_safe(http, monkeypatch)
    with pytest.raises(RequestBudgetExceeded, match=r"akshare.currency_boc_safe\(\)"):
        live.fetch("currency_boc_safe")
    assert live.requests_made == len(http.calls) == 1  # the xlsx and the tail were not sent


@pytest.fixture
def local_url():
    """A real HTTP server on the loopback: requests, urllib and curl_cffi all really send."""

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_the_hook_sees_each_request_once_whichever_client_sends_it(local_url):
    seen = []
    with around_each_http_request(RequestHooks(before=lambda: seen.append("request"))):
        requests.get(local_url)  # requests → urllib3 → http.client: once, not twice
        urllib.request.urlopen(local_url).read()
        curl_cffi.requests.get(local_url)
    requests.get(local_url)  # after the block: not hooked
    assert len(seen) == 3


def test_the_hook_is_removed_when_the_block_fails(local_url):
    def refuse():
        raise RequestBudgetExceeded("refused")

    with pytest.raises(RequestBudgetExceeded), around_each_http_request(RequestHooks(refuse)):
        requests.get(local_url)
    assert requests.get(local_url).text == "ok"
    assert urllib.request.urlopen(local_url).read() == b"ok"


def test_an_unknown_function_is_a_clear_error(live):
    with pytest.raises(LiveFetchError, match="akshare has no function 'stock_nowhere_em'"):
        live.fetch("stock_nowhere_em")
