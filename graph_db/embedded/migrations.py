"""LadybugDB schema migrations: typed DDL, applied in order, each once (recorded in `Migration`).

LadybugDB needs typed node and relationship tables (DESIGN.md, dialect notes). Every statement uses
`IF NOT EXISTS` so a migration interrupted half-way can run again.
"""

from __future__ import annotations

from typing import Final

from graph_db.data_migrations import BuildSearchIndex, MigrationStep, RecomputeSearchText

MIGRATION_TABLE: Final = (
    "CREATE NODE TABLE IF NOT EXISTS Migration(id STRING, appliedAt TIMESTAMP, PRIMARY KEY(id))"
)

MIGRATIONS: Final[list[tuple[str, list[MigrationStep]]]] = [
    (
        "0001_initial_model",
        [
            "CREATE NODE TABLE IF NOT EXISTS CivilServant(id STRING, givenName STRING, familyName STRING,"
            " displayName STRING, email STRING, countryCode STRING, city STRING, position STRING,"
            " grade STRING, bio STRING, languages STRING[], photoUrl STRING, joinedAt TIMESTAMP,"
            " verified BOOLEAN, isExpert BOOLEAN, sortName STRING, searchText STRING, PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS Country(id STRING, name STRING, countryGroup STRING,"
            " sortName STRING, PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS Institution(id STRING, name STRING, acronym STRING,"
            " kind STRING, countryCode STRING, sortName STRING, PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS Expertise(id STRING, name STRING, description STRING,"
            " sortName STRING, PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS Event(id STRING, title STRING, kind STRING, startDate DATE,"
            " endDate DATE, place STRING, countryCode STRING, description STRING, sortName STRING,"
            " PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS PortfolioItem(id STRING, kind STRING, title STRING,"
            " year INT64, url STRING, summary STRING, PRIMARY KEY(id))",
            "CREATE NODE TABLE IF NOT EXISTS Dataset(id STRING, loadedAt TIMESTAMP, PRIMARY KEY(id))",
            "CREATE REL TABLE IF NOT EXISTS CONNECTED_TO(FROM CivilServant TO CivilServant, since TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS WORKS_AT(FROM CivilServant TO Institution, position STRING,"
            " since INT64, until INT64)",
            "CREATE REL TABLE IF NOT EXISTS STUDIED_AT(FROM CivilServant TO Institution, year INT64,"
            " degree STRING)",
            "CREATE REL TABLE IF NOT EXISTS HAS_EXPERTISE(FROM CivilServant TO Expertise, level INT64,"
            " years INT64)",
            "CREATE REL TABLE IF NOT EXISTS BROADER(FROM Expertise TO Expertise)",
            "CREATE REL TABLE IF NOT EXISTS PART_OF(FROM Institution TO Institution)",
            "CREATE REL TABLE IF NOT EXISTS AUTHORED(FROM CivilServant TO PortfolioItem)",
            "CREATE REL TABLE IF NOT EXISTS ABOUT(FROM PortfolioItem TO Expertise)",
            "CREATE REL TABLE IF NOT EXISTS PARTICIPATED_IN(FROM CivilServant TO Event, role STRING)",
            "CREATE REL TABLE IF NOT EXISTS ORGANIZED(FROM Institution TO Event)",
        ],
    ),
    (
        "0002_networking",
        [
            "CREATE REL TABLE IF NOT EXISTS CONNECTION_REQUEST(FROM CivilServant TO CivilServant,"
            " at TIMESTAMP, message STRING)",
            "CREATE REL TABLE IF NOT EXISTS ENDORSED(FROM CivilServant TO CivilServant, expertiseId STRING,"
            " at TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS MENTORS(FROM CivilServant TO CivilServant, id STRING,"
            " expertiseId STRING, goal STRING, status STRING, requestedAt TIMESTAMP, since TIMESTAMP,"
            " until TIMESTAMP)",
        ],
    ),
    (
        "0003_private_contact_and_visibility",
        [
            "ALTER TABLE CivilServant ADD IF NOT EXISTS phone STRING",
            "ALTER TABLE CivilServant ADD IF NOT EXISTS profileVisibility STRING DEFAULT 'PUBLIC'",
        ],
    ),
    (
        "0004_audit_trail",
        [
            "CREATE NODE TABLE IF NOT EXISTS AuditEvent(id STRING PRIMARY KEY, at TIMESTAMP,"
            " actorId STRING, roles STRING[], action STRING, subjectIds STRING[],"
            " requestId STRING)",
        ],
    ),
    ("0005_accent_free_search_text", [RecomputeSearchText()]),
    (
        "0006_analytics_runs",
        [
            "CREATE NODE TABLE IF NOT EXISTS AnalyticsRun(id STRING, startedAt TIMESTAMP,"
            " durationS DOUBLE, parameters STRING, nodes INT64, edges INT64, communities INT64,"
            " modularity DOUBLE, communitySizes INT64[], PRIMARY KEY(id))",
            "CREATE REL TABLE IF NOT EXISTS SCORED(FROM AnalyticsRun TO CivilServant, degree INT64,"
            " pagerank DOUBLE, betweenness DOUBLE, community INT64)",
        ],
    ),
    (
        "0007_notifications",
        [
            "CREATE NODE TABLE IF NOT EXISTS Notification(id STRING PRIMARY KEY, recipientId STRING,"
            " kind STRING, actorId STRING, subjectIds STRING[], createdAt TIMESTAMP,"
            " readAt TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS NOTIFIED(FROM CivilServant TO Notification)",
        ],
    ),
    (
        "0008_frontend_api",
        [
            "CREATE NODE TABLE IF NOT EXISTS Introduction(id STRING PRIMARY KEY, requesterId STRING,"
            " viaId STRING, toId STRING, message STRING, status STRING, requestedAt TIMESTAMP,"
            " decidedAt TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS INTRODUCTION_PARTY(FROM Introduction TO CivilServant,"
            " role STRING)",
            "CREATE NODE TABLE IF NOT EXISTS ClientMutation(id STRING PRIMARY KEY,"
            " subjectIds STRING[], at TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS CO_AUTHORED(FROM CivilServant TO PortfolioItem)",
            "CREATE NODE TABLE IF NOT EXISTS ExpertStatusChange(id STRING PRIMARY KEY,"
            " personId STRING, isExpert BOOLEAN, reason STRING, actorId STRING, at TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS EXPERT_STATUS_CHANGED(FROM CivilServant"
            " TO ExpertStatusChange)",
        ],
    ),
    (
        "0009_expertise_exchange",
        [
            "CREATE NODE TABLE IF NOT EXISTS ExpertiseRequest(id STRING PRIMARY KEY, authorId STRING,"
            " title STRING, description STRING, areaIds STRING[], kind STRING, visibility STRING,"
            " countryCode STRING, institutionId STRING, deadline DATE, status STRING,"
            " closure STRING, outcome STRING, portfolioItemId STRING, createdAt TIMESTAMP,"
            " closedAt TIMESTAMP)",
            "CREATE REL TABLE IF NOT EXISTS POSTED(FROM CivilServant TO ExpertiseRequest)",
            "CREATE REL TABLE IF NOT EXISTS NEEDS(FROM ExpertiseRequest TO Expertise)",
            "CREATE REL TABLE IF NOT EXISTS OFFERED(FROM CivilServant TO ExpertiseRequest,"
            " message STRING, at TIMESTAMP, status STRING)",
            "CREATE REL TABLE IF NOT EXISTS COLLABORATES_ON(FROM CivilServant TO ExpertiseRequest,"
            " since TIMESTAMP, until TIMESTAMP, outcome STRING)",
        ],
    ),
    (
        "0010_reference_corrections",
        [
            # What admins corrected (`Label:id`), so seeding leaves it alone; `intoId` for merges.
            "CREATE NODE TABLE IF NOT EXISTS Correction(id STRING PRIMARY KEY, at TIMESTAMP,"
            " intoId STRING)",
        ],
    ),
    (
        "0011_search_index",
        [
            # Ranked search's index (graph_db.core.search): a word per node, one relationship per
            # document and word with the word's count in each field.
            "CREATE NODE TABLE IF NOT EXISTS SearchTerm(term STRING PRIMARY KEY, df INT64)",
            "CREATE REL TABLE IF NOT EXISTS INDEXED_AS(FROM CivilServant TO SearchTerm,"
            " FROM Institution TO SearchTerm, name INT64, position INT64, expertise INT64,"
            " bio INT64)",
            BuildSearchIndex(),
        ],
    ),
]
