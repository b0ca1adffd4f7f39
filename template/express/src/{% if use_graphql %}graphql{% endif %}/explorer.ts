// GET /graphql with the docs on: a small query explorer in one page, with no
// script or style from elsewhere. Its own script and style are allowed by their
// hashes in this page's Content-Security-Policy, which keeps everything else out.
import { createHash } from "node:crypto";

import type { RequestHandler } from "express";

const STYLE = `body{font:14px system-ui,sans-serif;margin:1rem;display:grid;gap:.5rem;grid-template-columns:1fr 1fr}
textarea,pre{font:13px ui-monospace,monospace;width:100%;box-sizing:border-box;border:1px solid #999;padding:.5rem}
#query{height:18rem}#variables{height:5rem}pre{height:24rem;overflow:auto;margin:0;grid-column:2;grid-row:2/6}
h1{font-size:1.2rem;grid-column:1/3;margin:0}`;

const SCRIPT = `const $ = (id) => document.getElementById(id);
$("run").addEventListener("click", async () => {
  const headers = { "Content-Type": "application/json", Accept: "application/graphql-response+json" };
  const token = $("token").value.trim();
  if (token) headers.Authorization = "Bearer " + token;
  let variables = null;
  try { variables = $("variables").value.trim() ? JSON.parse($("variables").value) : null; }
  catch { $("result").textContent = "The variables are not valid JSON."; return; }
  const response = await fetch(location.pathname, { method: "POST", headers, body: JSON.stringify({ query: $("query").value, variables }) });
  const text = await response.text();
  try { $("result").textContent = response.status + "\\n" + JSON.stringify(JSON.parse(text), null, 2); }
  catch { $("result").textContent = response.status + "\\n" + text; }
});`;

const hashOf = (text: string): string => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

const POLICY = [
  "default-src 'none'",
  `script-src ${hashOf(SCRIPT)}`,
  `style-src ${hashOf(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphQL</title><style>${STYLE}</style></head>
<body><h1>GraphQL: POST /graphql (the schema: src/graphql/schema.graphql)</h1>
<textarea id="query" aria-label="query">{ posts(first: 5) { items { id title author { name } } nextCursor } }</textarea>
<pre id="result" aria-live="polite"></pre>
<textarea id="variables" aria-label="variables (JSON)" placeholder="variables (JSON)"></textarea>
<input id="token" aria-label="access token" placeholder="access token (Bearer)">
<button id="run" type="button">Run</button>
<script>${SCRIPT}</script></body></html>`;

export const explorer: RequestHandler = (_req, res) => {
  res.setHeader("Content-Security-Policy", POLICY);
  res.type("html").send(PAGE);
};
