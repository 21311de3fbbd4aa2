// Terminal escape sequences out of program output (sockperf colours its numbers, checks may print colours, shells
// send cursor and title sequences). The patterns are built from the characters' codes: ESC and BEL are what they
// must match, and a literal control character in a pattern reads as a typo.
const ESC = String.fromCharCode(0x1b);
const BEL = String.fromCharCode(0x07);

/** Select Graphic Rendition: colours and bold. */
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
/** Every CSI sequence, OSC strings (titles, markers) ended by BEL or ST, and charset selections. */
const ANY = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[()][0-9A-B]`, 'g');

export function stripColours(text: string): string {
  return text.replace(SGR, '');
}

export function stripEscapes(text: string): string {
  return text.replace(ANY, '');
}
