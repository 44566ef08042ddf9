"""Domain records: what crosses the `GraphStore` port, in both directions.

Records are frozen pydantic v2 models. Timestamps are timezone-aware UTC `datetime`s, dates are
`date`s, years are plain `int`s. Ids are strings: ULIDs for things created through the API, slugs
for reference data (`graph_db/reference/accsm.yaml`), and LDBC ids unchanged for imported data.

The modules follow the port's roles (`graph_db.port`); import from this package, which re-exports
every public name:

- `base`: the `Frozen` base model, `new_id`, `utc_now`, `as_utc`.
- `fields`: constrained field types (`Name`, `Line`, `Text`, `CountryCode`, …) and length caps.
- `text`: folding for matching and sorting (`fold`, `search_fold`, `sort_name`, `search_text`).
- `people`: civil servants, their commands (`CivilServantCreate` / `CivilServantUpdate`), portfolio,
  expertise claims, employments, studies, participations, `PersonFilter`.
- `reference`: countries, institutions, expertise areas, events, taxonomy and organiser links,
  reference lists.
- `social`: connections, connection requests, endorsements, mentorships.
- `network`: ego networks, network search filters, ranked people (recommendations).
- `notifications`: inbox notifications and their kinds.
- `relationships`: the viewer's relationship to a person, introductions, expert status changes.
- `careers`: commands that edit employments and education (`EmploymentChange`, `StudyChange`).
- `search`: ranked search queries, filters, hits and facet counts.
- `batch`: `GraphBatch` and its columnar form `ColumnarBatch`, for bulk loads.

Analytics records live in `graph_db.analytics.records`, audit entries in `graph_db.audit`.
"""

from graph_db.records.base import Frozen, as_utc, new_id, utc_now
from graph_db.records.batch import ColumnarBatch, GraphBatch
from graph_db.records.careers import CareerKey, EmploymentChange, StudyChange, this_year
from graph_db.records.fields import (
    MAX_LANGUAGES,
    MAX_LEVEL,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MULTI_LINE,
    SINGLE_LINE,
    CountryCode,
    DisplayName,
    Email,
    Level,
    Line,
    Message,
    Name,
    Phone,
    Slug,
    Text,
    Year,
)
from graph_db.records.network import (
    ConnectionWeights,
    EgoEdge,
    EgoNetwork,
    EgoNode,
    NetworkFilter,
    NetworkRelationship,
    RankedPerson,
)
from graph_db.records.notifications import Notification, NotificationKind
from graph_db.records.people import (
    CivilServant,
    CivilServantCreate,
    CivilServantUpdate,
    Employment,
    ExpertiseClaim,
    Participation,
    PersonFilter,
    PortfolioItem,
    PortfolioKind,
    ProfileVisibility,
    Study,
)
from graph_db.records.reference import (
    Broader,
    Country,
    CountryGroup,
    Event,
    EventKind,
    Expertise,
    Institution,
    InstitutionKind,
    MergeOutcome,
    Organized,
    Reference,
    ReferenceFilter,
    ReferenceKind,
)
from graph_db.records.relationships import (
    MAX_RELATIONSHIP_DISTANCE,
    ExpertStatusChange,
    Introduction,
    IntroductionStatus,
    ViewerRelationship,
)
from graph_db.records.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    FacetCount,
    SearchFacets,
    SearchFilter,
    SearchHit,
    SearchKind,
    SearchQuery,
    SearchViewer,
)
from graph_db.records.social import (
    OPEN_MENTORSHIP,
    Connection,
    ConnectionEdge,
    ConnectionOutcome,
    ConnectionRequest,
    Endorsement,
    Mentorship,
    MentorshipStatus,
)
from graph_db.records.text import fold, search_fold, search_text, search_tokens, sort_name

__all__ = [
    "MAX_LANGUAGES",
    "MAX_LEVEL",
    "MAX_NAME_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "MAX_RELATIONSHIP_DISTANCE",
    "MAX_TEXT_CHARS",
    "MULTI_LINE",
    "OPEN_MENTORSHIP",
    "SINGLE_LINE",
    "Broader",
    "CareerKey",
    "CivilServant",
    "CivilServantCreate",
    "CivilServantUpdate",
    "ColumnarBatch",
    "Connection",
    "ConnectionEdge",
    "ConnectionOutcome",
    "ConnectionRequest",
    "ConnectionWeights",
    "Country",
    "CountryCode",
    "CountryGroup",
    "DisplayName",
    "EgoEdge",
    "EgoNetwork",
    "EgoNode",
    "Email",
    "Employment",
    "EmploymentChange",
    "Endorsement",
    "Event",
    "EventKind",
    "ExpertStatusChange",
    "Expertise",
    "ExpertiseClaim",
    "FacetCount",
    "Frozen",
    "GraphBatch",
    "Institution",
    "InstitutionKind",
    "Introduction",
    "IntroductionStatus",
    "Level",
    "Line",
    "Mentorship",
    "MentorshipStatus",
    "MergeOutcome",
    "Message",
    "Name",
    "NetworkFilter",
    "NetworkRelationship",
    "Notification",
    "NotificationKind",
    "Organized",
    "Participation",
    "PersonFilter",
    "Phone",
    "PortfolioItem",
    "PortfolioKind",
    "ProfileVisibility",
    "RankedPerson",
    "Reference",
    "ReferenceFilter",
    "ReferenceKind",
    "SearchFacets",
    "SearchFilter",
    "SearchHit",
    "SearchKind",
    "SearchQuery",
    "SearchViewer",
    "Slug",
    "Study",
    "StudyChange",
    "Text",
    "ViewerRelationship",
    "Year",
    "as_utc",
    "fold",
    "new_id",
    "search_fold",
    "search_text",
    "search_tokens",
    "sort_name",
    "this_year",
    "utc_now",
]
