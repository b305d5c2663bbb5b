/**
 * `npm run diff -- --from <spec | git-ref:path | dist/<name>> --to <spec | git-ref:path> [--out diff.md]
 * [--allow-replacement "<reason>"]`: what the change does to each platform's running cache and data.
 * Bad input (an unreadable spec or ref, two different names): exit 2, one line, nothing written. A
 * production change that replaces a cache or that a provider refuses: exit 3 unless
 * --allow-replacement gives a reason, which goes into diff.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDeployment } from '../deployment';
import { scanText } from '../checks/secret-scan';
import { SpecError } from '../errors';
import {
  materializeSpec,
  readArtifacts,
  synthArtifactSets,
  type ArtifactSet,
  type SynthSide,
} from '../diff/artifacts';
import { diffArtifacts, needsApproval } from '../diff';
import { renderMarkdown, renderTable } from '../diff/report';
import { parseFlags, runCli, UsageError, userPath } from './run';

const USAGE =
  'usage: npm run diff -- --from <spec | git-ref:path | dist/<name>> --to <spec | git-ref:path> [--out diff.md] [--allow-replacement "<reason>"] [--allow-rename]';

export const EXIT_NEEDS_APPROVAL = 3;

type Side = { kind: 'dist'; dir: string; label: string } | { kind: 'spec'; side: SynthSide };

/** A side as the user gave it: a dist folder, a spec file, or `<ref>:<path>` read from git. */
function resolveSide(value: string, option: string, work: string, cwd: string): Side {
  const full = userPath(value);
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) {
    if (!['aws', 'pulumi', 'k8s', 'self-hosted'].some((d) => fs.existsSync(path.join(full, d))))
      throw new SpecError(
        option,
        value,
        'expected a dist/<name> folder written by npm run synth (aws/, pulumi/, k8s/, self-hosted/)',
        'diff',
      );
    return { kind: 'dist', dir: full, label: value };
  }
  if (fs.existsSync(full)) return { kind: 'spec', side: { label: value, specPath: full } };
  if (/^[^/\\]+:.+/.test(value)) {
    const dir = fs.mkdtempSync(path.join(work, `${option.replace(/^-+/, '')}-`));
    return { kind: 'spec', side: { label: value, specPath: materializeSpec(value, option, dir, cwd) } };
  }
  throw new SpecError(
    option,
    value,
    'no such file or folder; give a spec file, <git-ref>:<path> or a dist/<name> folder',
    'diff',
  );
}

export interface DiffOutcome {
  text: string;
  markdown: string;
  exitCode: number;
  outFile: string;
}

/**
 * How the spec sides are synthesized: synthArtifactSets. The CLI test passes one that records what
 * it made, and replays it for a second run on the same two specs.
 */
export type SynthSides = typeof synthArtifactSets;

export async function runDiff(argv: string[], synth: SynthSides = synthArtifactSets): Promise<DiffOutcome> {
  const { values } = parseFlags(
    {
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        'allow-replacement': { type: 'string' },
        'allow-rename': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    },
    USAGE,
  );
  if (!values.from || !values.to) throw new UsageError(`--from and --to are both required; ${USAGE}`);
  const reason = values['allow-replacement'];
  if (reason !== undefined && !reason.trim())
    throw new SpecError(
      '--allow-replacement',
      reason,
      'give the reason (it is written into diff.md)',
      'diff',
    );
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const outFile = userPath(values.out ?? 'diff.md');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-'));
  try {
    const from = resolveSide(values.from, '--from', work, cwd);
    const to = resolveSide(values.to, '--to', work, cwd);
    // Names first (loading a spec is fast): a rename is refused before anything is synthesized.
    const nameOf = (side: Side) =>
      side.kind === 'dist' ? path.basename(side.dir) : loadDeployment(side.side.specPath, side.side.label).id;
    const [nameA, nameB] = [nameOf(from), nameOf(to)];
    if (nameA !== nameB && !values['allow-rename'])
      throw new SpecError(
        '--to',
        values.to,
        `its name "${nameB}" differs from "${nameA}" of --from: a new name is a new cache on every platform; compare specs of one deployment, or pass --allow-rename to see the replacement`,
        'diff',
      );
    const specs = [from, to].flatMap((s) => (s.kind === 'spec' ? [s.side] : []));
    const synthesized = await synth(specs, { pulumi: 'child', work: path.join(work, 'synth') });
    const [a, b]: ArtifactSet[] = [from, to].map((s) =>
      s.kind === 'dist' ? readArtifacts(s.dir, s.label) : synthesized.shift()!,
    );
    const result = diffArtifacts(a, b);
    const blocking = needsApproval(result);
    const production = result.profile === 'production';
    const approval = blocking.length && reason ? reason.trim() : undefined;
    const markdown = renderMarkdown(result, approval);
    let text = renderTable(result);
    let exitCode = 0;
    if (production && blocking.length) {
      const which = blocking.map((p) => `${p.platform} (${p.overall})`).join(', ');
      if (approval) text += `\nallowed by --allow-replacement: ${approval} (${which})\n`;
      else {
        text += `\nproduction: ${which}; re-run with --allow-replacement "<reason>" to accept (exit ${EXIT_NEEDS_APPROVAL})\n`;
        exitCode = EXIT_NEEDS_APPROVAL;
      }
    }
    // diff.md quotes artifact values: scan it like every artifact before writing it.
    const leak = scanText(markdown, path.basename(outFile))[0];
    if (leak) throw new Error(`diff.md would contain a ${leak.kind} (line ${leak.line}); nothing written`);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${markdown}\n`);
    text += `\nwrote ${path.relative(cwd, outFile) || outFile}\n`;
    return { text, markdown, exitCode, outFile };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The CLI itself: what `npm run diff` runs with process.argv, exported so tests can run the same code
 * in-process (test/support/run-cli.ts) instead of paying a tsx child per case.
 */
export async function main(argv: string[], synth?: SynthSides): Promise<void> {
  const r = await runDiff(argv, synth);
  process.stdout.write(r.text);
  process.exitCode = r.exitCode;
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
