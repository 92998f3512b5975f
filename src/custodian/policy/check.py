"""Loading and checking a policy file: every problem as `FILE:LINE: field.path: message`. Warnings (a valid
policy that cites something no longer sound, such as Privacy Shield) are reported the same way but do not make
the file invalid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath

from pydantic import ValidationError

from custodian.policy.document import PolicyDocument
from custodian.policy.references import reference_problems
from custodian.policy.sharing_rules import sharing_warnings
from custodian.policy.source import Path, PolicySource, PolicySyntaxError, read_policy_text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a policy file, where it is, and why."""

    line: int
    path: str
    message: str

    def render(self, file: str) -> str:
        """`FILE:LINE: field.path: message`."""
        return f"{file}:{self.line}: {self.path or '(document)'}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    """The document when it is valid, and every problem found."""

    document: PolicyDocument | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # worth a look, never a reason to refuse the file

    @property
    def valid(self) -> bool:
        """True when there is nothing to fix."""
        return self.document is not None and not self.problems


def check_text(text: str) -> CheckResult:
    """Parse, validate the shape, then check references and contradictions."""
    try:
        source = read_policy_text(text)
    except PolicySyntaxError as exc:
        return CheckResult(None, (Problem(exc.line, "", f"not valid YAML: {exc}"),))
    if not isinstance(source.data, dict):
        return CheckResult(None, (Problem(1, "", "a policy file is a YAML mapping"),))
    try:
        document = PolicyDocument.model_validate(source.data)
    except ValidationError as exc:
        return CheckResult(None, tuple(sorted(_shape_problems(exc, source))))
    found = [_problem(source, path, message) for path, message in reference_problems(document)]
    warned = [_problem(source, path, message) for path, message in sharing_warnings(document)]
    return CheckResult(document, tuple(sorted(found)), tuple(sorted(warned)))


def check_file(path: FilePath) -> CheckResult:
    """Check the policy file at `path`."""
    return check_text(path.read_text(encoding="utf-8"))


def _shape_problems(exc: ValidationError, source: PolicySource) -> list[Problem]:
    problems = []
    for error in exc.errors():
        if _wrong_branch(error["loc"], source.data):
            continue  # a union tried both branches; report the one matching what was written
        loc = tuple(part for part in error["loc"] if not _is_union_branch(part))
        message = _MESSAGES.get(error["type"], error["msg"])
        problems.append(_problem(source, loc, message))
    return list(dict.fromkeys(problems))


def _wrong_branch(loc: tuple[str | int, ...], data: object) -> bool:
    """True for an error from the union branch that does not match the value written there."""
    for index, part in enumerate(loc):
        if _is_union_branch(part):
            written = _value_at(data, loc[:index])
            return str(part).startswith("literal[") == isinstance(written, dict)
    return False


def _value_at(data: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


_MESSAGES = {"extra_forbidden": "unknown key", "missing": "required"}
_UNION_BRANCHES = frozenset({"KeepFor"})
_BRANCH_PREFIXES = ("literal[", "function-after[", "function-before[", "function-wrap[")


def _is_union_branch(part: str | int) -> bool:
    # pydantic names the union branch it tried: "literal['while_needed','not_available']", "KeepFor",
    # or "function-after[_exactly_one(), KeepFor]" for a model with a validator.
    return isinstance(part, str) and (part.startswith(_BRANCH_PREFIXES) or part in _UNION_BRANCHES)


def _problem(source: PolicySource, path: Path, message: str) -> Problem:
    return Problem(source.line_of(path), ".".join(str(part) for part in path), message)
