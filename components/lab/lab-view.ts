// A lab as its page shows it: what app/labs/[slug]/page.tsx reads on the server and hands to the workspace.
import type { StepView } from '@/components/steps/step-panel';
import type { TabInfo } from '@/components/terminal/terminal-pane';
import type { Datapath } from '@/lib/labs/schema';

export interface LabView {
  slug: string;
  title: string;
  /** The proxy the sandbox image carries ('envoy' or 'haproxy'), when the engine answers. */
  proxy?: string;
  /** The proxy the lab runs in place of the image's (lab.yaml proxy), named in the header instead. */
  labProxy?: string;
  tabs: TabInfo[];
  steps: StepView[];
  /** The lab has a Benchmarks pane. */
  benchmark: boolean;
  /** The lab's own benchmark modes (lab.yaml benchmark.modes); none: direct, proxy, proxy+accel. */
  benchmarkModes?: string[];
  /** The lab's topology for the Datapath pane. */
  datapath?: Datapath;
  /** The lab has an Editor pane (lab.yaml editor). */
  editor: boolean;
  /** The lab to do after this one (one that requires it, else the next in the catalog): the last step links to it. */
  nextLab?: { slug: string; title: string };
}
