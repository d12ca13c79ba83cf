// The verification page: sends what the user pastes, drops or links to POST /v1/verify and shows the verdict first.
// The credential is hostile input: every piece of it reaches the page through textContent or a checked attribute,
// never by parsing it as HTML. The words come from words.js.
'use strict';

(function () {
  var W = window.MicrocredWords;
  var STATES = W.STATES;
  var isString = W.isString;

  /** Largest file read from disk or a link; the server refuses more anyway. */
  var MAX_INPUT_BYTES = 256 * 1024;
  /** A #vc= link longer than this is not printed as the re-check link (it would fill the page). */
  var MAX_PRINTED_LINK = 400;

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
    unknown: ['M4 4h16v16H4z', 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.4', 'M12 16.5v.5'],
    person: ['M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8', 'M4 21c0-4 4-6 8-6s8 2 8 6', 'M17 3l4 4', 'M21 3l-4 4'],
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

  function formatWith(value, options, suffix) {
    var time = Date.parse(value);
    if (Number.isNaN(time)) return String(value);
    try {
      return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: 'UTC' }, options)).format(new Date(time)) + suffix;
    } catch {
      return String(value);
    }
  }

  /** "1 March 2025" (a day: validity dates). */
  function formatDay(value) {
    return formatWith(value, { dateStyle: 'long' }, '');
  }

  /** "1 March 2025 at 09:00 UTC" (a moment: when something happened). */
  function formatMoment(value) {
    return formatWith(value, { dateStyle: 'long', timeStyle: 'short' }, ' UTC');
  }

  /** The registries this verifier trusts, from the <meta> tags the server puts in the page. */
  function trustedRegistries() {
    var metas = document.querySelectorAll('meta[name="microcred-registry"]');
    var list = [];
    Array.prototype.forEach.call(metas, function (meta) {
      var parts = String(meta.getAttribute('content') || '').split(' ');
      var chainId = Number(parts[0]);
      if (Number.isSafeInteger(chainId) && /^0x[0-9a-fA-F]{40}$/.test(parts[1] || '')) list.push({ chainId: chainId, address: parts[1] });
    });
    return list;
  }

  function isDevChain() {
    return trustedRegistries().some(function (r) { return r.chainId === W.DEV_CHAIN_ID; });
  }

  function flagsOf(outcome) {
    return Array.isArray(outcome.flags) ? outcome.flags : [];
  }

  /** The one state that describes the outcome best; flags are also listed one by one. */
  function primaryState(outcome) {
    var flags = flagsOf(outcome);
    var has = function (flag) { return flags.indexOf(flag) !== -1; };
    if (outcome.verdict === 'valid') return 'valid';
    if (outcome.kind === 'unknown' && outcome.verdict === 'invalid') return 'not-a-credential';
    if (has('revoked')) return 'revoked';
    if (has('suspended')) return 'suspended';
    if (has('expired')) return 'expired';
    if (has('not-yet-valid')) return 'not-yet-valid';
    if (outcome.verdict === 'invalid' && has('holder-not-bound')) return 'holder-not-bound';
    if (has('issuer-not-in-registry')) return 'issuer-not-in-registry';
    if (outcome.verdict === 'invalid' && has('issuer-not-accredited')) return 'issuer-not-accredited';
    if (outcome.verdict === 'indeterminate' && has('pending-anchor')) return 'pending-anchor';
    return outcome.verdict === 'invalid' ? 'invalid' : 'indeterminate';
  }

  function checksOf(outcome) {
    return Array.isArray(outcome.checks) ? outcome.checks.filter(function (c) { return c && typeof c === 'object'; }) : [];
  }

  function findCheck(outcome, name) {
    return checksOf(outcome).filter(function (c) { return c.check === name; })[0];
  }

  /** The check that explains the verdict: the first failed one, else the first that could not be done. */
  function reasonCheck(outcome) {
    var checks = checksOf(outcome);
    var nested = Array.isArray(outcome.credentials) ? outcome.credentials.filter(function (c) { return c && c.verdict !== 'valid'; }) : [];
    var pick = checks.filter(function (c) { return c.status === 'failed'; })[0] ||
      (nested[0] ? reasonCheck(nested[0]) : undefined) ||
      checks.filter(function (c) { return c.status === 'error'; })[0];
    return pick;
  }

  /** The reason as a plain sentence. */
  function reasonOf(outcome) {
    var check = reasonCheck(outcome);
    return check ? W.plainCheck(check, formatMoment).text : undefined;
  }

  /** "Checked on … against the registry … on …." */
  function checkedLine(checkedAt) {
    var registries = trustedRegistries();
    var line = el('p', 'checked');
    line.setAttribute('data-checked', 'true');
    var when = el('time', null, formatMoment(checkedAt.toISOString()));
    when.setAttribute('datetime', checkedAt.toISOString());
    line.appendChild(document.createTextNode('Checked on '));
    line.appendChild(when);
    line.appendChild(document.createTextNode(
      registries.length === 0 ? ' (this verifier did not say which registry it trusts).'
        : ' against ' + registries.map(W.registryWords).join(' and ') + '.',
    ));
    return line;
  }

  function verdictBanner(outcome, state, checkedAt) {
    var look = STATES[state];
    var banner = el('div', 'verdict verdict-' + state);
    banner.setAttribute('data-state', state);
    banner.appendChild(icon(look.icon));
    var words = el('div', 'verdict-words');
    words.appendChild(el('p', 'verdict-title', look.title));
    words.appendChild(el('p', 'verdict-text', look.text));
    var reason = outcome.verdict !== 'valid' ? reasonOf(outcome) : undefined;
    if (reason && reason !== look.text) {
      var p = el('p', 'verdict-reason');
      p.appendChild(el('strong', null, 'Reason: '));
      p.appendChild(document.createTextNode(reason));
      words.appendChild(p);
    }
    if (checkedAt) words.appendChild(checkedLine(checkedAt));
    banner.appendChild(words);
    return banner;
  }

  function flagList(outcome) {
    var flags = flagsOf(outcome).filter(function (f) { return STATES[f]; });
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
    var time = el('time', null, formatDay(value));
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

  /** The recipient's DID: the summary's own field, or (from an older verifier) a `recipient` that is a DID. */
  function recipientDidOf(summary) {
    if (isString(summary.recipientDid)) return summary.recipientDid;
    return isString(summary.recipient) && summary.recipient.indexOf('did:') === 0 ? summary.recipient : undefined;
  }

  function recipientWords(summary) {
    if (isString(summary.recipientName)) return summary.recipientName;
    if (isString(summary.recipientDid) || recipientDidOf(summary)) return 'A holder identified by a digital ID (in the technical details)';
    if (summary.recipientEmailHash) return 'A person identified by email address (check it below)';
    return isString(summary.recipient) && summary.recipient !== 'hashed email' ? summary.recipient : undefined;
  }

  function resultWords(summary) {
    if (!Array.isArray(summary.results)) return undefined;
    var parts = summary.results.filter(function (r) { return r && typeof r === 'object'; }).map(function (r) {
      var bits = [];
      if (isString(r.value)) bits.push(r.value);
      if (isString(r.achievedLevel)) bits.push(r.achievedLevel);
      if (isString(r.status)) bits.push(W.RESULT_STATUS[r.status] || r.status);
      return bits.join(', ');
    }).filter(isString);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  function badgeFacts(summary) {
    var list = el('dl', 'facts');
    if (isString(summary.registeredIssuerName)) {
      var stated = isString(summary.issuerName) && summary.issuerName !== summary.registeredIssuerName
        ? '(the credential names it “' + summary.issuerName + '”)' : undefined;
      addRow(list, 'Issuer (as registered)', summary.registeredIssuerName, stated);
    } else if (isString(summary.issuerName)) {
      addRow(list, 'Issuer', summary.issuerName, '(as stated in the credential; not confirmed by the registry)');
    }
    addRow(list, 'Recipient', recipientWords(summary));
    addDateRow(list, 'Valid from', summary.validFrom);
    if (isString(summary.validUntil)) addDateRow(list, 'Valid until', summary.validUntil);
    else addRow(list, 'Valid until', 'No end date');
    if (typeof summary.creditsAvailable === 'number' && Number.isFinite(summary.creditsAvailable)) {
      addRow(list, 'CPD credits', String(summary.creditsAvailable));
    }
    // summary.accreditedBy names only endorsements that verified (signature, anchor, registered endorser, in force).
    if (Array.isArray(summary.accreditedBy) && summary.accreditedBy.length > 0) {
      addRow(list, 'Accredited by', summary.accreditedBy.filter(isString).join('; '));
    }
    addRow(list, 'Result', resultWords(summary));
    addRow(list, 'Criteria', summary.criteria);
    return list;
  }

  function badgeHeader(card, summary, level) {
    var name = isString(summary.achievementName) ? summary.achievementName : 'Unnamed achievement';
    card.appendChild(el('h' + level, 'badge-name', name));
    if (isString(summary.achievementDescription)) card.appendChild(el('p', 'badge-description', summary.achievementDescription));
    return name;
  }

  /** Hashes an email as Open Badges 3.0 identity hashing does (see src/credential/identity.ts), here in the browser. */
  function emailIdentityHash(email, salt) {
    var normalised = email.trim().toLowerCase();
    var bytes = new window.TextEncoder().encode(normalised + (salt || ''));
    return window.crypto.subtle.digest('SHA-256', bytes).then(function (digest) {
      return 'sha256$' + Array.prototype.map.call(new Uint8Array(digest), function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
    });
  }

  var recipientCount = 0;

  /** The recipient check: the email is hashed here and compared; it is never sent anywhere. */
  function recipientCheck(hash) {
    recipientCount += 1;
    var id = 'recipient-email-' + recipientCount;
    var box = el('form', 'recipient-check');
    box.setAttribute('novalidate', '');
    box.appendChild(el('p', 'recipient-title', 'Is this the applicant’s credential?'));
    var label = el('label', null, 'Applicant’s email address');
    label.setAttribute('for', id);
    box.appendChild(label);
    var hint = el('p', 'hint', 'It is compared on this device only, with the fingerprint in the credential; it is never sent anywhere.');
    hint.id = id + '-hint';
    box.appendChild(hint);
    var row = el('div', 'recipient-row');
    var field = el('input');
    field.type = 'email';
    field.id = id;
    field.name = 'applicant-email';
    field.autocomplete = 'off';
    field.setAttribute('aria-describedby', id + '-hint ' + id + '-answer');
    row.appendChild(field);
    var button = el('button', 'secondary', 'Check email');
    button.type = 'submit';
    row.appendChild(button);
    box.appendChild(row);
    var answer = el('p', 'recipient-answer');
    answer.id = id + '-answer';
    answer.setAttribute('aria-live', 'polite');
    box.appendChild(answer);
    box.addEventListener('submit', function (event) {
      event.preventDefault();
      var email = field.value;
      if (!isString(email.trim())) {
        answer.textContent = 'Type the applicant’s email address first.';
        answer.setAttribute('data-match', 'none');
        return;
      }
      if (!window.crypto || !window.crypto.subtle) {
        answer.textContent = 'This browser cannot compare it here (the page must be opened over https).';
        answer.setAttribute('data-match', 'none');
        return;
      }
      emailIdentityHash(email, hash.salt).then(function (computed) {
        var match = computed === String(hash.identityHash).toLowerCase();
        answer.setAttribute('data-match', match ? 'yes' : 'no');
        answer.textContent = match
          ? 'Matches: this credential was issued to that email address.'
          : 'Does not match: this credential was not issued to that email address. Check the spelling, or ask which address the course used.';
      });
    });
    return box;
  }

  /** The badge as trusted (valid) or as signed but not in force: the issuer really said this. */
  function badgeCard(summary, level, trust, state) {
    var card = el('article', 'badge badge-' + trust);
    card.setAttribute('data-trust', trust);
    if (trust === 'caution') {
      var warn = el('p', 'badge-warning');
      warn.appendChild(icon('warning'));
      warn.appendChild(document.createTextNode(
        state === 'indeterminate'
          ? 'Not confirmed: these are the details the issuer signed, but the checks above could not all be done. Do not rely on them yet.'
          : 'Not valid: these are the details the issuer signed, but the credential is not in force. Do not rely on them.',
      ));
      card.appendChild(warn);
    }
    var name = badgeHeader(card, summary, level);
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
    body.appendChild(badgeFacts(summary));
    card.appendChild(body);
    if (summary.recipientEmailHash && isString(summary.recipientEmailHash.identityHash)) card.appendChild(recipientCheck(summary.recipientEmailHash));
    return card;
  }

  /** When the signature does not hold, nothing the credential says is shown as fact; its claims sit closed, marked forged-maybe. */
  function withheldCard(summary, signed) {
    var box = el('div', 'badge badge-untrusted');
    box.setAttribute('data-trust', 'untrusted');
    box.appendChild(el('p', 'badge-withheld', signed
      ? 'The badge details are not shown: the credential is signed, but the registry does not confirm who signed it, so what it says may be invented.'
      : 'The badge details are not shown: the signature does not confirm them, so anything this credential says about itself may be forged.'));
    var details = el('details', 'claims');
    details.appendChild(el('summary', null, 'Show what it claims (unconfirmed, may be forged)'));
    var list = el('dl', 'facts facts-untrusted');
    addRow(list, 'Claimed achievement', summary.achievementName);
    addRow(list, 'Claimed issuer', summary.issuerName);
    addRow(list, 'Claimed recipient', recipientWords(summary));
    if (typeof summary.creditsAvailable === 'number' && Number.isFinite(summary.creditsAvailable)) addRow(list, 'Claimed CPD credits', String(summary.creditsAvailable));
    details.appendChild(list);
    box.appendChild(details);
    return box;
  }

  function passed(outcome, name) {
    var check = findCheck(outcome, name);
    return Boolean(check && check.status === 'passed');
  }

  /**
   * Trusted when valid. Signed but not in force (caution) when the signature, the issuer's key and the registry's
   * word on the issuer all hold: the details are genuinely the issuer's. Otherwise withheld: a self-signed forgery
   * has a valid signature too, by its forger.
   */
  function trustOf(outcome) {
    if (outcome.verdict === 'valid') return 'trusted';
    return passed(outcome, 'signature') && passed(outcome, 'issuer-key') && passed(outcome, 'accredited-issuer') ? 'caution' : 'untrusted';
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
      var plain = W.plainCheck(check, formatMoment);
      var item = el('li', 'check check-' + plain.status);
      item.setAttribute('data-check', String(check.check));
      item.setAttribute('data-status', plain.status);
      item.appendChild(icon(plain.icon));
      var words = el('div', 'check-words');
      var head = el('p', 'check-head');
      head.appendChild(el('span', 'check-status', plain.word + ': '));
      head.appendChild(el('span', 'check-name', W.CHECK_LABELS[check.check] || 'Other check'));
      words.appendChild(head);
      words.appendChild(el('p', 'check-message', plain.text));
      item.appendChild(words);
      list.appendChild(item);
    });
    wrap.appendChild(list);
    return wrap;
  }

  function compactJson(value) {
    try {
      var text = JSON.stringify(value);
      return text && text.length > 600 ? text.slice(0, 600) + '…' : text;
    } catch {
      return '';
    }
  }

  /** Codes, identifiers, raw times and the server's own messages, closed by default. */
  function technicalDetails(outcome) {
    var details = el('details', 'tech');
    details.appendChild(el('summary', null, 'Technical details (codes, identifiers, times)'));
    var summary = outcome.summary && typeof outcome.summary === 'object' ? outcome.summary : {};
    var ids = el('dl', 'facts tech-facts');
    addRow(ids, 'Credential ID', summary.credentialId);
    addRow(ids, 'Issuer ID', summary.issuerId);
    addRow(ids, 'Recipient ID', recipientDidOf(summary));
    addRow(ids, 'Secured by', W.SECURING[summary.securing] || summary.securing);
    if (ids.childNodes.length > 0) details.appendChild(ids);
    var list = el('ul', 'tech-checks');
    checksOf(outcome).forEach(function (check) {
      var item = el('li');
      item.appendChild(el('code', null, String(check.check) + ' · ' + String(check.status) + ' · ' + String(check.code)));
      if (isString(check.message)) item.appendChild(el('span', 'tech-message', ' ' + check.message));
      if (check.data && typeof check.data === 'object') item.appendChild(el('code', 'tech-data', compactJson(check.data)));
      list.appendChild(item);
    });
    details.appendChild(list);
    return details;
  }

  function revocationNote(outcome) {
    var check = findCheck(outcome, 'revocation');
    if (!check || (check.code !== 'REVOCATION_REVOKED' && check.code !== 'REVOCATION_SUSPENDED')) return null;
    var words = W.reasonWords(check.data);
    return el('p', 'status-reason', words ? 'Reason given by the issuer: ' + words + '.' : 'The issuer gave no reason.');
  }

  /** Renders one outcome; a presentation's credentials are rendered one level deeper. */
  function renderOutcome(outcome, level, checkedAt) {
    var part = el('div', 'outcome');
    var state = primaryState(outcome);
    var banner = verdictBanner(outcome, state, checkedAt);
    part.appendChild(banner);
    var flags = flagList(outcome);
    if (flags) part.appendChild(flags);
    var explained = reasonCheck(outcome);
    // The reason sentence of a revocation already gives the issuer's reason; otherwise (say, expired and revoked) add it.
    var reason = explained && explained.check === 'revocation' ? null : revocationNote(outcome);
    if (reason) banner.querySelector('.verdict-words').insertBefore(reason, banner.querySelector('.checked'));
    if (outcome.summary && typeof outcome.summary === 'object') {
      var trust = trustOf(outcome);
      part.appendChild(trust === 'untrusted'
        ? withheldCard(outcome.summary, passed(outcome, 'signature') && passed(outcome, 'issuer-key'))
        : badgeCard(outcome.summary, level, trust, state));
    }
    var isPresentation = outcome.kind === 'presentation';
    part.appendChild(checkList(outcome, level, isPresentation ? 'Presentation checks' : 'Checks'));
    part.appendChild(technicalDetails(outcome));
    if (isPresentation && Array.isArray(outcome.credentials)) {
      outcome.credentials.forEach(function (inner, index) {
        if (!inner || typeof inner !== 'object') return;
        var section = el('section', 'inner-credential');
        section.appendChild(el('h' + level, null, 'Credential ' + (index + 1) + ' of ' + outcome.credentials.length));
        section.appendChild(renderOutcome(inner, Math.min(level + 1, 6)).node);
        part.appendChild(section);
      });
    }
    return { node: part, state: state, banner: banner };
  }

  /** The link that checks this credential again: the #vc= link when short enough to print, else this page. */
  function recheckLine() {
    if (sharedCredentialUrl()) {
      var back = el('p', 'recheck');
      back.appendChild(document.createTextNode('Check it again: '));
      var self = el('a', null, window.location.origin + window.location.pathname);
      self.href = window.location.pathname;
      back.appendChild(self);
      return back;
    }
    var href = window.location.href;
    var carried = window.location.hash.indexOf('#vc=') === 0 && href.length <= MAX_PRINTED_LINK;
    var link = carried ? href : window.location.origin + '/';
    var p = el('p', 'recheck');
    p.appendChild(document.createTextNode(carried ? 'Check it again: ' : 'Check it again by giving the credential file to '));
    var a = el('a', null, link);
    a.href = link;
    p.appendChild(a);
    return p;
  }

  function devChainNote() {
    return el('p', 'dev-note', 'Development chain: checked against a local test registry, not a public one. This result proves nothing outside testing.');
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

  /** Shows `node` as the result and moves focus to `focusTarget`, with the result scrolled to the top of the view. */
  function showResult(node, focusTarget) {
    while (resultBody.firstChild) resultBody.removeChild(resultBody.firstChild);
    resultBody.appendChild(node);
    resultSection.hidden = false;
    focusTarget.setAttribute('tabindex', '-1');
    resultSection.scrollIntoView({ block: 'start' });
    focusTarget.focus({ preventScroll: true });
  }

  function hideResult() {
    while (resultBody.firstChild) resultBody.removeChild(resultBody.firstChild);
    resultSection.hidden = true;
  }

  function showProblem(title, detail) {
    var box = el('div', 'problem');
    box.setAttribute('data-state', 'problem');
    box.appendChild(icon('warning'));
    var words = el('div');
    words.appendChild(el('p', 'problem-title', title));
    if (detail) words.appendChild(el('p', 'problem-detail', detail));
    box.appendChild(words);
    showResult(box, box);
    announce('The credential could not be checked: ' + title + (detail ? '. ' + detail : ''));
  }

  function setBusy(busy) {
    verifyButton.disabled = busy;
    resultSection.setAttribute('aria-busy', busy ? 'true' : 'false');
    verifyButton.textContent = busy ? 'Checking…' : 'Verify credential';
  }

  /** When the check was made: the server's Date header, else this device's clock. */
  function checkedAtOf(response) {
    var header = response.headers.get('date');
    var time = header ? Date.parse(header) : NaN;
    return Number.isNaN(time) ? new Date() : new Date(time);
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
        var rendered = renderOutcome(json, 3, checkedAtOf(answer.response));
        var wrap = el('div');
        if (isDevChain()) wrap.appendChild(devChainNote());
        wrap.appendChild(rendered.node);
        wrap.appendChild(recheckLine());
        showResult(wrap, rendered.banner);
        var look = STATES[rendered.state];
        var reason = json.verdict !== 'valid' ? reasonOf(json) : undefined;
        announce('Verification result: ' + look.title + '. ' + look.text + (reason && reason !== look.text ? ' Reason: ' + reason : ''));
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

  /** On a share page (/c/{id}) the server names the stored credential's URL in a <meta> tag; elsewhere undefined. */
  function sharedCredentialUrl() {
    var meta = document.querySelector('meta[name="microcred-share"]');
    var url = meta ? String(meta.getAttribute('content') || '') : '';
    return url.indexOf('/c/') === 0 ? url : undefined;
  }

  /** A share page verifies its credential as it opens: fetched from this origin, then checked like a pasted one. */
  function openShared() {
    var url = sharedCredentialUrl();
    if (!url) return false;
    fetch(url, { headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (text) {
        input.value = text;
        return verify(text);
      }, function () {
        showProblem('The shared credential could not be loaded', 'Reload the page; if it persists, the link may have been turned off.');
      });
    return true;
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
    document.getElementById('chain-banner').hidden = !isDevChain();

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      verify(input.value);
    });
    document.getElementById('clear-button').addEventListener('click', function () {
      input.value = '';
      fileInput.value = '';
      showInputError('');
      hideResult();
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
    if (!openShared()) openFragment();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
