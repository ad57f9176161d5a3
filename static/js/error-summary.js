// A form sent back with errors: move focus to its summary, so a screen reader reads
// it first and a keyboard user is one Tab from the first field to fix. Following a
// link in it puts the field's label (or its fieldset's legend) in view, then focuses
// the field, as GOV.UK's error summary does: a field scrolled to the top edge would
// hide the label that says what it is.
// Without errors, a page that answers a press with a result (the questions as
// understood, after Preview or Check again) moves focus to that result instead.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    document.querySelector("[data-focus-on-load]")?.focus();
    return;
  }
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field || !["INPUT", "SELECT", "TEXTAREA"].includes(field.tagName)) return;
    event.preventDefault();
    const legend = field.closest("fieldset")?.querySelector("legend");
    const label = document.querySelector(`label[for='${CSS.escape(field.id)}']`) || legend;
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
});
