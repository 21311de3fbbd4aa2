'use client';
// The lab's topology as SVG: nodes on a grid, edges carrying live rates; edges with traffic are highlighted and
// animated, idle ones grey, missing ones dashed with the reason on hover; a proxy's user-space hop whose traffic flows
// without payload through user space (spliced in the kernel) sparsely dashed, and says so. Drawn at least at its natural size (one SVG
// unit per CSS pixel), so that its labels are never smaller than their font size (11 px and up, datapath.css): a pane
// narrower than the diagram scrolls it sideways instead of shrinking the text; a wider one scales it up a little.
import type { Datapath } from '@/lib/labs/schema';
import type { DatapathFrame } from '@/lib/datapath/frame';
import { NODE_H, NODE_W, NO_USER_SPACE_PAYLOAD, edgePath, edgeState, groupBoxes, nodeCenter, viewBox } from '@/lib/datapath/view';

/** How much larger than its natural size the diagram may grow in a wide pane. */
const MAX_SCALE = 1.3;

export function DatapathDiagram({ topology, frame }: { topology: Datapath; frame?: DatapathFrame }) {
  const { width, height } = viewBox(topology);
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  return (
    <div className="dp-diagram-frame" tabIndex={0} role="group" aria-label="Packet path diagram (scrolls sideways when the pane is narrow)">
      <svg
        className="dp-diagram"
        viewBox={`0 0 ${width} ${height}`}
        style={{ minWidth: width, maxWidth: Math.round(width * MAX_SCALE) }}
        role="img"
        aria-label="Packet path with live rates"
      >
        <defs>
          <marker id="dp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="dp-arrowhead" />
          </marker>
        </defs>
        {groupBoxes(topology).map((g) => (
          <g key={g.label} className="dp-group">
            <rect x={g.x} y={g.y} width={g.width} height={g.height} rx={10} />
            <text x={g.x + 10} y={g.y + 15}>
              {g.label}
            </text>
          </g>
        ))}
        {topology.edges.map((edge) => {
          const id = `${edge.from}-${edge.to}${edge.shortcut ? '-shortcut' : ''}`;
          const state = edgeState(edge, frame);
          const { d, label } = edgePath(nodes.get(edge.from)!, nodes.get(edge.to)!, edge.shortcut);
          const cls = [
            'dp-edge',
            state.active ? 'dp-edge-active' : 'dp-edge-idle',
            state.missing ? 'dp-edge-missing' : '',
            edge.shortcut ? 'dp-edge-shortcut' : '',
            state.bypassed ? 'dp-edge-bypassed' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <g
              key={id}
              className={cls}
              data-testid={`dp-edge-${id}`}
              data-active={state.active}
              data-rate={state.perSecond ?? ''}
              data-bypassed={state.bypassed}
            >
              <title>
                {[edge.label, state.missing ?? [state.rate, state.bits].filter(Boolean).join(' · '), state.bypassed ? NO_USER_SPACE_PAYLOAD : '', edge.packets]
                  .filter(Boolean)
                  .join('\n')}
              </title>
              <path d={d} markerEnd="url(#dp-arrow)" />
              {edge.label ? (
                <text x={label.x} y={label.y - 13} textAnchor={label.anchor} className="dp-edge-name">
                  {edge.label}
                </text>
              ) : null}
              <text x={label.x} y={label.y} textAnchor={label.anchor} className="dp-edge-rate">
                {state.rate}
              </text>
              {state.bits ? (
                <text x={label.x} y={label.y + 12} textAnchor={label.anchor} className="dp-edge-bits">
                  {state.bits}
                </text>
              ) : null}
              {state.bypassed ? (
                <text x={label.x} y={label.y + (state.bits ? 24 : 12)} textAnchor={label.anchor} className="dp-edge-note">
                  {NO_USER_SPACE_PAYLOAD}
                </text>
              ) : null}
            </g>
          );
        })}
        {topology.nodes.map((n) => {
          const c = nodeCenter(n);
          return (
            <g key={n.id} className={`dp-node dp-node-${n.kind}`} data-testid={`dp-node-${n.id}`}>
              <rect x={c.x - NODE_W / 2} y={c.y - NODE_H / 2} width={NODE_W} height={NODE_H} rx={6} />
              <text x={c.x} y={c.y - (n.detail ? 4 : -4)} className="dp-node-label">
                {n.label}
              </text>
              {n.detail ? (
                <text x={c.x} y={c.y + 13} className="dp-node-detail">
                  {n.detail}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
