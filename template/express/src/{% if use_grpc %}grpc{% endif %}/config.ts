// The gRPC server's settings, merged into the service's by src/settings.ts.
import { integer, seconds } from "../core/config.js";

export const grpcSettings = {
  // gRPC's own port, on HOST: HTTP/2 cleartext cannot share the HTTP server's port.
  GRPC_PORT: integer(1, 65535).default(50051),
  // How often readiness is checked again for the health service (grpc.health.v1).
  GRPC_HEALTH_CHECK_SECONDS: seconds(3600).default(5),
};
