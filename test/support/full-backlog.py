"""A TCP server whose accept queue is full, so that a client's connect never completes: for the SDK's
connect-timeout test. Listens on 127.0.0.1, prints its port, never accepts, exits after 60 s or when stdin closes.
"""
import socket
import sys
import threading

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
port = server.getsockname()[1]
# Fill the (tiny) queue: further SYNs are dropped by the kernel, and those connects hang.
fillers = []
for _ in range(8):
    filler = socket.socket()
    filler.setblocking(False)
    try:
        filler.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(filler)
print(port, flush=True)
threading.Timer(60, lambda: sys.exit(0)).start()
sys.stdin.read()
