"""GraphQL settings: the limits every operation is checked against before it runs."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG


class GraphqlSettings(BaseSettings):
    model_config = ENV_CONFIG

    # Nesting of selections: a root field is depth 1.
    graphql_max_depth: int = Field(default=8, ge=1, le=64)
    # Fields written with an alias, fragments counted each time they are spread.
    graphql_max_aliases: int = Field(default=15, ge=0, le=100)
    # Fields the operation may resolve, each weighted by the page sizes around it.
    graphql_max_cost: int = Field(default=5000, ge=1, le=1_000_000)
