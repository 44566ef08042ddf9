"""Bearer tokens: issued and verified with PyJWT; every kind of bad token is refused."""

from __future__ import annotations

import time

import jwt
import pytest

from graph_api.auth import TokenVerifier, issue_token
from graph_api.settings import AuthSettings
from resolvers.viewer import ANONYMOUS, Unauthenticated

SETTINGS = AuthSettings()


def test_round_trip() -> None:
    viewer = TokenVerifier(SETTINGS).viewer(
        "Bearer " + issue_token(SETTINGS, "933", ["member", "admin"])
    )
    assert viewer.person_id == "933" and viewer.is_admin and viewer.roles == {"member", "admin"}


def test_no_header_is_anonymous() -> None:
    assert TokenVerifier(SETTINGS).viewer(None) is ANONYMOUS


def claims(**over: object) -> dict[str, object]:
    now = int(time.time())
    base = {
        "sub": "1",
        "roles": ["member"],
        "iss": "expecs",
        "aud": "expecs-api",
        "iat": now,
        "exp": now + 60,
    }
    return {**base, **over}


SECRET = SETTINGS.hs256_secret.get_secret_value()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "header",
    [
        "Basic abc",
        "Bearer ",
        "Bearer not.a.jwt",
        "Bearer " + jwt.encode(claims(exp=int(time.time()) - 3600), SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(aud="someone-else"), SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(iss="evil"), SECRET, algorithm="HS256"),
        "Bearer "
        + jwt.encode(claims(), "another-secret-of-sufficient-length-123", algorithm="HS256"),
        "Bearer "
        + jwt.encode({k: v for k, v in claims().items() if k != "sub"}, SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(roles="admin"), SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(), None, algorithm="none"),
        "Bearer " + jwt.encode(claims(sub=""), SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(sub="   "), SECRET, algorithm="HS256"),
        "Bearer " + jwt.encode(claims(sub="x" * 201), SECRET, algorithm="HS256"),
    ],
)
def test_bad_tokens_are_refused(header: str) -> None:
    with pytest.raises(Unauthenticated):
        TokenVerifier(SETTINGS).viewer(header)


def test_unknown_roles_are_dropped() -> None:
    token = jwt.encode(claims(roles=["member", "superuser"]), SECRET, algorithm="HS256")
    assert TokenVerifier(SETTINGS).viewer("Bearer " + token).roles == {"member"}


def test_rs256_public_key() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = AuthSettings(algorithms=["RS256"], hs256_secret=None, public_key_pem=pem.decode())
    token = jwt.encode(claims(sub="42"), key, algorithm="RS256")
    assert TokenVerifier(settings).viewer(f"Bearer {token}").person_id == "42"
    forged = jwt.encode(claims(sub="42"), SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        TokenVerifier(settings).viewer(f"Bearer {forged}")


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    """The verifier answers a token it verified from memory, but checks its expiry every time."""
    settings = AuthSettings(leeway_s=0)
    verifier = TokenVerifier(settings)
    header = "Bearer " + jwt.encode(claims(exp=int(time.time()) + 2), SECRET, algorithm="HS256")
    assert verifier.viewer(header).person_id == "1"
    assert verifier.viewer(header).person_id == "1"  # from memory
    time.sleep(
        max(0.0, jwt.decode(header[7:], options={"verify_signature": False})["exp"] - time.time())
        + 0.05
    )
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.viewer(header)


def test_a_remembered_token_is_verified_again_after_the_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `VERIFIED_TTL_S` the signature is checked again: a rotated key applies."""
    import graph_api.auth

    verifier = TokenVerifier(SETTINGS)
    header = "Bearer " + jwt.encode(claims(), SECRET, algorithm="HS256")
    assert verifier.viewer(header).person_id == "1"
    rotated = AuthSettings(hs256_secret="a-new-secret-of-sufficient-length-456")
    verifier.settings = rotated
    assert verifier.viewer(header).person_id == "1"  # within the TTL: remembered
    monkeypatch.setattr(graph_api.auth, "VERIFIED_TTL_S", 0.0)
    with pytest.raises(Unauthenticated, match="invalid token"):
        verifier.viewer(header)


def test_only_verified_tokens_are_remembered() -> None:
    verifier = TokenVerifier(SETTINGS)
    forged = "Bearer " + jwt.encode(claims(), "another-secret-of-sufficient-length-123")
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            verifier.viewer(forged)
