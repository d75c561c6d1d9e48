"""Fill in an admin form as a person does: GET the page, keep what the form holds, change some fields, POST."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Collect each POST form's action and the values its fields would submit as they stand."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "textarea":
            self._textarea = a["name"]
            self._fields[a["name"]] = ""

    def _option(self, a):
        value = a.get("value", "")
        if self._first_option is None:
            self._first_option = value
            self._fields.setdefault(self._select, value)
        if "selected" in a:
            self._fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that follows <textarea> (Django writes one).
            text = self._fields[self._textarea]
            self._fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and self._fields is not None:
            self._fields[self._textarea] += data


def form_values(html: str, action: str) -> dict[str, str]:
    """Return what the POST form with this action would submit untouched (the page's own form on an edit page)."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if form_action == action:
            return {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}
    raise AssertionError(f"页面上没有提交到 {action} 的表单：{[a for a, _ in parser.forms]}")


def fill_and_post(client, url: str, changes: dict | None = None, *, action: str | None = None, **kwargs):
    """GET the page at `url`, change some fields of its form posting to `action` (default: `url`), POST it.

    Return (the form page, the POST's response).
    """
    page = client.get(url)
    assert page.status_code == 200, f"{url} 打不开：{page.status_code} {page.get('Location')}"
    action = action or url
    values = {**form_values(page.content.decode(), action), **(changes or {})}
    return page, client.post(action, values, **kwargs)
