"""Walk the URL resolver and parse the README's permission matrix (used by test_url_matrix)."""

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

README = Path(__file__).resolve().parents[2] / "README.md"
# "professional" is a nurse in the own family's team, "other team" a nurse in another team,
# "co-host" a wijkteam partner's account (with MFA) that co-hosts parent group meetings.
ACTORS = (
    "anonymous",
    "other parent",
    "own parent",
    "professional",
    "other team",
    "assistant",
    "manager",
    "privacy officer",
    "co-host",
)


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or "namespace:<route>" for unnamed patterns
    name: str | None  # reversible name, when the pattern has one
    route: str  # the full pattern text
    params: tuple[str, ...]
    converters: dict

    @property
    def namespace(self) -> str:
        return self.key.split(":", 1)[0] if ":" in self.key else ""


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern)))
    return tuple(re.compile(str(pattern)).groupindex)


def walk(patterns=None, prefix="", namespace=None, params=(), converters=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for item in patterns:
        if isinstance(item, URLResolver):
            ns = namespace
            if item.namespace:
                ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from walk(
                item.url_patterns,
                prefix + str(item.pattern),
                ns,
                params + _params(item.pattern),
                {**(converters or {}), **item.pattern.converters},
            )
        elif isinstance(item, URLPattern):
            full = prefix + str(item.pattern)
            name = f"{namespace}:{item.name}" if namespace and item.name else item.name
            key = name or f"{namespace or ''}:<{full}>"
            yield Route(
                key=key,
                name=name,
                route=full,
                params=params + _params(item.pattern),
                converters={**(converters or {}), **item.pattern.converters},
            )


def all_routes() -> list[Route]:
    seen, routes = set(), []
    for route in walk():
        if route.key not in seen:
            seen.add(route.key)
            routes.append(route)
    return routes


def path_for(route: Route, kwargs: dict) -> str:
    """A concrete path for `route`; reverse() where it has a name, else fill in the pattern."""
    from django.urls import reverse

    if route.name:
        return reverse(route.name, kwargs=kwargs or None)
    text = route.route
    for param, value in kwargs.items():
        text = re.sub(rf"\(\?P<{param}>[^)]*\)", str(value), text)
        text = re.sub(rf"<(?:\w+:)?{param}>", str(value), text)
    return "/" + text.replace("^", "").replace("$", "")


def parse_matrix(text: str | None = None) -> dict[str, dict[str, str]]:
    """Rows of the table under '## Permission matrix': {url name or glob: {actor: expected}}."""
    text = README.read_text(encoding="utf-8") if text is None else text
    if "## Permission matrix" not in text:
        return {}
    section = text.split("## Permission matrix", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 1 + len(ACTORS) or not cells[0].startswith("`"):
            continue
        rows[cells[0].strip("`")] = dict(zip(ACTORS, cells[1:], strict=True))
    return rows


def row_for(key: str, matrix: dict) -> dict | None:
    """The exact row, else the longest matching glob (e.g. `admin:*`)."""
    if key in matrix:
        return matrix[key]
    globs = sorted((g for g in matrix if "*" in g), key=len, reverse=True)
    return next((matrix[g] for g in globs if fnmatch.fnmatchcase(key, g)), None)
