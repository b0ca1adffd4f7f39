"""graphql-core's executor, with a short way for the fields that only read a key.

A page of 50 posts with authors is some 400 fields, nearly all a scalar read from the
dict a resolver returned (REST's JSON). For each, graphql-core builds a resolve info,
calls the default resolver and checks twice for an awaitable: measured, that walk cost
the page more than its SQL did. Here such a field reads its key and coerces the value
in one step. Anything else (a resolver of ours, arguments, a null, a value that does
not coerce) takes graphql-core's own path, so answers and errors stay the engine's.
Reading has no effects, so an object's fields may be read first and the rest executed
after: the answer lists them in the order the operation asked for them.
"""

from collections.abc import Awaitable, Mapping
from types import NoneType
from typing import Any, TypeGuard

from graphql import (
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path
from graphql.pyutils import is_awaitable as engine_is_awaitable

# (object type, field) -> the key its value is read from
FieldKeys = Mapping[tuple[str, str], str]
# object type -> field -> the key, and the leaf type that coerces the value
Reads = dict[str, dict[str, tuple[str, GraphQLLeafType]]]

_PLAIN = frozenset({str, int, float, bool, NoneType, dict, list})


def is_awaitable(value: object) -> TypeGuard[Awaitable[Any]]:
    """The engine's check, answered at once for the JSON values resolvers return."""
    return type(value) not in _PLAIN and engine_is_awaitable(value)


def reading_fields(schema: GraphQLSchema, keys: FieldKeys) -> Reads:
    """The fields that read a key, by type.

    A leaf type, no arguments, and the default resolver or ariadne's snake_case one
    (which ``keys`` lists: the converter saw each field it gave one).
    """
    reads: Reads = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            leaf = get_nullable_type(field.type)
            if field.args or not is_leaf_type(leaf):
                continue
            key = keys.get((type_name, name), name)
            if field.resolve is None or key != name:
                reads.setdefault(type_name, {})[name] = (key, leaf)
    return reads


def _read(
    reads: dict[str, tuple[str, GraphQLLeafType]], source: dict[str, Any], fields: FieldDetailsList
) -> Any:  # noqa: ANN401  (any leaf value)
    """The field's coerced value, or Undefined when the engine must execute it."""
    node = fields[0].node
    read = reads.get(node.name.value)
    if read is None or node.arguments:
        return Undefined
    key, leaf = read
    value = source.get(key)
    if value is None or callable(value):
        return Undefined
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:  # noqa: BLE001  (the engine's own path reports it)
        return Undefined
    return Undefined if coerced is None else coerced


def _in_order(
    fields: GroupedFieldSet, read: dict[str, Any], executed: dict[str, Any]
) -> dict[str, Any]:
    return {
        name: read[name] if name in read else executed[name]
        for name in fields
        if name in read or name in executed
    }


def executor_for(schema: GraphQLSchema, keys: FieldKeys) -> type[Executor[Any]]:
    """An executor class for ``schema``, whose reading fields take the short way."""
    all_reads = reading_fields(schema, keys)

    class ReadingExecutor(Executor[Any]):
        def execute_fields(
            self,
            parent_type: GraphQLObjectType,
            source_value: Any,  # noqa: ANN401  (the engine's signature)
            path: Path | None,
            grouped_field_set: GroupedFieldSet,
            position_context: Any,  # noqa: ANN401  (the engine's signature)
        ) -> AwaitableOrValue[dict[str, Any]]:
            reads = all_reads.get(parent_type.name)
            if reads is None or type(source_value) is not dict or self.middleware_manager:
                return super().execute_fields(
                    parent_type, source_value, path, grouped_field_set, position_context
                )
            read: dict[str, Any] = {}
            rest: GroupedFieldSet = {}
            for name, fields in grouped_field_set.items():
                value = _read(reads, source_value, fields)
                if value is Undefined:
                    rest[name] = fields
                else:
                    read[name] = value
            if not rest:
                return read
            executed = super().execute_fields(
                parent_type, source_value, path, rest, position_context
            )
            if isinstance(executed, dict):
                return _in_order(grouped_field_set, read, executed)

            async def merge(executed: Awaitable[dict[str, Any]]) -> dict[str, Any]:
                return _in_order(grouped_field_set, read, await executed)

            return merge(executed)

    return ReadingExecutor
