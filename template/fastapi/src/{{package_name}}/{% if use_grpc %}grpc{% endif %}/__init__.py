"""The gRPC style: the services of ``proto/``, on GRPC_PORT, in the app's own event loop."""
