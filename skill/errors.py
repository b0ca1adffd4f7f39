"""The errors a caller sees: each becomes one JSON object on stdout and an exit status."""

from __future__ import annotations

from typing import ClassVar

ROOT_FIELD = "$"  # names the request as a whole (not JSON, not an object, unreadable)


class SkillError(Exception):
    """A failure reported to the caller as ``{"error": {...}}`` (SKILL.md's error_schema)."""

    code: ClassVar[str]
    exit_status: ClassVar[int]

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.attempts: int | None = None

    def to_json(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.attempts is not None:
            error["attempts"] = self.attempts
        return {"error": error}


class InvalidJsonError(SkillError):
    code = "invalid_json"
    exit_status = 2


class InvalidInputError(SkillError):
    code = "invalid_input"
    exit_status = 2


class SkillTimeoutError(SkillError):
    """The budget (timeout_ms) ran out. Not an OSError, so never mistaken for a transient failure."""

    code = "timeout"
    exit_status = 124  # what timeout(1) exits with


class SkillFailedError(SkillError):
    """Every attempt failed, or one failed in a way that retrying cannot fix."""

    code = "failed"
    exit_status = 1
