// Characters left under every text box with data-counter-max. Progressive enhancement only:
// the server checks the length too (and keeps the text), so nothing breaks without JavaScript.
// Screen readers hear the count after a pause in typing, not on every key.
(function () {
  "use strict";

  function format(template, count, locale) {
    return template.replace("%(count)s", Math.abs(count).toLocaleString(locale));
  }

  function setUp(box) {
    var max = parseInt(box.getAttribute("data-counter-max"), 10);
    var left = box.getAttribute("data-counter-left") || "%(count)s";
    var over = box.getAttribute("data-counter-over") || "-%(count)s";
    var locale = document.documentElement.lang || "nl";
    var shown = document.createElement("div");
    var spoken = document.createElement("div");
    var timer = null;
    shown.className = "form-text vragen-counter";
    shown.id = box.id + "-counter";
    shown.setAttribute("aria-hidden", "true");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);

    function text() {
      var rest = max - box.value.length;
      return rest >= 0 ? format(left, rest, locale) : format(over, rest, locale);
    }

    function update() {
      var rest = max - box.value.length;
      shown.textContent = text();
      shown.classList.toggle("vragen-counter-over", rest < 0);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = text();
      }, 1500);
    }

    box.addEventListener("input", update);
    shown.textContent = text();
    shown.classList.toggle("vragen-counter-over", max - box.value.length < 0);
  }

  document.querySelectorAll("textarea[data-counter-max]").forEach(setUp);
})();
