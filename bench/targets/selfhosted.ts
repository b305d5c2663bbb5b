/**
 * The self-hosted render as a whole process (there is no separate CLI for it):
 *   tsx bench/targets/selfhosted.ts [spec.yaml] [outDir]
 * Loads the spec (default: the project's default spec) and renders every self-hosted file.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SPEC_PATH, loadDeployment } from '../../lib/deployment';
import { renderSelfHosted } from '../../lib/selfhosted/render';

const spec = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_SPEC_PATH;
const deployment = loadDeployment(spec);
const outDir = process.argv[3] ?? path.join(os.tmpdir(), 'redis-iac-bench-selfhosted', deployment.id);
const files = renderSelfHosted(deployment, outDir);
process.stdout.write(`wrote ${files.length} files to ${outDir}\n`);
