"""The names a rendered file defines and the tests it holds: what a ``path::Name`` claim may point at.

A claim in best_practices.json names a definition, never a fragment of code, so it
says where to look and survives reformatting. These readers are deliberately small:
the Python one uses ``ast``; the others read declarations that start a line, so a
name mentioned in a comment or a call does not count.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

# A TypeScript declaration at the start of a line, at any depth: function, class,
# const/let/var, interface, type or enum, behind the modifiers that may precede them.
_TS_DECLARATION = re.compile(
    r"^[ \t]*(?:export[ \t]+(?:default[ \t]+)?)?(?:declare[ \t]+)?(?:async[ \t]+)?(?:abstract[ \t]+)?"
    r"(?:function\*?|class|const|let|var|interface|type|enum)[ \t]+([A-Za-z_$][\w$]*)",
    re.MULTILINE,
)
# A method of a class or object literal: an indented `name(…) {` signature on one line,
# behind its modifiers. (A call statement ends with `;` or continues, never with `{`.)
_TS_METHOD = re.compile(
    r"^[ \t]+(?:(?:public|private|protected|static|readonly|override|async|get|set)[ \t]+)*"
    r"#?([A-Za-z_$][\w$]*)[ \t]*(?:<[^>\n]*>)?\([^\n]*\)[^\n;]*\{[ \t]*$",
    re.MULTILINE,
)
# Statements whose line looks like a method signature: `if (ready) {`.
_TS_KEYWORDS = frozenset({"if", "for", "while", "switch", "catch", "function", "return"})
# A vitest test or group: it/test/describe("title", …), also it.each([…])("title", …)
# whose table may span lines (one level of nested parentheses is enough for ours).
_TS_TEST = re.compile(
    r"\b(?:it|test|describe)(?:\.each\((?:[^()]|\([^()]*\))*\))?\(\s*([\"'`])(.*?)(?<!\\)\1",
    re.DOTALL,
)
# A table or index a SQL migration creates.
_SQL_OBJECT = re.compile(
    r"\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)",
    re.IGNORECASE,
)
# A variable of a dotenv file.
_ENV_VARIABLE = re.compile(r"^([A-Za-z_]\w*)=", re.MULTILINE)
# A service, message or enum of a .proto, or an rpc of a service, at the start of a line.
_PROTO_DECLARATION = re.compile(r"^[ \t]*(?:service|message|enum|rpc)[ \t]+(\w+)", re.MULTILINE)
# Alembic operations whose first argument names the table or index they create.
_ALEMBIC_CREATES = {"create_table", "create_index"}


def python_definitions(source: str) -> frozenset[str]:
    """Functions, classes and assigned names at any depth (methods and fields count), and
    the tables and indexes an Alembic migration creates."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Call) and _called_name(node.func) in _ALEMBIC_CREATES and node.args:
            names.update(_string_argument(node.args[0]))
    return frozenset(names)


def _called_name(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else None


def _string_argument(node: ast.expr) -> list[str]:
    """``"name"`` or ``op.f("name")``, the two ways a migration names an object."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Call) and node.args:
        return _string_argument(node.args[0])
    return []


def python_tests(source: str) -> frozenset[str]:
    """The functions pytest collects: ``test*`` at any depth (inside a test class too)."""
    return frozenset(
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def typescript_definitions(source: str) -> frozenset[str]:
    declarations = (match.group(1) for match in _TS_DECLARATION.finditer(source))
    methods = (match.group(1) for match in _TS_METHOD.finditer(source))
    return frozenset((*declarations, *methods)) - _TS_KEYWORDS


def typescript_tests(source: str) -> frozenset[str]:
    return frozenset(match.group(2) for match in _TS_TEST.finditer(source))


def sql_definitions(source: str) -> frozenset[str]:
    return frozenset(match.group(1) for match in _SQL_OBJECT.finditer(source))


def env_definitions(source: str) -> frozenset[str]:
    return frozenset(match.group(1) for match in _ENV_VARIABLE.finditer(source))


def proto_definitions(source: str) -> frozenset[str]:
    return frozenset(_PROTO_DECLARATION.findall(source))


def ignore_rules(source: str) -> frozenset[str]:
    lines = (line.strip() for line in source.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


Reader = Callable[[str], frozenset[str]]

_DEFINITIONS: dict[str, Reader] = {
    ".py": python_definitions,
    ".ts": typescript_definitions,
    ".sql": sql_definitions,
    ".env": env_definitions,
    ".proto": proto_definitions,
    ".gitignore": ignore_rules,
}
_TESTS: dict[str, Reader] = {".py": python_tests, ".ts": typescript_tests}


def _kind(path: Path) -> str:
    if path.name.startswith(".env"):  # .env.example too
        return ".env"
    return path.name if path.name == ".gitignore" else path.suffix


def names_in(path: Path, *, tests: bool = False) -> frozenset[str] | None:
    """What ``path`` defines (or, with ``tests``, the tests it holds); None for a kind of file
    no reader understands."""
    reader = (_TESTS if tests else _DEFINITIONS).get(_kind(path))
    return None if reader is None else reader(path.read_text(encoding="utf-8"))
