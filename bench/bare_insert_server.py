"""The physical limit beside the real server in bench_http.py: uvicorn and FastAPI with one sync
route, POST /bare, that does one durable INSERT of the request body and answers 201 (SQLite WAL
with synchronous=FULL, or a PostgreSQL commit; one connection per worker thread).

    python bench/bare_insert_server.py DATABASE PORT [--reuse-port]

With ``--reuse-port`` several of these processes listen on one port (SO_REUSEPORT: the kernel
shares the connections out), the limit of as many processes as ``serve --workers N`` runs.

DATABASE is a SQLite file path or a postgresql:// URL.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import sys
import threading
import uuid
from typing import Any


def serve_bare(database: str, port: int, reuse_port: bool = False) -> None:
    """uvicorn + FastAPI, POST /bare: one durable INSERT of the body per request."""
    import psycopg
    import uvicorn
    from fastapi import FastAPI, status

    local = threading.local()

    def connection() -> Any:
        conn = getattr(local, "conn", None)
        if conn is None:
            if database.startswith("postgresql"):
                conn = psycopg.connect(database)
            else:
                conn = sqlite3.connect(database, isolation_level=None, timeout=10)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            local.conn = conn
        return conn

    setup = connection()
    kind = "bytea" if database.startswith("postgresql") else "BLOB"
    setup.execute(f"CREATE TABLE IF NOT EXISTS bare (id TEXT PRIMARY KEY, body {kind})")
    if database.startswith("postgresql"):
        setup.commit()
    app = FastAPI()

    @app.post("/bare", status_code=status.HTTP_201_CREATED)
    def bare(body: dict[str, Any]) -> dict[str, str]:
        conn = connection()
        row = (str(uuid.uuid4()), json.dumps(body).encode())
        if database.startswith("postgresql"):
            conn.execute("INSERT INTO bare (id, body) VALUES (%s, %s)", row)
            conn.commit()
        else:
            conn.execute("INSERT INTO bare (id, body) VALUES (?, ?)", row)
        return {"id": row[0]}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    if not reuse_port:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
        return
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    serve_bare(sys.argv[1], int(sys.argv[2]), reuse_port="--reuse-port" in sys.argv[3:])
