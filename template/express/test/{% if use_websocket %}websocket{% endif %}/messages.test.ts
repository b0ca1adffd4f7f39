// What a client may send on an open socket, and how the server answers: ping,
// subscribe, anything else (an error message, the socket stays open), a binary
// frame (1003) and a message over 64 KiB (1009).
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { connect, newAuthor, startLiveServer, writePost, type Author, type LiveServer } from "./sockets.js";

let live: LiveServer;
let author: Author;

beforeAll(async () => {
  live = await startLiveServer();
  author = await newAuthor(live.service);
});

afterAll(async () => {
  await live.close();
});

/** `{"type":"ping","pad":"…"}` of exactly `bytes` bytes: not a valid message, but read and answered. */
function paddedMessage(bytes: number): string {
  const empty = JSON.stringify({ type: "ping", pad: "" });
  return JSON.stringify({ type: "ping", pad: "x".repeat(bytes - empty.length) });
}

describe("client messages", () => {
  it("answers a ping with a pong", async () => {
    const client = await connect(live.url, { headers: author.headers });
    client.send({ type: "ping" });
    expect(await client.next()).toEqual({ type: "pong" });
    client.socket.close();
  });

  it("subscribes to one author, to every author again with null or without author_id", async () => {
    const client = await connect(live.url, { headers: author.headers });
    const upper = author.id.toUpperCase();
    client.send({ type: "subscribe", author_id: upper });
    // Any spelling of the UUID; the answer is the canonical one.
    expect(await client.next()).toEqual({ type: "subscribed", author_id: author.id });
    client.send({ type: "subscribe" });
    expect(await client.next()).toEqual({ type: "subscribed", author_id: null });
    await client.subscribe(null);
    client.socket.close();
  });

  it("sends only the subscribed author's events", async () => {
    const other = await newAuthor(live.service);
    const mine = await connect(live.url, { headers: author.headers });
    const theirs = await connect(live.url, { headers: author.headers });
    await mine.subscribe(author.id);
    await theirs.subscribe(other.id);

    const ignored = await writePost(live.service, other);
    const wanted = await writePost(live.service, author);
    const marker = await writePost(live.service, other);
    const seen = await mine.next();
    expect(seen).toMatchObject({ type: "post.created", post: { id: wanted, author_id: author.id } });
    expect(await theirs.next()).toMatchObject({ post: { id: ignored } });
    expect(await theirs.next()).toMatchObject({ post: { id: marker } });
    expect(await mine.roundTrip()).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  });

  it.each([
    ["text that is not JSON", "ping"],
    ["JSON that is not an object", "[1, 2]"],
    ["an unknown type", JSON.stringify({ type: "publish" })],
    ["no type", JSON.stringify({ author_id: null })],
    ["an extra key", JSON.stringify({ type: "ping", extra: true })],
    ["an author_id that is not a UUID", JSON.stringify({ type: "subscribe", author_id: "42" })],
    ["an author_id of another type", JSON.stringify({ type: "subscribe", author_id: 42 })],
  ])("answers %s with invalid_message and keeps the socket open", async (_case, text) => {
    const client = await connect(live.url, { headers: author.headers });
    client.send(text);
    const answer = await client.next();
    expect(answer).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await client.roundTrip()).toEqual([]);
    client.socket.close();
  });

  it("closes the socket with 1003 for a binary frame", async () => {
    const client = await connect(live.url, { headers: author.headers });
    client.socket.send(Buffer.from(JSON.stringify({ type: "ping" })));
    expect(await client.closed).toBe(1003);
  });

  it("reads a message of 65 536 bytes and closes the socket with 1009 for one of 65 537", async () => {
    const client = await connect(live.url, { headers: author.headers });
    client.send(paddedMessage(65_536));
    expect(await client.next()).toMatchObject({ type: "error", code: "invalid_message" });
    client.send(paddedMessage(65_537));
    expect(await client.closed).toBe(1009);
  });

  it("keeps a filter per socket: a new socket gets every author's events", async () => {
    const client = await connect(live.url, { headers: author.headers });
    const id = await writePost(live.service, author, `Everyone ${randomUUID()}`);
    // Other tests' events may come first; this one must be among them.
    let message = await client.next();
    while (!("post" in message) || message.post.id !== id) message = await client.next();
    expect(message.type).toBe("post.created");
    client.socket.close();
  });
});
