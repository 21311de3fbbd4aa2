'use client';
// A step the learner moves to opens at its top: the step pane keeps one scroll position for every step, and "Next
// step" at the bottom of a long step would otherwise open the next one somewhere in its middle. When the move came
// from the step pane (its buttons, which the new step replaces), the new step's heading gets the focus, so keyboard
// and screen-reader users land where the step begins; a move made from a terminal (Alt+→) leaves the focus there.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function useStepOpensAtTop(pane: RefObject<HTMLElement | null>, stepId: string) {
  const first = useRef(true);
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const el = pane.current;
    const heading = el?.querySelector<HTMLElement>('#step-title');
    if (!el || !heading) return;
    const article = heading.closest('article') ?? heading;
    const top = article.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
    // Above the step (the step list on view): stay; inside it or below: back to where it begins.
    if (el.scrollTop > top) el.scrollTo({ top });
    const focused = document.activeElement;
    if (!focused || focused === document.body || el.contains(focused)) heading.focus({ preventScroll: true });
  }, [pane, stepId]);
}
