"""Markdown to safe HTML: raw HTML in the source is escaped, never passed through."""

from __future__ import annotations

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> str:
    html: str = _markdown.render(text)
    return html
