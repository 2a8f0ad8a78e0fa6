"""No network: a host that does not resolve, or refuses N connections in a row, stops the run at
once, naming the host and the call; timeouts, resets and 5xx responses are retried with backoff.

The errors are built as requests and curl_cffi raise them (requests.ConnectionError wrapping
urllib3's MaxRetryError and its reason; curl_cffi's DNSError with curl code 6).
"""

import socket
import urllib.error
import urllib.request

import curl_cffi.requests
import pytest
import requests
from curl_cffi.const import CurlECode
from curl_cffi.requests.exceptions import ConnectionError as CurlConnectionError
from curl_cffi.requests.exceptions import DNSError
from curl_cffi.requests.exceptions import Timeout as CurlTimeout
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from orchestration.assets.raw.hong_kong import stock_hk_hist, stock_hk_valuation_baidu
from orchestration.cli.demo import failures
from orchestration.sources.live import (
    CANNOT_CONNECT,
    DNS_FAILURE,
    HostUnreachable,
    RequestHooks,
    around_each_http_request,
    cannot_reach,
)
from orchestration.testing.akshare_replay import materialize
from tests.live.conftest import failure_message, serve_pages

HK_HIST_URL = "https://33.push2his.eastmoney.com/api/qt/stock/kline/get"
HOST = "33.push2his.eastmoney.com"


def unresolvable() -> requests.ConnectionError:
    gaierror = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    reason = NameResolutionError(HOST, None, gaierror)
    return requests.ConnectionError(MaxRetryError(None, f"https://{HOST}/", reason))


def refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused")
    return requests.ConnectionError(MaxRetryError(None, f"https://{HOST}/", reason))


def timed_out() -> requests.ReadTimeout:
    return requests.ReadTimeout(ReadTimeoutError(None, f"https://{HOST}/", "Read timed out."))


def connect_timed_out() -> requests.ConnectTimeout:
    reason = ConnectTimeoutError(None, "Connection timed out. (connect timeout=15)")
    return requests.ConnectTimeout(MaxRetryError(None, f"https://{HOST}/", reason))


def reset() -> requests.ConnectionError:
    cause = ConnectionResetError(104, "Connection reset by peer")
    return requests.ConnectionError(ProtocolError("Connection aborted.", cause))


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (unresolvable(), DNS_FAILURE),
        (DNSError("curl: (6) Could not resolve host", CurlECode.COULDNT_RESOLVE_HOST), DNS_FAILURE),
        (urllib.error.URLError(socket.gaierror(-2, "Name or service not known")), DNS_FAILURE),
        (refused(), CANNOT_CONNECT),
        (
            CurlConnectionError("curl: (7) Failed to connect", CurlECode.COULDNT_CONNECT),
            CANNOT_CONNECT,
        ),
        (urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), CANNOT_CONNECT),
        (timed_out(), None),
        (connect_timed_out(), None),
        (reset(), None),
        (CurlTimeout("curl: (28) Operation timed out", CurlECode.OPERATION_TIMEDOUT), None),
        (requests.HTTPError("503 Server Error"), None),
    ],
)
def test_only_an_unknown_host_or_a_refused_connection_counts_as_unreachable(error, reason):
    assert cannot_reach(error) == reason


def test_a_host_that_does_not_resolve_fails_the_asset_at_once(http, live, fake_time, raw_zone):
    http.get(HK_HIST_URL, body=unresolvable())
    result = materialize([stock_hk_hist], live, raw_zone)
    [failure] = failures(result)  # what `make demo` prints
    assert "failed: orchestration.sources.live.HostUnreachable: akshare.stock_hk_hist(" in failure
    assert f"period='daily', adjust=''): {HOST} does not resolve (DNS failure" in failure
    assert live.requests_made == len(http.calls) == 1  # one attempt: no retry ...
    assert fake_time.slept == []  # ... and no backoff
    assert not raw_zone.path("stock_hk_hist").exists()


def test_after_a_dns_failure_no_later_call_is_sent(http, live):
    http.get(HK_HIST_URL, body=unresolvable())
    with pytest.raises(HostUnreachable):
        live.fetch("stock_hk_hist", symbol="00700")
    with pytest.raises(
        HostUnreachable, match=f"symbol='09988'.*not sent, as {HOST} does not resolve"
    ):
        live.fetch("stock_hk_hist", symbol="09988")
    assert live.requests_made == len(http.calls) == 1


def test_curl_cffis_dns_failure_stops_too(monkeypatch, live, fake_time, raw_zone):
    def no_dns(session, **kwargs):
        raise DNSError("curl: (6) Could not resolve host", CurlECode.COULDNT_RESOLVE_HOST)

    monkeypatch.setattr("curl_cffi.requests.Session._request_once", no_dns)
    message = failure_message(materialize([stock_hk_valuation_baidu], live, raw_zone))
    assert "indicator='总市值', period='全部'): finance.baidu.com does not resolve" in message
    assert live.requests_made == 1 and fake_time.slept == []


def test_refused_connections_in_a_row_stop_the_run(http, live, fake_time):
    live.refused_in_a_row_limit = 2  # below the 3 tries, so the limit, not the tries, stops it
    http.get(HK_HIST_URL, body=refused())
    with pytest.raises(HostUnreachable, match=f"{HOST} could not be connected to 2 times in a row"):
        live.fetch("stock_hk_hist", symbol="00700")
    assert live.requests_made == len(http.calls) == 2
    assert len(fake_time.slept) == 1  # one backoff between the two


def test_a_connection_that_goes_through_resets_the_count(http, live):
    live.refused_in_a_row_limit = 2
    for _ in range(2):
        http.get(HK_HIST_URL, body=refused())
        serve_pages(http, "kline_stock_hk_hist")
    for symbol in ("00700", "09988"):  # refused once, then answered: never 2 in a row
        frame, _ = live.fetch("stock_hk_hist", symbol=symbol)
        assert frame["收盘"].tolist() == [372.4, 380.2]
    assert live.requests_made == 4


def test_timeouts_and_resets_are_still_retried_with_backoff(http, live, fake_time):
    http.get(HK_HIST_URL, body=timed_out())
    http.get(HK_HIST_URL, body=reset())
    serve_pages(http, "kline_stock_hk_hist")
    frame, _ = live.fetch("stock_hk_hist", symbol="00700")
    assert frame["收盘"].tolist() == [372.4, 380.2]
    assert live.requests_made == 3
    first, second = fake_time.slept
    assert 2.0 <= first <= 4.0 and 4.0 <= second <= 6.0


@pytest.fixture
def closed_port_url() -> str:
    """A loopback port nothing listens on: connecting is refused, for real."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_every_client_reports_a_refused_connection_with_its_host(closed_port_url):
    failures = []
    hooks = RequestHooks(
        before=lambda: None,
        failed=lambda host, error: failures.append((host, cannot_reach(error))),
    )
    with around_each_http_request(hooks):
        with pytest.raises(requests.ConnectionError):
            requests.get(closed_port_url)
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(closed_port_url)
        with pytest.raises(curl_cffi.requests.exceptions.ConnectionError):
            curl_cffi.requests.get(closed_port_url)
    assert failures == [("127.0.0.1", CANNOT_CONNECT)] * 3
