// The lab content format (README, "Writing a lab"): lab.yaml and the front matter of each step.
import { z } from 'zod';
import { workspacePathProblem } from './workspace-paths';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'use lower-case letters, digits and dashes');
const stepId = (example: string) => z.string().regex(/^\d{2}-[a-z0-9-]+$/, `a step id, e.g. ${example}`);
const absolutePath = z.string().regex(/^\/[^\0]+$/, 'use an absolute path inside the sandbox');
/** A file of the lab's own directory, relative to it (never outside it). */
const labFile = z
  .string()
  .regex(/^[\w.-][\w./-]*$/, 'a file of the lab, relative to its directory, e.g. solutions/files/sockops.bpf.c')
  .refine((p) => !p.split('/').includes('..'), 'a file inside the lab directory (no "..")');

export const TerminalSchema = z.strictObject({
  /** Tab id; code blocks name it with tab=<name>. */
  name,
  title: z.string().min(1).optional(),
  /** Network namespace ("pod") the shell runs in; its processes also join the pod's cgroup. */
  pod: name.optional(),
});

/** A sampler counter (lib/datapath/frame.ts), e.g. if.server.lo.tx_bytes or map.accel_stats.1. */
const metric = z.string().regex(/^(if|tcp|nat|map|prog|cgroup|bpf|sampler)\.[\w./:-]+$/, 'a sampler counter, e.g. if.server.lo.tx_bytes (README, "Datapath view")');

export const DatapathNodeSchema = z.strictObject({
  id: name,
  label: z.string().min(1).max(20, 'keep it short: the node is 124 units wide'),
  /** A second, smaller line: ports, programs. */
  detail: z.string().max(24, 'keep it short: the node is 124 units wide').optional(),
  /** Grid position: columns left to right, rows top to bottom. */
  col: z.number().int().min(0).max(5),
  row: z.number().int().min(0).max(3),
  kind: z.enum(['pod', 'kernel', 'proxy', 'app', 'bpf']).default('kernel'),
  /** Nodes with the same group are drawn inside one box with this label (e.g. "server pod"). */
  group: z.string().min(1).max(30).optional(),
});

export const DatapathEdgeSchema = z.strictObject({
  from: name,
  to: name,
  label: z.string().max(28).optional(),
  /** Counters whose rate the edge shows; packets also decides whether the edge is active. */
  packets: metric.optional(),
  bytes: metric.optional(),
  /** What `packets` counts. */
  unit: z.enum(['packets', 'messages', 'connections']).default('packets'),
  /** Drawn as a shortcut (curved, dashed when idle): the sockmap redirect. */
  shortcut: z.boolean().default(false),
  /**
   * The hop through a proxy's user space: a counter of the payload its user space moves (e.g. the proxy's data bytes).
   * While the edge's traffic (`packets`) flows and this counter does not move, the edge is drawn dashed: no payload
   * through user space (the kernel moved it).
   */
  userSpace: metric.optional(),
  /** Shown while the edge's counter is missing. */
  missing: z.string().max(200).optional(),
});

export const DatapathCounterSchema = z.strictObject({
  label: z.string().min(1).max(60),
  metric,
  /** rate: per second; total: the value; gauge: the value, which goes up and down. */
  show: z.enum(['rate', 'total', 'gauge']).default('total'),
  missing: z.string().max(200).optional(),
});

export const DatapathSchema = z
  .strictObject({
    nodes: z.array(DatapathNodeSchema).min(2).max(16),
    edges: z.array(DatapathEdgeSchema).min(1).max(24),
    counters: z.array(DatapathCounterSchema).max(16).default([]),
    /** TCP ports whose established connections the sampler counts (tcp.<pod>.<port>.established). */
    ports: z.array(z.number().int().min(1).max(65535)).max(8).default([]),
    /** Names the sandbox's state at capture time: `metric` > 0 means `on`, else `off`. */
    state: z.strictObject({ metric, on: z.string().min(1).max(40), off: z.string().min(1).max(40) }).optional(),
    capture: z
      .strictObject({
        /** The pod whose interfaces are captured. */
        pod: name,
        interfaces: z.array(z.string().regex(/^[\w.-]{1,15}$/, 'an interface name, e.g. lo')).min(1).max(4),
        /** tcpdump filter. */
        filter: z.string().regex(/^[\w .:()!&|=<>-]*$/, 'a tcpdump filter (letters, digits, spaces and operators)').default('tcp'),
        /** Run in the sandbox (bash) while capturing, so there is traffic to see. */
        traffic: z.string().max(300).optional(),
        /** What to change before capturing again, shown after the first capture (default: a change of `state`). */
        note: z.string().min(1).max(200).optional(),
      })
      .optional(),
  })
  .superRefine((d, ctx) => {
    const ids = new Set(d.nodes.map((n) => n.id));
    if (ids.size !== d.nodes.length) ctx.addIssue({ code: 'custom', message: 'node ids must be unique', path: ['nodes'] });
    d.edges.forEach((e, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!ids.has(e[end])) ctx.addIssue({ code: 'custom', message: `edge ${end} names no node (${e[end]})`, path: ['edges', i, end] });
      }
      if (e.userSpace && !e.packets) {
        ctx.addIssue({ code: 'custom', message: 'userSpace needs packets: the traffic whose payload may bypass user space', path: ['edges', i, 'userSpace'] });
      }
    });
    const cells = new Set<string>();
    d.nodes.forEach((n, i) => {
      const cell = `${n.col},${n.row}`;
      if (cells.has(cell)) ctx.addIssue({ code: 'custom', message: `two nodes at col ${n.col}, row ${n.row}`, path: ['nodes', i] });
      cells.add(cell);
    });
  });

/** A path inside the lab's workspace: the editor API's own rule (lib/editor/paths.ts). */
const workspacePath = z
  .string()
  .refine((p) => !workspacePathProblem(p), 'a path inside the workspace, e.g. sockops.bpf.c (relative, no "..")');

export const EditorFileSchema = z.strictObject({
  path: workspacePath,
  /** The starter version's sandbox path, for a file not in the lab's workspace directory (Reset file restores it). */
  starter: absolutePath.optional(),
  /**
   * The reference version, which Compare shows once the learner revealed `step`'s solution: a file of the lab
   * (relative, e.g. solutions/files/sockops.bpf.c) or a path in the sandbox image (absolute).
   */
  solution: z.strictObject({ step: stepId('03-sockops'), from: z.union([absolutePath, labFile]) }).optional(),
});

export const EditorSchema = z.strictObject({
  files: z
    // A bare string is a file with only a path (errors then point at the path, not at "invalid input").
    .array(z.preprocess((v) => (typeof v === 'string' ? { path: v } : v), EditorFileSchema))
    .min(1)
    .max(20),
  /** Run (bash) in the workspace by Build; clang's diagnostics become editor markers. */
  build: z.string().min(1).max(300).optional(),
  /** Run (bash) in the workspace by Load; a verifier log in its output is shown, readable. */
  load: z.string().min(1).max(300).optional(),
  /** Seconds Build and Load may take. */
  timeout: z.number().int().positive().max(300).default(60),
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
  /**
   * The proxy this lab runs in place of the image's (e.g. one the learner builds): the page's header names it, so a
   * learner is never told that the image's proxy, stopped by the lab, is the one in use.
   */
  proxy: z.string().regex(/^[\w.+-]{1,40}$/, 'a program name, e.g. splice-proxy').optional(),
  /** Pods the lab creates itself, besides lab-pods' client and server (a terminal's pod must be one of them). */
  pods: z.array(name).default([]),
  terminals: z
    .array(TerminalSchema)
    .min(1)
    .max(6)
    .default([{ name: 'sandbox' }])
    .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'terminal names must be unique'),
  /** The Editor pane: workspace files the learner edits, and how to build and load them (lib/editor). */
  editor: EditorSchema.optional(),
  /** Files copied into every new sandbox before the setup script: a directory of the lab -> a sandbox path. */
  workspace: z
    .strictObject({
      from: z.string().regex(/^[\w.-][\w./-]*$/, 'a directory inside the lab, e.g. starter'),
      to: absolutePath,
    })
    .optional(),
  /** The lab has a Benchmarks pane (lib/bench). `after`: the step whose solutions bring a fresh sandbox to the
   * state the benchmark needs (npm run bench runs the solutions up to it). */
  benchmark: z
    .strictObject({
      after: stepId('05-load-and-attach').optional(),
      /** The lab's own modes, in the order a repetition runs them (default: direct, proxy, proxy+accel). Each has
       * the script that switches the sandbox to it, and what its samples must show (checked per sample). */
      modes: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z][a-z0-9+-]{0,19}$/, 'a mode name: lowercase letters, digits, + and -'),
            run: z.string().min(1),
            viaProxy: z.boolean(),
            redirected: z.boolean(),
            noProxyReads: z.boolean().default(false),
          }),
        )
        .min(2)
        .max(8)
        .optional(),
      /** With modes: the mode whose tax is measured, and the one compared with it per repetition. */
      reference: z.string().optional(),
      accelerated: z.string().optional(),
      /** With modes: bash printing one JSON line {proxyConnections, redirected, proxyReads?} (before and after each
       * sample), and bash that puts the sandbox back in the benchmark's state afterwards. */
      counters: z.string().optional(),
      restore: z.string().optional(),
      /** With modes: the proxy they measure, named in the run's environment line (default: the image's, $LAB_PROXY). */
      proxy: z.string().regex(/^[\w.+-]{1,40}$/, 'a program name, e.g. splice-proxy').optional(),
    })
    .refine((b) => !b.modes || (b.counters && b.restore && b.reference && b.accelerated), 'modes need reference, accelerated, counters and restore')
    .refine(
      (b) => !b.modes || [b.reference, b.accelerated, 'direct'].every((m) => b.modes!.some((x) => x.name === m)),
      'reference, accelerated and direct must be among the modes',
    )
    .optional(),
  /** The Datapath pane: the lab's topology with live counters (lib/datapath). */
  datapath: DatapathSchema.optional(),
  /** Script in the lab directory run once in every new sandbox for this lab. */
  setup: z.string().optional(),
  /** Seconds the setup script may take. */
  setupTimeout: z.number().int().positive().max(900).default(120),
});

/** A reason code a check reports with its failure (`fail CODE "message"` in check.sh): lower-case words and dashes. */
const reasonCode = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a reason code: lower-case letters, digits and dashes, e.g. byte-order');

/** A hint: general (offered in order), or keyed to the reasons a check reports (offered first after such a failure). */
const HintSchema = z.union([
  z.string().min(1),
  z.strictObject({ text: z.string().min(1), when: z.array(reasonCode).min(1) }),
]);

/**
 * A typical mistake the step's check must catch: applied in a fresh sandbox on top of the step's reference solution
 * (or instead of it), after which the check must fail with a message containing `expect` (and report `reason`).
 */
export const MistakeSchema = z.strictObject({
  name: name,
  /** What the learner did, in a few words (the self-test table shows it). */
  what: z.string().min(5),
  /** A patch (unified diff, paths relative to the workspace, applied with patch -p1 there), a file of the lab. */
  patch: z.string().regex(/^mistakes\/[\w./-]+\.patch$/, 'a file under mistakes/, e.g. mistakes/04-sk-msg/v4-mapped-empty.patch').optional(),
  /** A script (bash, the lab environment) run after the patch: rebuild, reload, or the mistaken commands. */
  run: z.string().min(1).optional(),
  /** The mistake replaces the step's solution instead of following it (a different way to do the step). */
  instead: z.boolean().default(false),
  /** Words the check's message must contain for this mistake (case-insensitive). */
  expect: z.string().min(3),
  /** The reason code the check must report for this mistake. */
  reason: reasonCode.optional(),
});

export const StepFrontMatterSchema = z.strictObject({
  title: z.string().min(3).optional(),
  hints: z.array(HintSchema).default([]),
  /** Default tab for this step's Run buttons. */
  terminal: name.optional(),
  /** Seconds the check may run; 10 s unless the check needs traffic to flow longer. */
  checkTimeout: z.number().int().positive().max(120).default(10),
  /** Seconds the reference solution may run (lab self-test). */
  solutionTimeout: z.number().int().positive().max(900).default(120),
  /**
   * The check changes what the learner sees (test traffic, programs loaded for a test): it runs after the
   * learner's commands and on Check, never on the page's timer.
   */
  checkSideEffects: z.boolean().default(false),
  /** A check runs after every command: the self-test fails one slower than this (2 s unless it says why). */
  checkBudget: z.strictObject({ seconds: z.number().positive().max(60), why: z.string().min(10) }).optional(),
  /**
   * A quicker way to complete the step, for the self-test to bring the sandboxes of later steps' mistakes here (a
   * measurement with the shortest run, say), and why it is enough. The step's check must pass after it, which the
   * self-test requires wherever it uses it: the state is then one a learner reaches too.
   */
  replay: z.strictObject({ run: z.string().min(1), why: z.string().min(10) }).optional(),
  mistakes: z.array(MistakeSchema).default([]),
});

export type LabMeta = z.infer<typeof LabMetaSchema>;
export type Datapath = z.infer<typeof DatapathSchema>;
export type Editor = z.infer<typeof EditorSchema>;
export type EditorFile = z.infer<typeof EditorFileSchema>;
export type DatapathNode = z.infer<typeof DatapathNodeSchema>;
export type DatapathEdge = z.infer<typeof DatapathEdgeSchema>;
export type DatapathCounter = z.infer<typeof DatapathCounterSchema>;
export type TerminalSpec = z.infer<typeof TerminalSchema>;
export type StepFrontMatter = z.infer<typeof StepFrontMatterSchema>;

/** Seconds a check may take when the step says nothing: checks run after every learner command. */
export const DEFAULT_CHECK_BUDGET_S = 2;

export interface Hint {
  text: string;
  /** Reason codes this hint answers; empty for a general hint. */
  when: string[];
}

export interface Mistake extends Omit<z.infer<typeof MistakeSchema>, 'patch'> {
  /** The patch's path in the lab and its content. */
  patch?: { file: string; content: string };
}

export interface Step {
  /** Position in the lab, from 0. */
  index: number;
  /** File stem: "01-capture". */
  id: string;
  title: string;
  hints: Hint[];
  /** The check makes test traffic or loads programs: never on the timer. */
  sideEffects: boolean;
  /** Seconds the check may take in the self-test, and why when it is not the default. */
  checkBudget: { seconds: number; why?: string };
  /** How the self-test completes this step on the way to a later step's mistake, when not by its solution. */
  replay?: { run: string; why: string };
  mistakes: Mistake[];
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
  /** The files of solutions/files/ (paths relative to it), copied to SOLUTION_FILES_DIR before a solution runs. */
  solutionFiles: { path: string; content: Buffer; mode: number }[];
  /** Files of the lab directory the app serves (editor solutions given as lab files), by their relative path. */
  labFiles: Record<string, string>;
}

/** A problem in a lab's files, pointing at the place to fix. */
export interface LabProblem {
  slug: string;
  file: string;
  line?: number;
  field?: string;
  message: string;
}
