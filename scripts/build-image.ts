// npm run build:image [-- --force]: builds the sandbox image when its inputs changed (see lib/sandbox/image.ts).
import { loadConfig } from '../lib/config';
import { AppError } from '../lib/errors';
import { connectDocker, probeEngine } from '../lib/sandbox/engine';
import { ensureSandboxImage } from '../lib/sandbox/image';

async function main() {
  const config = loadConfig();
  const docker = connectDocker(config.docker);
  await probeEngine(docker, config.docker);
  const status = await ensureSandboxImage({
    docker,
    root: process.cwd(),
    image: config.sandbox.image,
    baseImage: config.sandbox.baseImage,
    envoyImage: config.sandbox.envoyImage,
    force: process.argv.includes('--force'),
    print: (line) => console.log(`[image] ${line}`),
  });
  console.log(`[image] ${status.image}: proxy ${status.proxy}${status.built ? `, built in ${status.seconds} s` : ''}`);
}

main().catch((err) => {
  if (err instanceof AppError) {
    console.error(`\n[image] ${err.message}`);
    for (const d of err.options.details ?? []) console.error(`  | ${d}`);
    if (err.hint) console.error(`\n${err.hint}`);
  } else console.error(err);
  process.exit(1);
});
