"""Turn raw input into validated domain commands; pydantic errors become `BadUserInput`."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from resolvers.errors import BadUserInput

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """Validate `data` as `model`.

    Raises:
        BadUserInput: with `details.fields` = `[{"field": "givenName", "message": ...}, ...]`.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(_camel(str(p)) for p in err["loc"]), "message": err["msg"]}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise BadUserInput(f"invalid input: {summary}", {"fields": problems}) from exc


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
