#!/usr/bin/env node
// The `eesee` command: start the server (default) or apply migrations, on the configuration from the environment.
import { buildEesee } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';

async function main(command: string): Promise<void> {
  const config = loadConfig();
  if (command === 'migrate') {
    const eesee = await buildEesee(config);
    await eesee.close();
    console.log('migrations applied');
    return;
  }
  if (command !== 'start') throw new ConfigError(`unknown command "${command}"; use: eesee start | eesee migrate`);
  const eesee = await buildEesee(config, { logger: true });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    eesee.app.log.info(`${signal}: flushing and stopping`);
    eesee.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await eesee.app.listen({ port: config.PORT, host: config.HOST });
  eesee.app.log.info(
    `Eesee Metrics on ${config.BASE_URL ?? `http://localhost:${config.PORT}`} (events: ${eesee.events.kind}, metadata: ${eesee.meta.kind}, shared state: ${eesee.sharedState}, data: ${config.dataDir}, geo: ${eesee.geo.source})`,
  );
}

main(process.argv[2] ?? 'start').catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
