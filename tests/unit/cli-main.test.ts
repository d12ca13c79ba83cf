// cli/main.ts lists every command without loading it: the listing must match the commands as they load.
import { Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, commandNameOf } from '../../cli/main';
import { POLICY_PRESET_NAMES } from '../../cli/verify';
import { POLICY_PRESETS } from '../../src/verify';

describe('cli/main.ts command table', () => {
  it('gives each command the term and description of the loaded command, in the program order', async () => {
    const help = new Help();
    const program = await buildProgram('all');
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    for (const entry of COMMANDS) {
      const loaded = await entry.load();
      expect(loaded.name(), entry.name).toBe(entry.name);
      expect(help.subcommandTerm(loaded), entry.name).toBe(entry.term);
      expect(loaded.description(), entry.name).toBe(entry.description);
    }
  });

  it('loads only the command the command line names', async () => {
    const program = await buildProgram('verify');
    const verify = program.commands.find((c) => c.name() === 'verify');
    const anchor = program.commands.find((c) => c.name() === 'anchor');
    expect(verify?.options.map((o) => o.long)).toContain('--rpc');
    expect(anchor?.options).toEqual([]);
    expect(commandNameOf(['verify', 'a.json'])).toBe('verify');
    expect(commandNameOf(['--help'])).toBeUndefined();
    expect(commandNameOf(['help', 'audit'])).toBe('audit');
    expect(commandNameOf(['-h', 'registry', 'deploy'])).toBe('registry');
  });

  it('names the verification presets that src/verify defines', () => {
    expect([...POLICY_PRESET_NAMES].sort()).toEqual(Object.keys(POLICY_PRESETS).sort());
  });
});
