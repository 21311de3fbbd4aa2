// Exit 0 when the configured Docker engine answers (DOCKER_HOST or the default socket); prints where it looked.
import { loadConfig } from '../lib/config';
import { connectDocker, describeConnection, probeEngine } from '../lib/sandbox/engine';

const config = loadConfig();
const where = describeConnection(config.docker);
probeEngine(connectDocker(config.docker), config.docker, 5000)
  .then((info) => {
    console.log(`[docker] engine ${info.version} at ${where} (cgroup ${info.cgroupVersion}, kernel ${info.kernel})`);
  })
  .catch(() => {
    console.log(`[docker] no engine answers at ${where}`);
    process.exit(1);
  });
