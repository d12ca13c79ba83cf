// The one list of microcred's error codes: per code its HTTP status, CLI exit code and meaning (docs/errors.md).

/**
 * CLI exit codes, one table for every command: 0 success (or every credential valid), 1 invalid or refused,
 * 2 usage error (fix the command line or its input), 3 could not check (infrastructure: chain, network, disk).
 */
export const EXIT_CODES = { ok: 0, failure: 1, usage: 2, couldNotCheck: 3 } as const;

/** One of the four exit codes. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** What the catalog says about one code. */
export interface ErrorEntry {
  /** HTTP status when a server answers with this code; 500 means it never leaves a server as itself (ERR_INTERNAL). */
  readonly http: number;
  /** CLI exit code when a command fails with this code. */
  readonly exit: 1 | 2 | 3;
  /** One line: what happened (the error's message says what to do next). */
  readonly meaning: string;
}

const U = EXIT_CODES.usage;
const R = EXIT_CODES.failure;
const C = EXIT_CODES.couldNotCheck;

/**
 * Every `ERR_*` code microcred throws or reports. Codes are added, never renamed; a test fails when code in src/ or
 * cli/ uses one that is missing here.
 */
export const ERROR_CATALOG = {
  ERR_ACCOUNT_KEY_FORMAT: { http: 500, exit: U, meaning: 'The anchoring account key is not a 32-byte private key in hex.' },
  ERR_ACCOUNT_KEY_MISSING: { http: 500, exit: U, meaning: 'No anchoring account key: the key file cannot be read or the variable is unset.' },
  ERR_ACCOUNT_KEY_PERMISSIONS: { http: 500, exit: U, meaning: 'The account key file is readable by other users.' },
  ERR_ANCHOR_DOCUMENT: { http: 500, exit: R, meaning: 'A stored credential cannot take an anchor proof (not a JSON object or compact JWS).' },
  ERR_ANCHOR_EVENT_NOT_FOUND: { http: 500, exit: C, meaning: 'The root is anchored but its RootAnchored event was not found yet; retried.' },
  ERR_ANCHOR_IN_FLIGHT: { http: 500, exit: C, meaning: 'The anchoring account has transactions in flight; the batch waits.' },
  ERR_ANCHOR_PROOF_BLOCK: { http: 500, exit: R, meaning: 'Anchor proof: block is not a non-negative block number.' },
  ERR_ANCHOR_PROOF_CHAIN: { http: 500, exit: R, meaning: 'Anchor proof: chain is not "eip155:" and a chain id.' },
  ERR_ANCHOR_PROOF_CREATED: { http: 500, exit: R, meaning: 'Anchor proof: created is not an ISO 8601 date-time with a time zone.' },
  ERR_ANCHOR_PROOF_FIELDS: { http: 500, exit: R, meaning: 'Anchor proof: the anchor is not an object with exactly the expected fields.' },
  ERR_ANCHOR_PROOF_PATH: { http: 500, exit: R, meaning: 'Anchor proof: path is not a bounded list of bytes32 values.' },
  ERR_ANCHOR_PROOF_REGISTRY: { http: 500, exit: R, meaning: 'Anchor proof: registry is not a checksummed 0x address.' },
  ERR_ANCHOR_PROOF_ROOT: { http: 500, exit: R, meaning: 'Anchor proof: root is not a bytes32 value.' },
  ERR_ANCHOR_PROOF_SHAPE: { http: 500, exit: R, meaning: 'Anchor proof: not an object of the anchor proof type, or has unexpected fields.' },
  ERR_ANCHOR_PROOF_TRANSACTION: { http: 500, exit: R, meaning: 'Anchor proof: transaction is not a transaction hash.' },
  ERR_ANCHOR_PROOF_VALUE: { http: 500, exit: R, meaning: 'Anchor proof: proofValue is not "u" + base64url of canonical JSON.' },
  ERR_ANCHOR_RECEIPT_NOT_FOUND: { http: 500, exit: C, meaning: 'The root is anchored but its transaction has no successful receipt yet; retried.' },
  ERR_ANCHOR_WAIT_TIMEOUT: { http: 500, exit: C, meaning: 'A batch was not anchored within the time waited.' },
  ERR_ANCHORER_OPTIONS: { http: 500, exit: U, meaning: 'The anchoring worker was given invalid batch or recheck options.' },
  ERR_ANCHORER_STOPPED: { http: 500, exit: C, meaning: 'The anchoring worker stopped before the batch was anchored.' },
  ERR_ANCHORER_UNAVAILABLE: { http: 503, exit: C, meaning: 'This server runs without an anchoring worker.' },
  ERR_ANCHORING: { http: 500, exit: C, meaning: 'Anchoring a batch failed for a reason without its own code (recorded on the batch).' },
  ERR_ARTIFACT_MISSING: { http: 500, exit: C, meaning: 'The registry contract is not compiled (run npm run compile).' },
  ERR_AUDIT_NO_CREDENTIALS: { http: 500, exit: U, meaning: 'The audit inputs hold no credential at all (an empty or junk-only folder).' },
  ERR_AUDIT_POLICY: { http: 500, exit: U, meaning: 'The audit policy file is missing, not JSON, or has a field that is wrong.' },
  ERR_AUDIT_ROSTER: { http: 500, exit: U, meaning: 'The audit roster CSV is missing or has a row that cannot be used.' },
  ERR_AUDIT_WRONG_CHAIN: { http: 500, exit: C, meaning: "The RPC endpoint serves another chain than the audit policy's accepted registry." },
  ERR_BACKUP_DESTINATION: { http: 500, exit: U, meaning: 'The backup destination folder is missing, or is the database itself.' },
  ERR_BACKUP_EXISTS: { http: 500, exit: U, meaning: 'The backup file exists already (pass --force to replace it).' },
  ERR_BACKUP_FAILED: { http: 500, exit: C, meaning: 'The backup could not be written or failed its integrity check.' },
  ERR_BAD_CONFIRMATION: { http: 500, exit: R, meaning: 'Registry: an account can only renounce its own roles.' },
  ERR_BAD_CURSOR: { http: 400, exit: U, meaning: 'A pagination cursor that this list did not make.' },
  ERR_BAKE_ALREADY_BAKED: { http: 500, exit: U, meaning: 'The image already carries a credential.' },
  ERR_BAKE_CREDENTIAL: { http: 500, exit: U, meaning: 'The file to bake is not a credential, envelope or compact JWS.' },
  ERR_BAKE_IMAGE: { http: 500, exit: U, meaning: 'The badge image template is not a usable PNG or SVG.' },
  ERR_BATCH_EMPTY: { http: 400, exit: U, meaning: 'A batch request without rows.' },
  ERR_BATCH_FAILED: { http: 500, exit: R, meaning: 'A batch was parked as failed; an operator must look (see its last error).' },
  ERR_BATCH_NOT_FOUND: { http: 500, exit: R, meaning: 'No batch with this id.' },
  ERR_BATCH_REJECTED: { http: 422, exit: R, meaning: 'An atomic batch had bad rows, so nothing was issued.' },
  ERR_BATCH_ROOT_MISMATCH: { http: 500, exit: R, meaning: "A batch's stored leaves do not give its sealed root (the database was changed)." },
  ERR_BATCH_STATE: { http: 500, exit: R, meaning: 'The batch is not in a state that allows this step.' },
  ERR_BATCH_TOO_LARGE: { http: 413, exit: U, meaning: 'More rows in one batch than allowed.' },
  ERR_BODY_TOO_LARGE: { http: 413, exit: U, meaning: 'The request body is larger than the route accepts.' },
  ERR_CERTIFICATE_CREDENTIAL: { http: 422, exit: U, meaning: 'The credential lacks an id, issuer or achievement name (a generic credential has no certificate), or is not JSON.' },
  ERR_CERTIFICATE_LOGO: { http: 500, exit: U, meaning: 'The certificate logo cannot be read, is not a PNG or JPEG, or is larger than 512 KiB.' },
  ERR_CERTIFICATE_OPTIONS: { http: 500, exit: U, meaning: 'The certificate needs exactly one http(s) QR target: the share link or the verifier URL.' },
  ERR_CHAIN: { http: 500, exit: C, meaning: 'A chain call failed for a reason without its own code.' },
  ERR_CONFIG_FILE: { http: 500, exit: U, meaning: 'The config file cannot be read or is not JSON.' },
  ERR_CONFIG_INVALID: { http: 500, exit: U, meaning: 'The configuration is invalid (every bad field is listed).' },
  ERR_CONTEXT_FILE_INVALID: { http: 500, exit: U, meaning: 'A context file is not a JSON-LD context, lies outside the folder, or replaces a bundled URL.' },
  ERR_CONTEXT_FILE_MISSING: { http: 500, exit: U, meaning: 'A pinned context file, or the context folder, cannot be read.' },
  ERR_CONTEXT_HASH_MISMATCH: { http: 500, exit: U, meaning: 'An operator context file does not match its pinned SHA-256.' },
  ERR_CONTEXT_NOT_BUNDLED: { http: 422, exit: C, meaning: 'A JSON-LD context or document URL is not bundled; it is never fetched.' },
  ERR_CONTEXT_UNPINNED: { http: 500, exit: U, meaning: 'A file in the context folder has no pin.' },
  ERR_CONTRACT_REVERTED: { http: 500, exit: R, meaning: 'The registry rejected the call without a known reason.' },
  ERR_CREDENTIAL_EXISTS: { http: 409, exit: R, meaning: 'A credential with this id or leaf is stored already.' },
  ERR_CREDENTIAL_NOT_ANCHORED: { http: 409, exit: R, meaning: 'The credential is not anchored yet; only its final, anchored form is handed out.' },
  ERR_CREDENTIAL_NOT_FOUND: { http: 404, exit: R, meaning: 'No credential with this id.' },
  ERR_CREDENTIAL_NOT_IN_BATCH: { http: 500, exit: R, meaning: 'The credential is not in the named batch.' },
  ERR_CSV_INVALID: { http: 400, exit: U, meaning: 'The CSV cannot be read as a whole (header, columns, quoting).' },
  ERR_DB_NEWER_THAN_CODE: { http: 500, exit: R, meaning: 'The database was written by a newer microcred.' },
  ERR_DB_NOT_FOUND: { http: 500, exit: U, meaning: 'No microcred database in the data folder (check --data or run init).' },
  ERR_DEVCHAIN_ACCOUNTS: { http: 500, exit: C, meaning: 'The development chain has too few accounts.' },
  ERR_DEVCHAIN_REGISTRY_MOVED: { http: 500, exit: C, meaning: 'The development registry is not at the address the data folder recorded.' },
  ERR_DEVCHAIN_START: { http: 500, exit: C, meaning: 'The embedded development chain could not start (port in use?).' },
  ERR_DID_JWK_INVALID: { http: 500, exit: R, meaning: 'A did:jwk cannot be read as a public JWK.' },
  ERR_DID_WEB_FANOUT: { http: 500, exit: C, meaning: 'One verification names more did:web DIDs than the verifier resolves at once.' },
  ERR_DI_MALFORMED: { http: 500, exit: R, meaning: 'A Data Integrity credential or one of its proofs is not a JSON object.' },
  ERR_DI_NO_PROOF: { http: 500, exit: R, meaning: 'The credential carries no signature proof.' },
  ERR_DI_SIGNATURE: { http: 500, exit: R, meaning: 'The Data Integrity signature does not verify.' },
  ERR_DI_UNSUPPORTED_PROOF: { http: 500, exit: R, meaning: 'A signature proof of an unsupported type, cryptosuite or purpose.' },
  ERR_DID_KEY_INVALID: { http: 500, exit: R, meaning: 'A did:key that is not an Ed25519 or P-256 Multikey.' },
  ERR_DID_METHOD_UNSUPPORTED: { http: 500, exit: C, meaning: 'No resolver for this DID method (did:key and did:web only).' },
  ERR_DID_RESOLUTION: { http: 500, exit: C, meaning: 'DID resolution failed with an error that has no code of its own.' },
  ERR_DID_VM_NOT_FOUND: { http: 500, exit: R, meaning: "The verification method is not in its controller's DID document." },
  ERR_DID_WEB_ADDRESS_BLOCKED: { http: 500, exit: C, meaning: 'The did:web host resolves to a non-public address.' },
  ERR_DID_WEB_BAD_DOCUMENT: { http: 500, exit: C, meaning: 'The did:web document is not JSON, or its id is not the DID.' },
  ERR_DID_WEB_DNS: { http: 500, exit: C, meaning: 'The did:web host name does not resolve.' },
  ERR_DID_WEB_FETCH: { http: 500, exit: C, meaning: 'The did:web document could not be fetched (network error).' },
  ERR_DID_WEB_HTTP: { http: 500, exit: C, meaning: 'The did:web document URL did not answer 200.' },
  ERR_DID_WEB_INVALID: { http: 500, exit: U, meaning: 'Not a valid did:web DID, host or path.' },
  ERR_DID_WEB_TIMEOUT: { http: 500, exit: C, meaning: 'The did:web document did not arrive in time.' },
  ERR_DID_WEB_TOO_LARGE: { http: 500, exit: C, meaning: 'The did:web document is larger than the cap.' },
  ERR_EMBEDDED_MALFORMED: { http: 500, exit: R, meaning: 'The credential embedded in the image or PDF is malformed.' },
  ERR_EMBEDDED_NONE: { http: 500, exit: R, meaning: 'The image or PDF carries no credential.' },
  ERR_EMPTY_BATCH: { http: 500, exit: R, meaning: 'A Merkle tree was asked for no leaves.' },
  ERR_EMPTY_DID: { http: 500, exit: U, meaning: 'Registry: an issuer needs a DID.' },
  ERR_ENVELOPE_INVALID: { http: 500, exit: R, meaning: 'Not an EnvelopedVerifiableCredential holding a compact JWS.' },
  ERR_FAILED: { http: 500, exit: C, meaning: 'A command failed with an unexpected error (a bug: report it).' },
  ERR_FORBIDDEN: { http: 403, exit: R, meaning: 'The API token lacks the scope this route needs.' },
  ERR_IDEMPOTENCY_IN_PROGRESS: { http: 409, exit: C, meaning: 'The first request with this Idempotency-Key is still running.' },
  ERR_IDEMPOTENCY_MISMATCH: { http: 422, exit: R, meaning: 'The Idempotency-Key was used with a different request.' },
  ERR_INTERNAL: { http: 500, exit: C, meaning: 'The server failed to answer (a bug; the server logs it).' },
  ERR_INVALID_ADDRESS: { http: 400, exit: U, meaning: 'An Ethereum address was expected (for example v1\'s registerIssuer argument order was used).' },
  ERR_INVALID_CREDENTIAL: { http: 422, exit: U, meaning: "VC-API: the caller's credential cannot be issued." },
  ERR_INVALID_LEAF: { http: 500, exit: R, meaning: 'A Merkle leaf that is not bytes32.' },
  ERR_INVALID_OPTIONS: { http: 500, exit: U, meaning: 'A server component was given invalid options.' },
  ERR_INVALID_RECORD: { http: 422, exit: U, meaning: 'The completion record is invalid (issues per field).' },
  ERR_INVALID_REQUEST: { http: 400, exit: U, meaning: 'A query parameter or body field is wrong (issues per field).' },
  ERR_ISSUER_ALREADY_ACTIVE: { http: 500, exit: R, meaning: 'Registry: the issuer is active already.' },
  ERR_ISSUER_ALREADY_REGISTERED: { http: 500, exit: R, meaning: 'Registry: the issuer is registered already.' },
  ERR_ISSUER_NOT_ACTIVE: { http: 500, exit: R, meaning: 'Registry: the issuer is suspended.' },
  ERR_ISSUER_REF: { http: 400, exit: U, meaning: 'The value is neither a DID nor a 32-byte issuer id.' },
  ERR_ISSUE_FAILED: { http: 500, exit: R, meaning: 'A batch row stopped on an internal error; nothing was stored for it.' },
  ERR_JOSE_ALG_NOT_ALLOWED: { http: 500, exit: R, meaning: 'VC-JOSE: the JWS algorithm is not allowed.' },
  ERR_JOSE_B64: { http: 500, exit: R, meaning: 'The JWS header carries b64; unencoded payloads are not supported.' },
  ERR_JOSE_HAS_PROOF: { http: 500, exit: R, meaning: 'VC-JOSE: the payload to sign still carries a proof.' },
  ERR_JOSE_KEY_MISMATCH: { http: 500, exit: R, meaning: "VC-JOSE: the kid's key is not a key for the JWS algorithm." },
  ERR_JOSE_KID_MISSING: { http: 500, exit: R, meaning: 'VC-JOSE: the header has no kid naming the verification method.' },
  ERR_JOSE_KID_NOT_ISSUER: { http: 500, exit: R, meaning: 'VC-JOSE: the kid belongs to someone other than the issuer.' },
  ERR_JOSE_KID_UNKNOWN: { http: 500, exit: R, meaning: "VC-JOSE: the kid is not an assertionMethod of the issuer's DID document." },
  ERR_JOSE_MALFORMED: { http: 500, exit: R, meaning: 'VC-JOSE: not a compact JWS with a readable header.' },
  ERR_JOSE_PAYLOAD: { http: 500, exit: R, meaning: 'VC-JOSE: the payload is not a credential object with an issuer.' },
  ERR_JOSE_SIGNATURE: { http: 500, exit: R, meaning: 'VC-JOSE: the JWS signature does not verify.' },
  ERR_JOSE_TYP: { http: 500, exit: R, meaning: 'VC-JOSE: the JWS typ is not vc+jwt.' },
  ERR_JSON_TOO_DEEP: { http: 400, exit: U, meaning: 'The JSON body is nested too deeply.' },
  ERR_KEY_ALGORITHM: { http: 422, exit: U, meaning: 'Data Integrity needs an Ed25519 key (use VC-JOSE for P-256).' },
  ERR_KEY_DECRYPT: { http: 500, exit: R, meaning: 'A stored key cannot be decrypted: the secret is not the one of this data folder.' },
  ERR_KEY_EXISTS: { http: 500, exit: R, meaning: 'An issuer key with this id is stored already.' },
  ERR_KEY_FORMAT: { http: 500, exit: R, meaning: 'A key cannot be read (damaged or not a microcred key).' },
  ERR_KEY_MISMATCH: { http: 500, exit: R, meaning: 'A private key does not match its public key or DID.' },
  ERR_KEY_NOT_FOUND: { http: 500, exit: R, meaning: 'No issuer key with this id, or none yet (run init).' },
  ERR_KEY_UNBOUND: { http: 500, exit: R, meaning: 'The key is not bound to a DID yet.' },
  ERR_LEAF_ALREADY_SUSPENDED: { http: 500, exit: R, meaning: 'Registry: the credential is suspended already.' },
  ERR_LEAF_INPUT: { http: 500, exit: R, meaning: 'A leaf is computed from a credential object or a JWS only.' },
  ERR_LEAF_NOT_IN_BATCH: { http: 500, exit: R, meaning: 'The leaf is not in this Merkle batch.' },
  ERR_LEAF_NOT_IN_ROOT: { http: 500, exit: R, meaning: 'Registry: the Merkle path does not lead from the leaf to the root.' },
  ERR_LEAF_NOT_SUSPENDED: { http: 500, exit: R, meaning: 'Registry: only a suspended credential can be reinstated.' },
  ERR_LEAF_REVOKED: { http: 500, exit: R, meaning: 'Registry: the credential is revoked, and revocation is final.' },
  ERR_LEARNER_NOT_FOUND: { http: 500, exit: R, meaning: 'No learner with this id.' },
  ERR_MALFORMED_BODY: { http: 400, exit: U, meaning: 'The body is not valid UTF-8 text.' },
  ERR_MALFORMED_JSON: { http: 400, exit: U, meaning: 'The body is not well-formed JSON.' },
  ERR_METHOD_NOT_ALLOWED: { http: 405, exit: U, meaning: 'The route does not accept this method.' },
  ERR_MISSING_ROLE: { http: 500, exit: R, meaning: 'Registry: the sending account lacks the role (e.g. ACCREDITOR_ROLE).' },
  ERR_NOT_AN_OPERATOR: { http: 403, exit: R, meaning: 'The anchoring key is no issuer\'s operator; the outbox waits until it is added.' },
  ERR_NOT_A_CREDENTIAL: { http: 400, exit: U, meaning: 'VC-API: the value is not a credential, envelope or presentation.' },
  ERR_NOT_ISSUER_ADMIN: { http: 403, exit: R, meaning: 'The caller is neither the issuer\'s admin nor an accreditor.' },
  ERR_NOT_OPERATOR_OF: { http: 409, exit: R, meaning: 'The address is not an operator of that issuer.' },
  ERR_NOT_VERIFIED: { http: 422, exit: R, meaning: 'VC-API: the credential or presentation does not verify, or a check could not be done.' },
  ERR_NO_RPC_URL: { http: 500, exit: U, meaning: 'No RPC URL was configured.' },
  ERR_NO_SIGNER: { http: 500, exit: U, meaning: 'A chain write on a read-only registry client.' },
  ERR_NOT_FOUND: { http: 404, exit: U, meaning: 'Nothing is served at this path.' },
  ERR_NOT_ROOT_OWNER: { http: 500, exit: R, meaning: 'Registry: only the issuer that anchored a root changes its leaves.' },
  ERR_OPERATOR_ALREADY_ASSIGNED: { http: 409, exit: R, meaning: 'The address already serves an issuer as operator.' },
  ERR_OPERATOR_OF_OTHER_ISSUER: { http: 409, exit: R, meaning: 'The anchoring key is an operator of another issuer DID; the outbox waits.' },
  ERR_POLICY_INVALID: { http: 400, exit: U, meaning: 'The verification policy is invalid (issues per field).' },
  ERR_PORT_IN_USE: { http: 500, exit: C, meaning: 'The HTTP port cannot be bound.' },
  ERR_RATE_LIMITED: { http: 429, exit: C, meaning: 'Too many requests from this client; retry after Retry-After.' },
  ERR_RECEIPT_TIMEOUT: { http: 500, exit: C, meaning: 'A transaction did not reach its confirmations in time.' },
  ERR_REGISTRY_BAD_RESPONSE: { http: 500, exit: C, meaning: 'The address answered, but not as a registry.' },
  ERR_REGISTRY_CHAIN_MISMATCH: { http: 503, exit: C, meaning: 'The RPC node serves another chain id than the one configured.' },
  ERR_REGISTRY_NOT_A_REGISTRY: { http: 503, exit: C, meaning: 'The contract at the registry address is not a microcred registry (ERC-165 check failed).' },
  ERR_REGISTRY_NO_CODE: { http: 503, exit: C, meaning: 'There is no contract at the registry address on that chain.' },
  ERR_REPORT_WRITE: { http: 500, exit: C, meaning: 'A report file (e.g. verify --csv) could not be written (disk full, no permission).' },
  ERR_ROOT_ALREADY_ANCHORED: { http: 500, exit: R, meaning: 'Registry: this root is anchored already.' },
  ERR_ROOT_ANCHORED_BY_OTHER: { http: 500, exit: R, meaning: 'The batch root was anchored by another issuer account.' },
  ERR_ROOT_NOT_ANCHORED: { http: 500, exit: R, meaning: 'Registry: the root is not anchored.' },
  ERR_ROTATE_DID_KEY: { http: 500, exit: R, meaning: 'A did:key issuer cannot rotate its key in place (use did:web).' },
  ERR_ROTATE_SAME_KEY: { http: 500, exit: R, meaning: 'The new key is already published for this issuer.' },
  ERR_RPC_UNAVAILABLE: { http: 500, exit: C, meaning: 'No RPC endpoint answered.' },
  ERR_SEALED_FORMAT: { http: 500, exit: R, meaning: 'A sealed (encrypted) value in the database is damaged.' },
  ERR_SECRET_FILE: { http: 500, exit: U, meaning: 'The data-folder secret file cannot be read or created.' },
  ERR_SECRET_REQUIRED: { http: 500, exit: U, meaning: 'No data-folder secret (set MICROCRED_SECRET or run init).' },
  ERR_SECRET_WEAK: { http: 500, exit: U, meaning: 'The secret is too short to protect keys at rest.' },
  ERR_SIGN_FAILED: { http: 500, exit: R, meaning: 'The credential could not be signed.' },
  ERR_SIGNER_CLOSED: { http: 500, exit: C, meaning: 'The signer was closed.' },
  ERR_STATUS_ALREADY_ON_CHAIN: { http: 500, exit: R, meaning: 'The status change is on chain already; nothing was sent.' },
  ERR_STATUS_CHANGE_NOT_FOUND: { http: 500, exit: R, meaning: 'No status change with this id.' },
  ERR_STATUS_CHANGE_STATE: { http: 500, exit: R, meaning: 'The status change is not in a state that allows this step.' },
  ERR_STATUS_LIST_FETCH: { http: 500, exit: C, meaning: 'The status list could not be fetched (DNS, HTTP status, timeout or size).' },
  ERR_STATUS_LIST_FOLDER: { http: 500, exit: U, meaning: 'The --status-lists folder cannot be read.' },
  ERR_STATUS_LIST_NOT_ALLOWED: { http: 500, exit: C, meaning: 'The egress policy refuses to fetch that status list (host not allowed, or not HTTPS outside development).' },
  ERR_STATUS_LIST_NOT_FOUND: { http: 404, exit: R, meaning: 'No status list with that id.' },
  ERR_STATUS_SLOT_TAKEN: { http: 500, exit: R, meaning: 'A status-list index was bound that was not drawn or is already held.' },
  ERR_STATUS_TRANSITION: { http: 409, exit: R, meaning: 'The status change does not apply (e.g. reinstating a revoked credential).' },
  ERR_STORE_ASYNC_TRANSACTION: { http: 500, exit: R, meaning: 'Store.transaction was given an async function.' },
  ERR_STORE_INVALID_INPUT: { http: 400, exit: U, meaning: 'A store call got an invalid field (e.g. limit).' },
  ERR_STORE_WRITE: { http: 500, exit: C, meaning: 'A credential could not be written to the database.' },
  ERR_TOKEN_NOT_FOUND: { http: 500, exit: U, meaning: 'No API token with this id.' },
  ERR_TOKEN_SCOPE_INVALID: { http: 500, exit: U, meaning: 'Unknown API token scope.' },
  ERR_TOO_MANY_OPERATORS: { http: 409, exit: R, meaning: 'The issuer already has the maximum of 32 operators.' },
  ERR_TX_DROPPED: { http: 500, exit: C, meaning: 'A sent transaction disappeared from the chain.' },
  ERR_TX_REVERTED: { http: 500, exit: R, meaning: 'A transaction was mined but reverted.' },
  ERR_UNAUTHENTICATED: { http: 401, exit: R, meaning: 'Missing, unknown or revoked API token.' },
  ERR_UNKNOWN_ISSUER: { http: 500, exit: R, meaning: 'Registry: the issuer is not registered.' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { http: 415, exit: U, meaning: 'The body has a media type this route does not take.' },
  ERR_USAGE: { http: 500, exit: U, meaning: 'The command line is wrong (unknown option, missing argument, bad value).' },
  ERR_VERIFIER_FAILED: { http: 500, exit: C, meaning: 'The verifier failed unexpectedly on this input (a bug).' },
  ERR_VERIFY_PATH: { http: 500, exit: U, meaning: 'A path given to verify does not exist or cannot be read.' },
  ERR_VERIFY_UNEXPECTED: { http: 500, exit: C, meaning: 'Signature verification failed unexpectedly, so it was not checked.' },
  ERR_ZERO_ADDRESS: { http: 500, exit: U, meaning: 'Registry: a zero address was given.' },
  ERR_ZERO_ROOT: { http: 500, exit: R, meaning: 'Registry: a zero Merkle root was given.' },
} as const satisfies Record<`ERR_${string}`, ErrorEntry>;

/** A code in the catalog: a typo does not compile. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** True when `code` is in the catalog. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}

/** The CLI exit code for `code`; a code outside the catalog counts as could-not-check (never as invalid). */
export function exitCodeOf(code: string): 1 | 2 | 3 {
  return isErrorCode(code) ? ERROR_CATALOG[code].exit : EXIT_CODES.couldNotCheck;
}

/** The HTTP status for `code`; 500 for a code outside the catalog. */
export function httpStatusOf(code: string): number {
  return isErrorCode(code) ? ERROR_CATALOG[code].http : 500;
}

/** True when `code` means "could not check" (a key, context, network or chain out of reach), not "checked and wrong". */
export function couldNotCheck(code: string): boolean {
  return exitCodeOf(code) === EXIT_CODES.couldNotCheck;
}
