import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

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
