// The lab content format (README, "Writing a lab"): lab.yaml and the front matter of each step.
import { z } from 'zod';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'use lower-case letters, digits and dashes');

export const TerminalSchema = z.strictObject({
  /** Tab id; code blocks name it with tab=<name>. */
  name,
  title: z.string().min(1).optional(),
  /** Network namespace ("pod") the shell runs in; its processes also join the pod's cgroup. */
  pod: name.optional(),
});

export const LabMetaSchema = z.strictObject({
  title: z.string().min(3),
  summary: z.string().min(10),
  /** Expected minutes. */
  duration: z.number().int().positive().max(600),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  /** Catalog position; lower first. */
  order: z.number().int().default(100),
  /** Slugs of labs worth doing first (shown in the catalog). */
  requires: z.array(z.string()).default([]),
  kernel: z
    .strictObject({
      /** Oldest kernel the lab works on, e.g. "5.10". */
      min: z.string().regex(/^\d+\.\d+$/, 'write the version as MAJOR.MINOR, e.g. "5.10"'),
      features: z.array(z.enum(['btf', 'sockmap', 'cgroup2', 'tc', 'netns'])).default([]),
    })
    .optional(),
  terminals: z
    .array(TerminalSchema)
    .min(1)
    .max(6)
    .default([{ name: 'sandbox' }])
    .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'terminal names must be unique'),
  /** Sandbox files the editor offers (absolute paths inside the sandbox). */
  editable: z.array(z.string().regex(/^\/[^\0]+$/, 'use an absolute path inside the sandbox')).default([]),
  /** Files copied into every new sandbox before the setup script: a directory of the lab -> a sandbox path. */
  workspace: z
    .strictObject({
      from: z.string().regex(/^[\w.-][\w./-]*$/, 'a directory inside the lab, e.g. starter'),
      to: z.string().regex(/^\/[^\0]+$/, 'use an absolute path inside the sandbox'),
    })
    .optional(),
  /** The lab has a Benchmarks pane (lib/bench). `after`: the step whose solutions bring a fresh sandbox to the
   * state the benchmark needs (npm run bench runs the solutions up to it). */
  benchmark: z
    .strictObject({
      after: z.string().regex(/^\d{2}-[a-z0-9-]+$/, 'a step id, e.g. 05-load-and-attach').optional(),
    })
    .optional(),
  /** Script in the lab directory run once in every new sandbox for this lab. */
  setup: z.string().optional(),
  /** Seconds the setup script may take. */
  setupTimeout: z.number().int().positive().max(900).default(120),
});

export const StepFrontMatterSchema = z.strictObject({
  title: z.string().min(3).optional(),
  hints: z.array(z.string().min(1)).default([]),
  /** Default tab for this step's Run buttons. */
  terminal: name.optional(),
  /** Seconds the check may run; 10 s unless the check needs traffic to flow longer. */
  checkTimeout: z.number().int().positive().max(120).default(10),
  /** Seconds the reference solution may run (lab self-test). */
  solutionTimeout: z.number().int().positive().max(900).default(120),
});

export type LabMeta = z.infer<typeof LabMetaSchema>;
export type TerminalSpec = z.infer<typeof TerminalSchema>;
export type StepFrontMatter = z.infer<typeof StepFrontMatterSchema>;

export interface Step {
  /** Position in the lab, from 0. */
  index: number;
  /** File stem: "01-capture". */
  id: string;
  title: string;
  hints: string[];
  terminal: string;
  checkTimeoutMs: number;
  solutionTimeoutMs: number;
  /** Markdown source (front matter removed) and its rendering. */
  markdown: string;
  html: string;
  /** Script contents, sent to the sandbox when needed: the learner cannot edit them. */
  check: string;
  solution: string;
}

export interface Lab {
  slug: string;
  dir: string;
  meta: LabMeta;
  steps: Step[];
  setupScript?: string;
  /** The workspace files (paths relative to meta.workspace.to). */
  workspaceFiles: { path: string; content: Buffer; mode: number }[];
}

/** A problem in a lab's files, pointing at the place to fix. */
export interface LabProblem {
  slug: string;
  file: string;
  line?: number;
  field?: string;
  message: string;
}
