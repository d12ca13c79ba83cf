// Open Badges IdentityObjects for the learner: a salted SHA-256 of the email, never the email itself.
import { createHash } from 'node:crypto';
import type { IdentityObject } from './types';

/** The form of an email that is hashed: trimmed and lower-cased, so the holder can prove it however they type it. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `sha256$` + hex(SHA-256(normalised email + salt)), as Open Badges 3.0 defines identityHash. */
export function hashedEmailIdentity(email: string, salt: string): IdentityObject {
  const hex = createHash('sha256').update(normaliseEmail(email) + salt, 'utf8').digest('hex');
  return { type: 'IdentityObject', hashed: true, identityHash: `sha256$${hex}`, identityType: 'emailAddress', salt };
}

/** A plain (unhashed) display-name identity; the learner's name is meant to be shown to verifiers. */
export function displayNameIdentity(name: string): IdentityObject {
  return { type: 'IdentityObject', hashed: false, identityHash: name, identityType: 'name' };
}
