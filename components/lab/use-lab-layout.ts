'use client';
// The page's arrangement as React state, saved whenever the learner changes it (drags a separator, picks a tool,
// maximises the tools): see lab-layout.ts. The splits are saved only after the learner's own changes, not the
// library's (initial mount, a window resize), and as the learner asked for them, before constraints of the moment.
import { useCallback, useRef, useState } from 'react';
import type { Layout, LayoutChangedMeta } from 'react-resizable-panels';
import { saveLabLayout, type LabLayout, type PanelSizes } from './lab-layout';

export function useLabLayout(slug: string, initial: LabLayout) {
  const latest = useRef(initial);
  // The last terminals/tools split: that group is mounted again with each new sandbox (Reset lab) and starts from it.
  const [rows, setRows] = useState(initial.rows);
  const [maximised, setMaximisedState] = useState(!!initial.maximised);

  const save = useCallback(
    (change: Partial<LabLayout>) => {
      latest.current = { ...latest.current, ...change };
      saveLabLayout(slug, latest.current);
    },
    [slug],
  );

  const onColumnsChanged = useCallback(
    (layout: Layout, meta: LayoutChangedMeta) => {
      if (meta.isUserInteraction) save({ columns: (meta.requestedLayout ?? layout) as PanelSizes });
    },
    [save],
  );
  const onRowsChanged = useCallback(
    (layout: Layout, meta: LayoutChangedMeta) => {
      if (!meta.isUserInteraction) return;
      const sizes = (meta.requestedLayout ?? layout) as PanelSizes;
      setRows(sizes);
      save({ rows: sizes });
    },
    [save],
  );
  const setMaximised = useCallback(
    (on: boolean) => {
      setMaximisedState(on);
      save({ maximised: on || undefined });
    },
    [save],
  );

  return { columns: initial.columns, rows, onColumnsChanged, onRowsChanged, maximised, setMaximised, save };
}
