/* Peerwiki's small enhancements. Every page works without this file (and without htmx): here the
   header's search suggestions close on Escape or when focus leaves, and the arrow keys move
   through them. */
(function () {
  'use strict';

  function enhanceSuggestions(form) {
    var input = form.querySelector('input[type="search"]');
    var box = form.querySelector('.search-suggestions');
    if (!input || !box) return;

    function links() {
      return Array.prototype.slice.call(box.querySelectorAll('a'));
    }
    function isOpen() {
      return !box.hidden && links().length > 0;
    }
    function sync() {
      input.setAttribute('aria-expanded', isOpen() ? 'true' : 'false');
    }
    function mark(current) {
      links().forEach(function (a) {
        var option = a.closest('[role="option"]') || a;
        option.setAttribute('aria-selected', a === current ? 'true' : 'false');
      });
    }
    function show() {
      box.hidden = false;
      sync();
    }
    function hide() {
      box.hidden = true;
      mark(null);
      sync();
    }
    /** Moves focus one suggestion down (+1) or up (-1); up from the first goes back to the input. */
    function move(step) {
      var all = links();
      if (all.length === 0) return;
      var next = all.indexOf(document.activeElement) + step;
      if (next < 0) {
        mark(null);
        input.focus();
        return;
      }
      if (next >= all.length) next = all.length - 1;
      show();
      all[next].focus();
      mark(all[next]);
    }

    if (box.id) input.setAttribute('aria-controls', box.id);
    input.setAttribute('aria-autocomplete', 'list');
    sync();

    input.addEventListener('input', show);
    input.addEventListener('focus', show);
    form.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && isOpen()) {
        e.preventDefault();
        hide();
        input.focus();
      } else if (e.key === 'ArrowDown' && links().length > 0) {
        e.preventDefault();
        move(1);
      } else if (e.key === 'ArrowUp' && box.contains(document.activeElement)) {
        e.preventDefault();
        move(-1);
      }
    });
    // Close when focus leaves the search form (moving into the list is not leaving).
    form.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) hide();
    });
    // A mouse press on a suggestion must not blur the input first, or the list would close under it.
    box.addEventListener('mousedown', function (e) {
      e.preventDefault();
    });
    // htmx replaces the list's contents: a list that arrives after focus has left stays closed,
    // and aria-expanded follows what is shown.
    function contentsChanged() {
      if (!form.contains(document.activeElement)) box.hidden = true;
      sync();
    }
    if (window.MutationObserver) new MutationObserver(contentsChanged).observe(box, { childList: true });
  }

  function init() {
    var forms = document.querySelectorAll('form.search');
    for (var i = 0; i < forms.length; i++) enhanceSuggestions(forms[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

// An undo/restore/rollback link posted through htmx that the server refuses (a block, a lost
// login, an admin-only act) swaps nothing: follow the link instead, to the confirmation page,
// which says why in words.
document.addEventListener('htmx:responseError', (event) => {
  const link = event.target;
  if (link instanceof HTMLAnchorElement && /[?&]action=(undo|revert|rollback)\b/.test(link.href)) {
    window.location.assign(link.href);
  }
});

// After a save the page is at ?saved=1 (the notice "Your edit was saved."): the address bar shows
// the page's own URL again, so a reload or a copied link does not say it again.
(function () {
  if (!/[?&]saved=1(?:&|$)/.test(window.location.search) || !window.history.replaceState) return;
  var rest = window.location.search.replace(/([?&])saved=1(&|$)/, function (_m, lead, tail) { return tail ? lead : ''; });
  window.history.replaceState(window.history.state, '', window.location.pathname + (rest === '?' ? '' : rest) + window.location.hash);
})();

// Header menus (<details>: they open without JavaScript) and the notifications panel close when
// the reader clicks elsewhere or presses Escape, as menus do.
(function () {
  function closeAll(except) {
    var open = document.querySelectorAll('.user-links details[open]');
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].removeAttribute('open');
    var panel = document.getElementById('notifications-panel');
    if (panel && !(except && panel.contains(except))) panel.textContent = '';
  }
  document.addEventListener('click', function (e) {
    var inside = e.target instanceof Element ? e.target.closest('.user-links details, #notifications-panel, .notifications-link') : null;
    closeAll(inside);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') closeAll(null);
  });
})();
