"""One settings object (SIAGA_ prefix), built once at start-up and passed explicitly."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_AUDIT_KEY = "demo-audit-key-not-for-production"


#: Where a serving process runs: ``one`` CPU (entrypoints.affinity), or ``any`` the OS gives
CpuAffinity = Literal["one", "any"]


class Settings(BaseSettings):
    """Every knob of Siaga112; environment variables are SIAGA_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="SIAGA_", env_file=None, extra="forbid")

    database_url: str = Field(
        "sqlite:///var/siaga112.db",
        description="sqlite:///path/to/file.db (default) or postgresql://user@host:5432/db",
    )
    var_dir: Path = Field(Path("var"), description="where local state lives (SQLite, tokens)")
    mode: Literal["demo", "production"] = "demo"
    host: str = "127.0.0.1"
    port: int = Field(8112, ge=1, le=65535)
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="serving processes sharing the port, each a node on the store (one uses "
        "about one core at most: the GIL)",
    )
    cpu_affinity: CpuAffinity = Field(
        "one",
        description="one: each serving process runs on one CPU (its threads pass the GIL "
        "without waking another CPU each time); any: the OS places them",
    )
    tokens_file: Path | None = Field(
        None, description="JSON file of hashed tokens (default: <var_dir>/tokens.json)"
    )
    cipher_key: SecretStr | None = Field(
        None, description="base64 AES key: encrypts event state at rest (UU PDP 27/2022)"
    )
    audit_key: SecretStr = Field(
        SecretStr(DEMO_AUDIT_KEY), description="HMAC key signing audit checkpoints"
    )
    number_prefix: str = Field("SMD", pattern=r"^[A-Z]{2,5}$")
    timezone: str = Field("Asia/Makassar", description="local time of incident numbers (WITA)")
    postgres_pool_size: int = Field(5, ge=1)
    postgres_max_overflow: int = Field(10, ge=0)
    postgres_connect_timeout: int = Field(2, ge=1)
    postgres_lock_timeout: int = Field(5, ge=1)
    postgres_schema: str = "public"
    command_retry_s: float = Field(
        3.0,
        gt=0,
        le=30,
        description="how long a command without expected_version keeps retrying lost races",
    )
    intake_rate_per_s: float = Field(
        50.0, ge=0, description="reports per second one token may send, sustained (0: no limit)"
    )
    intake_burst: int = Field(500, ge=1, description="reports one token may send at once")
    write_slots: int = Field(
        0,
        ge=0,
        description="writes (reports, commands) in progress at once; more wait for a slot "
        "(0: six per core, 4 to 32)",
    )
    admission_wait_s: float = Field(
        1.0,
        ge=0,
        le=4,
        description="how long a write waits for a slot before it gets 503 with Retry-After, "
        "nothing saved",
    )
    request_deadline_s: float = Field(
        5.0,
        ge=0,
        description="an HTTP request unanswered by then gets 503 'outcome unknown' (0: off)",
    )
    classifier_enabled: bool = True
    classifier_model_path: Path | None = None
    classifier_threshold_medium: float | None = Field(None, ge=0, le=1)
    classifier_threshold_high: float | None = Field(None, ge=0, le=1)
    classifier_threshold_silent_medium: float | None = Field(None, ge=0, le=1)
    classifier_threshold_silent_high: float | None = Field(None, ge=0, le=1)
    classifier_cost_ratio: float | None = Field(
        None, gt=0, description="cost of missing a genuine call / cost of a wasted call-back"
    )
    classifier_silent_cost_ratio: float | None = Field(
        None, gt=0, description="the same ratio for silent calls (at least the spoken one)"
    )
    classifier_timeout_ms: float = Field(50.0, gt=0)
    auto_route: bool = Field(False, description="route recommended agencies automatically")
    watchdog_enabled: bool = Field(True, description="escalate overdue incidents")
    watchdog_interval_s: float = Field(1.0, gt=0, le=60)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        scheme = urlparse(value).scheme
        if scheme not in ("sqlite", "postgresql", "postgres", "memory"):
            raise ValueError("must start with sqlite:///, postgresql:// or memory://")
        return value

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Settings:
        medium, high = self.classifier_threshold_medium, self.classifier_threshold_high
        if (medium is None) != (high is None):
            raise ValueError("set both SIAGA_CLASSIFIER_THRESHOLD_MEDIUM and _HIGH, or neither")
        if medium is not None and high is not None and not 0 < medium <= high < 1:
            raise ValueError("classifier thresholds need 0 < medium <= high < 1")
        quiet_medium = self.classifier_threshold_silent_medium
        quiet_high = self.classifier_threshold_silent_high
        if quiet_medium is not None or quiet_high is not None:
            if quiet_medium is None or quiet_high is None or medium is None or high is None:
                raise ValueError(
                    "silent thresholds need SIAGA_CLASSIFIER_THRESHOLD_SILENT_MEDIUM and "
                    "_SILENT_HIGH, and the spoken _MEDIUM and _HIGH too"
                )
            if not (medium <= quiet_medium <= quiet_high < 1 and quiet_high >= high):
                raise ValueError(
                    "silent thresholds need medium <= silent medium <= silent high < 1 and "
                    "silent high >= high: silent calls never need less evidence"
                )
        # Against the model's default spoken ratio, classifier.Thresholds checks it at start-up
        # (importing the classifier here would load scikit-learn into every CLI command).
        spoken, silent_ratio = self.classifier_cost_ratio, self.classifier_silent_cost_ratio
        if spoken is not None and silent_ratio is not None and silent_ratio < spoken:
            raise ValueError(
                f"SIAGA_CLASSIFIER_SILENT_COST_RATIO must be at least the spoken ratio ({spoken:g})"
            )
        return self

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.mode == "production" and self.audit_key.get_secret_value() == DEMO_AUDIT_KEY:
            raise ValueError("SIAGA_AUDIT_KEY must be set outside demo mode")
        return self

    @property
    def backend(self) -> Literal["sqlite", "postgres", "memory"]:
        """Which event store backend the database URL names."""
        scheme = urlparse(self.database_url).scheme
        if scheme == "sqlite":
            return "sqlite"
        return "memory" if scheme == "memory" else "postgres"

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file of the event store."""
        return Path(unquote(urlparse(self.database_url).path.removeprefix("/")))

    @property
    def resolved_tokens_file(self) -> Path:
        """The tokens file, defaulting into the var directory."""
        return self.tokens_file or self.var_dir / "tokens.json"


#: SIAGA_ variables read by parts other than Settings (the feed client's token, the test runner).
OTHER_VARIABLES = frozenset({"SIAGA_TOKEN", "SIAGA_TOKENS", "SIAGA_TEST_AT"})
#: Settings that were renamed: the old name is refused by name, with the new one.
RENAMED = {"SIAGA_COMMAND_RETRIES": "SIAGA_COMMAND_RETRY_S (seconds, not a count)"}


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """One line per SIAGA_ variable that no part reads (a typo or a renamed setting), with
    the likely intended name: a setting mistyped is otherwise silently left at its default."""
    known = {f"SIAGA_{name.upper()}" for name in Settings.model_fields} | OTHER_VARIABLES
    lines = []
    for name in sorted(environ):
        if not name.startswith("SIAGA_") or name in known or name.startswith("SIAGA_TEST_"):
            continue
        guess = RENAMED.get(name) or next(iter(difflib.get_close_matches(name, known, 1)), None)
        hint = f"; did you mean {guess}?" if guess else ""
        lines.append(f"{name} is not a Siaga112 setting and is ignored{hint}")
    return lines
