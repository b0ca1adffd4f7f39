// Runs before every test file (vitest.config.ts finds each task's setup.ts).
// The cheapest Argon2id parameters, whatever ARGON2_PROFILE names: the tests check what
// hashing does, not what it costs, and the service's profiles make each sign-up take
// 0.06 to 0.3 s of CPU. passwords.test.ts checks those profiles; servers started as
// processes keep them.
import argon2 from "argon2";

import { hashing } from "../../src/auth/passwords.js";

const CHEAPEST = Object.freeze({ type: argon2.argon2id, timeCost: 1, memoryCost: 8, parallelism: 1 });
hashing.profiles = { rfc9106: CHEAPEST, owasp: CHEAPEST };
hashing.parameters = CHEAPEST;
