"""Parse cache for GraphQL documents: frontends send a few query texts many times."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class DocumentCache(ParserCache):
    """Strawberry's `ParserCache` (an LRU of parsed documents, keyed by text and parse options such
    as the token limit), except that a document that does not parse is left to Strawberry's own
    parse step, which reports the error as a coded GraphQL error instead of an exception."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            try:
                context.graphql_document = self.cached_parse_document(
                    context.query, **context.parse_options
                )
            except GraphQLError:
                context.graphql_document = None
        yield
