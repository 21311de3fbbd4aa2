'use client';
// What to measure: modes, message sizes, repetitions, seconds per tool, pinning; and how long that will take.
import { useMemo, useState } from 'react';
import { DEFAULT_SIZES, MODES, SIZES, estimateSeconds, type BenchConfig } from '@/lib/bench/model';
import { aboutDuration, sizeLabel } from './bench-data';

const DEFAULT_CONFIG: BenchConfig = {
  modes: [...MODES],
  sizes: DEFAULT_SIZES,
  repetitions: 3,
  durationS: 5,
  pinned: true,
  tools: ['iperf3', 'sockperf'],
};

const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

export function BenchForm({ disabled, modes = MODES, onRun }: { disabled: boolean; modes?: readonly string[]; onRun(config: BenchConfig): void }) {
  const [config, setConfig] = useState<BenchConfig>({ ...DEFAULT_CONFIG, modes: [...modes] });
  const estimate = useMemo(() => estimateSeconds(config), [config]);
  const set = (change: Partial<BenchConfig>) => setConfig({ ...config, ...change });
  return (
    <form
      className="bench-form"
      onSubmit={(e) => {
        e.preventDefault();
        onRun(config);
      }}
    >
      <fieldset>
        <legend>Modes</legend>
        {modes.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={config.modes.includes(m)} onChange={() => set({ modes: toggle(config.modes, m) })} /> {m}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Message sizes</legend>
        {SIZES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={config.sizes.includes(s)} onChange={() => set({ sizes: toggle(config.sizes, s as number).sort((a, b) => a - b) })} />{' '}
            {sizeLabel(s)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Runs</legend>
        <label>
          repetitions{' '}
          <input type="number" min={1} max={20} value={config.repetitions} onChange={(e) => set({ repetitions: Number(e.target.value) })} />
        </label>
        <label>
          seconds per tool{' '}
          <input type="number" min={1} max={30} value={config.durationS} onChange={(e) => set({ durationS: Number(e.target.value) })} />
        </label>
        <label title="Pin the client, the proxy and the app to one CPU: latency does not then depend on where the scheduler put them">
          <input type="checkbox" checked={config.pinned} onChange={() => set({ pinned: !config.pinned })} /> pinned to one CPU
        </label>
      </fieldset>
      <div className="bench-actions">
        <button type="submit" className="button button-primary" disabled={disabled || config.modes.length === 0 || config.sizes.length === 0}>
          Run benchmark
        </button>
        <span className="muted">about {aboutDuration(estimate)}; the app and the proxy restart, and checks wait while it runs.</span>
      </div>
    </form>
  );
}
