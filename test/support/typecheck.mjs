#!/usr/bin/env node
/**
 * `npm run typecheck`: `tsc -b` over tsconfig.json (noEmit, incremental). In build mode tsc first asks
 * whether any input changed since the last check recorded in the build info (tsconfig.json's
 * `tsBuildInfoFile`) and stops there when none did: half a second instead of about nine of CPU for
 * parsing every declaration file again. A check that found errors is never "up to date": it runs
 * again and fails again.
 *
 * Build mode does not look at installed packages' declaration files, so a dependency installed or
 * updated after the last check would go unnoticed: when npm has changed node_modules since (its
 * node_modules/.package-lock.json is newer than the build info), the build info is removed first and
 * everything is checked. `npm ci` removes node_modules, and the build info with it.
 *
 * TYPECHECK_TSC=<executable> replaces tsc (for the test of this rule). Run from the repository root.
 */
/* global process */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const CONFIG = 'tsconfig.json';
const INSTALLED = 'node_modules/.package-lock.json';

// The one place the build info's path is written down is tsconfig.json (plain JSON).
const buildInfo = JSON.parse(fs.readFileSync(CONFIG, 'utf8')).compilerOptions.tsBuildInfoFile;
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : undefined);
const info = mtime(buildInfo);
const installed = mtime(INSTALLED);
if (info !== undefined && installed !== undefined && installed > info) fs.rmSync(buildInfo);

const [cmd, ...pre] = process.env.TYPECHECK_TSC
  ? [process.env.TYPECHECK_TSC]
  : [process.execPath, 'node_modules/typescript/bin/tsc'];
const r = spawnSync(cmd, [...pre, '-b', CONFIG], { stdio: 'inherit' });
process.exit(r.status ?? 1);
