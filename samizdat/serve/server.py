"""The dev server: listen first, then build, then serve from a fixed pool of workers while watching."""

from __future__ import annotations

import errno
import socket
import socketserver
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import HTTPServer
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.serve.events import EventHub
from samizdat.serve.handler import DevHandler
from samizdat.serve.hosts import HostPolicy
from samizdat.serve.state import DevState
from samizdat.serve.watcher import watch_then_build

WORKERS = 16  # requests answered at once; pages come from memory, so a request takes about a millisecond
BACKLOG = 128  # connections the kernel holds while every worker is busy (Python's default is 5)


class PooledHTTPServer(HTTPServer):
    """HTTP on a fixed pool of threads: a burst of clients queues instead of starting a thread each."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[DevHandler], workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="serve")
        self._kept: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._waiting: set[socket.socket] = set()  # accepted, not yet taken by a worker
        self._waiting_lock = threading.Lock()
        super().__init__(address, handler)  # binds and listens; closes the pool again if that fails

    def server_bind(self) -> None:
        # HTTPServer looks the host's name up in DNS here, which can take seconds; it is never used.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        with self._waiting_lock:
            self._waiting.add(request)
        self._pool.submit(self._answer, request, client_address)

    def _answer(self, request: socket.socket, client_address: tuple[str, int]) -> None:
        with self._waiting_lock:
            if request not in self._waiting:
                return  # the server stopped and closed it
            self._waiting.remove(request)
        try:
            self.finish_request(request, client_address)
        except ConnectionError:  # the browser went away mid-answer (a reload, a closed tab): nothing to say
            pass
        except Exception as exc:  # one request's failure is the client's problem, never the server's end
            print(f"request from {client_address[0]} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            self.shutdown_request(request)

    def keep_open(self, request: socket.socket) -> None:
        """The request's connection now belongs to the event hub: close this handle, not the connection."""
        self._kept.add(request)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        if request in self._kept:
            self.close_request(request)
        else:
            super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening; connections no worker has taken yet are closed here, not left to the collector."""
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._waiting_lock:
            waiting, self._waiting = self._waiting, set()
        for request in waiting:
            self.shutdown_request(request)


@dataclass(frozen=True)
class DevServer:
    http: PooledHTTPServer
    state: DevState
    hub: EventHub

    @property
    def url(self) -> str:
        return f"http://{self.http.server_name}:{self.http.server_port}"


@contextmanager
def running(site_root: Path, host: str, port: int, drafts: bool = False) -> Iterator[DevServer]:
    """Listen (failing before any build when the port is taken), build, then watch and push events."""
    state = DevState(site_root, drafts)
    server, hub = make_server(state, host, port)
    try:
        stop = threading.Event()
        watch_then_build(state, stop)
        threading.Thread(target=hub.run, args=(stop,), name="events", daemon=True).start()
        try:
            yield DevServer(server, state, hub)
        finally:
            stop.set()
            hub.close_all()
    finally:
        server.server_close()


def serve(site_root: Path, host: str, port: int, drafts: bool = False) -> None:
    with running(site_root, host, port, drafts) as dev:
        print(f"serving {site_root} at {dev.url}/ (Ctrl+C to stop)", file=sys.stderr)
        dev.http.serve_forever()


@contextmanager
def background_server(site_root: Path, host: str = "127.0.0.1", port: int = 0,
                      drafts: bool = False) -> Iterator[tuple[str, DevState]]:
    """The dev server and its watcher on threads, for tests and measurements; yields its base URL."""
    with background(site_root, host, port, drafts) as dev:
        yield dev.url, dev.state


@contextmanager
def background(site_root: Path, host: str = "127.0.0.1", port: int = 0, drafts: bool = False) -> Iterator[DevServer]:
    with running(site_root, host, port, drafts) as dev:
        threading.Thread(target=dev.http.serve_forever, args=(0.05,), name="http", daemon=True).start()
        time.sleep(0.3)  # the watcher must be watching before the caller edits files
        try:
            yield dev
        finally:
            dev.http.shutdown()


def _listen_hint(exc: OSError, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"another program (or another samizdat serve) uses the port; try --port {port + 1}"
    if exc.errno == errno.EACCES:
        return "ports below 1024 need administrator rights; use a port such as --port 8000"
    return "check --host: it must be an address of this computer, such as 127.0.0.1"


def make_server(state: DevState, host: str, port: int) -> tuple[PooledHTTPServer, EventHub]:
    hub = EventHub(state)
    state.open_tabs = hub.__len__  # the tabs told of a save, which the rest of its build waits for
    try:
        server = PooledHTTPServer((host, port), DevHandler)
    except OSError as exc:
        raise SamizdatError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", hint=_listen_hint(exc, port)
                            ) from exc
    policy = HostPolicy(host, server.server_port)
    server.RequestHandlerClass = type("Handler", (DevHandler,), {"state": state, "hub": hub, "hosts": policy})
    return server, hub
