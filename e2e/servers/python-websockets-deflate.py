"""Echo server on Python `websockets` with permessage-deflate configured by a JSON argument of
ServerPerMessageDeflateFactory keyword arguments. Prints "PORT <n>" once listening.

/many sends MANY_COUNT similar text messages in a row (one compression context across them,
unless server_no_context_takeover); every other path echoes.
Run with /usr/bin/python3 python-websockets-deflate.py '{"server_max_window_bits": 10}'
"""
import asyncio
import json
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

MANY_COUNT = 1000


async def handler(websocket, path=None):
    try:
        if websocket.path == "/many":
            for i in range(MANY_COUNT):
                await websocket.send(f"message {i}: {'abc' * (i % 50)}")
        async for message in websocket:
            await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    factory = ServerPerMessageDeflateFactory(**json.loads(sys.argv[1]))
    async with websockets.serve(handler, "127.0.0.1", 0, max_size=None, extensions=[factory]) as server:
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
