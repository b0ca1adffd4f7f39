"""The checks of a subscribe message, made before anything subscribes.

The first that fails is its ``error`` message, with the codes POST /graphql would give
the same document and variables.
"""

from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values

from ..errors import BAD_USER_INPUT, ErrorFormatter
from ..limits import limit_rules

if TYPE_CHECKING:
    from ...settings import Settings

# Open subscriptions per socket: each holds a queue of events.
MAX_SUBSCRIPTIONS = 10
BAD_REQUEST = "BAD_REQUEST"
ONLY_SUBSCRIPTIONS = (
    "Only subscriptions run over this socket; send queries and mutations to POST /graphql."
)

Errors = list[dict[str, Any]]


def _bad_request(message: str) -> Errors:
    return [{"message": message, "extensions": {"code": BAD_REQUEST}}]


def is_request(payload: object) -> bool:
    """A subscribe payload: a query, and variables and an operation name if any."""
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("query"), str)
        and isinstance(payload.get("variables") or {}, dict)
        and isinstance(payload.get("operationName") or "", str)
    )


def checked(
    schema: GraphQLSchema,
    settings: "Settings",
    payload: dict[str, Any],
    open_subscriptions: int,
) -> DocumentNode | Errors:
    """The document, valid and a subscription whose variables fit; else the errors."""
    if open_subscriptions >= MAX_SUBSCRIPTIONS:
        return _bad_request(f"At most {MAX_SUBSCRIPTIONS} subscriptions per socket.")
    document = _valid_document(schema, settings, payload)
    if isinstance(document, list):
        return document
    operation = get_operation_ast(document, payload.get("operationName"))
    if operation is None:
        return _bad_request("operationName must name one operation of the document.")
    if operation.operation is not OperationType.SUBSCRIPTION:
        return _bad_request(ONLY_SUBSCRIPTIONS)
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), payload.get("variables") or {}
    )
    if isinstance(coerced, list):
        formatter = ErrorFormatter()
        return [formatter(error) | {"extensions": {"code": BAD_USER_INPUT}} for error in coerced]
    return document


def _valid_document(
    schema: GraphQLSchema, settings: "Settings", payload: dict[str, Any]
) -> DocumentNode | Errors:
    """The document parsed and validated, under the limits POST /graphql applies."""
    formatter = ErrorFormatter()
    try:
        document = parse(payload["query"])
    except GraphQLError as error:
        return [formatter(error)]
    docs = settings.docs_enabled
    limits = limit_rules(settings, introspection=docs)(None, document, payload)
    errors = validate(schema, document, [*specified_rules, *limits], hide_suggestions=not docs)
    return [formatter(error) for error in errors] if errors else document
