"""Read a page's form as a browser would submit it, so tests post exactly what an editor sees."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._selected: list[str] = []
        self._multiple = False
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (
            self.form_class in (attrs.get("class") or "").split() or self.form_class == attrs.get("id")
        ):
            self.in_form = True
        if not self.in_form or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file"):
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._selected, self._first_option = attrs["name"], [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._selected.append(value)
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select:
            # A single choice falls back to the first option; a multiple one sends only what is chosen.
            if not self._selected and not self._multiple:
                self._selected = [self._first_option or ""]
            self.fields.extend((self._select, value) for value in self._selected)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the one newline that may follow <textarea>.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


class FormData:
    """A form's fields: read with `[]`, change with `set`, tick with `check`, post with `as_post()`."""

    def __init__(self, fields: list[tuple[str, str]]):
        self.fields = fields

    def __getitem__(self, name):
        return [value for key, value in self.fields if key == name]

    def set(self, name: str, *values: str) -> "FormData":
        self.fields = [(key, value) for key, value in self.fields if key != name] + [
            (name, v) for v in values
        ]
        return self

    def check(self, name: str, value: str) -> "FormData":
        if value not in self[name]:
            self.fields.append((name, value))
        return self

    def as_post(self) -> dict[str, list[str]]:
        post: dict[str, list[str]] = {}
        for key, value in self.fields:
            post.setdefault(key, []).append(value)
        return post


def read_form(response, form_class: str = "manage-form") -> FormData:
    """The fields of the form with this class or id."""
    reader = _FormReader(form_class)
    reader.feed(response.content.decode())
    return FormData(reader.fields)
