#!/usr/bin/env node
/**
 * `npm run typecheck`: `tsc -b` over tsconfig.json (noEmit, incremental). In build mode tsc first asks
 * whether any input changed since the last check recorded in the build info
 * (node_modules/.cache/tsconfig.tsbuildinfo) and stops there when none did: half a second instead of
 * about nine of CPU for parsing every declaration file again. A check that found errors is never
 * "up to date": it runs again and fails again.
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

const BUILD_INFO = 'node_modules/.cache/tsconfig.tsbuildinfo';
const INSTALLED = 'node_modules/.package-lock.json';

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : undefined);
const info = mtime(BUILD_INFO);
const installed = mtime(INSTALLED);
if (info !== undefined && installed !== undefined && installed > info) fs.rmSync(BUILD_INFO);

const tsc = process.env.TYPECHECK_TSC;
const r = tsc
  ? spawnSync(tsc, ['-b', 'tsconfig.json'], { stdio: 'inherit' })
  : spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.json'], {
      stdio: 'inherit',
    });
process.exit(r.status ?? 1);
