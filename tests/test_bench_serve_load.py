"""The dev-server load benchmark measures real answers, and stays within its bounds."""

from __future__ import annotations

from pathlib import Path

from bench.serve_load import MAX_REQUESTS, LoadResult, measure

PAGE = "---\ntitle: Home\n---\n\nHello.\n"


def test_every_request_is_answered_and_timed(make_site) -> None:
    site = make_site({f"content/{code}/index.md": PAGE for code in ("ru", "en", "ko")})
    result = measure(site, clients=8, requests=80, seconds=30)
    assert result.failures == 0 and len(result.latencies) == 80
    assert 0 < result.percentile(0.5) <= result.percentile(0.95) <= max(result.latencies) < 30
    assert "8 clients, 80 requests" in result.summary() and "failed: 0" in result.summary()


def test_a_server_that_is_not_samizdat_fails_every_request(make_site, tmp_path: Path) -> None:
    """A server that answers nothing useful is counted as failures, never as fast requests."""
    fake = tmp_path / "fake" / "samizdat"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "__main__.py").write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    site = make_site({"content/en/index.md": PAGE})
    try:
        measure(site, clients=2, requests=4, seconds=5, python_path=tmp_path / "fake", ready_timeout=2)
    except RuntimeError as exc:
        assert "did not answer" in str(exc)
    else:
        raise AssertionError("a silent server was measured")


def test_percentiles_and_bounds() -> None:
    result = LoadResult(50, [i / 1000 for i in range(1, 101)], failures=2, wall=1.0)
    assert result.percentile(0.5) == 0.051 and result.percentile(0.95) == 0.096
    assert "failed: 2" in result.summary() and MAX_REQUESTS <= 20_000
