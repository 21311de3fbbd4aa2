// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and engine-facing modules run in Node as they are; they are never bundled.
  serverExternalPackages: ['dockerode', 'docker-modem', 'ssh2', 'cpu-features', 'better-sqlite3', 'node-pty', 'ws'],
  // The custom server (server.ts) is the only way this app runs; it type-checks separately (npm run typecheck).
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
