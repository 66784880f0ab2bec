"""The app as deployed: ``streamlit run serve.py`` serves app.py with security headers.

Streamlit 1.67 has no setting for response headers, but its ASGI entry point ``st.App``
takes Starlette middleware, and ``streamlit run`` serves the ``app`` it finds in a script
(the same server, config file and options as ``streamlit run app.py``). The middleware
below adds to every HTTP response (page, static files, media, uploads, health):

- ``X-Frame-Options: DENY`` and ``Content-Security-Policy: frame-ancestors 'none'``: no
  other site may show the app in a frame (where a click on Train or Start could be
  tricked out of a student);
- ``X-Content-Type-Options: nosniff``: browsers take each response as the type it declares;
- ``Referrer-Policy: same-origin``: links leaving the app do not carry its address.

A header a response already has is left as it is. The websocket is not touched.
"""

from __future__ import annotations

import streamlit as st
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware

HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware: ``HEADERS`` on every HTTP response that lacks them."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
