// An operation's text made a document the schema can run, or refused: it must
// parse, pass the engine's rules, stay within the limits, and ask for no
// introspection unless the docs are on. Every door to the schema checks it so.
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql/index.js";

import { requestError, type ErrorBody } from "./errors.js";
import { knownOperationTypes, limitsRule, noIntrospection, withoutSuggestions, type LimitSettings } from "./limits.js";

export interface DocumentOptions {
  schema: GraphQLSchema;
  limits: LimitSettings;
  /** DOCS_ENABLED: introspection allowed, and the engine's "Did you mean" hints kept. */
  docs: boolean;
}

export type DocumentCheck = (
  query: string,
  operationName: string | null | undefined,
) => { document: DocumentNode } | { errors: ErrorBody[] };

export function documentCheck({ schema, limits, docs }: DocumentOptions): DocumentCheck {
  const staticRules: ValidationRule[] = [...specifiedRules, knownOperationTypes, ...(docs ? [] : [noIntrospection])];
  return (query, operationName) => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      return { errors: [requestError(err, "GRAPHQL_PARSE_FAILED")] };
    }
    const invalid = validate(schema, document, [...staticRules, limitsRule(limits, operationName)]);
    if (invalid.length === 0) return { document };
    const errors = invalid.map((error) => requestError(error, "GRAPHQL_VALIDATION_FAILED"));
    return {
      errors: docs ? errors : errors.map((error) => ({ ...error, message: withoutSuggestions(error.message) })),
    };
  };
}
