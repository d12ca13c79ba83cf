// TypeScript shape of the Open Badges 3.0 credential microcred builds.

/** Open Badges IdentityObject (hashed email, or plain display name). */
export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: 'emailAddress' | 'name';
  salt?: string;
}

/** Open Badges Achievement. */
export interface Achievement {
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { narrative: string };
  image?: { id: string; type: 'Image' };
  creditsAvailable?: number;
  /** The catalog version the credential was issued from. */
  version?: string;
  tag?: string[];
  alignment?: Alignment[];
  /** Signed EndorsementCredentials of accrediting bodies, embedded as issued (OB 3.0 Achievement.endorsement). */
  endorsement?: Record<string, unknown>[];
}

/** Open Badges Alignment (e.g. a CPD category or a framework code). */
export interface Alignment {
  type: ['Alignment'];
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetFramework?: string;
  targetType?: string;
  targetDescription?: string;
}

/** What a catalog module adds to an achievement beyond the completion record's module fields. */
export type AchievementExtras = Pick<Achievement, 'version' | 'tag' | 'alignment' | 'endorsement'>;

/** Open Badges Result. */
export interface Result {
  type: ['Result'];
  status?: string;
  value?: string;
}

/** Open Badges AchievementSubject. */
export interface AchievementSubject {
  type: ['AchievementSubject'];
  id?: string;
  identifier?: IdentityObject[];
  achievement: Achievement;
  result?: Result[];
}

/** An unsigned OpenBadgeCredential on VC Data Model 2.0. */
export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  name: string;
  issuer: { id: string; type: ['Profile']; name: string; url: string };
  validFrom: string;
  validUntil?: string;
  awardedDate: string;
  credentialSubject: AchievementSubject;
  [extra: string]: unknown;
}
