"""The bare gRPC baseline of scripts/bench_grpc.py for FastAPI renders: grpc.aio, one method.

It answers every call of METHOD with the same bytes (the render's own answer to that call,
taken by the benchmark), with the server options the render uses, one process, from the same
venv, so the ratio isolates what the render adds around the library.
Usage: python grpc_server.py PORT METHOD ANSWER_HEX
"""

import asyncio
import signal
import sys

import grpc
from grpc import aio


def _identity(data: bytes) -> bytes:
    return data


async def serve(port: int, method: str, answer: bytes) -> None:
    service, name = method.lstrip("/").split("/")

    async def handle(_request: bytes, _context: object) -> bytes:
        return answer

    handler = grpc.unary_unary_rpc_method_handler(handle, request_deserializer=_identity, response_serializer=_identity)
    server = aio.server(options=[("grpc.so_reuseport", 0)])
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(service, {name: handler})])
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    await stopping.wait()
    await server.stop(1)


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2], bytes.fromhex(sys.argv[3])))
