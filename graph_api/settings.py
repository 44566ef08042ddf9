"""Settings from environment variables (`EXPECS_` prefix, `__` for nesting), validated at start-up.

Examples: `EXPECS_STORE=neo4j`, `EXPECS_NEO4J__URI=bolt://127.0.0.1:7687`,
`EXPECS_NEO4J__PASSWORD=...`, `EXPECS_EMBEDDED__PATH=var/expecs.lbdb`. The README lists them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_NEO4J_PASSWORD = "expecs-dev-password"
DEV_CORS_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"
"""Origins a development server allows without `EXPECS_CORS_ORIGINS`: local frontends on any port."""
DEV_JWT_SECRET = "expecs-development-secret-change-me-0123456789"


class EmbeddedSettings(BaseModel):
    """LadybugDB (embedded) store settings."""

    path: Path = Field(
        default=Path("var/expecs.lbdb"), description="Database file (created if missing)."
    )
    max_concurrent_reads: int = Field(
        default=4, ge=1, le=64, description="Read connections: queries that run at once."
    )
    threads_per_query: int = Field(
        default=0, ge=0, le=256, description="Threads one query may use; 0 = every core."
    )
    query_timeout_ms: int = Field(
        default=10_000, ge=0, description="Per-query limit in ms; 0 = none."
    )
    buffer_pool_mb: int = Field(
        default=0, ge=0, description="LadybugDB page cache in MiB; 0 = its default (80 % of RAM)."
    )
    checkpoint_every: int = Field(
        default=200,
        ge=0,
        description="Write transactions between checkpoints; 0 = LadybugDB's own.",
    )


class Neo4jSettings(BaseModel):
    """Neo4j store settings."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: SecretStr = SecretStr(DEV_NEO4J_PASSWORD)
    database: str = "neo4j"
    query_timeout_s: float = Field(
        default=10.0, gt=0, description="Per-transaction limit in seconds."
    )
    connection_timeout_s: float = Field(default=5.0, gt=0)
    max_connection_pool_size: int = Field(default=50, ge=1)
    max_retry_time_s: float = Field(default=5.0, ge=0, description="Retry budget of a transaction.")


class AuthSettings(BaseModel):
    """Bearer-token (JWT) verification. Give one key source: an HS256 secret (development), a PEM
    public key (RS256/ES256), or a JWKS URL (production identity provider)."""

    issuer: str = "expecs"
    audience: str = "expecs-api"
    algorithms: list[str] = ["HS256"]
    hs256_secret: SecretStr | None = SecretStr(DEV_JWT_SECRET)
    public_key_pem: str | None = None
    jwks_url: str | None = None
    leeway_s: int = Field(default=30, ge=0, le=300, description="Clock skew allowed on exp/nbf.")
    dev_token_ttl_s: int = Field(default=8 * 3600, ge=60)
    verified_member_ttl_s: float = Field(
        default=30,
        ge=0,
        le=3600,
        description="Seconds an API process trusts a member it found verified before reading the"
        " store again (0 = every request); how long a revoked verification may still pass on"
        " other processes.",
    )


class RecommendationSettings(BaseModel):
    """Weights of the connection-recommendation score (README, `resolvers/recommendations.py`)."""

    mutual: float = Field(default=1.0, ge=0)
    expertise: float = Field(default=0.5, ge=0)
    institution: float = Field(default=2.0, ge=0)
    event: float = Field(default=1.0, ge=0)
    cross_border: float = Field(
        default=1.5, ge=0, description="Bonus for someone in another country."
    )


class AnalyticsSettings(BaseModel):
    """Defaults of `expecs analytics run` (`graph_db/analytics/algorithms.py`)."""

    community_method: Literal["louvain", "leiden"] = "louvain"
    seed: int = Field(default=42, description="Seed of the community detection's random order.")
    betweenness_cutoff: int | None = Field(
        default=None, ge=1, description="Longest path counted by betweenness; None = exact."
    )
    keep: int = Field(default=3, ge=1, description="Analytics runs kept in the store.")


class LimitSettings(BaseModel):
    """Request limits enforced before any store work (see `graph_api/limits.py`)."""

    max_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=0)
    max_cost: int = Field(default=25_000, ge=10)
    max_tokens: int = Field(default=5_000, ge=100)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)


class NotificationSettings(BaseModel):
    """The inbox and live notifications (`resolvers/feed.py`, `graph_api/subscriptions.py`)."""

    tail: bool | None = Field(
        default=None,
        description="Poll the store's outbox for notifications committed by other processes; "
        "default: on for Neo4j (several API processes), off for the embedded store (one process).",
    )
    poll_interval_ms: int = Field(default=250, ge=10, le=60_000, description="Outbox poll period.")
    lookback_s: float = Field(
        default=30.0,
        gt=0,
        description="How far back each poll looks for notifications committed late (longer "
        "than a write transaction can take, retries included).",
    )
    queue_size: int = Field(
        default=256, ge=1, description="Notifications queued per subscription before it is dropped."
    )
    retention_days: float = Field(
        default=30.0, gt=0, description="Read notifications older than this are pruned."
    )
    prune_interval_s: float = Field(default=3600.0, gt=0, description="How often to prune.")
    max_subscriptions_per_socket: int = Field(default=10, ge=1)
    max_sockets_per_caller: int = Field(default=5, ge=1)
    connection_init_timeout_s: float = Field(
        default=10.0, gt=0, description="Time a socket has to send `connection_init`."
    )


class MetricsSettings(BaseModel):
    """`GET /metrics` for Prometheus (`graph_api/metrics.py`)."""

    enabled: bool = Field(default=True, description="Serve /metrics.")
    token: SecretStr | None = Field(
        default=None,
        description="When set, /metrics answers only `Authorization: Bearer <token>` (for a "
        "scraper that reaches the API through a public proxy).",
    )


class Settings(BaseSettings):
    """All settings of the API process.

    Raises:
        pydantic.ValidationError: at construction, for invalid values or a development secret in
            production.
    """

    model_config = SettingsConfigDict(
        env_prefix="EXPECS_", env_nested_delimiter="__", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    store: Literal["embedded", "neo4j"] = "embedded"
    embedded: EmbeddedSettings = EmbeddedSettings()
    neo4j: Neo4jSettings = Neo4jSettings()
    auth: AuthSettings = AuthSettings()
    recommendations: RecommendationSettings = RecommendationSettings()
    limits: LimitSettings = LimitSettings()
    analytics: AnalyticsSettings = AnalyticsSettings()
    notifications: NotificationSettings = NotificationSettings()
    metrics: MetricsSettings = MetricsSettings()
    reference_ttl_s: float = Field(
        default=60,
        ge=0,
        le=3600,
        description="Seconds an API process answers countries, institutions and expertise areas"
        " from what it read before (0 = read the store every time); a mutation through the"
        " process forgets them at once, other processes' changes show within this time.",
    )
    rate_limit: str | None = Field(
        default="120/minute",
        description="Requests per caller (token subject, else client address) to /graphql and the "
        "CSV export, in the `limits` notation (e.g. `120/minute`); None turns it off. Off by "
        "default when environment=test.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        pattern=r"^(memory://|rediss?://|redis\+unix://)",
        description="Where the rate limit counts: `memory://` (each process its own budget) or a "
        "Redis URL (`redis://host:6379/0`, `rediss://…`, `redis+unix:///path?db=0`) shared by "
        "every API process.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="API processes `expecs serve` starts on one port (uvicorn workers); more "
        "than one needs the Neo4j store.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    graphiql: bool | None = Field(
        default=None, description="GraphiQL at /graphql; default: on in development."
    )
    max_page_size: int = Field(
        default=100,
        ge=1,
        le=1000,
        description="Cap on first/last of every connection (and on the ids of `nodes`).",
    )
    default_page_size: int = Field(
        default=20,
        ge=1,
        description="Rows of a connection asked for without first/last; also what the query cost "
        "limit counts for it. At most max_page_size (lowered to it when only the cap is set).",
    )
    log_level: str = "info"
    trust_proxy_headers: bool = Field(
        default=False,
        description="Take the client address from X-Forwarded-For (only behind a trusted proxy); "
        "it keys the rate limit for anonymous callers.",
    )
    cors_origins: list[str] | None = Field(
        default=None,
        description="Browser origins allowed to call the API (CORS), e.g. "
        '`["https://experts.example.go.id"]` (a JSON list); `["*"]` allows any. Default: '
        "localhost and 127.0.0.1 on any port in development, none otherwise.",
    )

    @property
    def cors_origin_regex(self) -> str | None:
        """The origins allowed by default (development only): localhost on any port."""
        if self.cors_origins is None and self.environment == "development":
            return DEV_CORS_ORIGINS
        return None

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.environment == "development"

    @model_validator(mode="after")
    def _default_page_within_the_cap(self) -> Settings:
        if self.default_page_size <= self.max_page_size:
            return self
        if "default_page_size" in self.model_fields_set:
            raise ValueError(
                f"EXPECS_DEFAULT_PAGE_SIZE ({self.default_page_size}) must not exceed "
                f"EXPECS_MAX_PAGE_SIZE ({self.max_page_size})"
            )
        self.default_page_size = self.max_page_size  # a small cap alone lowers the default too
        return self

    @model_validator(mode="after")
    def _no_rate_limit_in_tests_unless_asked(self) -> Settings:
        if self.environment == "test" and "rate_limit" not in self.model_fields_set:
            self.rate_limit = None
        return self

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> Settings:
        if (
            self.environment == "production"
            and self.store == "neo4j"
            and self.neo4j.password.get_secret_value() == DEV_NEO4J_PASSWORD
        ):
            raise ValueError("EXPECS_NEO4J__PASSWORD must be set to a real secret in production")
        secret = self.auth.hs256_secret.get_secret_value() if self.auth.hs256_secret else None
        if self.environment == "production" and secret == DEV_JWT_SECRET:
            raise ValueError(
                "EXPECS_AUTH__HS256_SECRET must not be the development secret in production"
            )
        return self
