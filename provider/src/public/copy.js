// Copy buttons: <button class="copy" data-copy-target="element-id">. No inline scripts (CSP).
(function () {
  'use strict';
  // The page's words: data-copied / data-copied-status / data-copy-manually on the button or on
  // #copy-texts (views/_copy-texts.njk, in the page's language); English if missing.
  function words(button, name, english) {
    var box = document.getElementById('copy-texts');
    return button.getAttribute('data-' + name) || (box && box.getAttribute('data-' + name)) || english;
  }
  function announce(text) {
    var status = document.querySelector('.copy-status');
    if (status) status.textContent = text;
  }
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-copy-target]') : null;
    if (!button) return;
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (!target) return;
    var text = (target.value !== undefined ? target.value : target.textContent).trim();
    var label = button.textContent;
    copy(text).then(function () {
      button.textContent = words(button, 'copied', 'Copied');
      button.classList.add('copied');
      announce(words(button, 'copied-status', 'Copied to the clipboard.'));
      setTimeout(function () { button.textContent = label; button.classList.remove('copied'); }, 2000);
    }, function () {
      // Leave the value selected so Ctrl+C works.
      var range = document.createRange();
      range.selectNodeContents(target);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      announce(words(button, 'copy-manually', 'Press Ctrl+C (or ⌘C) to copy the selected value.'));
    });
  });
})();
