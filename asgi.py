"""The dashboard as an ASGI app: app.py, with the files a new session fetches served from memory.

    python -m geo.serve [streamlit options]   # what `make run` and the container start: this file
    streamlit run asgi.py [streamlit options]  # the same, without warming the caches first
    uvicorn asgi:app                           # any ASGI server

`streamlit run app.py` shows the same page; this way a new session costs the server about half
the CPU (geo.serve.MemoryFiles says why).
"""

import streamlit as st
from starlette.middleware import Middleware

from geo.serve import MemoryFiles

app = st.App("app.py", middleware=[Middleware(MemoryFiles)])
