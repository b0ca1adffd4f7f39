// The errors of the users feature, each with its stable code and HTTP status.
import { AppError } from "../core/errors.js";

export class EmailTakenError extends AppError {
  constructor() {
    super("email_taken", 409, "A user with this email already exists.");
  }
}

export class UserNotFoundError extends AppError {
  constructor() {
    super("user_not_found", 404, "No user has this id.");
  }
}
