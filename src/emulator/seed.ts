import { z } from 'zod';
import { accidKey, accidProblem } from '../nim/accid.js';
import { userCardSchema } from '../nim/types.js';
import demoData from './demo-data.json' with { type: 'json' };
import { canonicalServerId } from './server-id.js';
import type { EmulatorSeed } from './types.js';

const accid = z.string().refine((value) => accidProblem(value) === undefined, {
  error: (issue) => `accid ${JSON.stringify(issue.input)} ${accidProblem(String(issue.input)) ?? 'is invalid'}`,
});

// Strict: a misspelt field in a seed file is a mistake to report, not a field to drop silently.
const seedCardSchema = z.strictObject({ ...userCardSchema.shape, accid });

const memberSchema = z.strictObject({
  accid,
  nick: z.string().optional(),
  avatar: z.string().optional(),
  custom: z.string().optional(),
  type: z.union([z.literal(0), z.literal(1)]),
  joinTime: z.number().int(),
  inviter: z.string().optional(),
  validFlag: z.union([z.literal(0), z.literal(1)]),
  createTime: z.number().int(),
  updateTime: z.number().int(),
});

const serverSchema = z.strictObject({
  serverId: z.string().refine((value) => canonicalServerId(value) !== undefined, {
    error: 'serverId must be a 64-bit unsigned integer written in decimal (a string, to stay exact)',
  }),
  name: z.string().optional(),
  members: z.array(memberSchema),
});

const seedSchema = z.strictObject({ users: z.array(seedCardSchema), qchatServers: z.array(serverSchema) }).superRefine((seed, ctx) => {
  // QChat members are IM accounts: a member without a card would make lookups and QChat disagree.
  const known = new Set(seed.users.map((card) => accidKey(card.accid)));
  seed.qchatServers.forEach((server, s) =>
    server.members.forEach((member, m) => {
      if (known.has(accidKey(member.accid))) return;
      ctx.addIssue({
        code: 'custom',
        path: ['qchatServers', s, 'members', m, 'accid'],
        message: `member ${member.accid} of server ${server.serverId} has no user card`,
      });
    }),
  );
});

/** Validates a seed (a test's own or the demo set), reporting every problem at once. */
export function parseSeed(input: unknown, source = 'seed'): EmulatorSeed {
  const result = seedSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`${source} is not a valid emulator seed:\n${problems.join('\n')}`);
}

/** The demo data set of local mode, validated, as a fresh copy each time. */
export function demoSeed(): EmulatorSeed {
  return parseSeed(structuredClone(demoData), 'src/emulator/demo-data.json');
}
