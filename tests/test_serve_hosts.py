"""The dev server's Host rule on its own: local names always, IP addresses only when listening on all."""

from __future__ import annotations

import pytest

from samizdat.serve.hosts import HostPolicy, split_host

# (listening on, Host header, answered)
CASES = [
    ("127.0.0.1", "127.0.0.1:8000", True), ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "localhost.:8000", True), ("127.0.0.1", "[::1]:8000", True),
    ("127.0.0.1", "evil.example:8000", False), ("127.0.0.1", "192.168.1.20:8000", False),
    ("127.0.0.1", "localhost:8001", False), ("127.0.0.1", "localhost:", False),
    ("127.0.0.1", "localhost:8000:8000", False), ("127.0.0.1", "[::1", False),
    ("127.0.0.1", "127.0.0.1@evil.example", False), ("127.0.0.1", "", False),
    ("0.0.0.0", "192.168.1.20:8000", True), ("0.0.0.0", "[fe80::1]:8000", True),
    ("0.0.0.0", "phone.example:8000", False), ("0.0.0.0", "1.2.3.4.nip.io:8000", False),
    ("192.168.1.20", "192.168.1.20:8000", True), ("192.168.1.20", "10.0.0.1:8000", False),
    ("mybox.lan", "MYBOX.lan:8000", True),
]


@pytest.mark.parametrize(("listen", "header", "answered"), CASES)
def test_host_rule(listen: str, header: str, answered: bool) -> None:
    assert HostPolicy(listen, 8000).allows(header) is answered


def test_split_host() -> None:
    assert split_host("[::1]:80") == ("::1", 80)
    assert split_host("localhost") == ("localhost", None)
    assert split_host("localhost:x") == ("localhost", -1)
