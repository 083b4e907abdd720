"""Live-reload event streams: one thread holds every open tab's connection, no worker waits on one."""

from __future__ import annotations

import contextlib
import selectors
import socket
import sys
import threading
import time

from samizdat.serve.state import DevState

MAX_STREAMS = 256  # open tabs; more are refused (503) and their browser retries
TICK_SECONDS = 0.25  # a tab that left is noticed and its connection closed within this
HEARTBEAT_SECONDS = 15  # keeps proxies and idle timeouts from closing a quiet stream
SEND_TIMEOUT_SECONDS = 1.0  # a tab that stops reading is dropped, not waited for


class EventHub:
    """Sends the server's state to each tab when it changes; closes the streams of tabs that left."""

    def __init__(self, state: DevState) -> None:
        self.state = state
        self._streams: dict[socket.socket, str] = {}  # connection → the last message it was sent
        self._lock = threading.Lock()
        self._last_beat = time.monotonic()
        self._closed = False  # after close_all: a stream handed over by a request still running is refused

    def __len__(self) -> int:
        with self._lock:
            return len(self._streams)

    def full(self) -> bool:
        return len(self) >= MAX_STREAMS

    def add(self, connection: socket.socket) -> bool:
        """Take over a connection whose response headers are sent; False when there are too many, or when
        the server is stopping (the caller closes the connection then)."""
        with self._lock:
            if self._closed or len(self._streams) >= MAX_STREAMS:
                return False
            connection.settimeout(SEND_TIMEOUT_SECONDS)
            self._streams[connection] = ""
            self._send_state(connection)
        return True

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            with self.state.changed:
                self.state.changed.wait(TICK_SECONDS)
            try:
                self.tick()
            except Exception as exc:  # the tabs must go on hearing of rebuilds whatever happened
                print(f"live reload: {type(exc).__name__}: {exc}", file=sys.stderr)
        self.close_all()

    def tick(self) -> None:
        with self._lock:
            self._drop_departed()
            for connection in list(self._streams):
                self._send_state(connection)
            self._heartbeat()

    def close_all(self) -> None:
        with self._lock:
            self._closed = True
            for connection in list(self._streams):
                self._close(connection)

    def _send_state(self, connection: socket.socket) -> None:
        message = self.state.message()
        if self._streams.get(connection) != message:
            self._write(connection, f"event: state\ndata: {message}\n\n".encode())
            if connection in self._streams:
                self._streams[connection] = message

    def _heartbeat(self) -> None:
        if time.monotonic() - self._last_beat >= HEARTBEAT_SECONDS:
            self._last_beat = time.monotonic()
            for connection in list(self._streams):
                self._write(connection, b": keep-alive\n\n")

    def _drop_departed(self) -> None:
        """A tab never sends after its request, so a readable stream is one the tab closed."""
        if not self._streams:
            return
        with selectors.DefaultSelector() as selector:  # no FD_SETSIZE limit, unlike select()
            for connection in self._streams:
                selector.register(connection, selectors.EVENT_READ)
            departed = [key.fileobj for key, _ in selector.select(0)]
        for connection in departed:
            self._close(connection)  # type: ignore[arg-type]

    def _write(self, connection: socket.socket, data: bytes) -> None:
        try:
            connection.sendall(data)
        except OSError:  # gone, reset, or too slow to read
            self._close(connection)

    def _close(self, connection: socket.socket) -> None:
        self._streams.pop(connection, None)
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()
