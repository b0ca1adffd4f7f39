// The gRPC API's part of the service: its own server on GRPC_PORT beside the HTTP
// server, over the same services, rules and limits, drained at shut-down with it.
import type { Task } from "../wiring.js";
import { serveGrpc } from "./server.js";

export const lifespan: Task = {
  async listen(deps) {
    const running = await serveGrpc(deps, deps.config.grpcPort);
    return () => running.stop();
  },
};
