// The Verifiable Credential (VC Data Model 2.0 and 1.1) and Open Badges 3.0 shapes, as zod schemas the schema check uses.
import { z } from 'zod';
import { VC_V1_CONTEXT, VC_V2_CONTEXT } from '../contexts';

// XML Schema dateTimeStamp: a date-time with a time zone (VC 2.0 requires one).
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const dateTime = z.string().regex(DATE_TIME, 'must be a date-time with a time zone').refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date');
// An IRI: a scheme, a colon and something; strict URL parsing would refuse valid urn: and did: identifiers.
const iri = z.string().max(4096).regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'must be a URL, URN or DID');
const typeList = (required: string) =>
  z.union([z.string(), z.array(z.string()).min(1)]).refine((t) => (Array.isArray(t) ? t.includes(required) : t === required), `must include ${required}`);
const object = z.record(z.string(), z.unknown());
const issuer = z.union([iri, z.object({ id: iri }).loose()]);
const subject = z.union([object, z.array(object).min(1)]);

/** VC Data Model 2.0 credential. */
export const vcV2Shape = z
  .object({
    '@context': z.array(z.unknown()).min(1).refine((c) => c[0] === VC_V2_CONTEXT, `must start with ${VC_V2_CONTEXT}`),
    id: iri.optional(),
    type: typeList('VerifiableCredential'),
    issuer,
    credentialSubject: subject,
    validFrom: dateTime.optional(),
    validUntil: dateTime.optional(),
  })
  .loose();

/** VC Data Model 1.1 credential (accepted for verification; microcred issues 2.0). */
export const vcV1Shape = z
  .object({
    '@context': z.array(z.unknown()).min(1).refine((c) => c[0] === VC_V1_CONTEXT, `must start with ${VC_V1_CONTEXT}`),
    id: iri.optional(),
    type: typeList('VerifiableCredential'),
    issuer,
    credentialSubject: subject,
    issuanceDate: dateTime,
    expirationDate: dateTime.optional(),
  })
  .loose();

const image = z.union([iri, z.object({ id: iri, type: z.literal('Image') }).loose()]);

/** Open Badges 3.0 OpenBadgeCredential / AchievementCredential, beyond the VC shape. */
export const openBadgeShape = z
  .object({
    name: z.string().min(1),
    issuer: z.object({ id: iri, type: typeList('Profile') }).loose(),
    credentialSubject: z
      .object({
        type: typeList('AchievementSubject'),
        achievement: z
          .object({
            id: iri,
            type: typeList('Achievement'),
            name: z.string().min(1),
            description: z.string().optional(),
            criteria: z.object({ id: iri.optional(), narrative: z.string().optional() }).loose(),
            image: image.optional(),
            creditsAvailable: z.number().nonnegative().optional(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();

/** Credential types that are Open Badges and must have the Open Badges shape. */
export const OPEN_BADGE_TYPES = ['OpenBadgeCredential', 'AchievementCredential'] as const;
