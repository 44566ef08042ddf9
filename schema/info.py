"""The `Info` every schema resolver takes: Strawberry's `Info` over this API's `Context`."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from resolvers.context import Context

Info: TypeAlias = strawberry.Info[Context, None]
"""`info.context` is a `Context`; the schema has no root value."""
