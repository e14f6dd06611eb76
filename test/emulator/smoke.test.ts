import { afterEach, expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { APP, call } from './call.js';

let emulator: Emulator | undefined;
afterEach(async () => emulator?.close());

test('a signed lookup of a demo account answers its card', async () => {
  emulator = await startEmulator({ apps: [APP] });
  const answer = await call(emulator, 'user/getUinfos.action', { accids: '["zhangwei"]' });
  expect(answer.json()).toMatchObject({ code: 200, uinfos: [{ accid: 'zhangwei', name: '张伟' }] });
});
