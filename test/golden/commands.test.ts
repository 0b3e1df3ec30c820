// Two guards on the command surface:
// - oclif.manifest.json (what the installed CLI reads to start fast) matches the code;
// - a snapshot of every command's flags, so a renamed or removed flag is a visible diff.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Plugin} from '@oclif/core';
import {describe, expect, it} from 'vitest';
import {REPO} from '../helpers/cli.js';

type ManifestFlag = {name: string; char?: string; type: string; options?: string[]; multiple?: boolean;
  default?: unknown; aliases?: string[]};
type ManifestCommand = {id: string; flags: Record<string, ManifestFlag>; args: Record<string, unknown>;
  summary?: string};
type Manifest = {commands: Record<string, ManifestCommand>};

const committed = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as Manifest;

function surface(manifest: Manifest) {
  return Object.fromEntries(Object.keys(manifest.commands).sort().map((id) => {
    const command = manifest.commands[id]!;
    const flags = Object.fromEntries(Object.keys(command.flags).sort().map((name) => {
      const flag = command.flags[name]!;
      return [name, {char: flag.char, type: flag.type, options: flag.options, multiple: flag.multiple,
        default: flag.default, aliases: flag.aliases}];
    }));
    return [id, {args: Object.keys(command.args).sort(), flags}];
  }));
}

describe('command surface', () => {
  it('oclif.manifest.json is current (regenerate with `npm run manifest`)', async () => {
    const plugin = new Plugin({root: REPO, type: 'core', ignoreManifest: true, errorOnManifestCreate: true,
      isRoot: true});
    await plugin.load();
    const fresh = plugin.manifest as unknown as Manifest;
    expect(surface(committed)).toEqual(surface(fresh));
    for (const id of Object.keys(fresh.commands)) {
      expect(committed.commands[id]?.summary, id).toBe(fresh.commands[id]?.summary);
    }
  });

  it('matches the flag snapshot (UPDATE_GOLDEN=1 accepts a deliberate change)', () => {
    const file = fileURLToPath(new URL('./files/command-flags.json', import.meta.url));
    const actual = `${JSON.stringify(surface(committed), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
