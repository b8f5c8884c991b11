"""Echo server on the Python `websockets` library (asyncio). Prints "PORT <n>" once listening.

An optional JSON argument configures permessage-deflate: ServerPerMessageDeflateFactory keyword
arguments (without it, the library's default offer handling). Paths:
- /close/<code>: the server starts the closing handshake with a 123-byte reason;
- /many: the server sends MANY_COUNT similar text messages in a row (one compression context
  across them, unless server_no_context_takeover);
- anything else echoes.

Run with the system interpreter that has python3-websockets:
/usr/bin/python3 python-websockets-echo.py ['{"server_max_window_bits": 10}']
"""
import asyncio
import json
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

from exit_with_stdin import exit_when_stdin_closes


# 123 UTF-8 bytes, the most a close frame can carry (RFC 6455 §5.5).
CLOSE_REASON = "é" * 61 + "x"
MANY_COUNT = 1000


async def echo(websocket, path=None):
    try:
        if websocket.path.startswith("/close/"):
            await websocket.close(int(websocket.path.split("/")[2]), CLOSE_REASON)
            return
        if websocket.path == "/many":
            for i in range(MANY_COUNT):
                await websocket.send(f"message {i}: {'abc' * (i % 50)}")
        async for message in websocket:
            await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    options = {"max_size": None, "subprotocols": ["echo"]}
    if len(sys.argv) > 1:
        options["extensions"] = [ServerPerMessageDeflateFactory(**json.loads(sys.argv[1]))]
    async with websockets.serve(echo, "127.0.0.1", 0, **options) as server:
        port = server.sockets[0].getsockname()[1]
        exit_when_stdin_closes()
        print(f"PORT {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
