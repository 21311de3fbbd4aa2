import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
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
import { getServices } from '@/lib/server/services';

const DESCRIPTION = 'Hands-on eBPF networking labs in a real sandbox.';

// The icons and the Open Graph image are files in public/ (made once from the mark in public/favicon.svg); links to
// them are absolute (metadataBase): the URL learners use (PUBLIC_ORIGIN) when set, else the host they asked (the
// server answers only for its own hosts).
export async function generateMetadata(): Promise<Metadata> {
  const host = (await headers()).get('host') ?? 'localhost';
  return {
    metadataBase: new URL(getServices().config.publicOrigin ?? `http://${host}`),
    title: { default: 'eBPF Labs', template: '%s · eBPF Labs' },
    description: DESCRIPTION,
    icons: {
      icon: [
        { url: '/favicon.svg', type: 'image/svg+xml' },
        { url: '/favicon.ico', sizes: '16x16 32x32' },
      ],
      apple: { url: '/apple-touch-icon.png', sizes: '180x180' },
    },
    openGraph: {
      type: 'website',
      siteName: 'eBPF Labs',
      title: 'eBPF Labs',
      description: DESCRIPTION,
      images: [{ url: '/og-image.png', width: 1200, height: 630, alt: 'eBPF Labs: a client, a proxy and an app, with the sockmap shortcut' }],
    },
    twitter: { card: 'summary_large_image' },
  };
}

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
