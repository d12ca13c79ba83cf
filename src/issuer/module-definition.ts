// A catalog module's definition (what a registrar enters once) and how it becomes an achievement in a credential.
import { z } from 'zod';
import { name, prose, recordIssues, uri, type AchievementExtras, type Alignment, type RecordIssue } from '../credential';
import { MicrocredError } from '../errors';

/** A stored image named by the SHA-256 of its bytes (as `sha256:<hex>`), or an image URL hosted elsewhere. */
export const IMAGE_REF = /^sha256:[0-9a-f]{64}$/;

const alignmentSchema = z.strictObject({
  targetName: name(200),
  targetUrl: z.url({ protocol: /^https?$/, error: 'must be an https/http URL' }),
  targetCode: name(100).optional(),
  targetFramework: name(200).optional(),
  /** An Open Badges AlignmentTargetType, or an `ext:` one. */
  targetType: name(100).optional(),
  targetDescription: prose(2000).optional(),
});

/** Schema of a module definition (API body, CLI flags, one CSV row); strict, so a misspelt field is an error. */
export const moduleDefinitionSchema = z.strictObject({
  /** The achievement id: a URL or urn that names the module for good. */
  id: uri,
  name: name(200),
  description: prose(2000),
  /** What the learner has to do. */
  criteria: prose(10000),
  /** `sha256:<hex>` of an image uploaded to the catalog, or a URL. */
  image: z.union([z.string().regex(IMAGE_REF), uri], { error: 'must be sha256:<hex> of an uploaded image, or a URL' }).optional(),
  credits: z.number().positive('must be positive').max(10000).optional(),
  /** The unit of the credits ("CPD hours"); Open Badges has no term for it, so it stays in the catalog. */
  creditUnit: name(50).optional(),
  alignments: z.array(alignmentSchema).max(20).optional(),
  tags: z.array(name(100)).max(30).optional(),
  /** The accreditation the module holds, named and linked (carried as an alignment of type ext:Accreditation). */
  accreditation: z.strictObject({ name: name(200), url: z.url({ protocol: /^https?$/, error: 'must be an https/http URL' }) }).optional(),
});

/** A validated module definition. */
export type ModuleDefinition = z.infer<typeof moduleDefinitionSchema>;

/** ERR_MODULE_INVALID with one issue per field. */
export function invalidModule(issues: RecordIssue[]): MicrocredError {
  return new MicrocredError('ERR_MODULE_INVALID', `The module is invalid: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, { details: { issues } });
}

/** Validates a module definition; throws ERR_MODULE_INVALID naming each bad field. */
export function parseModuleDefinition(input: unknown): ModuleDefinition {
  const parsed = moduleDefinitionSchema.safeParse(input);
  if (!parsed.success) throw invalidModule(recordIssues(parsed.error));
  return parsed.data;
}

/** The module fields of a completion record, from a definition (image references turned into URLs by `imageUrl`). */
export function recordModuleOf(definition: ModuleDefinition, imageUrl: (ref: string) => string): Record<string, unknown> {
  return {
    id: definition.id,
    name: definition.name,
    description: definition.description,
    criteria: definition.criteria,
    ...(definition.image === undefined ? {} : { image: IMAGE_REF.test(definition.image) ? imageUrl(definition.image) : definition.image }),
    ...(definition.credits === undefined ? {} : { credits: definition.credits }),
  };
}

/** The achievement fields beyond the record's: catalog version, tags, alignments (with the accreditation) and endorsements. */
export function achievementExtrasOf(definition: ModuleDefinition, version: number, endorsements: readonly Record<string, unknown>[]): AchievementExtras {
  const alignment: Alignment[] = (definition.alignments ?? []).map((a) => ({ type: ['Alignment'], ...a }));
  if (definition.accreditation !== undefined) {
    alignment.push({ type: ['Alignment'], targetName: definition.accreditation.name, targetUrl: definition.accreditation.url, targetType: 'ext:Accreditation' });
  }
  return {
    version: String(version),
    ...(definition.tags === undefined || definition.tags.length === 0 ? {} : { tag: [...definition.tags] }),
    ...(alignment.length === 0 ? {} : { alignment }),
    ...(endorsements.length === 0 ? {} : { endorsement: endorsements.map((e) => structuredClone(e)) }),
  };
}
