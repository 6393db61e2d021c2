// "Apply suggested rewrite": copies the suggestion into the draft's textarea. A file,
// not an inline handler, because the Content-Security-Policy allows no inline script.
// Listening on the document keeps working for buttons that htmx swaps in later.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-apply-rewrite]");
  if (!button) return;
  const source = document.getElementById(button.dataset.applyRewrite);
  const target = document.getElementById(button.getAttribute("aria-controls"));
  if (!source || !target) return;
  target.value = source.textContent;
  // The same event as typing, so the live check runs on the rewritten text.
  target.dispatchEvent(new Event("input", { bubbles: true }));
  target.focus();
});
