"""Drive a page with the keyboard only and count every key press."""

# What a screen reader would roughly announce for the focused element: its label or text.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const own = el.getAttribute("aria-label")
    || (el.labels && el.labels.length ? el.labels[0].innerText : "");
  const label = el.tagName === "SELECT"
    ? `${own} ${el.options[el.selectedIndex].text}`
    : own || el.innerText || el.value || "";
  return label.replace(/\\s+/g, " ").trim();
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def focused(self) -> str:
        return self.page.evaluate(_FOCUSED)

    def tab_to(self, text: str, limit: int = 80) -> None:
        """Tab until the focused element says `text` (fails after `limit` presses)."""
        for _ in range(limit):
            self.press("Tab")
            if text in self.focused():
                return
        raise AssertionError(f"{text!r} not reached by Tab; last focus: {self.focused()!r}")

    def arrow_to(self, text: str, key: str = "ArrowDown", limit: int = 30) -> None:
        """Move within a radio group or select until it says `text`."""
        for _ in range(limit):
            if text in self.focused():
                return
            self.press(key)
        raise AssertionError(f"{text!r} not reached with {key}; focus: {self.focused()!r}")
