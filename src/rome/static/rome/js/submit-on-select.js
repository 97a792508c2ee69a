/* ROME search forms (form[data-submit-on-select]): choosing a suggestion of the autocomplete opens its fiche
 * right away. Without JavaScript the form is submitted as usual and the server resolves the typed text. */
document.addEventListener("autocomplete:select", function (event) {
  var form = event.target.closest("form[data-submit-on-select]");
  if (form) form.submit();
});
