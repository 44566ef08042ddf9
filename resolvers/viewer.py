"""Who is asking: the authenticated civil servant (from the bearer token) and their roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from resolvers.errors import ApiError

MEMBER = "member"
ADMIN = "admin"


class Unauthenticated(ApiError):
    """No valid credentials for something that needs them."""

    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    """Authenticated, but not allowed to do this."""

    code = "FORBIDDEN"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller. `person_id` is the token's `sub` (a civil servant id); None for anonymous callers.

    Roles come from the token's `roles` claim: `member`, `admin`.
    """

    person_id: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    def require_person(self) -> str:
        """The caller's civil-servant id. Raises `Unauthenticated` for anonymous callers."""
        if self.person_id is None:
            raise Unauthenticated("sign in first: send an `Authorization: Bearer <token>` header")
        return self.person_id


ANONYMOUS = Viewer()
