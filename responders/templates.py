"""Rendering outgoing mail from Jinja2 templates in ``templates/``.

A template ``NAME.LANG.txt.j2`` holds the subject on its first line, then a blank line,
then the plain-text body; ``NAME.LANG.html.j2``, when present, adds an HTML part. A
language without its own template falls back to English. Templates are edited by people
who are not programmers and may quote what dealers wrote, so they run in Jinja2's sandbox
with autoescaping for HTML, and header values are cut at the first line break so that no
text can add a header.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from intake import resources

FALLBACK_LANGUAGE = "en"


def header_safe(value: str, limit: int = 250) -> str:
    """One line, no control characters: safe in any header."""
    line = " ".join(str(value).replace("\r", "\n").split("\n")[0].split())
    return "".join(ch for ch in line if ch >= " ")[:limit]


@dataclass
class Rendered:
    subject: str
    text: str
    html: str | None


class Templates:
    def __init__(self, folders: list[Path] | None = None):
        folders = [*(folders or []), resources.default_file("templates")]
        loader = jinja2.FileSystemLoader([str(f) for f in folders])
        # auto_reload off: a template is read once per process (a changed one takes effect at
        # the next start), instead of a file check on every message rendered.
        self.text_env = SandboxedEnvironment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                                             keep_trailing_newline=True, auto_reload=False)
        self.html_env = SandboxedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                             auto_reload=False)
        self._chosen: dict[tuple, jinja2.Template | None] = {}

    def _pick(self, env, name: str, language: str, kind: str) -> jinja2.Template | None:
        key = (name, language, kind)
        if key not in self._chosen:
            self._chosen[key] = None
            for lang in dict.fromkeys([language or FALLBACK_LANGUAGE, FALLBACK_LANGUAGE]):
                try:
                    self._chosen[key] = env.get_template(f"{name}.{lang}.{kind}.j2")
                    break
                except jinja2.TemplateNotFound:
                    continue
        return self._chosen[key]

    def render(self, name: str, language: str, **context) -> Rendered:
        text_t = self._pick(self.text_env, name, language, "txt")
        if text_t is None:
            raise jinja2.TemplateNotFound(f"{name}.{FALLBACK_LANGUAGE}.txt.j2")
        subject, _, body = text_t.render(**context).lstrip("\n").partition("\n")
        html_t = self._pick(self.html_env, name, language, "html")
        html = html_t.render(**context) if html_t else None
        return Rendered(header_safe(subject), body.lstrip("\n"), html)

    def message(self, name: str, language: str, *, sender: str, to: list[str], **context) -> EmailMessage:
        r = self.render(name, language, **context)
        msg = EmailMessage()
        msg["From"] = header_safe(sender)
        msg["To"] = ", ".join(header_safe(a) for a in to)
        msg["Subject"] = r.subject
        msg.set_content(r.text)
        if r.html:
            msg.add_alternative(r.html, subtype="html")
        return msg
