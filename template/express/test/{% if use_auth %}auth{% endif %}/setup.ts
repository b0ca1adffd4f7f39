// Runs before every test file (vitest.config.ts finds each task's setup.ts).
// The cheapest Argon2id parameters: the tests check what hashing does, not what it
// costs, and the service's own profile makes each sign-up take ~0.1 s of CPU.
// passwords.test.ts checks that profile; servers started as processes keep it.
import argon2 from "argon2";

import { hashing } from "../../src/auth/passwords.js";

hashing.parameters = { type: argon2.argon2id, timeCost: 1, memoryCost: 8, parallelism: 1 };
