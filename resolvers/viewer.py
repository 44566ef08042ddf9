"""Who is asking: the authenticated civil servant (from the bearer token) and their roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from cachetools import TTLCache

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


class VerifiedMembers:
    """The civil servants this process found verified in the last `ttl_s` seconds: the store
    read `policy.require_member` makes on every request of a member is made once per `ttl_s`.

    Only a positive finding is kept. This process forgets a person at once when it un-verifies
    or deletes them (`forget`); other API processes notice within `ttl_s`, so `ttl_s` is how long
    a revoked verification may still pass elsewhere (`auth.verified_member_ttl_s`, 0 = read the
    store every time). Holds at most `max_members` people (least recently added dropped first).
    Measured on Neo4j, 100k people: the read costs a member's request about 0.7 ms of Neo4j CPU
    and 1 ms of the API's.
    """

    def __init__(self, ttl_s: float, max_members: int = 100_000) -> None:
        self._found: TTLCache[str, bool] | None = (
            TTLCache(maxsize=max_members, ttl=ttl_s) if ttl_s > 0 else None
        )

    def verified(self, person_id: str) -> bool:
        """Whether `person_id` was found verified within the last `ttl_s` seconds."""
        return self._found is not None and person_id in self._found

    def remember(self, person_id: str) -> None:
        """Note that `person_id` was just read from the store as verified."""
        if self._found is not None:
            self._found[person_id] = True

    def forget(self, person_id: str) -> None:
        """Drop `person_id` (un-verified or deleted by this process)."""
        if self._found is not None:
            self._found.pop(person_id, None)


UNCACHED = VerifiedMembers(ttl_s=0)
"""Reads the store on every request (contexts built outside the app, e.g. in tests)."""
