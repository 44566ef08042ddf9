"""Turn raw input into validated domain commands; pydantic errors become `BadUserInput`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from resolvers.errors import BadUserInput

if TYPE_CHECKING:
    from resolvers.context import Context

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")


FILTER_NAMES = {
    "country_code": "country",
    "institution_id": "institution",
    "expertise_id": "expertise",
}
"""Filter inputs' GraphQL field names for the domain filters' fields (see `validated`)."""


def validated(model: type[M], data: dict[str, Any], *, names: dict[str, str] | None = None) -> M:
    """Validate `data` as `model`.

    Args:
        model: the domain record or command.
        data: its fields by Python name.
        names: the GraphQL input field of a record field where the two differ (e.g.
            `{"country_code": "country"}` for filters), so errors name what the client sent;
            other fields are named in camelCase.

    Raises:
        BadUserInput: with `details.fields` = `[{"field": "givenName", "message": ...}, ...]`.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        named = names or {}
        problems = [
            {
                "field": ".".join(named.get(str(p)) or _camel(str(p)) for p in err["loc"]),
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise BadUserInput(f"invalid input: {summary}", {"fields": problems}) from exc


def validated_value(type_: Any, value: V, field: str) -> V:
    """Validate one argument against an annotated type (e.g. `records.Message`).

    Raises:
        BadUserInput: with `details.fields` = `[{"field": field, "message": ...}]`.
    """
    try:
        adapter: TypeAdapter[V] = TypeAdapter(type_)
        return adapter.validate_python(value)
    except ValidationError as exc:
        message = "; ".join(err["msg"] for err in exc.errors())
        raise BadUserInput(
            f"invalid input: {field}: {message}", {"fields": [{"field": field, "message": message}]}
        ) from exc


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def require_known_country(ctx: Context, code: str | None) -> None:
    """Refuse a well-formed but unknown country code (the reference data lists the countries).

    Raises:
        BadUserInput: with `details.fields` naming `countryCode`.
    """
    if code is not None and await ctx.loaders.countries.load(code) is None:
        message = f"unknown country code {code!r}"
        raise BadUserInput(
            f"invalid input: countryCode: {message}",
            {"fields": [{"field": "countryCode", "message": message}]},
        )
