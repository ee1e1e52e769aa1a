"""Shared fixtures. Tests use the real data files under data/ (no mocks of the gazetteer)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "samples" / "nzz-2022-12-19-putin-minsk.de.txt"


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- PostgreSQL

def _postgres_bin() -> Path | None:
    """Debian's PostgreSQL server programs (`make postgresql` installs them)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgresql_url():
    """A throwaway PostgreSQL cluster in a temp dir, on a unix socket only (no TCP), stopped and
    deleted afterwards. As root, the server runs as the `postgres` user (it refuses root)."""
    import os
    import shutil
    import subprocess
    import tempfile

    bindir = _postgres_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `make postgresql` (Debian package postgresql)")
        pytest.skip("PostgreSQL is not installed (`make postgresql`)")
    from tools.bench_browser import free_port

    folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "atlas", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(folder / "server.log"),
        "-o", f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off")
    try:
        run(str(bindir / "createdb"), "-h", str(folder), "-p", str(port), "-U", "atlas", "atlas_test")
        yield f"postgresql+psycopg://atlas@/atlas_test?host={folder}&port={port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(data)],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
