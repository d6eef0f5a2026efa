// Every value placed into a remote command passes through here: one POSIX shell word per
// value, whatever bytes it holds.
import { ValidationError } from '../errors';

/**
 * One POSIX shell word for `s`. Single quotes keep every byte literal except the single
 * quote itself, which is written as '\'' (close, escaped quote, reopen). Always quoted,
 * even when harmless, so that a value like `a=b` is never read as an assignment.
 *
 * A NUL byte cannot travel: argv and environment strings end at the first NUL, so the
 * shell would silently cut the value. It is refused instead.
 */
export function shQuote(s: string): string {
  if (s.includes('\0')) {
    throw new ValidationError(
      'A value for a shell command holds a NUL byte, which no command line can carry. ' +
        'Remove the NUL character from the value.',
    );
  }
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A command line whose words are exactly `argv`, each quoted with shQuote. */
export function shCommand(argv: readonly string[]): string {
  if (argv.length === 0) {
    throw new ValidationError('A command needs at least its program name.');
  }
  return argv.map(shQuote).join(' ');
}

/**
 * Refuses a host name that a program would read as an option (leading '-', as in
 * `-oProxyCommand=...`), or one holding whitespace, control characters or NUL.
 */
export function checkHostName(host: string, what = 'host name'): string {
  if (host.length === 0) {
    throw new ValidationError(`The ${what} is empty. Enter a host name or address.`);
  }
  if (host.startsWith('-')) {
    throw new ValidationError(
      `The ${what} "${host}" starts with "-", which programs read as an option. ` +
        'Enter the real host name or address.',
    );
  }
  if (/[\s\u0000-\u001f\u007f]/.test(host)) {
    throw new ValidationError(
      `The ${what} ${JSON.stringify(host)} holds spaces or control characters. ` +
        'Enter the host name or address alone.',
    );
  }
  return host;
}
