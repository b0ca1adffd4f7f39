// The parts every settings shape is built from: the API's (src/config.ts) and each
// task's (src/<task>/config.ts). A variable is written once, as its zod key; the
// value reaches the code under its camelCase name (DB_POOL_SIZE → dbPoolSize).
import { z } from "zod";

/** "is required" for a variable that has no default and was not set. */
export const required = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? "is required" : undefined),
};

export const integer = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const seconds = (max: number) => {
  const error = `must be a number of seconds above 0 and at most ${max}`;
  return z.coerce.number({ error }).positive({ error }).max(max, { error });
};

export const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no", "on", "off"]))
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

type Camel<Name extends string> = Name extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<Camel<Tail>>}`
  : Lowercase<Name>;

/** The settings under the names the code reads them by. */
export type CamelCased<Settings> = {
  [Name in keyof Settings as Name extends string ? Camel<Name> : never]: Settings[Name];
};

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

export function camelCased<Settings extends Record<string, unknown>>(settings: Settings): CamelCased<Settings> {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [camel(name), value]),
  ) as CamelCased<Settings>;
}
