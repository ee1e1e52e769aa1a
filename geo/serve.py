"""Start the dashboard: `python -m geo.serve [streamlit options]` (what `make run` uses).

Equivalent to `streamlit run app.py …`, plus one thing Streamlit cannot do by itself: while
the server starts and the browser loads the page (about a second), a background thread
imports the map libraries, loads the gazetteer and geoparses the sample article, so the
first page run finds everything warm. Hosting platforms that call `streamlit run app.py`
directly get the same page, only a slower first view.
"""

from __future__ import annotations

import sys
import threading

from geo.config import PROJECT_ROOT, SAMPLE_ARTICLE

__all__ = ["main", "warm_up"]


def warm_up() -> None:
    """Do, ahead of the first page run, the work every first page run does."""
    # folium, branca and pandas take about half a second to import. streamlit_folium itself is
    # left to the page: importing it outside a page run breaks its component's registration.
    import folium  # noqa: F401

    from geo import corrections, snapshot  # noqa: F401  (imported by the page)
    from geo.gazetteer import Gazetteer
    from geo.mapping import build_map, map_data
    from geo.pipeline import geoparse_file
    from geo.textview import article_html

    gazetteer = Gazetteer.default()
    result = geoparse_file(SAMPLE_ARTICLE, gazetteer=gazetteer)
    article_html(result)
    build_map(map_data(result, gazetteer=gazetteer)).get_root().render()  # compiles folium's templates


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=_quietly(_warm_up_when_serving), name="article-atlas-warm-up", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


def _warm_up_when_serving(timeout_s: float = 30.0) -> None:
    """Wait until the server answers (not to slow its start), then warm up while pages load."""
    import time

    from streamlit import config

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            port = config.get_option("server.port")
            address = config.get_option("server.address") or "127.0.0.1"
        except Exception:  # noqa: BLE001 - config not loaded yet
            continue
        if _answers(address, port):
            break
    warm_up()


def _answers(address: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((address if address != "0.0.0.0" else "127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _quietly(function):
    def run() -> None:
        try:
            function()
        except Exception:  # noqa: BLE001 - warming is an optimisation; the page reports real errors
            pass

    return run


if __name__ == "__main__":
    main()
