// The datapath sampler's metric names (sandbox/sampler/datapath-sampler.c), as a grammar lab.yaml is checked
// against: a name the sampler never prints would leave an edge or counter of the Datapath pane empty forever.

const NAME = '[a-z][a-z0-9_-]*';
/** A pinned object's path under the BPF filesystem, as the sampler names it (directories joined with "/"). */
const PIN = '[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*';

const GRAMMAR: { re: RegExp; pod?: number; form: string }[] = [
  { re: new RegExp(`^if\\.(${NAME})\\.[A-Za-z0-9_.@-]+\\.(rx|tx)_(packets|bytes)$`), pod: 1, form: 'if.<pod>.<dev>.{rx,tx}_{packets,bytes}' },
  { re: new RegExp(`^tcp\\.(${NAME})\\.\\d{1,5}\\.established$`), pod: 1, form: 'tcp.<pod>.<port>.established' },
  { re: new RegExp(`^nat\\.(${NAME})\\.redirect_(packets|bytes)$`), pod: 1, form: 'nat.<pod>.redirect_{packets,bytes}' },
  { re: new RegExp(`^cgroup\\.(${NAME})\\.(sock_ops|getsockopt)\\.(progs|run_cnt|run_time_ns)$`), pod: 1, form: 'cgroup.<pod>.{sock_ops,getsockopt}.{progs,run_cnt,run_time_ns}' },
  { re: new RegExp(`^map\\.${PIN}\\.(\\d+|entries)$`), form: 'map.<pin>.<index> or map.<pin>.entries' },
  { re: new RegExp(`^map\\.${PIN}\\.msg_verdict\\.(progs|run_cnt|run_time_ns)$`), form: 'map.<pin>.msg_verdict.{progs,run_cnt,run_time_ns}' },
  { re: new RegExp(`^prog\\.${PIN}\\.(run_cnt|run_time_ns)$`), form: 'prog.<pin>.{run_cnt,run_time_ns}' },
  { re: /^bpf\.stats_enabled$/, form: 'bpf.stats_enabled' },
  { re: /^sampler\.(cpu_us|tick_us)$/, form: 'sampler.{cpu_us,tick_us}' },
];

/** Why the sampler would never print `metric` (with the forms it does print), or undefined when it may. */
export function metricProblem(metric: string, pods: ReadonlySet<string>): string | undefined {
  for (const g of GRAMMAR) {
    const m = g.re.exec(metric);
    if (!m) continue;
    if (g.pod !== undefined && !pods.has(m[g.pod]!)) return `${metric}: the sampler counts pods ${[...pods].join(', ')}, not "${m[g.pod]}"`;
    return undefined;
  }
  const family = metric.split('.')[0];
  const forms = GRAMMAR.filter((g) => g.form.startsWith(`${family}.`)).map((g) => g.form);
  return `${metric} is not a counter the datapath sampler prints (${(forms.length ? forms : GRAMMAR.map((g) => g.form)).join('; ')})`;
}
