"""Who may open a hosted link: nobody is asked in a local session; a shared password or an
OIDC sign-in (Streamlit's `st.login`) when the host configures one.

    access = access_from(settings, oidc_configured="auth" in st.secrets)   # app.py reads them
    access.mode                       # "open", "password" or "oidc"
    access.accepts(typed)             # constant-time comparison

Settings: ARTICLE_ATLAS_AUTH (open | password | oidc; default: password when a password is set,
oidc when secrets.toml has an [auth] section, else open) and ARTICLE_ATLAS_PASSWORD. The
password is kept only as a digest and never appears in a repr, a message or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from geo.errors import InputError

__all__ = ["MODES", "Access", "access_from"]

MODES = ("open", "password", "oidc")


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class Access:
    """How the page is protected. `accepts` checks a typed password (mode "password")."""

    mode: str = "open"
    password_digest: bytes = field(default=b"", repr=False)

    def accepts(self, typed: str) -> bool:
        return self.mode == "password" and bool(self.password_digest) and hmac.compare_digest(
            _digest(typed or ""), self.password_digest)


def access_from(settings: Mapping[str, str | None], *, oidc_configured: bool = False) -> Access:
    """The access rule from settings; a contradictory one raises InputError saying what to set."""
    password = settings.get("ARTICLE_ATLAS_PASSWORD") or ""
    mode = (settings.get("ARTICLE_ATLAS_AUTH") or "").strip().lower()
    if not mode:
        mode = "password" if password else "oidc" if oidc_configured else "open"
    if mode not in MODES:
        raise InputError(f"ARTICLE_ATLAS_AUTH is {mode!r}; use one of: {', '.join(MODES)}.")
    if mode == "password" and not password:
        raise InputError("ARTICLE_ATLAS_AUTH is 'password' but no ARTICLE_ATLAS_PASSWORD is set "
                         "(environment or .streamlit/secrets.toml).")
    if mode == "oidc" and not oidc_configured:
        raise InputError("ARTICLE_ATLAS_AUTH is 'oidc' but .streamlit/secrets.toml has no [auth] section "
                         "(redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url).")
    return Access(mode=mode, password_digest=_digest(password) if mode == "password" else b"")
