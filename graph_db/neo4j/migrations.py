"""Neo4j schema migrations: constraints and indexes, applied in order, each once.

Applied migrations are recorded as `(:Migration {id, appliedAt})`. Every statement uses
`IF NOT EXISTS`, so a migration interrupted half-way (or run by two processes at once) can run
again. Neo4j does not allow schema and data writes in one transaction, so each statement runs in
its own transaction and the record is written after `db.awaitIndexes`.

Names match the embedded store's migrations (`graph_db/embedded/migrations.py`), so `migrate()`
answers the same on both stores.
"""

from __future__ import annotations

from typing import Final

from graph_db.core import cypher as C
from graph_db.data_migrations import (
    BuildSearchIndex,
    DataStatement,
    IndexesOnline,
    MigrationStep,
    RecomputeSearchText,
)

UNIQUE_ID_LABELS: Final = (*C.NODE_LABELS, "Dataset", "Migration")


def _unique_id(label: str) -> str:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in label).lstrip("_")
    return f"CREATE CONSTRAINT {snake}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"


MIGRATION_CONSTRAINT: Final = _unique_id("Migration")
"""Created before anything else, so recording migrations is itself protected."""

AWAIT_INDEXES: Final = "CALL db.awaitIndexes(300)"

MIGRATIONS: Final[list[tuple[str, list[MigrationStep]]]] = [
    (
        "0001_initial_model",
        [
            *(_unique_id(label) for label in UNIQUE_ID_LABELS),
            # Email uniqueness across different nodes cannot be made safe under concurrency by
            # locking one node (two new people share no node), so the store enforces it; the
            # constraint's backing range index also serves the `email = $email` lookups.
            "CREATE CONSTRAINT civil_servant_email IF NOT EXISTS"
            " FOR (n:CivilServant) REQUIRE n.email IS UNIQUE",
            "CREATE INDEX civil_servant_sort_name IF NOT EXISTS FOR (n:CivilServant) ON (n.sortName)",
            "CREATE INDEX civil_servant_joined_at IF NOT EXISTS FOR (n:CivilServant) ON (n.joinedAt)",
            "CREATE INDEX civil_servant_country IF NOT EXISTS FOR (n:CivilServant) ON (n.countryCode)",
            "CREATE INDEX institution_sort_name IF NOT EXISTS FOR (n:Institution) ON (n.sortName)",
            "CREATE INDEX expertise_sort_name IF NOT EXISTS FOR (n:Expertise) ON (n.sortName)",
            "CREATE INDEX event_start_date IF NOT EXISTS FOR (n:Event) ON (n.startDate)",
            "CREATE INDEX country_sort_name IF NOT EXISTS FOR (n:Country) ON (n.sortName)",
            "CREATE FULLTEXT INDEX civil_servant_names IF NOT EXISTS"
            " FOR (n:CivilServant) ON EACH [n.displayName, n.givenName, n.familyName]",
        ],
    ),
    (
        "0002_networking",
        ["CREATE INDEX mentors_id IF NOT EXISTS FOR ()-[m:MENTORS]-() ON (m.id)"],
    ),
    (
        "0003_private_contact_and_visibility",
        [
            # Neo4j needs no column for the new properties; existing profiles get the default.
            DataStatement(
                "MATCH (n:CivilServant) WHERE n.profileVisibility IS NULL"
                " CALL (n) { SET n.profileVisibility = 'PUBLIC' } IN TRANSACTIONS OF 10000 ROWS"
            ),
        ],
    ),
    (
        "0004_audit_trail",
        [
            _unique_id("AuditEvent"),
            "CREATE INDEX audit_event_at IF NOT EXISTS FOR (n:AuditEvent) ON (n.at)",
            "CREATE INDEX audit_event_actor IF NOT EXISTS FOR (n:AuditEvent) ON (n.actorId)",
        ],
    ),
    ("0005_accent_free_search_text", [RecomputeSearchText()]),
    (
        "0006_analytics_runs",
        [
            _unique_id("AnalyticsRun"),
            _unique_id("PendingAnalyticsRun"),
            "CREATE INDEX analytics_run_started_at IF NOT EXISTS FOR (n:AnalyticsRun) ON (n.startedAt)",
            "CREATE INDEX connected_to_since IF NOT EXISTS FOR ()-[r:CONNECTED_TO]-() ON (r.since)",
            "CREATE INDEX mentors_requested_at IF NOT EXISTS FOR ()-[r:MENTORS]-() ON (r.requestedAt)",
            "CREATE INDEX endorsed_at IF NOT EXISTS FOR ()-[r:ENDORSED]-() ON (r.at)",
        ],
    ),
    (
        "0007_notifications",
        [
            _unique_id("Notification"),
            # The outbox tail reads by `createdAt`; `recipientId` serves look-ups by recipient
            # outside the inbox expansion; `readAt` serves pruning.
            "CREATE INDEX notification_created_at IF NOT EXISTS FOR (n:Notification) ON (n.createdAt)",
            "CREATE INDEX notification_recipient IF NOT EXISTS FOR (n:Notification) ON (n.recipientId)",
            "CREATE INDEX notification_read_at IF NOT EXISTS FOR (n:Notification) ON (n.readAt)",
        ],
    ),
    (
        "0008_frontend_api",
        [
            _unique_id("Introduction"),
            _unique_id("ClientMutation"),
            _unique_id("ExpertStatusChange"),
        ],
    ),
    (
        "0009_expertise_exchange",
        [
            _unique_id("ExpertiseRequest"),
            # Lists walk requests newest first; analytics count them by creation and closing time.
            "CREATE INDEX expertise_request_created_at IF NOT EXISTS"
            " FOR (n:ExpertiseRequest) ON (n.createdAt)",
            "CREATE INDEX expertise_request_closed_at IF NOT EXISTS"
            " FOR (n:ExpertiseRequest) ON (n.closedAt)",
            "CREATE INDEX collaborates_on_since IF NOT EXISTS"
            " FOR ()-[k:COLLABORATES_ON]-() ON (k.since)",
        ],
    ),
    ("0010_reference_corrections", [_unique_id("Correction")]),
    (
        "0011_search_index",
        [
            # Ranked search (graph_db.core.search): one index over people and institutions, so
            # their scores compare; `standard-folding` folds accents ("nguyen" finds "Nguyễn").
            # It replaces the names-only index of 0001, which nothing queried.
            "DROP INDEX civil_servant_names IF EXISTS",
            "CREATE FULLTEXT INDEX search_documents IF NOT EXISTS FOR (n:CivilServant|Institution)"
            " ON EACH [n.displayName, n.givenName, n.familyName, n.position, n.bio,"
            " n.searchExpertise, n.name, n.acronym]"
            " OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
            IndexesOnline(),
            BuildSearchIndex(),
        ],
    ),
    (
        "0013_client_mutation_expiry",
        [
            # Expired `clientMutationId` keys are purged by age (graph_db.core.replay).
            "CREATE INDEX client_mutation_at IF NOT EXISTS FOR (n:ClientMutation) ON (n.at)",
        ],
    ),
    (
        "0014_people_list_indexes",
        [
            # A country's people a page at a time (`cypher.list_people`): read in order from
            # these, the first page of Indonesia's 15,511 people (100k generated) reads 57 index
            # entries in 2.4 ms, against all 15,511 and a sort in 22.5 ms from the country index.
            "CREATE INDEX civil_servant_country_sort_name IF NOT EXISTS"
            " FOR (n:CivilServant) ON (n.countryCode, n.sortName)",
            "CREATE INDEX civil_servant_country_joined_at IF NOT EXISTS"
            " FOR (n:CivilServant) ON (n.countryCode, n.joinedAt)",
            # `nameContains` (`searchText CONTAINS $text`) from a trigram index, not a scan of
            # every person: "wija" (4,917 of 100k generated people) 8.7 ms against 48.7 ms, a
            # name nobody has 1.0 ms. A one-letter text that most names contain costs more this
            # way (99 against 49 ms).
            "CREATE TEXT INDEX civil_servant_search_text IF NOT EXISTS"
            " FOR (n:CivilServant) ON (n.searchText)",
        ],
    ),
]
