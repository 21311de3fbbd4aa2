// tcpdump -tt prints each packet's time as seconds since the epoch ("1796043299.840470"): the learner reads the time
// of day instead (their browser's zone, microseconds kept) and the time since the capture's first packet.

const EPOCH_TIME = /^(\d{9,11})\.(\d{6})\b/;

function timeOfDay(seconds: number, micros: string, timeZone?: string): string {
  const hms = new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour12: false, timeZone });
  return `${hms}.${micros}`;
}

/** The lines with their epoch times made readable; lines without one are left as they are. */
export function readableCaptureLines(lines: string[], timeZone?: string): string[] {
  let first: number | undefined;
  return lines.map((line) => {
    const m = EPOCH_TIME.exec(line);
    if (!m) return line;
    const seconds = Number(m[1]);
    const at = seconds + Number(m[2]) / 1e6;
    first ??= at;
    const since = `+${((at - first) * 1000).toFixed(3)} ms`;
    return `${timeOfDay(seconds, m[2]!, timeZone)} ${since.padStart(12)}${line.slice(m[0].length)}`;
  });
}
