/**
 * Throwaway test CAs and certificates made with the openssl CLI, for the tests that run redis-server
 * with TLS. Callers choose the key type, names and subject; files land in one directory.
 */
import { spawnSync } from 'node:child_process';

/** `-newkey` arguments: RSA 2048 or ECDSA P-256. */
export const RSA_2048 = ['-newkey', 'rsa:2048'];
export const EC_P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

/** Runs openssl in `dir`; a failure throws with openssl's stderr. */
export function openssl(dir: string): (...args: string[]) => void {
  return (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
  };
}

/** A self-signed CA valid for 2 days: `<name>.key` and `<name>.crt`. */
export function makeCa(dir: string, name: string, subject: string, key: string[]): void {
  openssl(dir)(
    'req',
    '-x509',
    ...key,
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-subj',
    subject,
    '-days',
    '2',
  );
}

/**
 * A certificate signed by the CA `ca` (`<ca>.key`/`<ca>.crt`), valid for 2 days, with the
 * extensions in the file `extFile`: `<name>.key`, `<name>.csr` and `<name>.crt`.
 */
export function makeSigned(
  dir: string,
  opts: { name: string; subject: string; key: string[]; ca: string; extFile: string },
): void {
  const ssl = openssl(dir);
  const { name, ca } = opts;
  ssl('req', ...opts.key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', opts.subject);
  ssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    opts.extFile,
  );
}
