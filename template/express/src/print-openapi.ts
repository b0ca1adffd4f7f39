// `npm run openapi` (after `npm run build`): print the OpenAPI document the
// service serves at /openapi.json, without settings, connections or a server,
// e.g. to generate a client or diff the API in CI.
import { createOpenApiDocument } from "./openapi.js";

process.stdout.write(`${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
