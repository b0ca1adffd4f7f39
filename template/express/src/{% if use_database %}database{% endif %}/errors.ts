// Which constraint a PostgreSQL error violated, so repositories can turn the
// ones they expect into domain errors and let every other failure through.
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

interface DatabaseError {
  code: string;
  constraint?: string;
}

function isDatabaseError(err: unknown): err is DatabaseError {
  return typeof err === "object" && err !== null && typeof (err as Partial<DatabaseError>).code === "string";
}

export function violatesUnique(err: unknown, constraint: string): boolean {
  return isDatabaseError(err) && err.code === UNIQUE_VIOLATION && err.constraint === constraint;
}

export function violatesForeignKey(err: unknown, constraint: string): boolean {
  return isDatabaseError(err) && err.code === FOREIGN_KEY_VIOLATION && err.constraint === constraint;
}
