"""Ends a test server when its stdin closes: the test process that launched it (launch.ts holds
the other end of the pipe) is gone, even if it was killed by a signal and could not stop it."""
import os
import sys
import threading


def exit_when_stdin_closes():
    def wait():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=wait, daemon=True).start()
