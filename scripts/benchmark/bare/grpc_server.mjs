// The bare gRPC baseline of scripts/bench_grpc.py for Express renders: @grpc/grpc-js, one
// method answering every call with the same bytes (the render's own answer, taken by the
// benchmark). Copied into the render so that @grpc/grpc-js resolves from its node_modules.
// Usage: node grpc_server.mjs PORT METHOD ANSWER_HEX
import * as grpc from "@grpc/grpc-js";

const [port, method, answerHex] = process.argv.slice(2);
const answer = Buffer.from(answerHex, "hex");
const identity = (data) => data;
const [service, name] = method.replace(/^\//, "").split("/");

const server = new grpc.Server({ "grpc.so_reuseport": 0 });
server.addService(
  {
    [name]: {
      path: `/${service}/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  { [name]: (_call, callback) => callback(null, answer) },
);
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
});
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
