"""The text of a reading: found in the content folders by its `source` path, and shown as an
HTML fragment, Markdown rendered to HTML (raw HTML in the Markdown is not passed through) or
a PDF in the browser's own viewer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from werkzeug.security import safe_join

KINDS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
         ".pdf": "pdf"}
LARGEST_TEXT = 2 * 1024 * 1024  # an HTML or Markdown reading bigger than this is a mistake


@dataclass(frozen=True)
class ReadingText:
    """A reading's content: its `kind` (html, markdown or pdf), and for html and markdown the
    HTML to show (`html`); `problem` says why it cannot be shown, when it cannot."""

    kind: str | None
    html: Markup | None = None
    problem: str | None = None


def kind_of(source: str) -> str | None:
    """html, markdown or pdf, from the file name; None for anything else."""
    return KINDS.get(Path(source).suffix.lower())


def find_content(source: str) -> Path | None:
    """The file `source` in the content folders (the instance's first), or None."""
    from lms.delivery.views import content_folders

    for folder in content_folders():
        found = safe_join(str(folder), source)
        if found is not None and Path(found).is_file():
            return Path(found)
    return None


def render_markdown(text: str) -> Markup:
    """Markdown (CommonMark with tables) as HTML; raw HTML in it is shown as text, and links
    with unsafe schemes (javascript: ...) are refused by the renderer."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False, "typographer": True}) \
        .enable(["table", "replacements", "smartquotes"])
    return Markup(renderer.render(text))  # noqa: S704 (escaped by the renderer: html is off)


def reading_text(source: str | None) -> ReadingText:
    """The content of a reading to show, or why there is none."""
    if not source:
        return ReadingText(None, problem="The text of this reading has not been added yet.")
    kind = kind_of(source)
    if kind is None:
        return ReadingText(None, problem=f"{source!r} is not an HTML, Markdown or PDF file.")
    path = find_content(source)
    if path is None:
        return ReadingText(kind, problem="The text of this reading has not been added yet.")
    if kind == "pdf":
        return ReadingText(kind)
    if path.stat().st_size > LARGEST_TEXT:
        return ReadingText(kind, problem="The text of this reading is too large to show.")
    text = path.read_text(encoding="utf-8", errors="replace")
    if kind == "markdown":
        return ReadingText(kind, render_markdown(text))
    # An HTML fragment comes from the catalogue's authors (administrators), like the
    # templates themselves, so it is shown as written.
    return ReadingText(kind, Markup(text))  # noqa: S704
