// npm run lab -- new <slug>: a lab that passes validate and test at once, with every lab.yaml field shown (the
// optional ones commented), one step with its check, solution, hints and a typical mistake, and a starter file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SLUG = /^[a-z0-9][a-z0-9-]{1,47}$/;

export function scaffoldFiles(slug: string): Record<string, string> {
  const title = slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const pin = `${slug.replace(/-/g, '_')}_counts`;
  return {
    'lab.yaml': `# ${slug}: what the catalog shows, and how every sandbox of this lab is set up (README, "Writing a lab").
title: ${title}
summary: One or two sentences for the catalog, saying what the learner builds and measures.
duration: 15                 # minutes
difficulty: beginner         # beginner | intermediate | advanced
order: 100                   # catalog position (lower first)
requires: []                 # labs worth doing first, by slug, e.g. [sandbox-tour]
kernel: { min: "5.15", features: [btf] }   # btf | sockmap | cgroup2 | tc | netns
# pods: []                   # pods the lab makes itself; lab-pods up makes client and server
terminals:                   # one tab each; pod: the network namespace and cgroup the shell enters
  - { name: sandbox, title: sandbox }
  # - { name: server, title: server pod, pod: server }
workspace: { from: starter, to: /root/lab }   # copied into every new sandbox before setup
# setup: setup.sh            # runs once in every new sandbox, before the learner gets it (lab-pods up, say)
# setupTimeout: 120          # seconds
# editor:                    # an Editor pane on workspace files (README, "Editor")
#   files: [{ path: notes.txt }]
#   build: make
# datapath: ...              # a Datapath pane (README, "Datapath view")
# benchmark: { after: 01-pin-a-map }   # a Benchmarks pane (README, "Benchmarks")
`,
    'steps/01-pin-a-map.md': `---
title: Pin a map
terminal: sandbox            # the tab the Run buttons type into
hints:
  - A map lives in the kernel; pinning it gives it a path under the BPF filesystem ($LAB_BPFFS).
  - { text: "The step asks for a hash map: remove the pin (rm) and create it again with type hash.", when: [wrong-type] }
# checkTimeout: 10           # seconds the check may run
# checkBudget: { seconds: 4, why: "what makes it slow" }   # over 2 s, the self-test asks why
# checkSideEffects: true     # the check makes test traffic or loads programs: not on the page's timer
mistakes:                    # what learners get wrong; npm run lab -- test proves the check catches each
  - name: array-map
    what: an array map pinned instead of a hash map
    instead: true            # this replaces the step's solution (without it, it runs after the solution)
    run: bpftool map create "$LAB_BPFFS/${pin}" type array key 4 value 8 entries 16 name ${pin}
    expect: not a hash map   # words the check's message must contain
    reason: wrong-type       # the reason code it must report (hints can be keyed to it)
---

# Pin a map

Create a hash map with 4-byte keys and 8-byte values and pin it, so that it outlives the command that made it:

\`\`\`sh
bpftool map create "$LAB_BPFFS/${pin}" type hash key 4 value 8 entries 16 name ${pin}
\`\`\`

Your notes for this lab are in \`/root/lab/notes.txt\`.
`,
    'checks/01-pin-a-map.sh': `#!/bin/bash
# Done when a hash map is pinned at $LAB_BPFFS/${pin}. The last line printed is what the learner reads.
. /opt/ebpf-labs/lib/check.sh
pin="$LAB_BPFFS/${pin}"
[ -e "$pin" ] || fail no-map "No map is pinned at $pin yet: run the bpftool map create command of this step."
type=$(bpftool -j map show pinned "$pin" 2>/dev/null | jq -r '.type // empty')
[ "$type" = hash ] || fail wrong-type "The map at $pin is a \${type:-unknown} map, not a hash map: remove it (rm $pin) and create it with type hash."
pass "A hash map is pinned at $pin."
`,
    'solutions/01-pin-a-map.sh': `#!/bin/bash
# The reference solution: after it, the check must pass.
set -e
bpftool map create "$LAB_BPFFS/${pin}" type hash key 4 value 8 entries 16 name ${pin}
`,
    'starter/notes.txt': `Notes for ${title}: this file is copied into every new sandbox at /root/lab/notes.txt.\n`,
  };
}

/** Writes the lab into labsDir/slug; refuses a bad slug or an existing directory. Returns the files written. */
export function scaffoldLab(labsDir: string, slug: string): string[] {
  if (!SLUG.test(slug)) throw new Error(`"${slug}" cannot be a lab slug: use lower-case letters, digits and dashes`);
  const dir = path.join(labsDir, slug);
  if (existsSync(dir)) throw new Error(`${dir} already exists: pick another slug, or edit that lab`);
  const files = scaffoldFiles(slug);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return Object.keys(files).map((rel) => path.relative(process.cwd(), path.join(dir, rel)));
}

export function nextSteps(slug: string): string {
  return `Next:
  1. labs/${slug}/lab.yaml: the title and summary; terminals and setup if the lab needs pods (lab-pods up)
  2. labs/${slug}/steps/01-pin-a-map.md: your first step (rename the step's four files together: NN-<name>)
  3. npm run lab -- validate ${slug}      (schema, cross-references, bash -n and ShellCheck on every script)
  4. npm run lab -- test ${slug}          (every check fails from the start, passes after its solution, catches each mistake)
  5. npm run lab -- check ${slug} 01      (one step's check, in a kept sandbox brought to that step)
     npm run lab -- test ${slug} --watch  (re-runs the steps whose files you change)`;
}
