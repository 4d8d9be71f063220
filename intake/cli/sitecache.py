"""What the read-only case commands need of a site's configuration, kept between runs.

Validating intake.yaml takes pydantic and a good part of the quarter second that
`intake cases list` may take; that command needs only where the database is and the
office's time zone. After every full load those are kept in the user's cache folder,
for an SQLite site only (nothing secret is written), keyed by the configuration file's
path, size and time and by ``INTAKE_DATABASE_URL``. The next command reads them back while
all of that is unchanged, and loads the configuration whole otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Site:
    database: Path  # the SQLite file
    timezone: str
    data_dir: Path


def config_file(explicit: str | None) -> Path | None:
    """The configuration file a command will read, found as ``config.load_settings`` finds it."""
    chosen = explicit or os.environ.get("INTAKE_CONFIG")
    if chosen:
        return Path(chosen)
    return Path("intake.yaml") if Path("intake.yaml").exists() else None


def _entry(config: Path) -> tuple[Path, dict] | None:
    try:
        resolved = config.resolve()
        st = resolved.stat()
    except OSError:
        return None
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "intake"
    key = {"config": str(resolved), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
           "env_database_url": os.environ.get("INTAKE_DATABASE_URL")}
    return folder / f"site-{hashlib.sha256(str(resolved).encode()).hexdigest()[:16]}.json", key


def recall(config: Path | None) -> Site | None:
    """The site as last loaded from this unchanged file, or None."""
    found = _entry(config) if config is not None else None
    if found is None:
        return None
    path, key = found
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("key") != key:
            return None
        return Site(Path(kept["database"]), kept["timezone"], Path(kept["data_dir"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(config: Path | None, database: Path | None, timezone: str, data_dir: Path) -> None:
    """Keep what ``recall`` gives back; best effort: a cache that cannot be written only
    means the next command loads the configuration whole."""
    # A relative SQLite path is relative to wherever a command runs: not worth keeping.
    found = _entry(config) if config is not None and database is not None and database.is_absolute() else None
    if found is None:
        return
    path, key = found
    text = json.dumps({"key": key, "database": str(database), "timezone": timezone,
                       "data_dir": str(data_dir)})
    try:
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
