// The bare Express 5 baseline of scripts/bench.py: one route answering with
// res.json(), Express defaults, one `node` process. Copied into the render so
// that `express` resolves from the project's node_modules (same version).
// Usage: node express_app.mjs PORT
import { createServer } from "node:http";

import express from "express";

const app = express();
app.get("/", (_req, res) => {
  res.json({ status: "ok" });
});

const server = createServer(app);
server.listen(Number(process.argv[2]), "127.0.0.1");
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
