"""Replay recorded HTTP responses through akshare's real parsing code; nothing leaves the box.

The pytest fixtures and the helpers only tests use are here; the replay kit the benchmark shares
(fixture loader, URLs, fake clock, materialise helper) is orchestration/testing/akshare_replay.py.
"""

import base64
import io
import json
from http.client import HTTPSConnection
from types import SimpleNamespace

import pandas as pd
import pytest
import responses

from orchestration.resources import RawZone
from orchestration.sources.live import LiveSource
from orchestration.testing.akshare_replay import AFTER_CLOSE, FakeTime, fixture


@pytest.fixture(autouse=True)
def no_akshare_sleep(monkeypatch):
    # akshare sleeps between clist pages and inside its own retry helpers.
    import akshare.request
    import akshare.utils.func
    import akshare.utils.request

    for module in (akshare.utils.func, akshare.utils.request, akshare.request):
        monkeypatch.setattr(module.time, "sleep", lambda seconds: None)


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def live(fake_time) -> LiveSource:
    return LiveSource(
        min_interval_s=1.5,
        attempts=3,
        base_delay_s=2.0,
        request_budget=100,
        sleep=fake_time.sleep,
        monotonic=fake_time.monotonic,
        now=lambda: AFTER_CLOSE,
    )


@pytest.fixture
def raw_zone(tmp_path) -> RawZone:
    return RawZone(root=str(tmp_path / "raw"))


def serve_pages(http, name: str, url: str | None = None) -> None:
    """Register a fixture's pages, in order, for its URL (any query string)."""
    content = fixture(name)
    for page in content["pages"]:
        http.get(url or content["url"], json=page)


def landed(raw_zone: RawZone, dataset: str, partition: str = "all") -> pd.DataFrame:
    return pd.read_parquet(raw_zone.path(dataset, partition))


def failure_message(result) -> str:
    failures = [e for e in result.all_events if e.is_step_failure]
    assert failures, "expected the step to fail"
    error = failures[0].step_failure_data.error
    messages = []
    while error is not None:
        messages.append(error.message)
        error = error.cause
    return "\n".join(messages)


def patch_baidu(monkeypatch) -> None:
    """The Baidu valuation functions bypass `requests`: answer them below their HTTP clients."""
    body = json.dumps(fixture("baidu_valuation")["pages"][0]).encode()
    # stock_hk_valuation_baidu: curl_cffi's Session.request (where LiveSource counts) still runs.
    monkeypatch.setattr(
        "curl_cffi.requests.Session._request_once",
        lambda session, **kwargs: SimpleNamespace(json=lambda: json.loads(body)),
    )
    serve_http_client(monkeypatch, "gushitong.baidu.com", body)  # stock_us_valuation_baidu


def serve_http_client(monkeypatch, host: str, body: bytes) -> None:
    """Answer http.client's HTTPS requests to `host` with `body` by faking only the socket, so
    the request still goes through http.client, where LiveSource counts it."""
    response = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%b" % (len(body), body)
    connect = HTTPSConnection.connect

    def fake_connect(connection):
        if connection.host != host:
            return connect(connection)
        connection.sock = SimpleNamespace(
            sendall=lambda data: None,
            makefile=lambda mode: io.BytesIO(response),
            close=lambda: None,
        )

    monkeypatch.setattr(HTTPSConnection, "connect", fake_connect)


def serve_safe(http, monkeypatch, usd_override: float | None = None) -> None:
    """currency_boc_safe: an HTML index (requests), the xlsx (pd.read_excel(url), through
    urllib and http.client), a POST tail (requests)."""
    content = fixture("safe_currency_boc_safe")
    http.get(content["index_url"], body=content["index_html"], content_type="text/html")
    http.post(
        content["tail_url"], body=content["tail_html"], content_type="text/html; charset=utf-8"
    )
    workbook = pd.DataFrame(content["workbook_records"])
    if usd_override is not None:
        workbook.loc[0, "美元"] = usd_override
    xlsx = io.BytesIO()
    workbook.to_excel(xlsx, index=False)
    serve_http_client(monkeypatch, "www.safe.gov.cn", xlsx.getvalue())


def xls_body(key: str = "xls_base64") -> bytes:
    return base64.b64decode(fixture("shenwan_stock_industry_clf_hist_sw")[key])
