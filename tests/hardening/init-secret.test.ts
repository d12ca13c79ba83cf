// Finding 8: `microcred init` keeps the secret away from the database it protects, or says why it could not.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { microcredSync } from '../helpers/cli';
import { tempDir } from '../issuer/fixture';

describe('finding 8: init and the data-folder secret', () => {
  it('with MICROCRED_SECRET_FILE the secret is created there, outside the data folder, and later commands use it', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const secretFile = path.join(dir, 'secrets', 'microcred.secret');
    fs.mkdirSync(path.dirname(secretFile), { mode: 0o700 });
    const env = { MICROCRED_SECRET_FILE: secretFile };
    const init = microcredSync(['init', '--json', '--data', data], { env });
    expect(init.code).toBe(0);
    expect(init.json.secret).toMatchObject({ source: 'created', file: secretFile, besideDatabase: false });
    expect(fs.existsSync(path.join(data, 'secret'))).toBe(false);
    expect((fs.statSync(secretFile).mode & 0o777).toString(8)).toBe('600');
    expect(microcredSync(['token', 'create', '--name', 'lms', '--json', '--data', data], { env }).code).toBe(0);
  });

  it('without a place for it, init creates it beside the database and says why that is risky and how to move it', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const init = microcredSync(['init', '--json', '--data', data]);
    expect(init.code).toBe(0);
    expect(init.json.secret).toMatchObject({ source: 'created', file: path.join(data, 'secret'), besideDatabase: true });
    expect(init.json.secret.warning).toMatch(/MICROCRED_SECRET_FILE/);
    const human = microcredSync(['init', '--data', data]);
    expect(human.stdout).toMatch(/beside the database/);
  });
});
