// The collections as code: versioned steps (steps/), each applied once and recorded in
// the `migrations` collection under its name, and each safe to run again (a step that
// failed half-way is simply run again). A step never changes once released: a change
// to the documents is a new step and a change in documents.ts together.
import { readdir } from "node:fs/promises";

import type { Db, Document } from "mongodb";

export interface Step {
  name: string;
  apply(db: Db): Promise<void>;
}

/** Case-insensitive comparison of emails: the unique index's guarantee. */
export const EMAIL_COLLATION = { locale: "en", strength: 2 } as const;

/** Create `name` with `schema` as its validator, or set it on the collection that exists. */
export async function validated(db: Db, name: string, schema: Document): Promise<void> {
  const options = { validator: { $jsonSchema: schema }, validationLevel: "strict", validationAction: "error" };
  const exists = (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  if (exists) await db.command({ collMod: name, ...options });
  else await db.createCollection(name, options);
}

// Each step is a module of steps/ named NNNN_what, exporting `step`; the steps run in
// the order of their names. A task's step is rendered with the task only.
const STEP_FILE = /^\d{4}_[\w-]+\.[jt]s$/;

/** Every step, in name order. */
export async function loadSteps(): Promise<Step[]> {
  const folder = new URL("./steps/", import.meta.url);
  const files = (await readdir(folder)).filter((file) => STEP_FILE.test(file)).sort();
  const modules = await Promise.all(files.map((file) => import(new URL(file, folder).href) as Promise<{ step: Step }>));
  return modules.map((module) => module.step);
}

interface MigrationRecord {
  _id: string;
  applied_at: Date;
}

/** Apply every step not yet recorded, in order; the names of those applied now. */
export async function migrate(db: Db, steps?: readonly Step[]): Promise<string[]> {
  const records = db.collection<MigrationRecord>("migrations");
  const done = new Set((await records.find({}, { projection: { _id: 1 } }).toArray()).map((record) => record._id));
  const applied: string[] = [];
  for (const step of steps ?? (await loadSteps())) {
    if (done.has(step.name)) continue;
    await step.apply(db);
    // An upsert: two migrate runs at once both apply the step (harmless) and record it once.
    await records.updateOne({ _id: step.name }, { $setOnInsert: { applied_at: new Date() } }, { upsert: true });
    applied.push(step.name);
  }
  return applied;
}
