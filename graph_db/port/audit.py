"""The audit trail, read: append-only entries written by every audited write (`graph_db.audit`)."""

from __future__ import annotations

from typing import Protocol

from graph_db.audit import AuditEntry
from graph_db.paging import Page, PageRequest


class AuditStore(Protocol):
    """Reads of the append-only audit trail. Entries are written inside the audited write's own
    transaction (see `graph_db.audit`); the port has no way to change or delete one."""

    async def audit_trail(
        self, *, actor_id: str | None, action: str | None, page: PageRequest
    ) -> Page[AuditEntry]:
        """Audit entries newest first (by `at`, then id), optionally one actor's or one action's."""
        ...

    async def count_audit(self, *, actor_id: str | None, action: str | None) -> int:
        """Number of audit entries, optionally one actor's or one action's."""
        ...
