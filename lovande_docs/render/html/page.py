"""The page around the guide: head with its Content-Security-Policy, landmarks, the tools panel.

The policy allows nothing from anywhere (``default-src 'none'``): the one stylesheet and the one
script are allowed by their SHA-256 hashes, fonts only as ``data:`` URLs, and the form may not be
sent anywhere. So the page makes no request of any kind, whether opened from disk or the web.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path

from lovande_docs import identity as ids
from lovande_docs.model import Model
from lovande_docs.render.html.blocks import Parts

SCRIPT = Path(__file__).with_name("script.js")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(style: str, script: str) -> str:
    return (f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
            "font-src data:; img-src data:; form-action 'none'; base-uri 'none'")


def tools(model: Model, ui: dict) -> str:
    """The panel the script shows (hidden without it): overview, check, save and open, the copy."""
    e = {key: escape(str(value)) for key, value in ui.items()}
    overview = "".join(
        f'<li><a href="#{anchor}">{escape(name)}</a>: <span id="count-{element_id}"></span></li>'
        for element_id, anchor, name in _elements(model))
    return f"""<section id="tools" aria-labelledby="tools-heading" hidden>
<h2 id="tools-heading">{e['tools_heading']}</h2>
<div class="actions"><button type="button" id="save">{e['save']}</button>
<button type="button" id="open" aria-describedby="open-hint">{e['open']}</button>
<input type="file" id="open-file" accept=".json,application/json" hidden>
<button type="button" id="check-button">{e['check']}</button></div>
<p class="hint" id="open-hint">{e['open_hint']}</p>
<p role="status" id="status"></p>
<div class="error" id="error" tabindex="-1" role="alert" hidden><h2>{e['error_heading']}</h2><p id="error-text"></p></div>
<div id="check" hidden><h2 id="check-heading" tabindex="-1"></h2><ul id="check-list"></ul></div>
<h3>{e['overview_heading']}: <span id="overview-done"></span></h3>
<ul class="overview">{overview}</ul>
<h3>{e['autosave_heading']}</h3>
<p class="warning">{e['autosave_warning']}</p>
<div id="autosave-offer" hidden><p id="autosave-found"></p><div class="actions">
<button type="button" id="autosave-restore">{e['autosave_restore']}</button>
<button type="button" id="autosave-discard">{e['autosave_discard']}</button></div></div>
</section>"""


def _elements(model: Model):
    from lovande_docs.document import anchor_name, element_names

    for element, name in zip(model.elements, element_names(model)):
        yield element.id, anchor_name(element.id), name


def page(model: Model, ui: dict, parts: Parts, style: str, script: str, data: str) -> str:
    meta = model.meta
    identity = ids.identity(model)
    metas = "".join(f'<meta name="{escape(key)}" content="{escape(value)}">\n' for key, value in identity.items())
    return f"""<!DOCTYPE html>
<html lang="{escape(meta.language.split('-')[0])}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy(style, script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(meta.title)}</title>
<meta name="description" content="{escape(meta.subtitle)}">
<meta name="generator" content="{escape(identity[ids.GENERATOR])}">
{metas}<style>{style}</style>
</head>
<body>
<a class="skip" href="#main">{escape(ui['skip_link'])}</a>
<header>
{"".join(parts.header)}
</header>
<nav aria-labelledby="toc-heading">
{"".join(parts.nav)}
</nav>
<main id="main" tabindex="-1">
<noscript><p class="box">{escape(ui['no_script'])}</p></noscript>
{tools(model, ui)}
<form id="guide" action="#" method="post" novalidate>
{chr(10).join(piece for piece in parts.main if piece)}
</form>
</main>
<footer>
{"".join(parts.footer)}
</footer>
{data}
<script>{script}</script>
</body>
</html>
"""
