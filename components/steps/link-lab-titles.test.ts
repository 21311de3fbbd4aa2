import { expect, it } from 'vitest';
import { linkLabTitles } from './link-lab-titles';

const labs = [{ slug: 'proxy-acceleration', title: 'Accelerating a proxy (with eBPF)', shown: 'Accelerating a proxy (with eBPF)' }];

it("links a lab's title written in bold, and leaves other bold text and existing links alone", () => {
  expect(linkLabTitles('<p>Next: <strong>Accelerating a proxy (with eBPF)</strong> measures it.</p>', labs)).toBe(
    '<p>Next: <a href="/labs/proxy-acceleration"><strong>Accelerating a proxy (with eBPF)</strong></a> measures it.</p>',
  );
  expect(linkLabTitles('<p><strong>Accelerating</strong></p>', labs)).toBe('<p><strong>Accelerating</strong></p>');
  const linked = '<a href="x"><strong>Accelerating a proxy (with eBPF)</strong></a>';
  expect(linkLabTitles(linked, labs)).toBe(linked);
});

it('shows the title as the page names it', () => {
  const html = linkLabTitles('<strong>Redirection to Envoy</strong>', [{ slug: 't', title: 'Redirection to Envoy', shown: 'Redirection to HAProxy' }]);
  expect(html).toBe('<a href="/labs/t"><strong>Redirection to HAProxy</strong></a>');
});
