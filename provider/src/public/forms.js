// Double-submit guard: a form that is being sent ignores further submits (double clicks,
// Enter pressed twice). The server also applies each form once; this only spares a round trip.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    if (form.dataset.submitting === '1') {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = '1';
    form.setAttribute('aria-busy', 'true');
  });
  // Coming back with the Back button (bfcache) makes the forms usable again.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-submitting]').forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute('aria-busy');
    });
  });
})();
// New client: the redirect URI placeholder follows the chosen preset (its expected callback path).
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== 'preset' || !input.dataset.redirectPlaceholder) return;
    var field = document.getElementById('redirect_uris');
    if (field) field.setAttribute('placeholder', input.dataset.redirectPlaceholder);
  });
})();
