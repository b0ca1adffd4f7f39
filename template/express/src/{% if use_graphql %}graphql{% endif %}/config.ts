// The GraphQL endpoint's settings, merged into the service's by src/settings.ts.
import { integer } from "../core/config.js";

export const graphqlSettings = {
  // Nesting of an operation's fields: a root field is 1 (limits.ts counts).
  GRAPHQL_MAX_DEPTH: integer(1, 64).default(8),
  // Fields written with an alias, each fragment counted every time it is spread.
  GRAPHQL_MAX_ALIASES: integer(0, 100).default(15),
  // Fields, each weighed by the `first` of the lists around it.
  GRAPHQL_MAX_COST: integer(1, 1_000_000).default(5000),
};
