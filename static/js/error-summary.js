// A form sent back with errors: move focus to its summary, so a screen reader reads
// it first and a keyboard user is one Tab from the first field to fix.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
