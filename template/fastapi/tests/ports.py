"""Loopback ports for the servers the tests start, kept from every other process meanwhile."""

import socket


def free_port() -> int:
    """A loopback port nothing listens on: free to listen on, and refusing connections.

    A port merely bound and closed goes back to the system at once, and any outgoing
    connection on the machine (another test worker's) may take it as its own before the
    test's server listens. So the port ends with a connection the listening side closed:
    it stays in TIME_WAIT, which the system skips when it chooses ports, while a server
    that sets SO_REUSEADDR (uvicorn, gRPC) can still listen on it.
    """
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = listener.getsockname()
        with socket.create_connection(address):
            accepted, _ = listener.accept()
            # Closed first, by the listening side: the TIME_WAIT holds this port.
            accepted.close()
    port: int = address[1]
    return port
