"""One error hierarchy for the whole product.

Each error has a stable `code`, a human `message` naming the problem, optional structured
`details`, and the HTTP status and CLI exit code it maps to. The mapping to HTTP lives in
`monitorgen.api.errors`, the mapping to CLI output in `monitorgen.cli`; nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class MonitorgenError(Exception):
    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


# --- bad input (4xx, exit 2) ---------------------------------------------------------------------
class InvalidInput(MonitorgenError):
    code = "invalid_input"
    http_status = 400
    exit_code = 2


class SpecInvalid(InvalidInput):
    """A rule spec breaks the schema (names, durations, labels, annotations, PromQL syntax)."""

    code = "spec_invalid"


class RuleFileMalformed(InvalidInput):
    """A rule file is not valid YAML or not shaped like a Prometheus rule file."""

    code = "rule_file_malformed"


class CatalogInvalid(InvalidInput):
    code = "catalog_invalid"


class NotFound(MonitorgenError):
    code = "not_found"
    http_status = 404
    exit_code = 2


class PermissionDenied(MonitorgenError):
    code = "permission_denied"
    http_status = 403
    exit_code = 3


class Conflict(MonitorgenError):
    code = "conflict"
    http_status = 409
    exit_code = 4


class InvalidTransition(Conflict):
    code = "invalid_transition"


# --- configuration (500, exit 5) -----------------------------------------------------------------
class ConfigurationError(MonitorgenError):
    code = "configuration_error"
    http_status = 500
    exit_code = 5


# --- outside systems (502/504, exit 6) -----------------------------------------------------------
class ExternalSystemError(MonitorgenError):
    code = "external_system_error"
    http_status = 502
    exit_code = 6


class PromtoolError(ExternalSystemError):
    """promtool could not be run, timed out, or answered in a way we cannot read."""

    code = "promtool_error"


class PromtoolUnavailable(ConfigurationError):
    code = "promtool_unavailable"


class PrometheusApiError(ExternalSystemError):
    code = "prometheus_api_error"


class LlmError(ExternalSystemError):
    code = "llm_error"


class GitError(ExternalSystemError):
    code = "git_error"


class GitAuthFailed(GitError):
    """The remote refused our credentials, or asked for credentials we do not have."""

    code = "git_auth_failed"


class GitCredentialsMissing(GitAuthFailed):
    """The credentials a target names (environment variable or secrets file) are not there."""

    code = "git_credentials_missing"
    http_status = 500
    exit_code = 5


class GitPushRejected(GitError):
    """The remote refused the push for a reason other than having moved (e.g. a hook)."""

    code = "git_push_rejected"


class GitConflict(GitError):
    """The repository changed in a way an export must not overwrite; nothing was pushed."""

    code = "git_conflict"
    http_status = 409
    exit_code = 4


# --- validation of rules (422, exit 1) -----------------------------------------------------------
class ValidationFailed(MonitorgenError):
    """Rules were checked and at least one error was found; `details['problems']` lists them."""

    code = "validation_failed"
    http_status = 422
    exit_code = 1
