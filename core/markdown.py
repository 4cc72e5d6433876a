"""Markdown written by staff (editions, articles, standard answers) to safe HTML. One home.

No scripts, styles, images or raw HTML: nh3 keeps only the tags below.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "hr",
}  # fmt: skip


def markdown_to_html(text: str) -> str:
    """Markdown from the admin to safe HTML: no scripts, styles, images or raw HTML."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
