"""Bearer-token authentication with PyJWT: verify issuer, audience, expiry and signature.

Keys come from `AuthSettings`: an HS256 secret (development), a PEM public key (RS256/ES256), or a
JWKS document URL. Claims: `sub` = civil-servant id, `roles` = list of `member` / `admin`.
"""

from __future__ import annotations

import time
from typing import Any

import jwt

from graph_api.settings import AuthSettings
from resolvers.viewer import ANONYMOUS, Unauthenticated, Viewer

KNOWN_ROLES = frozenset({"member", "admin"})


MAX_SUBJECT_CHARS = 200
"""Longest `sub` accepted (a civil-servant id: an LDBC number, a ULID or a slug)."""

VERIFIED_CACHE_SIZE = 10_000
"""Verified tokens remembered (each ~1 KB with its header); the oldest is dropped beyond it."""
VERIFIED_TTL_S = 60.0
"""Seconds a verified token is answered from memory before its signature is checked again, so
that a rotated key or a changed JWKS applies within a minute. Its expiry is checked on every use.
A client sends the same token with every request: verifying it each time (PyJWT, HS256) cost
27 µs of a 0.9 ms request (bench/cputime.py, connection path)."""


class TokenVerifier:
    """Turns an `Authorization` header into a `Viewer`.

    Raises:
        Unauthenticated: a header is present but malformed, expired, for another audience or
            issuer, or signed with another key.
    """

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        # header value → (viewer, accepted until (exp + leeway), verified at), oldest first
        self._verified: dict[str, tuple[Viewer, float, float]] = {}

    def _key(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self.settings.public_key_pem:
            return self.settings.public_key_pem
        if self.settings.hs256_secret is not None:
            return self.settings.hs256_secret.get_secret_value()
        raise Unauthenticated("no token verification key is configured")

    def viewer(self, authorization: str | None) -> Viewer:
        """The viewer for a header value; `ANONYMOUS` when there is no header.

        A header verified in the last `VERIFIED_TTL_S` seconds is answered from memory while
        its token has not expired (the same expiry and leeway as PyJWT's check); only tokens
        that passed every check are remembered.
        """
        if not authorization:
            return ANONYMOUS
        now = time.time()
        remembered = self._verified.get(authorization)
        if remembered is not None:
            viewer, accepted_until, verified_at = remembered
            if now < accepted_until and now - verified_at < VERIFIED_TTL_S:
                return viewer
            self._verified.pop(authorization, None)
        viewer, expires_at = self._verify(authorization)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)), None)
        self._verified[authorization] = (viewer, expires_at + self.settings.leeway_s, now)
        return viewer

    def _verify(self, authorization: str) -> tuple[Viewer, float]:
        """The viewer of a non-empty header value, and its token's `exp` (seconds since 1970)."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use `Authorization: Bearer <token>`")
        try:
            claims = jwt.decode(
                token.strip(),
                self._key(token.strip()),
                algorithms=self.settings.algorithms,
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_s,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("the token has expired") from exc
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
            raise Unauthenticated("invalid token") from exc
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_SUBJECT_CHARS:
            raise Unauthenticated("invalid subject claim")
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Unauthenticated("invalid roles claim")
        return Viewer(person_id=subject, roles=frozenset(roles) & KNOWN_ROLES), float(claims["exp"])


def issue_token(
    settings: AuthSettings, subject: str, roles: list[str], ttl_s: int | None = None
) -> str:
    """Sign a development token with the HS256 secret.

    Raises:
        ValueError: no HS256 secret is configured, or a role is unknown.
    """
    if settings.hs256_secret is None:
        raise ValueError("issuing tokens needs EXPECS_AUTH__HS256_SECRET")
    unknown = set(roles) - KNOWN_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": roles,
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + (ttl_s or settings.dev_token_ttl_s),
    }
    return jwt.encode(claims, settings.hs256_secret.get_secret_value(), algorithm="HS256")
