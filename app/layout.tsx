import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';
// Each feature's stylesheet lives beside its components but is imported here, once, in this order: one place fixes
// the cascade order (a stylesheet imported by a component lands wherever the bundler puts that component's chunk),
// and every page has the same styles, as when they were one file.
import '@/components/catalog/catalog.css';
import '@/components/lab/lab.css';
import '@/components/steps/steps.css';
import '@/components/terminal/terminal.css';
import '@/components/datapath/datapath.css';
import '@/components/bench/bench.css';
import '@/components/editor/editor.css';

export const metadata: Metadata = {
  title: { default: 'eBPF Labs', template: '%s · eBPF Labs' },
  description: 'Hands-on eBPF networking labs in a real sandbox.',
};

export const viewport: Viewport = { colorScheme: 'dark', themeColor: '#0d1117' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden>
              ⬡
            </span>{' '}
            eBPF Labs
          </Link>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
