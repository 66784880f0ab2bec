"""What the browser renders from hostile link values: no link, no image
fetched, no autolink. The AppTest check (tests/test_safe_text.py) reads the Markdown the
server sends; this one reads the DOM Streamlit's own Markdown renderer builds from it,
where bare URLs are linked after the escapes are gone."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest

VALUES = {
    "intro": ("epochs", "[Session expired - log in](https://evil.example)"),
    "pca": ("latent_dim", "![x](http://host.invalid/p.png) www.evil.example mail@evil.example :smile:"),
}


@pytest.mark.parametrize("lesson", sorted(VALUES))
def test_hostile_link_values_render_as_plain_text(page, streamlit_server, lesson):
    field, value = VALUES[lesson]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{streamlit_server}/{lesson}?{field}={quote(value)}", wait_until="domcontentloaded")
    alert = page.locator("[data-testid='stAlert']").filter(has_text=field).first
    alert.wait_for(timeout=60_000)
    html = alert.inner_html()
    assert "<a" not in html and "<img" not in html, html
    assert "evil.example" in alert.inner_text().replace("\u2060", "")  # shown, as text
    page.wait_for_timeout(1000)
    assert not [u for u in requests if urlparse(u).hostname != "127.0.0.1"], requests  # nothing fetched elsewhere
    assert page.locator("a[href*='evil.example'], img[src*='host.invalid']").count() == 0
