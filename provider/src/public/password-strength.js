// Live password strength on the change-password page, scored in the browser by the same
// zxcvbn-ts packages (served from /static/vendor/) the server enforces with. Purely a help:
// the server checks again and refuses a weak password.
(function () {
  'use strict';
  var input = document.getElementById('new_password');
  var box = document.getElementById('strength');
  var z = window.zxcvbnts;
  if (!input || !box || !z || !z.core) return;
  // The page's words (data-* of the strength box, in the page's language); English if missing.
  var labels = (box.getAttribute('data-labels') || 'Very weak|Weak|Fair|Strong|Very strong').split('|');
  var idle = box.getAttribute('data-idle') || 'Strength is checked as you type.';
  var enoughText = box.getAttribute('data-enough') || 'Strength: %label% — good enough.';
  var notEnoughText = box.getAttribute('data-not-enough') || 'Strength: %label% — not enough yet (needs %needed%).';
  var minScore = Number(input.getAttribute('data-min-score') || '3');
  var userInputs = (box.getAttribute('data-user-inputs') || '').split('\n').filter(Boolean);
  var common = z['language-common'];
  var en = z['language-en'];
  var dictionary = {};
  [common.dictionary, en.dictionary].forEach(function (d) { Object.keys(d).forEach(function (k) { dictionary[k] = d[k]; }); });
  // zxcvbn-ts's feedback sentences in the page's language (data-feedback), English where missing.
  var words = {};
  try { words = JSON.parse(box.getAttribute('data-feedback') || '{}'); } catch (e) { words = {}; }
  var translations = {
    warnings: Object.assign({}, en.translations.warnings, words.warnings),
    suggestions: Object.assign({}, en.translations.suggestions, words.suggestions),
    timeEstimation: en.translations.timeEstimation,
  };
  var zxcvbn = new z.core.ZxcvbnFactory({ translations: translations, graphs: common.adjacencyGraphs, dictionary: dictionary });
  var meter = document.getElementById('strength-meter');
  var label = document.getElementById('strength-label');
  var list = document.getElementById('strength-feedback');
  var timer;
  function update() {
    var pw = input.value;
    list.textContent = '';
    if (!pw) { meter.value = 0; label.textContent = idle; box.removeAttribute('data-score'); return; }
    var r = zxcvbn.check(pw.slice(0, 256), userInputs);
    meter.value = r.score;
    box.setAttribute('data-score', String(r.score));
    var enough = r.score >= minScore && pw.length >= 8;
    label.textContent = (enough ? enoughText : notEnoughText).replace('%label%', labels[r.score]).replace('%needed%', labels[minScore].toLowerCase());
    [r.feedback.warning].concat(r.feedback.suggestions).filter(Boolean).forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      list.appendChild(li);
    });
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 120); });
})();
