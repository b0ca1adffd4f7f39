// The executable schema: the SDL file next to this module (schema.graphql, the
// contract), with the resolvers attached to its fields. The file is read at
// start-up from src/graphql/, one level below the project root, as the compiled
// module in dist/graphql/ finds it too: the build copies nothing.
import { readFileSync } from "node:fs";

import { buildSchema, GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql/index.js";

export const SCHEMA_FILE = new URL("../../src/graphql/schema.graphql", import.meta.url);

/** Resolvers by type, then field; a field without one reads the property of its name. */
export type Resolvers = Record<string, Record<string, GraphQLFieldResolver<never, never, never>>>;

export function loadSchema(resolvers: Resolvers): GraphQLSchema {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, "utf8"));
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`schema.graphql has no type ${typeName}`);
    const defined = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName];
      if (!field) throw new Error(`schema.graphql has no field ${typeName}.${fieldName}`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
