"""What production (DJANGO_DEBUG=0) refuses to start with; each refusal names what to set.

Read by settings.py before Django is set up, so plain Python only. Nothing here connects to
anything: a worker restarted while Redis is down must still come up.
"""

import os
from pathlib import Path

# Directories that are not the repository's own text (virtualenvs, caches, build output).
_SKIP_DIRS = {"node_modules", "staticfiles", "__pycache__", "htmlcov"}
_MAX_FILE_BYTES = 2_000_000
MIN_SECRET_KEY_LENGTH = 50
_MAKE_A_KEY = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def where_published(secret: str, source_dir: Path) -> Path | None:
    """The first file of the source tree that contains `secret`, else None.

    Everything in the repository is public (and so is its history: keys published in earlier
    versions are kept in ouderportaal/published_secret_keys.txt for this search). The operator's
    own `.env` files are not part of the repository and are skipped.
    """
    needle = secret.encode()
    for directory, dirnames, filenames in os.walk(source_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS]
        for name in filenames:
            if name.startswith(".env") and name != ".env.example":
                continue
            path = Path(directory) / name
            try:
                if path.stat().st_size > _MAX_FILE_BYTES:
                    continue
                if needle in path.read_bytes():
                    return path
            except OSError:
                continue
    return None


def refusals(*, secret_key: str, database_engine: str, redis_url: str, source_dir: Path) -> list:
    problems = []
    published = where_published(secret_key, source_dir) if secret_key else None
    if published:
        problems.append(
            "DJANGO_SECRET_KEY: this key is written in the repository "
            f"({published.relative_to(source_dir)}), so anyone can forge sessions and links "
            f"with it; {_MAKE_A_KEY}"
        )
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"DJANGO_SECRET_KEY: set a random key of at least {MIN_SECRET_KEY_LENGTH} "
            f"characters; {_MAKE_A_KEY}"
        )
    if "postgresql" not in database_engine:
        problems.append(
            "DATABASE_URL: set it to a PostgreSQL database (postgres://user:password@host/name);"
            " the access-log trigger, the booking constraints and Dutch search need PostgreSQL."
        )
    if not redis_url:
        problems.append(
            "REDIS_URL: set it to the Redis for the cache and the broker (redis://host:6379/0);"
            " without it rate limits and used login codes would count per process."
        )
    return problems
