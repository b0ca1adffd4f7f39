"""Depth, alias and cost limits, and introspection only with the docs: validation rules.

They run with the engine's own rules, before anything executes. Counting, for the chosen
operation (by name, or the only one): fields named ``__…`` count for no depth and no
cost, nor does anything under them; a fragment counts as if its selections were written
where it is spread. Depth: a root field is 1, each nested selection one more. Aliases:
the fields written with one, ``__typename`` included. Cost: each field costs the
product of the ``first`` of the paged fields around it (a literal its value, a variable
100, left out its default); a root field costs 1.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, ClassVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)

from ..core.pagination import MAX_LIMIT
from .config import GraphqlSettings

ValidationRules = Callable[[Any, DocumentNode, dict[str, Any]], Collection[type[ASTValidationRule]]]

_PAGE_SIZE = "first"


@dataclass
class Tally:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


class _Counter:
    def __init__(self, context: ValidationContext, document: DocumentNode) -> None:
        self.schema = context.schema
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.tally = Tally()

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLObjectType | None,
        depth: int,
        weight: int,
        spreading: frozenset[str],
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, depth, weight, spreading)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                named = self.schema.get_type(condition.name.value) if condition else parent
                inner = named if isinstance(named, GraphQLObjectType) else None
                self.selections(selection.selection_set, inner, depth, weight, spreading)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                # A cycle is the engine's own validation error; here it just stops.
                if fragment is None or name in spreading:
                    continue
                named = self.schema.get_type(fragment.type_condition.name.value)
                inner = named if isinstance(named, GraphQLObjectType) else None
                self.selections(fragment.selection_set, inner, depth, weight, spreading | {name})

    def field(
        self,
        node: FieldNode,
        parent: GraphQLObjectType | None,
        depth: int,
        weight: int,
        spreading: frozenset[str],
    ) -> None:
        tally = self.tally
        # Every alias counts, ``a1: __typename`` too: aliases are how one field is asked for
        # many times.
        tally.aliases += node.alias is not None
        if node.name.value.startswith("__"):
            return
        tally.depth = max(tally.depth, depth)
        tally.cost += weight
        definition = parent.fields.get(node.name.value) if parent else None
        if node.selection_set is None:
            return
        inner_weight = weight
        if definition is not None and _PAGE_SIZE in definition.args:
            inner_weight *= _page_size(node, _default_size(definition.args[_PAGE_SIZE]))
        named = get_named_type(definition.type) if definition else None
        inner = named if isinstance(named, GraphQLObjectType) else None
        self.selections(node.selection_set, inner, depth + 1, inner_weight, spreading)


def _default_size(argument: GraphQLArgument) -> int:
    """The schema's default of ``first`` (the SDL's literal), or the largest without one."""
    default = argument.default
    if default is not None and isinstance(default.literal, IntValueNode):
        return int(default.literal.value)
    if default is not None and isinstance(default.value, int):
        return default.value
    return MAX_LIMIT


def _page_size(node: FieldNode, default: int) -> int:
    for argument in node.arguments or ():
        if argument.name.value == _PAGE_SIZE:
            if isinstance(argument.value, IntValueNode):
                return int(argument.value.value)
            # A variable may hold any page size: count the largest.
            return MAX_LIMIT if isinstance(argument.value, VariableNode) else 0
    return default


def count(
    context: ValidationContext, document: DocumentNode, operation: OperationDefinitionNode
) -> Tally:
    """What the operation adds up to."""
    counter = _Counter(context, document)
    root = context.schema.get_root_type(operation.operation)
    counter.selections(operation.selection_set, root, 1, 1, frozenset())
    return counter.tally


def chosen_operation(
    document: DocumentNode, operation_name: object
) -> OperationDefinitionNode | None:
    """The operation that would run; None when that is for the engine to refuse."""
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    if isinstance(operation_name, str):
        named = [op for op in operations if op.name and op.name.value == operation_name]
        return named[0] if len(named) == 1 else None
    return operations[0] if len(operations) == 1 else None


def limit_rules(settings: GraphqlSettings, *, introspection: bool) -> ValidationRules:
    """The rules for one request: Ariadne calls this with the request's body."""

    def rules(
        _context: object, document: DocumentNode, data: dict[str, Any]
    ) -> Collection[type[ASTValidationRule]]:
        operation = chosen_operation(document, data.get("operationName"))
        limits = _limits_rule(settings, document, operation)
        return [limits] if introspection else [limits, NoIntrospection]

    return rules


class Limits(ValidationRule):
    """Reports each limit the chosen operation exceeds: depth, then aliases, then cost."""

    settings: ClassVar[GraphqlSettings]
    document: ClassVar[DocumentNode]
    operation: ClassVar[OperationDefinitionNode | None]

    def enter_document(self, *_args: object) -> None:
        if self.operation is None:
            return
        tally = count(self.context, self.document, self.operation)
        settings = self.settings
        if tally.depth > settings.graphql_max_depth:
            self.report(
                "QUERY_TOO_DEEP",
                f"Query depth {tally.depth} exceeds the limit of {settings.graphql_max_depth}.",
            )
        if tally.aliases > settings.graphql_max_aliases:
            self.report(
                "TOO_MANY_ALIASES",
                f"The operation uses {tally.aliases} aliases; the limit is "
                f"{settings.graphql_max_aliases}.",
            )
        if tally.cost > settings.graphql_max_cost:
            self.report(
                "QUERY_TOO_COMPLEX",
                f"Query cost {tally.cost} exceeds the limit of {settings.graphql_max_cost}.",
            )

    def report(self, code: str, message: str) -> None:
        self.report_error(GraphQLError(message, extensions={"code": code}))


def _limits_rule(
    settings: GraphqlSettings,
    document: DocumentNode,
    operation: OperationDefinitionNode | None,
) -> type[ASTValidationRule]:
    """The rule for one document: the engine makes the rule from its class."""
    return type(
        "RequestLimits",
        (Limits,),
        {"settings": settings, "document": document, "operation": operation},
    )


class NoIntrospection(ValidationRule):
    """``__schema`` and ``__type`` only with the docs on; ``__typename`` stays allowed."""

    def enter_field(self, node: FieldNode, *_args: object) -> None:
        if node.name.value in {"__schema", "__type"}:
            self.report_error(GraphQLError("Introspection is disabled.", node))
