"""Read-your-writes across requests and API processes: the `X-Expecs-Bookmark` header.

A response to a request that committed a write carries `X-Expecs-Bookmark: <token>`, the Neo4j
bookmarks of that write. A client that sends the token back in the same request header gets its
next requests, on any API process, served by sessions that wait for that write
(`graph_db.causal`). Clients keep the newest token they received and send it on every request.

The token is `<payload>.<signature>`: the payload the bookmarks as a base64url JSON list, the
signature an HMAC-SHA256 of it (first 16 bytes, base64url) under a key derived from the Neo4j
password, which every API process of one deployment shares. Bookmarks from clients are untrusted
input, and a forged one naming a transaction the database has not reached would make Neo4j hold
the session until its bookmark timeout (30 s by default); only tokens this deployment issued are
accepted. The rule: no header, or an empty one, is no bookmark; anything else that is not a
well-formed, correctly signed token of at most `MAX_TOKEN_CHARS` characters holding 1–
`MAX_BOOKMARKS` bookmarks of at most `MAX_BOOKMARK_CHARS` printable ASCII characters each is
refused with HTTP 400 BAD_USER_INPUT (`extensions.header` names the header) before any work: the
client should drop its token and read without it. A changed Neo4j password invalidates the
tokens issued before it (refused once, then dropped by the client).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable

from resolvers.errors import BadUserInput

HEADER = "X-Expecs-Bookmark"
MAX_TOKEN_CHARS = 4096
MAX_BOOKMARKS = 16
MAX_BOOKMARK_CHARS = 512
_TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}")
_PRINTABLE = re.compile(r"[\x21-\x7e]+")


class BadBookmark(BadUserInput):
    """The `X-Expecs-Bookmark` header is not a token this deployment issued (HTTP 400)."""

    def __init__(self, why: str) -> None:
        super().__init__(
            f"invalid {HEADER} header ({why}); send the request without it", {"header": HEADER}
        )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class BookmarkCodec:
    """Issues and checks bookmark tokens.

    Args:
        secret: the deployment's shared secret (the Neo4j password); the signing key is derived
            from it.
    """

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"expecs-bookmarks\0" + secret.encode("utf-8")).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()[:16])

    def encode(self, bookmarks: Iterable[str]) -> str:
        """The token for `bookmarks` (sorted, so equal sets give equal tokens)."""
        payload = _b64(json.dumps(sorted(bookmarks), separators=(",", ":")).encode("utf-8"))
        return f"{payload}.{self._sign(payload)}"

    def decode(self, token: str | None) -> list[str]:
        """The bookmarks of a token a client sent back; [] for none.

        Raises:
            BadBookmark: see the module docstring for what is refused.
        """
        if token is None or not token.strip():
            return []
        token = token.strip()
        if len(token) > MAX_TOKEN_CHARS:
            raise BadBookmark(f"over {MAX_TOKEN_CHARS} characters")
        if not _TOKEN.fullmatch(token):
            raise BadBookmark("not a bookmark token")
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise BadBookmark("not issued by this deployment")
        try:
            bookmarks = json.loads(_unb64(payload))
        except (ValueError, binascii.Error) as exc:
            raise BadBookmark("unreadable") from exc
        if (
            not isinstance(bookmarks, list)
            or not 1 <= len(bookmarks) <= MAX_BOOKMARKS
            or not all(
                isinstance(b, str) and len(b) <= MAX_BOOKMARK_CHARS and _PRINTABLE.fullmatch(b)
                for b in bookmarks
            )
        ):
            raise BadBookmark("unexpected content")
        return bookmarks
