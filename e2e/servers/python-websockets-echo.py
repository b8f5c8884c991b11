"""Echo server on the Python `websockets` library (asyncio). Prints "PORT <n>" once listening.

Run with the system interpreter that has python3-websockets: /usr/bin/python3 python-websockets-echo.py
"""
import asyncio
import sys

import websockets


# 123 UTF-8 bytes, the most a close frame can carry (RFC 6455 §5.5).
CLOSE_REASON = "é" * 61 + "x"


async def echo(websocket, path=None):
    try:
        # /close/<code>: the server starts the closing handshake.
        if websocket.path.startswith("/close/"):
            await websocket.close(int(websocket.path.split("/")[2]), CLOSE_REASON)
            return
        async for message in websocket:
            await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None, subprotocols=["echo"]) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
