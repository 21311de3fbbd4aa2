// Reads what sandbox-prepare (in the image) printed: one JSON line describing the sandbox's kernel features.
import { z } from 'zod';
import { AppError } from '../errors';
import type { ExecResult, Preflight } from './types';

const PreflightSchema = z.object({
  ok: z.boolean(),
  cgroup: z.string(),
  cgroupMode: z.enum(['v1', 'v2']),
  kernel: z.string(),
  proxy: z.string(),
  missing: z.array(z.string()),
  /** Compared with the engine host's to tell a shared kernel from the sandbox's own (kernel-probe.ts). */
  bootId: z.string().optional(),
});

/** sandbox-prepare's output: the learner cannot touch it yet, but it is still a program's output, so checked. */
export function parsePreflight(result: ExecResult): Preflight {
  const last = result.stdout.trim().split('\n').pop() ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    parsed = undefined;
  }
  const checked = PreflightSchema.safeParse(parsed);
  if (result.exitCode !== 0 || !checked.success) {
    throw new AppError('sandbox_prepare_failed', 'The sandbox could not be prepared.', {
      status: 500,
      details: [
        `sandbox-prepare exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}${result.overflow ? ' (printed too much)' : ''}`,
        ...(result.stderr.trim() ? [result.stderr.trim()] : []),
      ],
      hint: 'The sandbox image may be out of date: run "npm run build:image".',
    });
  }
  return checked.data;
}
