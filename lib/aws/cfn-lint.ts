/**
 * Runs cfn-lint (pip install cfn-lint) on synthesized templates. cfn-lint is a Python tool, so it
 * may be missing on a developer machine: callers decide whether that is fatal (CI: yes).
 */
import { spawnSync } from 'node:child_process';

export interface CfnLintFinding {
  rule: string;
  level: 'Error' | 'Warning' | 'Informational' | string;
  message: string;
  file: string;
  line?: number;
}

export interface CfnLintResult {
  /** False when the cfn-lint executable could not be started. */
  available: boolean;
  findings: CfnLintFinding[];
}

interface RawFinding {
  Rule?: { Id?: string };
  Level?: string;
  Message?: string;
  Filename?: string;
  Location?: { Start?: { LineNumber?: number } };
}

/** Exit status of a shell or pyenv shim that could not find the command. */
const COMMAND_NOT_FOUND = 127;

/**
 * cfn-lint on `files` (JSON output), all in ONE cfn-lint process: each start of the Python tool costs
 * a second or two of CPU, so lint every template you have in one call and split the findings by
 * `file`. Availability is read from that same run (no separate `--version` probe). Throws when
 * cfn-lint runs but its output cannot be read.
 */
export function runCfnLint(files: string[], executable = process.env.CFN_LINT ?? 'cfn-lint'): CfnLintResult {
  if (files.length === 0) {
    const probe = spawnSync(executable, ['--version'], { encoding: 'utf8' });
    return { available: !probe.error && probe.status === 0, findings: [] };
  }
  const run = spawnSync(executable, ['--format', 'json', '--', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (
    (run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ||
    run.status === COMMAND_NOT_FOUND
  ) {
    return { available: false, findings: [] };
  }
  // Exit codes are a bit mask of error (2), warning (4) and informational (8) findings; 1 means cfn-lint itself failed.
  if (run.error || run.status === 1 || run.status === null) {
    throw new Error(
      `cfn-lint failed to run (exit ${run.status}): ${(run.stderr || String(run.error)).trim().slice(0, 500)}`,
    );
  }
  let raw: RawFinding[];
  try {
    raw = JSON.parse(run.stdout || '[]') as RawFinding[];
  } catch {
    throw new Error(`cfn-lint printed something other than JSON: ${run.stdout.slice(0, 200)}`);
  }
  return {
    available: true,
    findings: raw.map((f) => ({
      rule: f.Rule?.Id ?? '?',
      level: f.Level ?? '?',
      message: f.Message ?? '',
      file: f.Filename ?? '?',
      line: f.Location?.Start?.LineNumber,
    })),
  };
}

/** One line per finding, for test failures and CLI output. */
export function formatCfnLintFindings(findings: CfnLintFinding[]): string {
  return findings.map((f) => `${f.file}:${f.line ?? '?'} ${f.level} ${f.rule} ${f.message}`).join('\n');
}
