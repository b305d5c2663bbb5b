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
  version?: string;
  findings: CfnLintFinding[];
}

interface RawFinding {
  Rule?: { Id?: string };
  Level?: string;
  Message?: string;
  Filename?: string;
  Location?: { Start?: { LineNumber?: number } };
}

/** cfn-lint on `files` (JSON output). Throws when cfn-lint runs but its output cannot be read. */
export function runCfnLint(files: string[], executable = process.env.CFN_LINT ?? 'cfn-lint'): CfnLintResult {
  const version = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { available: false, findings: [] };
  if (files.length === 0) return { available: true, version: version.stdout.trim(), findings: [] };
  const run = spawnSync(executable, ['--format', 'json', '--', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
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
    version: version.stdout.trim(),
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
