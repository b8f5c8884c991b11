"""Echo server on Autobahn|Python over Twisted. Prints "PORT <n>" once listening.

Run with the system interpreter that has python3-autobahn: /usr/bin/python3 autobahn-echo.py
"""
import sys

from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept
from twisted.internet import reactor

from exit_with_stdin import exit_when_stdin_closes


# 123 UTF-8 bytes, the most a close frame can carry (RFC 6455 §5.5).
CLOSE_REASON = "é" * 61 + "x"
FRAGMENTED_TEXT = "héllo ✓ wörld € 𝄞"


class EchoProtocol(WebSocketServerProtocol):
    def onConnect(self, request):
        self.path = request.path
        return "echo" if "echo" in request.protocols else None

    def onOpen(self):
        # /close/<code>: the server starts the closing handshake (Autobahn allows 1000 and 3000-4999).
        if self.path.startswith("/close/"):
            self.sendClose(int(self.path.split("/")[2]), CLOSE_REASON)
        # /fragments: one text message a byte per frame (so every multi-byte character is split
        # across frames), a ping after every third frame, then a 2 MB binary message in 64 KiB frames.
        elif self.path == "/fragments":
            text = FRAGMENTED_TEXT.encode("utf-8")
            self.beginMessage(isBinary=False)
            for i in range(len(text)):
                self.sendMessageFrame(text[i : i + 1])
                if i % 3 == 0:
                    self.sendPing(b"ping %d" % i)
            self.endMessage()
            data = b"repeat me " * 200000
            self.beginMessage(isBinary=True)
            for i in range(0, len(data), 65536):
                self.sendMessageFrame(data[i : i + 65536])
            self.endMessage()

    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


def accept_deflate(offers):
    """Accepts the client's first permessage-deflate offer as made (Autobahn declines by default)."""
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)
    return None


def main():
    factory = WebSocketServerFactory("ws://127.0.0.1")
    factory.protocol = EchoProtocol
    # No payload or frame limits beyond the test's largest message.
    factory.setProtocolOptions(
        maxMessagePayloadSize=0, maxFramePayloadSize=0, perMessageCompressionAccept=accept_deflate
    )
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    exit_when_stdin_closes()
    print(f"PORT {port.getHost().port}", flush=True)
    reactor.run()


if __name__ == "__main__":
    main()
    sys.exit(0)
