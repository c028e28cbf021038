// Passkey ceremonies in the browser, with @simplewebauthn/browser (served from
// /static/vendor/simplewebauthn-browser.js): ask the server for options, let the browser and
// authenticator answer, post the answer back. The server keeps the challenge; this script only
// carries it. Elements opt in with data-passkey="register" (a form with a name field) or
// data-passkey="login" (a button); both carry data-options, data-verify and data-csrf.
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  var status = document.getElementById('passkey-status');
  // The page's words (data-* of #passkey-texts, in the page's language); English if missing.
  var textBox = document.getElementById('passkey-texts');
  function text(name, english) {
    var v = textBox && textBox.dataset[name];
    return v || english;
  }

  function show(message) {
    if (!status) return;
    status.textContent = message;
    status.hidden = false;
    status.focus();
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return { error_description: text('unexpected', 'The server answered unexpectedly. Reload the page and try again.') };
        })
        .then(function (data) {
          if (!res.ok) throw new Error(data.error_description || text('refused', 'The server refused the request. Reload the page and try again.'));
          return data;
        });
    });
  }

  /** Words for the browser's WebAuthn errors (cancelled, timed out, already registered). */
  function explain(err) {
    if (err && err.name === 'NotAllowedError') return text('cancelled', 'The passkey request was cancelled or timed out. Try again when you are ready.');
    if (err && err.name === 'InvalidStateError') return text('alreadyRegistered', 'This authenticator already holds a passkey for your account. Use another one, or remove the old entry first.');
    if (err && err.name === 'SecurityError') return text('wrongAddress', 'The browser refused: this page’s address does not match the server’s configured address (ISSUER).');
    return (err && err.message) || text('failed', 'Something went wrong with the passkey. Try again.');
  }

  function busy(el, on) {
    var button = el.tagName === 'BUTTON' ? el : el.querySelector('button');
    if (button) button.disabled = on;
    el.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function run(el, ceremony, extra) {
    var csrf = el.dataset.csrf;
    busy(el, true);
    return post(el.dataset.options, { _csrf: csrf })
      .then(function (options) {
        return ceremony({ optionsJSON: options });
      })
      .then(function (response) {
        var body = { _csrf: csrf, response: response };
        Object.keys(extra || {}).forEach(function (k) {
          body[k] = extra[k];
        });
        return post(el.dataset.verify, body);
      })
      .then(function (done) {
        window.location.assign(done.redirect || '/');
      })
      .catch(function (err) {
        busy(el, false);
        show(explain(err));
      });
  }

  if (!lib || !lib.browserSupportsWebAuthn()) {
    document.querySelectorAll('[data-passkey]').forEach(function (el) {
      var button = el.tagName === 'BUTTON' ? el : el.querySelector('button');
      if (button) button.disabled = true;
    });
    if (document.querySelector('[data-passkey]')) show(text('unsupported', 'This browser cannot use passkeys. Use another sign-in method or another browser.'));
    return;
  }

  document.querySelectorAll('form[data-passkey="register"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = form.querySelector('input[name="name"]');
      run(form, lib.startRegistration, { name: name ? name.value : '' });
    });
  });

  document.querySelectorAll('button[data-passkey="login"]').forEach(function (button) {
    button.addEventListener('click', function () {
      run(button, lib.startAuthentication, button.dataset.next ? { next: button.dataset.next } : {});
    });
  });
})();
