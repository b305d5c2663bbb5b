/**
 * Reading a rendered redis.conf / sentinel.conf back: the one parser behind the conformance cells,
 * the guides checker and `npm run diff`.
 */

/** Options of {@link directives}. */
export interface DirectivesOptions {
  /**
   * Key `sentinel` lines by their sub-command and master (`sentinel monitor app`): sentinel.conf
   * spells every setting as a `sentinel` line, so one key per setting and master is what changes.
   * @default false (every `sentinel` line under the key `sentinel`)
   */
  sentinelSubcommands?: boolean;
}

/** One argument as Redis splits a config line: a quoted string (spaces kept) or a run of non-space. */
const ARGUMENT = /"(?:\\.|[^"\\])*"|'[^']*'|\S+/g;

/**
 * Directives of a conf file as lower-cased name -> the arguments of each of its lines, in file order
 * (the last one wins for single-value directives, as in Redis; repeated ones such as rename-command,
 * user or include keep every line). Arguments are joined by one space, quoted ones as written; blank
 * lines and `#` comments are skipped.
 */
export function directives(conf: string, options: DirectivesOptions = {}): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, ...args] = line.match(ARGUMENT)!;
    const lower = name.toLowerCase();
    const key =
      options.sentinelSubcommands && lower === 'sentinel' ? `sentinel ${args.slice(0, 2).join(' ')}` : lower;
    out.set(key, [...(out.get(key) ?? []), args.join(' ')]);
  }
  return out;
}
