// The name a learner may give the instructor: optional, short, printable. It is shown in the instructor's view and
// its CSV export, so control characters, markup-looking text and spreadsheet formulas stay out.
import { AppError } from '../errors';

export const MAX_DISPLAY_NAME = 40;

/** The name to store (trimmed, inner whitespace collapsed), null for "no name", or a 400 that says what to change. */
export function parseDisplayName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid('The name must be text.');
  const name = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '') return null;
  if (name.length > MAX_DISPLAY_NAME) throw invalid(`The name is ${name.length} characters long; at most ${MAX_DISPLAY_NAME} fit.`);
  // \p{C}: control, format (bidi overrides included), unassigned and private-use characters.
  if (/\p{C}/u.test(name)) throw invalid('The name holds invisible or control characters.');
  if (/[<>]/.test(name)) throw invalid('The name may not contain < or >.');
  return name;
}

function invalid(message: string): AppError {
  return new AppError('invalid_name', message, { status: 400, hint: `Use letters, digits and spaces, up to ${MAX_DISPLAY_NAME} characters.` });
}
