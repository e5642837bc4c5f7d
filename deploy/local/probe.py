"""Readiness probes for the local stack, standard library only.

``deploy/local/stack`` calls this before any virtual environment exists, so it speaks
the three protocols itself: a Kafka Metadata request (the broker answers only once it
has joined its KRaft quorum and can serve clients), a Redis ``PING`` and Prometheus'
``/-/ready``.  Usage: ``python3 probe.py kafka|redis|prometheus HOST:PORT``; exit 0
when the service answers, 1 when it does not.
"""

from __future__ import annotations

import socket
import struct
import sys
import urllib.request


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def _kafka_request(sock: socket.socket, api_key: int, version: int, body: bytes) -> bytes:
    client_id = b"opguard-probe"
    request = struct.pack(">hhih", api_key, version, 7, len(client_id)) + client_id + body
    sock.sendall(struct.pack(">i", len(request)) + request)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    payload = _recv_exact(sock, size)
    if struct.unpack(">i", payload[:4])[0] != 7:
        raise ValueError("unexpected correlation id")
    return payload[4:]


def kafka(host: str, port: int) -> bool:
    """The broker serves metadata (v1, all topics) and a group coordinator: the first
    FindCoordinator on a new cluster creates ``__consumer_offsets``, so once this answers
    without error, consumer groups work at once."""
    with socket.create_connection((host, port), timeout=3) as sock:
        metadata = _kafka_request(sock, 3, 1, struct.pack(">i", -1))
        (broker_count,) = struct.unpack(">i", metadata[:4])
        group = b"opguard-probe"
        found = _kafka_request(sock, 10, 0, struct.pack(">h", len(group)) + group)
        (error_code,) = struct.unpack(">h", found[:2])
    return broker_count >= 1 and error_code == 0


def redis(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.sendall(b"*1\r\n$4\r\nPING\r\n")
        return sock.recv(64).startswith(b"+PONG")


def prometheus(host: str, port: int) -> bool:
    with urllib.request.urlopen(f"http://{host}:{port}/-/ready", timeout=3) as response:
        return bool(response.status == 200)


def main() -> int:
    service, address = sys.argv[1], sys.argv[2]
    host, _, port = address.rpartition(":")
    probe = {"kafka": kafka, "redis": redis, "prometheus": prometheus}[service]
    try:
        return 0 if probe(host, int(port)) else 1
    except (OSError, ValueError, struct.error):
        return 1


if __name__ == "__main__":
    sys.exit(main())
