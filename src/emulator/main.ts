import { parseArgs } from 'node:util';
import { DEMO_APP, startEmulator } from './server.js';

/**
 * `npm run emulator [-- --port 4000 --host 127.0.0.1 --state ./data/emulator-state.json]`: the NetEase emulator on
 * its own, with the demo data, for trying the app, app replicas on one NetEase, or a curl by hand. A bare number is
 * taken as the port too (`npm run emulator -- 4100`). Its state is kept in `--state` across restarts (`off`: in
 * memory only).
 */
const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string', default: './data/emulator-state.json' },
  },
  allowPositionals: true,
});
const portText = values.port ?? positionals[0] ?? '4000';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`emulator: port must be a whole number from 0 to 65535, got ${JSON.stringify(portText)}\n`);
  process.exit(2);
}

const statePath = values.state.toLowerCase() === 'off' ? undefined : values.state;
const emulator = await startEmulator({ port, host: values.host, apps: [DEMO_APP], ...(statePath ? { statePath } : {}) });
const file = emulator.stateFile;
process.stdout.write(
  [
    `NetEase emulator listening on ${emulator.url}`,
    '',
    'Point the app at it with:',
    `  NIM_BASE_URL=${emulator.url}`,
    `  NIM_APP_KEY=${DEMO_APP.appKey}`,
    `  NIM_APP_SECRET=${DEMO_APP.appSecret}`,
    '',
    'Demo accids: zhangwei lina wangfang liuyang chenjing zhaolei alice bob carol dave eve frank grace henry.li …',
    'QChat servers: 1513535 and 9007199254740993. Ctrl-C stops it.',
    !file
      ? 'State: in memory only (--state off), lost at exit.'
      : file.kept
        ? `State: kept in ${file.path} across restarts (--state off: in memory only).`
        : `Warning: another process (pid ${file.heldBy ?? '?'}) keeps ${file.path}; this emulator's state is in memory only.`,
    '',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
