// Small behaviours that work without a framework; every page works without them too.
document.addEventListener("submit", (event) => {
  // Destructive actions ask first: <form data-confirm="Cancel this application?">
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
