// Text people type (names, notes, titles, tasks) is shown on pages, in exports and in
// notices. Two kinds of character make it lie about itself there: control characters
// (a NUL, a bell, an escape sequence in a terminal that reads an export) and the Unicode
// direction overrides and isolates, which make "evil\u202Etxt.exe" read "evilexe.txt".
// No node imports here: the renderer compiles this.
import { z } from 'zod';

/** C0 controls and DEL, direction overrides (U+202A-202E) and isolates (U+2066-2069). */
const CONTROL_OR_DIRECTION = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
/** The same, but tab, line feed and carriage return are allowed: notes have lines. */
const CONTROL_OR_DIRECTION_BUT_LINES =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** One line of text (a name, a title, a group), at most `max` characters. */
export function lineText(max: number) {
  return z
    .string()
    .max(max)
    .refine(
      (s) => !CONTROL_OR_DIRECTION.test(s),
      'this text holds no control or text-direction characters',
    );
}

/** Text with lines (a note, a description, markdown), at most `max` characters. */
export function proseText(max: number) {
  return z
    .string()
    .max(max)
    .refine(
      (s) => !CONTROL_OR_DIRECTION_BUT_LINES.test(s),
      'this text holds no control or text-direction characters (tabs and new lines are fine)',
    );
}
