// The one application error. Domain code throws it; the problem handler turns
// it into an RFC 9457 response. `code` is stable and meant for clients and logs;
// `status` is the HTTP status it maps to.

/** One entry of a 422 response: where the bad input is, why, and a stable type. */
export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface AppErrorOptions {
  /** A URI identifying the problem type; "about:blank" when omitted. */
  type?: string;
  /** Overrides the HTTP reason phrase used as the title. */
  title?: string;
  /** Field errors, for 422 responses. */
  errors?: FieldError[];
  /** Extra response headers, e.g. `Allow` for 405. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: string;
  readonly status: number;
  readonly type: string;
  readonly title: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, detail: string, options: AppErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.code = code;
    this.status = status;
    this.type = options.type ?? "about:blank";
    this.title = options.title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** A one-line reason for logs and start-up messages, even for errors without a message. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map(describeError).join("; ");
  }
  if (err instanceof Error) {
    if (err.message !== "") return err.message;
    return (err as NodeJS.ErrnoException).code ?? err.name;
  }
  return String(err);
}
