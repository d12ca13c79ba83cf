// The verification page's words: every verdict, flag, check code, revocation reason and chain in plain language.
// Codes, DIDs and raw timestamps never appear in these sentences; the page shows them only under "Technical details".
// docs/verification.md lists the same words; keep the two in step.
'use strict';

(function () {
  /** How each state looks and reads. Colour is never the only signal: each has its own icon, title and words. */
  var STATES = {
    valid: { icon: 'check', title: 'Valid', text: 'The credential is genuine, unchanged, recorded on the registry, and in force.' },
    invalid: { icon: 'cross', title: 'Not valid', text: 'Do not rely on this credential.' },
    'not-a-credential': { icon: 'cross', title: 'Not a credential', text: 'What was given is not a credential this page can read. Ask for the credential file itself.' },
    indeterminate: { icon: 'question', title: 'Could not check', text: 'Some checks could not be done right now, so the credential is neither confirmed nor rejected. Try again later.' },
    expired: { icon: 'hourglass', title: 'Expired', text: 'The credential was genuine but its validity period has ended.' },
    'not-yet-valid': { icon: 'clock', title: 'Not yet valid', text: 'The credential is genuine but its validity period has not started.' },
    revoked: { icon: 'ban', title: 'Revoked', text: 'The issuer has revoked this credential. It is no longer valid.' },
    suspended: { icon: 'pause', title: 'Suspended', text: 'The issuer has suspended this credential for now. It is not valid while suspended.' },
    'pending-anchor': { icon: 'pending', title: 'Pending anchor', text: 'The credential is signed but not yet recorded on the registry. Check again later.' },
    'issuer-not-accredited': { icon: 'warning', title: 'Issuer not accredited', text: 'The issuer is not registered and active in the registry this verifier trusts.' },
    'issuer-not-in-registry': { icon: 'unknown', title: 'Issuer unknown to this registry', text: 'The signature is genuine, but this registry does not know who issued it.' },
    'status-sources-disagree': { icon: 'warning', title: 'Status sources disagree', text: 'The registry and the issuer’s status list report different statuses; the stricter one was applied.' },
    'registry-node-behind': { icon: 'pending', title: 'Registry node behind', text: 'This registry node is behind: it has not seen the block that anchored this credential yet.' },
    'not-checked': { icon: 'warning', title: 'A check was not run', text: 'A check could not be run, and the verifier’s policy accepts that.' },
    'holder-not-bound': { icon: 'person', title: 'Not presented by its holder', text: 'The credential could not be tied to the person who presented it.' },
  };

  /** What each check is about, as a short label. */
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
    presentation: 'Presenter’s signature',
    'holder-binding': 'Holder of the credential',
    endorsement: 'Endorsed by an accrediting body',
  };

  /** The word before each check's label, by status. "Not applicable" is never used: a skipped check says why. */
  var STATUS_WORDS = {
    passed: { word: 'OK', icon: 'check' },
    failed: { word: 'Problem', icon: 'cross' },
    skipped: { word: 'Not checked', icon: 'dash' },
    error: { word: 'Could not check', icon: 'question' },
  };

  /**
   * A plain sentence for each check code; `word` replaces the status word where "Not checked" would mislead.
   * A function receives the check's data and the date formatter.
   */
  var CODES = {
    PARSE_OK: { text: 'The credential could be read.' },
    PARSE_UNKNOWN_FORMAT: { text: 'This is not a credential.' },
    PARSE_JSON_INVALID: { text: 'The text looks like a credential but is damaged or cut short.' },
    PARSE_JWS_MALFORMED: { text: 'The credential’s signed text is damaged.' },
    PARSE_ENVELOPE_MALFORMED: { text: 'The credential’s wrapper does not hold a credential.' },
    PARSE_UNSUPPORTED_FORMAT: { text: 'This kind of presentation is not supported; send the credentials themselves.' },
    PARSE_TOO_LARGE: { text: 'This is far too large to be a credential.' },
    PARSE_TOO_DEEP: { text: 'This is too deeply nested to be a credential.' },
    PARSE_NESTED_PRESENTATION: { text: 'A presentation inside a presentation is not accepted.' },
    SCHEMA_VALID: { text: 'It has the shape of a digital credential and badge.' },
    SCHEMA_VC_INVALID: { text: 'It does not have the shape of a digital credential.' },
    SCHEMA_OB_INVALID: { text: 'It says it is a badge but lacks required badge details.' },
    SIGNATURE_VALID: { text: 'The content is exactly what the issuer signed.' },
    SIGNATURE_INVALID: { text: 'The credential was changed after it was signed, or signed with another key. Do not rely on it.' },
    SIGNATURE_MISSING: { text: 'The credential is not signed.' },
    SIGNATURE_UNSUPPORTED: { text: 'It is signed in a way this verifier does not accept.' },
    SIGNATURE_MALFORMED: { text: 'The signature is damaged.' },
    SIGNATURE_KEY_NOT_FOUND: { text: 'The key named by the signature is not published by its owner.' },
    SIGNATURE_KEY_UNRESOLVED: { text: 'The issuer’s key could not be obtained, so the signature could not be checked. Try again later.' },
    ISSUER_KEY_BOUND: { text: 'It was signed with a key the issuer publishes.' },
    ISSUER_KEY_MISMATCH: { text: 'It is signed, but by a key that does not belong to the issuer it names.' },
    ISSUER_KEY_NOT_ASSERTION_METHOD: { text: 'The issuer does not list this key as one it issues credentials with.' },
    ISSUER_KEY_UNCHECKED: { text: 'Not checked, because the signature could not be confirmed.' },
    VALIDITY_CURRENT: { text: 'It is within its validity dates.' },
    VALIDITY_EXPIRED: { text: 'Its validity period has ended.' },
    VALIDITY_NOT_YET_VALID: { text: 'Its validity period has not started yet.' },
    VALIDITY_MALFORMED: { text: 'Its dates cannot be read, or end before they start.' },
    ANCHOR_FOUND: { text: function (data, date) { return isString(data.anchoredAt) ? 'It is recorded in the registry, since ' + date(data.anchoredAt) + '.' : 'It is recorded in the registry.'; } },
    ANCHOR_PENDING: { word: 'Not yet', text: 'The issuer has not recorded it in the registry yet, so the registry cannot confirm it or its revocation status.' },
    ANCHOR_PROOF_INVALID: { text: 'The registry record it carries is damaged.' },
    ANCHOR_UNTRUSTED_REGISTRY: { text: 'It is recorded in a registry this verifier does not trust.' },
    ANCHOR_PATH_MISMATCH: { text: 'It was changed after it was recorded, or it carries someone else’s record.' },
    ANCHOR_ROOT_NOT_FOUND: { text: 'The registry has no record of it.' },
    ANCHOR_RPC_UNREACHABLE: { text: 'The registry could not be reached. Try again later.' },
    ANCHOR_NO_READER: { text: 'This verifier is not set up to read the registry (a configuration problem).' },
    ANCHOR_LEAF_ERROR: { text: 'The credential’s fingerprint could not be computed.' },
    ISSUER_ACCREDITED: { text: function (data) { return isString(data.name) ? 'Issued by ' + data.name + ', accredited in the registry.' : 'The issuer is accredited in the registry.'; } },
    ISSUER_NOT_REGISTERED: { text: 'Whoever recorded it is not an accredited issuer.' },
    ISSUER_NOT_ACTIVE: { text: 'The issuer’s accreditation is suspended.' },
    ISSUER_DID_MISMATCH: { text: 'It names one issuer but was recorded by another.' },
    ISSUER_RPC_UNREACHABLE: { text: 'The registry could not be reached, so the issuer’s accreditation is unknown.' },
    REVOCATION_ACTIVE: { text: 'The issuer has neither revoked nor suspended it.' },
    REVOCATION_REVOKED: { text: function (data, date) { return 'The issuer revoked it' + since(data, date) + '.' + reasonSentence(data); } },
    REVOCATION_SUSPENDED: { text: function (data, date) { return 'The issuer suspended it' + since(data, date) + '; it may be reinstated.' + reasonSentence(data); } },
    REVOCATION_RPC_UNREACHABLE: { text: 'The registry could not be reached, so whether it was revoked is unknown.' },
    ANCHOR_ABSENT: { text: 'It carries no registry record, and the registry has none for its issuer.' },
    ANCHOR_NO_ISSUER: { text: 'It names no issuer the registry could look it up by.' },
    ANCHOR_NODE_BEHIND: { text: 'The registry node consulted is behind and has not seen its record yet. Try again later.' },
    ISSUER_NOT_CHECKED: { text: 'Not checked, because the credential failed an earlier check.' },
    ISSUER_NO_READER: { text: 'This verifier is not set up to read the registry, so the issuer’s accreditation is unknown.' },
    REVOCATION_NOT_CHECKED: { text: 'Not checked, because the credential failed an earlier check.' },
    REVOCATION_NO_READER: { text: 'This verifier is not set up to read the registry, so whether it was revoked is unknown.' },
    REVOCATION_ISSUER_UNKNOWN: { text: 'The registry does not know its issuer, so it holds no revocation record for it.' },
    STATUS_LIST_OK: { text: 'The issuer’s status list shows it in force.' },
    STATUS_LIST_ABSENT: { word: 'Not needed', text: 'It has no status list; the registry holds its status.' },
    STATUS_LIST_REVOKED: { text: 'The issuer’s status list marks it revoked.' },
    STATUS_LIST_SUSPENDED: { text: 'The issuer’s status list marks it suspended.' },
    STATUS_LIST_UNAVAILABLE: { text: 'Its status list could not be obtained, so its status there is unknown.' },
    STATUS_LIST_NOT_ALLOWED: { text: 'Its status list is on a host this verifier is not allowed to contact, so its status is unknown.' },
    STATUS_LIST_ISSUER_MISMATCH: { text: 'Its status list was published by someone other than its issuer, so it was not used.' },
    STATUS_LIST_EXPIRED: { text: 'Its issuer has not published a current status list.' },
    STATUS_LIST_UNSUPPORTED: { text: 'Its status entry is of a kind this verifier cannot check.' },
    STATUS_LIST_INVALID: { text: 'Its status list does not verify or does not match the credential.' },
    PRESENTATION_PROOF_VALID: { text: 'The person who presented it signed the presentation for this request.' },
    PRESENTATION_UNSIGNED: { word: 'Not confirmed', text: 'The presentation is not signed, so who presented it is not confirmed.' },
    PRESENTATION_CHALLENGE_MISMATCH: { text: 'It was made for another request: it may be a replay.' },
    PRESENTATION_DOMAIN_MISMATCH: { text: 'It was made for another verifier.' },
    PRESENTATION_HOLDER_MISMATCH: { text: 'It names a holder other than the one who signed it.' },
    PRESENTATION_PROOF_INVALID: { text: 'The presenter’s signature does not verify.' },
    PRESENTATION_KEY_UNRESOLVED: { text: 'The presenter’s key could not be obtained.' },
    HOLDER_BOUND: { text: 'Presented by its holder: the person it was issued to signed this presentation.' },
    HOLDER_MISMATCH: { text: 'It was issued to someone other than the person who presented it. Do not accept it from them.' },
    ENDORSEMENT_NONE: { text: 'It carries no endorsement by an accrediting body, and none is required here.' },
    ENDORSEMENTS_VERIFIED: { text: 'Every endorsement by an accrediting body that it carries is genuine and in force.' },
    ENDORSEMENTS_PARTLY_VERIFIED: { text: 'Some of its endorsements could not be confirmed; only the confirmed ones are shown.' },
    ENDORSEMENT_REQUIRED_PRESENT: { text: 'It is endorsed by the accrediting body this verifier requires, and that endorsement is genuine and in force.' },
    ENDORSEMENT_REQUIRED_MISSING: { text: 'It is not endorsed by the accrediting body this verifier requires (or that endorsement is not genuine or not in force).' },
    ENDORSEMENT_REQUIRED_UNCHECKED: { text: 'The endorsement by the required accrediting body could not be checked right now.' },
    ENDORSEMENT_NOT_ABOUT_ACHIEVEMENT: { text: 'This endorsement is about something else, so it does not count.' },
    ENDORSEMENT_NOT_CHECKED: { text: 'This endorsement was not checked: the credential carries too many.' },
    HOLDER_NOT_BOUND: { text: 'It could not be tied to the person who presented it: they did not sign the presentation, or the credential does not name its holder in a way that can be checked.' },
    CHECK_ERROR: { text: 'This could not be checked because of an unexpected problem. Tell the operator.' },
    NOT_CHECKED: { text: 'Not checked, because what was given is not a credential.' },
  };

  /** Revocation and suspension reasons: the numbers src/anchoring/status-reasons.ts writes on chain, in words. */
  var REASONS = {
    0: '',
    1: 'it was issued in error',
    2: 'it was replaced by a newer credential',
    3: 'misconduct',
    4: 'it has expired',
    5: 'the holder asked for it',
    6: 'the issuer’s signing key was compromised',
    7: 'it is under review',
    8: 'the matter was resolved',
  };

  /** Chain names by chain id; any other chain is named by its id. */
  var CHAINS = {
    1: 'Ethereum',
    10: 'OP Mainnet',
    137: 'Polygon',
    8453: 'Base',
    17000: 'Ethereum Holesky (test network)',
    42161: 'Arbitrum One',
    11155111: 'Ethereum Sepolia (test network)',
    31337: 'a local development chain',
  };

  /** The chain id of local development chains (Hardhat, Anvil). */
  var DEV_CHAIN_ID = 31337;

  var SECURING = { 'data-integrity': 'Data Integrity proof', 'vc-jose': 'JOSE (JWS)', 'vc-jose-envelope': 'JOSE envelope', 'vc-cose-envelope': 'COSE envelope' };

  /** Open Badges result status words. */
  var RESULT_STATUS = { Completed: 'Completed', Enrolled: 'Enrolled', Failed: 'Failed', InProgress: 'In progress', OnHold: 'On hold', Provisional: 'Provisional', Withdrew: 'Withdrew' };

  function isString(value) {
    return typeof value === 'string' && value.length > 0;
  }

  function since(data, date) {
    return isString(data.since) ? ' on ' + date(data.since) : '';
  }

  /** The issuer's reason in words, or '' when none was given. */
  function reasonWords(data) {
    var reason = data && typeof data.reason === 'number' ? REASONS[data.reason] : undefined;
    return reason === undefined && data && typeof data.reason === 'number' ? 'a reason this page does not know (number ' + data.reason + ')' : reason || '';
  }

  function reasonSentence(data) {
    var words = reasonWords(data);
    return words ? ' Reason given by the issuer: ' + words + '.' : ' The issuer gave no reason.';
  }

  /** A DID or a raw timestamp inside free text is replaced, so a fallback message still reads plainly. */
  function scrub(text, date) {
    return String(text)
      .replace(/\bdid:[a-z0-9]+:[^\s,;()]+/gi, 'an identifier (see technical details)')
      .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?/g, function (match) { return date(match); });
  }

  /** The status word and sentence for one check. */
  function plainCheck(check, date) {
    var entry = CODES[check.code];
    var data = check.data && typeof check.data === 'object' ? check.data : {};
    var status = STATUS_WORDS[check.status] ? check.status : 'error';
    var text;
    if (entry) text = typeof entry.text === 'function' ? entry.text(data, date) : entry.text;
    else if (isString(check.message)) text = scrub(check.message, date);
    else text = status === 'passed' ? 'This check passed.' : status === 'failed' ? 'This check failed.' : status === 'error' ? 'This could not be checked right now.' : 'Not checked.';
    return { word: (entry && entry.word && status === 'skipped') ? entry.word : STATUS_WORDS[status].word, icon: STATUS_WORDS[status].icon, status: status, text: text };
  }

  /** "the registry 0x… on Ethereum (chain id 1)". */
  function registryWords(registry) {
    var chain = CHAINS[registry.chainId];
    return 'the registry ' + registry.address + ' on ' + (chain ? chain + ' (chain id ' + registry.chainId + ')' : 'chain id ' + registry.chainId);
  }

  window.MicrocredWords = {
    STATES: STATES,
    CHECK_LABELS: CHECK_LABELS,
    STATUS_WORDS: STATUS_WORDS,
    CODES: CODES,
    REASONS: REASONS,
    CHAINS: CHAINS,
    SECURING: SECURING,
    RESULT_STATUS: RESULT_STATUS,
    DEV_CHAIN_ID: DEV_CHAIN_ID,
    plainCheck: plainCheck,
    reasonWords: reasonWords,
    registryWords: registryWords,
    isString: isString,
  };
})();
