// A subscribe message's operation, checked before anything subscribes: the
// document as every operation is checked, then that it is a subscription, that
// its variables fit their types and that authorId is a UUID. What passes runs
// without failing; what does not is refused with the errors that say why.
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql/index.js";
import { z } from "zod";

import { AppError } from "../../core/errors.js";
import { uuidString } from "../../core/validation.js";
import { documentCheck, type DocumentOptions } from "../documents.js";
import { parseArguments, type ErrorBody } from "../errors.js";

export interface SubscriptionRequest {
  query: string;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  operationName?: string | null | undefined;
}

export interface CheckedSubscription {
  document: DocumentNode;
  /** Whose events it wants: one author's, or every author's (null). */
  authorId: string | null;
}

export type SubscriptionCheck = (request: SubscriptionRequest) => CheckedSubscription | { errors: ErrorBody[] };

const ONLY_SUBSCRIPTIONS = "Only subscriptions run over this socket; send queries and mutations to POST /graphql.";

const PostEventsArguments = z.object({ author_id: uuidString.nullable().optional() });

const refusal = (message: string, code: string): { errors: ErrorBody[] } => ({
  errors: [{ message, extensions: { code } }],
});

/** The one root field of a subscription, wherever its fragments put it. */
function rootField(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FieldNode | undefined {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments.get(selection.name.value)?.selectionSet;
    const found = inner && rootField(inner, fragments);
    if (found) return found;
  }
  return undefined;
}

export function subscriptionCheck(options: DocumentOptions): SubscriptionCheck {
  const { schema } = options;
  const checkDocument = documentCheck(options);
  return ({ query, variables, operationName }) => {
    const checked = checkDocument(query, operationName);
    if ("errors" in checked) return checked;
    const { document } = checked;
    const operation = getOperationAST(document, operationName);
    if (!operation) return refusal(`No operation ${operationName ?? ""} in the document.`, "BAD_REQUEST");
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) return refusal(ONLY_SUBSCRIPTIONS, "BAD_REQUEST");

    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) {
      return {
        errors: coerced.errors.map((error) => ({ message: error.message, extensions: { code: "BAD_USER_INPUT" } })),
      };
    }
    return readAuthor(schema, document, operation.selectionSet, coerced.coerced);
  };
}

/** The authorId argument of the root field, coerced and checked as posts(authorId:) checks it. */
function readAuthor(
  schema: GraphQLSchema,
  document: DocumentNode,
  selections: SelectionSetNode,
  variables: Record<string, unknown>,
): CheckedSubscription | { errors: ErrorBody[] } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const node = rootField(selections, fragments);
  const field = node && schema.getSubscriptionType()?.getFields()[node.name.value];
  // Validation has made sure of both; a schema without them runs nothing.
  if (!node || !field) return refusal(ONLY_SUBSCRIPTIONS, "BAD_REQUEST");
  try {
    const args = getArgumentValues(field, node, variables) as { authorId?: string | null };
    const { author_id: authorId } = parseArguments(
      PostEventsArguments,
      { author_id: args.authorId },
      { names: { author_id: "authorId" } },
    );
    return { document, authorId: authorId ?? null };
  } catch (err) {
    if (err instanceof GraphQLError) return refusal(err.message, "BAD_USER_INPUT");
    if (err instanceof AppError && err.errors) {
      return { errors: [{ message: err.message, extensions: { code: "BAD_USER_INPUT", errors: err.errors } }] };
    }
    throw err;
  }
}
