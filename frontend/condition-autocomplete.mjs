// Enhancement for the "add a long-term condition" page only: the alphagov accessible
// autocomplete (loaded just before this, as window.accessibleAutocomplete) turns the plain
// list into a box people can type in. Without JavaScript, the list works as it is.
const select = document.querySelector('select#condition');
const autocomplete = window.accessibleAutocomplete;
if (select instanceof HTMLSelectElement && autocomplete) {
  const chosen = select.options[select.selectedIndex];
  autocomplete.enhanceSelectElement({
    selectElement: select,
    // Keep a condition chosen before (shown again after an error); never the "Choose" prompt.
    defaultValue: chosen && chosen.value ? chosen.textContent : '',
    tNoResults: () => 'No conditions found. Type it in the box below instead',
  });
}
