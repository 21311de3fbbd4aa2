// A step that names another lab in bold ("Next: **Accelerating a transparent ingress proxy with eBPF**") links to it:
// authors write the title, the page makes it a way there. Runs on the server, on the step's rendered HTML.
import { escapeHtml } from '@/lib/labs/markdown';

export interface LabTitle {
  slug: string;
  /** As lab.yaml writes it (what a step's text names). */
  title: string;
  /** As the page shows it (the proxy the sandbox runs, components/common/proxy-name.ts). */
  shown: string;
}

export function linkLabTitles(html: string, labs: LabTitle[]): string {
  return labs.reduce((out, lab) => {
    // Not when the author already linked it (<a …><strong>title</strong></a>).
    const bold = new RegExp(`(?<!<a [^>]*>)<strong>${escapeRegExp(escapeHtml(lab.title))}</strong>`, 'g');
    return out.replace(bold, `<a href="/labs/${encodeURIComponent(lab.slug)}"><strong>${escapeHtml(lab.shown)}</strong></a>`);
  }, html);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
