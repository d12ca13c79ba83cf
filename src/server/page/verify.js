// The verification page: sends what the user pastes, drops or links to POST /v1/verify and shows the outcome.
// The credential is hostile input: every piece of it reaches the page through textContent or a checked attribute,
// never by parsing it as HTML.
'use strict';

(function () {
  /** Largest file read from disk or a link; the server refuses more anyway. */
  var MAX_INPUT_BYTES = 256 * 1024;

  /** How each state looks and reads. Colour is never the only signal: each has its own icon, title and words. */
  var STATES = {
    valid: { icon: 'check', title: 'Valid', text: 'The credential is genuine, unchanged, recorded on the registry, and in force.' },
    invalid: { icon: 'cross', title: 'Not valid', text: 'The credential failed a check. Do not rely on it.' },
    indeterminate: { icon: 'question', title: 'Could not check', text: 'Some checks could not be done right now, so the credential is neither confirmed nor rejected. Try again later.' },
    expired: { icon: 'hourglass', title: 'Expired', text: 'The credential was genuine but its validity period has ended.' },
    'not-yet-valid': { icon: 'clock', title: 'Not yet valid', text: 'The credential is genuine but its validity period has not started.' },
    revoked: { icon: 'ban', title: 'Revoked', text: 'The issuer has revoked this credential. It is no longer valid.' },
    suspended: { icon: 'pause', title: 'Suspended', text: 'The issuer has suspended this credential for now. It is not valid while suspended.' },
    'pending-anchor': { icon: 'pending', title: 'Pending anchor', text: 'The credential is signed but not yet recorded on the registry. Check again later.' },
    'issuer-not-accredited': { icon: 'warning', title: 'Issuer not accredited', text: 'The issuer is not registered and active in the registry this verifier trusts.' },
  };

  var CHECK_LABELS = {
    parse: 'Readable credential',
    schema: 'Credential format',
    signature: 'Digital signature',
    'issuer-key': 'Signing key belongs to the issuer',
    'validity-period': 'Validity dates',
    anchor: 'Recorded on the registry',
    'accredited-issuer': 'Issuer accredited in the registry',
    revocation: 'Not revoked or suspended',
    'status-list': 'Status list',
  };

  var STATUS_WORDS = {
    passed: { word: 'Passed', icon: 'check' },
    failed: { word: 'Failed', icon: 'cross' },
    skipped: { word: 'Not applicable', icon: 'dash' },
    error: { word: 'Could not check', icon: 'question' },
  };

  var SECURING = { 'data-integrity': 'Data Integrity proof', 'vc-jose': 'JOSE (JWS)', 'vc-jose-envelope': 'JOSE envelope' };

  /** Icon drawings: constant path data, never from the credential. */
  var ICONS = {
    check: ['M5 12.5l4.5 4.5L19 7.5'],
    cross: ['M6 6l12 12', 'M18 6L6 18'],
    question: ['M9 9a3 3 0 1 1 4.2 2.8c-.8.4-1.2 1-1.2 1.9v.8', 'M12 17.5v.5'],
    hourglass: ['M7 3h10', 'M7 21h10', 'M8 3c0 5 8 5 8 9s-8 4-8 9', 'M16 3c0 5-8 5-8 9s8 4 8 9'],
    clock: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 7v5l3 2'],
    ban: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M5.6 5.6l12.8 12.8'],
    pause: ['M9 5v14', 'M15 5v14'],
    pending: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M8 12h.01', 'M12 12h.01', 'M16 12h.01'],
    warning: ['M12 3L2 20h20z', 'M12 10v4', 'M12 17v.5'],
    dash: ['M6 12h12'],
  };

  var SVG_NS = 'http://www.w3.org/2000/svg';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function icon(name) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon icon-' + name);
    (ICONS[name] || ICONS.question).forEach(function (d) {
      var path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  function isString(value) {
    return typeof value === 'string' && value.length > 0;
  }

  /** The one state that describes the outcome best; flags are also listed one by one. */
  function primaryState(outcome) {
    var flags = Array.isArray(outcome.flags) ? outcome.flags : [];
    var has = function (flag) { return flags.indexOf(flag) !== -1; };
    if (outcome.verdict === 'valid') return 'valid';
    if (has('revoked')) return 'revoked';
    if (has('suspended')) return 'suspended';
    if (has('expired')) return 'expired';
    if (has('not-yet-valid')) return 'not-yet-valid';
    if (outcome.verdict === 'invalid' && has('issuer-not-accredited')) return 'issuer-not-accredited';
    if (outcome.verdict === 'indeterminate' && has('pending-anchor')) return 'pending-anchor';
    return outcome.verdict === 'invalid' ? 'invalid' : 'indeterminate';
  }

  function checksOf(outcome) {
    return Array.isArray(outcome.checks) ? outcome.checks.filter(function (c) { return c && typeof c === 'object'; }) : [];
  }

  /** The first failed check's message (or, when nothing failed, the first that could not be done): the reason. */
  function reasonOf(outcome) {
    var checks = checksOf(outcome);
    var failed = checks.filter(function (c) { return c.status === 'failed'; })[0];
    var errored = checks.filter(function (c) { return c.status === 'error'; })[0];
    var pick = failed || errored;
    return pick && isString(pick.message) ? pick.message : undefined;
  }

  function verdictBanner(outcome, state) {
    var look = STATES[state];
    var banner = el('div', 'verdict verdict-' + state);
    banner.setAttribute('data-state', state);
    banner.appendChild(icon(look.icon));
    var words = el('div', 'verdict-words');
    words.appendChild(el('p', 'verdict-title', look.title));
    words.appendChild(el('p', 'verdict-text', look.text));
    var reason = outcome.verdict !== 'valid' ? reasonOf(outcome) : undefined;
    if (reason) {
      var p = el('p', 'verdict-reason');
      p.appendChild(el('strong', null, 'Reason: '));
      p.appendChild(document.createTextNode(reason));
      words.appendChild(p);
    }
    banner.appendChild(words);
    return banner;
  }

  function flagList(outcome) {
    var flags = Array.isArray(outcome.flags) ? outcome.flags.filter(function (f) { return STATES[f]; }) : [];
    if (flags.length === 0) return null;
    var list = el('ul', 'flags');
    list.setAttribute('aria-label', 'Flags');
    flags.forEach(function (flag) {
      var item = el('li', 'flag flag-' + flag);
      item.setAttribute('data-flag', flag);
      item.appendChild(icon(STATES[flag].icon));
      item.appendChild(el('span', null, STATES[flag].title));
      list.appendChild(item);
    });
    return list;
  }

  function formatDate(value) {
    var time = Date.parse(value);
    if (Number.isNaN(time)) return value;
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(time)) + ' UTC';
    } catch {
      return value;
    }
  }

  function addRow(list, term, value, note) {
    if (value === undefined || value === null || value === '') return;
    list.appendChild(el('dt', null, term));
    var dd = el('dd', null, value);
    if (note) dd.appendChild(el('span', 'note', ' ' + note));
    list.appendChild(dd);
  }

  function addDateRow(list, term, value) {
    if (!isString(value)) return;
    list.appendChild(el('dt', null, term));
    var dd = el('dd');
    var time = el('time', null, formatDate(value));
    if (!Number.isNaN(Date.parse(value))) time.setAttribute('datetime', value);
    dd.appendChild(time);
    list.appendChild(dd);
  }

  /** Only https and data:image URLs are shown: no plain http (mixed content) and no javascript: or other schemes. */
  function safeImageUrl(value) {
    if (!isString(value)) return undefined;
    if (/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(value)) return value;
    try {
      var url = new URL(value);
      return url.protocol === 'https:' ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  function badgeCard(summary, level) {
    var card = el('article', 'badge');
    var name = isString(summary.achievementName) ? summary.achievementName : 'Unnamed achievement';
    card.appendChild(el('h' + level, 'badge-name', name));
    var body = el('div', 'badge-body');
    var src = safeImageUrl(summary.image);
    if (src) {
      var img = document.createElement('img');
      img.className = 'badge-image';
      img.alt = 'Badge image for ' + name;
      img.referrerPolicy = 'no-referrer';
      img.width = 96;
      img.height = 96;
      img.src = src;
      body.appendChild(img);
    }
    var list = el('dl', 'facts');
    if (isString(summary.achievementDescription)) card.appendChild(el('p', 'badge-description', summary.achievementDescription));
    if (isString(summary.registeredIssuerName)) {
      var stated = isString(summary.issuerName) && summary.issuerName !== summary.registeredIssuerName
        ? '(the credential names it “' + summary.issuerName + '”)' : undefined;
      addRow(list, 'Issuer (as registered)', summary.registeredIssuerName, stated);
    } else if (isString(summary.issuerName)) {
      addRow(list, 'Issuer', summary.issuerName, '(as stated in the credential; not confirmed by the registry)');
    }
    addRow(list, 'Issuer ID', summary.issuerId);
    addRow(list, 'Recipient', summary.recipient);
    addDateRow(list, 'Valid from', summary.validFrom);
    addDateRow(list, 'Valid until', summary.validUntil);
    if (typeof summary.creditsAvailable === 'number' && Number.isFinite(summary.creditsAvailable)) {
      addRow(list, 'CPD credits', String(summary.creditsAvailable));
    }
    addRow(list, 'Credential ID', summary.credentialId);
    addRow(list, 'Secured by', SECURING[summary.securing] || summary.securing);
    body.appendChild(list);
    card.appendChild(body);
    return card;
  }

  function checkList(outcome, level, title) {
    var wrap = el('div', 'checks');
    wrap.appendChild(el('h' + level, null, title));
    var checks = checksOf(outcome);
    if (checks.length === 0) {
      wrap.appendChild(el('p', 'placeholder', 'No checks were reported.'));
      return wrap;
    }
    var list = el('ul', 'check-list');
    checks.forEach(function (check) {
      var status = STATUS_WORDS[check.status] ? check.status : 'error';
      var look = STATUS_WORDS[status];
      var item = el('li', 'check check-' + status);
      item.setAttribute('data-check', String(check.check));
      item.setAttribute('data-status', status);
      item.appendChild(icon(look.icon));
      var words = el('div', 'check-words');
      var head = el('p', 'check-head');
      head.appendChild(el('span', 'check-status', look.word + ': '));
      head.appendChild(el('span', 'check-name', CHECK_LABELS[check.check] || String(check.check)));
      words.appendChild(head);
      if (isString(check.message)) words.appendChild(el('p', 'check-message', check.message));
      if (isString(check.code)) words.appendChild(el('p', 'check-code', 'Code ' + check.code));
      item.appendChild(words);
      list.appendChild(item);
    });
    wrap.appendChild(list);
    return wrap;
  }

  /** Renders one outcome; a presentation's credentials are rendered one level deeper. */
  function renderOutcome(outcome, level) {
    var part = el('div', 'outcome');
    var state = primaryState(outcome);
    part.appendChild(verdictBanner(outcome, state));
    var flags = flagList(outcome);
    if (flags) part.appendChild(flags);
    if (outcome.summary && typeof outcome.summary === 'object') part.appendChild(badgeCard(outcome.summary, level));
    var isPresentation = outcome.kind === 'presentation';
    part.appendChild(checkList(outcome, level, isPresentation ? 'Presentation checks' : 'Checks'));
    if (isPresentation && Array.isArray(outcome.credentials)) {
      outcome.credentials.forEach(function (inner, index) {
        if (!inner || typeof inner !== 'object') return;
        var section = el('section', 'inner-credential');
        section.appendChild(el('h' + level, null, 'Credential ' + (index + 1) + ' of ' + outcome.credentials.length));
        section.appendChild(renderOutcome(inner, Math.min(level + 1, 6)).node);
        part.appendChild(section);
      });
    }
    return { node: part, state: state };
  }

  var form, input, fileInput, dropZone, resultBody, announcer, inputError, verifyButton, resultSection;

  function announce(text) {
    // Clearing first makes screen readers announce the same words twice in a row, too.
    announcer.textContent = '';
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function showInputError(text) {
    inputError.textContent = text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function replaceResult(node) {
    while (resultBody.firstChild) resultBody.removeChild(resultBody.firstChild);
    resultBody.appendChild(node);
  }

  function showProblem(title, detail) {
    var box = el('div', 'problem');
    box.setAttribute('data-state', 'problem');
    box.appendChild(icon('warning'));
    var words = el('div');
    words.appendChild(el('p', 'problem-title', title));
    if (detail) words.appendChild(el('p', 'problem-detail', detail));
    box.appendChild(words);
    replaceResult(box);
    announce('The credential could not be checked: ' + title + (detail ? '. ' + detail : ''));
  }

  function setBusy(busy) {
    verifyButton.disabled = busy;
    resultSection.setAttribute('aria-busy', busy ? 'true' : 'false');
    verifyButton.textContent = busy ? 'Checking…' : 'Verify credential';
  }

  function verify(text) {
    var body = text.trim();
    if (body.length === 0) {
      showInputError('Paste a credential, choose a file, or open a verification link first.');
      input.focus();
      return Promise.resolve();
    }
    showInputError('');
    var first = body.charAt(0);
    var type = first === '{' || first === '[' || first === '"' ? 'application/json' : 'text/plain';
    return submit(body, type);
  }

  /** Sends a body (credential text, or a baked badge image or PDF certificate file) to the verifier and shows the answer. */
  function submit(body, type) {
    setBusy(true);
    announce('Checking the credential…');
    return fetch('/v1/verify', { method: 'POST', headers: { 'content-type': type, accept: 'application/json' }, body: body })
      .then(function (response) {
        return response.json().then(
          function (json) { return { response: response, json: json }; },
          function () { return { response: response, json: null }; },
        );
      }, function () {
        return { response: null, json: null };
      })
      .then(function (answer) {
        if (answer.response === null) {
          showProblem('The verifier could not be reached', 'Check your connection and try again.');
          return;
        }
        var json = answer.json;
        if (!answer.response.ok || !json || typeof json !== 'object') {
          var title = json && isString(json.title) ? json.title : 'The verifier answered with an error (HTTP ' + answer.response.status + ')';
          var detail = json && isString(json.detail) ? json.detail : '';
          showProblem(title, detail);
          return;
        }
        var rendered = renderOutcome(json, 3);
        replaceResult(rendered.node);
        var look = STATES[rendered.state];
        var reason = json.verdict !== 'valid' ? reasonOf(json) : undefined;
        announce('Verification result: ' + look.title + '. ' + look.text + (reason ? ' Reason: ' + reason : ''));
      })
      .catch(function (error) {
        // A bug in this page, not in the credential: say so rather than blame the network.
        if (window.console) window.console.error(error);
        showProblem('This page failed to show the result', 'Reload the page and try again; if it persists, tell the operator.');
      })
      .then(function () { setBusy(false); });
  }

  /** Files that carry a credential inside them, by extension or type: sent as they are, the server takes it out. */
  var CONTAINER_TYPES = { png: 'image/png', svg: 'image/svg+xml', pdf: 'application/pdf' };

  function containerTypeOf(file) {
    var name = (file.name || '').toLowerCase();
    var extension = name.slice(name.lastIndexOf('.') + 1);
    if (Object.prototype.hasOwnProperty.call(CONTAINER_TYPES, extension)) return CONTAINER_TYPES[extension];
    var types = Object.keys(CONTAINER_TYPES).map(function (key) { return CONTAINER_TYPES[key]; });
    return types.indexOf(file.type) !== -1 ? file.type : undefined;
  }

  function readFile(file) {
    if (!file) return;
    if (file.size > MAX_INPUT_BYTES) {
      showInputError('That file is larger than 256 KiB; a credential is much smaller. Choose the credential file itself.');
      return;
    }
    var containerType = containerTypeOf(file);
    if (containerType) {
      // A baked badge or a PDF certificate: the textarea cannot show it, so it is cleared rather than left stale.
      input.value = '';
      showInputError('');
      return submit(file, containerType);
    }
    file.text().then(function (text) {
      input.value = text;
      return verify(text);
    }, function () {
      showInputError('That file could not be read. Choose a text file holding the credential.');
    });
  }

  /** Decodes the `#vc=<base64url>` fragment. The fragment is never sent to the server, so it stays out of its logs. */
  function credentialFromFragment() {
    var hash = window.location.hash;
    if (hash.indexOf('#vc=') !== 0) return undefined;
    var encoded = hash.slice(4).replace(/-/g, '+').replace(/_/g, '/');
    if (encoded.length > MAX_INPUT_BYTES * 2 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return null;
    while (encoded.length % 4 !== 0) encoded += '=';
    try {
      var binary = window.atob(encoded);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }

  function openFragment() {
    var text = credentialFromFragment();
    if (text === undefined) return;
    if (text === null) {
      showInputError('The link does not carry a readable credential. Ask for a new link, or paste the credential.');
      return;
    }
    input.value = text;
    verify(text);
  }

  function init() {
    form = document.getElementById('verify-form');
    input = document.getElementById('credential-input');
    fileInput = document.getElementById('credential-file');
    dropZone = document.getElementById('drop-zone');
    resultBody = document.getElementById('result-body');
    announcer = document.getElementById('announcer');
    inputError = document.getElementById('input-error');
    verifyButton = document.getElementById('verify-button');
    resultSection = document.getElementById('result');

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      verify(input.value);
    });
    document.getElementById('clear-button').addEventListener('click', function () {
      input.value = '';
      fileInput.value = '';
      showInputError('');
      replaceResult(el('p', 'placeholder', 'No credential checked yet. Paste one above, choose a file, or open a verification link.'));
      announcer.textContent = '';
      if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
      input.focus();
    });
    fileInput.addEventListener('change', function () {
      readFile(fileInput.files && fileInput.files[0]);
    });
    // Dropping a file anywhere on the page must not navigate away to it.
    ['dragover', 'drop'].forEach(function (name) {
      document.addEventListener(name, function (event) {
        var types = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.types) : [];
        if (types.indexOf('Files') !== -1) event.preventDefault();
      });
    });
    [dropZone, input].forEach(function (target) {
      target.addEventListener('dragover', function () { dropZone.classList.add('dragging'); });
      target.addEventListener('dragleave', function () { dropZone.classList.remove('dragging'); });
      target.addEventListener('drop', function (event) {
        dropZone.classList.remove('dragging');
        var files = event.dataTransfer && event.dataTransfer.files;
        if (files && files.length > 0) {
          event.preventDefault();
          readFile(files[0]);
        }
      });
    });
    window.addEventListener('hashchange', openFragment);
    openFragment();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
