// Limits on what one operation may ask, checked with the engine's validation
// rules before anything runs (an answer of HTTP 400). How they count:
// - fields named __… (introspection, __typename) add no depth or cost, nor does what is
//   under them; an alias written on one still counts as an alias;
// - a fragment counts as if its selections were written where it is spread;
// - depth: a root field is 1, each nested selection set adds 1;
// - aliases: fields written with an alias;
// - cost: each field costs 1 times the `first` of every field around it that has
//   one (a literal counts its value, a variable the maximum 100, none the default).
// Only the operation that runs is measured (operationName, or the only one).
import {
  getNamedType,
  GraphQLError,
  GraphQLObjectType,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql/index.js";

import { MAX_LIMIT } from "../core/pagination.js";

export interface LimitSettings {
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  graphqlMaxCost: number;
}

export interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

const NOTHING: Measure = { depth: 0, aliases: 0, cost: 0 };

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Measure>();
  private readonly measuring = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    definitions: readonly FragmentDefinitionNode[],
  ) {
    for (const fragment of definitions) this.fragments.set(fragment.name.value, fragment);
  }

  operation(operation: OperationDefinitionNode): Measure {
    return this.selections(operation.selectionSet, this.schema.getRootType(operation.operation) ?? undefined);
  }

  /** Depth below and including these selections; aliases and cost as if under one item (costs scale). */
  private selections(set: SelectionSetNode, parent: GraphQLObjectType | undefined): Measure {
    let total = NOTHING;
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) part = this.field(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.objectType(selection.typeCondition.name.value) : parent;
        part = this.selections(selection.selectionSet, type);
      } else part = this.spread(selection.name.value);
      total = {
        depth: Math.max(total.depth, part.depth),
        aliases: total.aliases + part.aliases,
        cost: total.cost + part.cost,
      };
    }
    return total;
  }

  private field(node: FieldNode, parent: GraphQLObjectType | undefined): Measure {
    if (node.name.value.startsWith("__")) return { ...NOTHING, aliases: node.alias ? 1 : 0 };
    const definition = parent?.getFields()[node.name.value];
    const below = node.selectionSet
      ? this.selections(node.selectionSet, this.objectType(definition && getNamedType(definition.type).name))
      : NOTHING;
    const hasFirst = definition?.args.some((arg) => arg.name === "first") ?? false;
    const times = hasFirst ? this.first(node, definition?.args.find((arg) => arg.name === "first")?.defaultValue) : 1;
    return {
      depth: 1 + below.depth,
      aliases: (node.alias ? 1 : 0) + below.aliases,
      cost: 1 + times * below.cost,
    };
  }

  private first(node: FieldNode, defaultValue: unknown): number {
    const value = node.arguments?.find((arg) => arg.name.value === "first")?.value;
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind === Kind.VARIABLE) return MAX_LIMIT;
    return typeof defaultValue === "number" ? defaultValue : MAX_LIMIT;
  }

  /** Measured once per fragment; a spread inside its own fragment (a cycle the engine reports) counts nothing. */
  private spread(name: string): Measure {
    const known = this.measured.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    if (!fragment || this.measuring.has(name)) return NOTHING;
    this.measuring.add(name);
    const measure = this.selections(fragment.selectionSet, this.objectType(fragment.typeCondition.name.value));
    this.measuring.delete(name);
    this.measured.set(name, measure);
    return measure;
  }

  private objectType(name: string | undefined): GraphQLObjectType | undefined {
    const type = name === undefined ? undefined : this.schema.getType(name);
    return type instanceof GraphQLObjectType ? type : undefined;
  }
}

/** The operation that would run: the one named, or the only one; undefined when that is not clear. */
function chosenOperation(
  definitions: readonly OperationDefinitionNode[],
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  if (operationName) return definitions.find((definition) => definition.name?.value === operationName);
  return definitions.length === 1 ? definitions[0] : undefined;
}

/** Depth, aliases and cost of the operation that would run. */
export function measureOperation(context: ValidationContext, operationName?: string | null): Measure | undefined {
  const document = context.getDocument();
  const operations: OperationDefinitionNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.push(definition);
  }
  const operation = chosenOperation(operations, operationName);
  return operation && new Measurer(context.getSchema(), fragments).operation(operation);
}

/**
 * One rule for the three limits, reporting at the end of the document: past the
 * engine's own errors, in the order depth, aliases, cost.
 */
export function limitsRule(limits: LimitSettings, operationName?: string | null): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      leave() {
        const measure = measureOperation(context, operationName);
        if (!measure) return;
        const { graphqlMaxDepth, graphqlMaxAliases, graphqlMaxCost } = limits;
        if (measure.depth > graphqlMaxDepth) {
          context.reportError(
            new GraphQLError(`Query depth ${measure.depth} exceeds the limit of ${graphqlMaxDepth}.`, {
              extensions: { code: "QUERY_TOO_DEEP" },
            }),
          );
        }
        if (measure.aliases > graphqlMaxAliases) {
          context.reportError(
            new GraphQLError(`The operation uses ${measure.aliases} aliases; the limit is ${graphqlMaxAliases}.`, {
              extensions: { code: "TOO_MANY_ALIASES" },
            }),
          );
        }
        if (measure.cost > graphqlMaxCost) {
          context.reportError(
            new GraphQLError(`Query cost ${measure.cost} exceeds the limit of ${graphqlMaxCost}.`, {
              extensions: { code: "QUERY_TOO_COMPLEX" },
            }),
          );
        }
      },
    },
  });
}

/** An operation of a kind the schema has no root for (a subscription): refused, not run. */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This schema has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});

/** With the docs off: no __schema or __type (__typename stays allowed). */
export const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === "__schema" || node.name.value === "__type") {
      context.reportError(new GraphQLError("Introspection is disabled.", { nodes: node }));
    }
  },
});

// The engine's hints at names that exist ("Did you mean …?"): they map the schema for whoever probes it.
const SUGGESTION = / ?Did you mean .*\?$/s;

/** `message` without the engine's suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, "");
}
