# Article Atlas, the hosted dashboard.
#   docker build -t article-atlas .
#   docker run -p 8501:8501 -v atlas-data:/data article-atlas      # → http://localhost:8501
# Settings are environment variables (README "Deploy"): PORT, DATABASE_URL, ARTICLE_ATLAS_*.
FROM python:3.11-slim

# Debian's chromium renders the PNG export (never a downloaded browser).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501 \
    ADDRESS=0.0.0.0 \
    ARTICLE_ATLAS_HOME=/data

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# A user without privileges runs the server; /data (SQLite store) is the only place it writes.
RUN useradd --create-home --uid 10001 atlas && mkdir -p /data && chown atlas:atlas /data
COPY --chown=root:root . .
# The gazetteer's mapped index (build/index, derived from data/) is written here, once: the
# server's user cannot write /app, and without it each start reads and decodes Parquet columns.
# So are the sample's page and map (build/pages, geo.persist): a new server reads them instead of
# geoparsing and rendering them while its first visitor waits.
RUN python -c "from geo.serve import warm_up; warm_up()" && python -c "from geo.serve import keep_sample_pages; keep_sample_pages()"
USER atlas
VOLUME ["/data"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4).status != 200)"]

# The welcome banner is off: with a wildcard address Streamlit would look up the machine's
# external IP on the internet just to print it.
CMD ["sh", "-c", "exec python -m geo.serve --server.port=\"${PORT}\" --server.address=\"${ADDRESS}\" --server.headless=true --server.fileWatcherType=none --browser.gatherUsageStats=false --logger.hideWelcomeMessage=true"]
