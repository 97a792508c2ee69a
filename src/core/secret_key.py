import secrets
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """A random key kept in the git-ignored var/ folder, for local and test runs only."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
