// The errors of the posts feature, each with its stable code and HTTP status.
import { AppError } from "../core/errors.js";

export class PostNotFoundError extends AppError {
  constructor() {
    super("post_not_found", 404, "No post has this id.");
  }
}

/** A 422 shaped like a validation error, pointing at the field that names no user. */
export class UnknownAuthorError extends AppError {
  constructor() {
    super("unknown_author", 422, "The request is invalid; see errors.", {
      errors: [{ loc: ["body", "author_id"], msg: "No user has this id", type: "not_found" }],
    });
  }
}
