"""Deployment: the Dockerfile's start command serves the app from a clean venv made from
requirements.txt, and the platform files say what the README says.

No container engine runs on this machine (no dockerd, and base images cannot be pulled: only
package registries are reachable), so the image itself is not built here. What the image would
run is run instead: its exact CMD, with its ENV defaults, in a fresh venv that has nothing but
requirements.txt, and its HEALTHCHECK command against the running server.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from tools.bench_browser import free_port

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _instruction(name: str) -> list[str]:
    """Every value of a Dockerfile instruction (continuation lines joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.+)$", joined, re.M)]


def _env_defaults() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in _instruction("ENV"):
        for item in shlex.split(line):
            key, _, value = item.partition("=")
            env[key] = value
    return env


def test_the_dockerfile_is_slim_python_311_with_chromium_a_user_and_a_healthcheck():
    assert _instruction("FROM") == ["python:3.11-slim"]
    assert any("apt-get install" in r and "chromium" in r.split() for r in _instruction("RUN"))
    users = _instruction("USER")
    assert users and users[-1] not in ("root", "0")
    assert "/_stcore/health" in _instruction("HEALTHCHECK")[0]
    cmd = json.loads(_instruction("CMD")[0])
    assert '--server.port="${PORT}"' in cmd[-1] and "geo.serve" in cmd[-1]
    assert _env_defaults()["PORT"] == "8501"


def test_platform_files():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines and all(re.match(r"^[A-Za-z0-9_.\-\[\]]+==[\w.]+$", ln) for ln in lines), "every requirement pinned"
    assert "chromium" in (ROOT / "packages.txt").read_text().split()
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True and config["browser"]["gatherUsageStats"] is False
    # one size limit: what the uploader states (Streamlit's MB = 2**20 bytes) is the article limit
    from geo.config import MAX_ARTICLE_BYTES

    assert config["server"]["maxUploadSize"] == -(-MAX_ARTICLE_BYTES // 2**20) == 2
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Deploy" in readme and "DATABASE_URL" in readme and "packages.txt" in readme


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory) -> Path:
    """A venv with nothing but requirements.txt (pip's cache makes it a minute, not ten)."""
    venv = tmp_path_factory.mktemp("clean-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                "-r", str(ROOT / "requirements.txt")], capture_output=True, text=True, timeout=1500)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return python


def test_the_containers_start_command_serves_the_app_from_a_clean_venv(clean_venv, tmp_path):
    cmd = json.loads(_instruction("CMD")[0])
    port = free_port()
    env = {"PATH": f"{clean_venv.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           **_env_defaults(), "PORT": str(port), "ADDRESS": "127.0.0.1",  # loopback only in a test
           "ARTICLE_ATLAS_HOME": str(tmp_path / "data")}
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    assert response.status == 200 and response.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/app/static/vendor/leaflet/leaflet.js", timeout=10) as r:
            assert r.status == 200, "static files are served (the map's Leaflet)"
        healthcheck = json.loads(re.search(r"CMD\s+(\[.+\])", _instruction("HEALTHCHECK")[0]).group(1))
        checked = subprocess.run(healthcheck, env=env, capture_output=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        assert "External URL" not in log.read_text(errors="replace"), "no lookup of the external IP"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    assert not os.path.exists(ROOT / "data" / "atlas.sqlite3"), "the store lives in ARTICLE_ATLAS_HOME"
