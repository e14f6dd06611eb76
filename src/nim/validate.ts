import { accidProblem } from './accid.js';
import { InputError } from '../errors.js';
import type { ServerMemberUpdate, UserCardChanges } from './types.js';

/**
 * Pure checks of what a person typed, run before any network call. Every function returns ALL problems (the Slack
 * modal shows each under its field), each an InputError with the field, the rule in plain words and the value.
 *
 * "Characters" are UTF-16 code units (JS `.length`), as NetEase's Java server counts them; `icon` is limited in UTF-8
 * bytes. An empty string clears a field and is always allowed; an absent field is kept.
 */

type Limit = { unit: 'chars' | 'bytes'; max: number };

/** user/updateUinfo.action limits (nim-api.md). */
export const cardFieldLimits = {
  name: { unit: 'chars', max: 64 },
  icon: { unit: 'bytes', max: 1024 },
  sign: { unit: 'chars', max: 256 },
  email: { unit: 'chars', max: 64 },
  birth: { unit: 'chars', max: 16 },
  mobile: { unit: 'chars', max: 32 },
  ex: { unit: 'chars', max: 1024 },
} as const satisfies Record<string, Limit>;

/** qchat/updateServerMember.action limits (nim-api.md). */
export const serverMemberFieldLimits = {
  nick: { unit: 'chars', max: 64 },
  avatar: { unit: 'chars', max: 1024 },
  custom: { unit: 'chars', max: 1024 },
} as const satisfies Record<string, Limit>;

/** The largest unsigned 64-bit integer, the upper bound of a QChat server id. */
export const SERVER_ID_MAX = 18_446_744_073_709_551_615n;

const genders = [0, 1, 2] as const;

/** Problems with the fields of a user card change; [] when it may be sent. */
export function cardChangeProblems(changes: UserCardChanges): InputError[] {
  const problems: InputError[] = [];
  const record = changes as Record<string, unknown>;
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (field === 'gender') {
      if (!genders.includes(value as 0 | 1 | 2)) {
        problems.push(new InputError('gender', 'must be 0 (unknown), 1 (male) or 2 (female)', describe(value)));
      }
      continue;
    }
    const limit = (cardFieldLimits as Record<string, Limit>)[field];
    if (!limit) {
      problems.push(new InputError(field, 'is not a field of the user card', describe(value)));
      continue;
    }
    problems.push(...textProblems(field, value, limit));
  }
  return problems;
}

/** Problems with an accid and a card change together (what updateUinfo checks). */
export function updateUinfoProblems(accid: string, changes: UserCardChanges): InputError[] {
  return [...accidProblems('accid', accid), ...cardChangeProblems(changes)];
}

/** Problems with a QChat member card update; [] when it may be sent. */
export function serverMemberProblems(update: ServerMemberUpdate): InputError[] {
  const problems = [...accidProblems('accid', update.accid), ...serverIdProblems(update.serverId)];
  for (const [field, limit] of Object.entries(serverMemberFieldLimits)) {
    const value = (update as Record<string, unknown>)[field];
    if (value !== undefined) problems.push(...textProblems(field, value, limit));
  }
  return problems;
}

/** Problems with a QChat server id: a 64-bit unsigned decimal integer, at most 18446744073709551615. */
export function serverIdProblems(serverId: unknown): InputError[] {
  const rule = 'must be a whole number from 1 to 18446744073709551615, digits only';
  if (typeof serverId !== 'string' || !/^[1-9][0-9]{0,19}$/.test(serverId)) {
    return [new InputError('serverId', rule, describe(serverId))];
  }
  return BigInt(serverId) > SERVER_ID_MAX ? [new InputError('serverId', rule, serverId)] : [];
}

/** Problems with one accid, named by `field` (the offending value is included). */
export function accidProblems(field: string, accid: unknown): InputError[] {
  if (typeof accid !== 'string') return [new InputError(field, 'must be text', describe(accid))];
  const problem = accidProblem(accid);
  return problem ? [new InputError(field, problem, accid)] : [];
}

/** Length in UTF-8 bytes, the unit NetEase limits `icon` by. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function textProblems(field: string, value: unknown, limit: Limit): InputError[] {
  if (typeof value !== 'string') return [new InputError(field, 'must be text', describe(value))];
  const size = limit.unit === 'bytes' ? utf8Bytes(value) : value.length;
  if (size <= limit.max) return [];
  const rule =
    limit.unit === 'bytes' ? `at most ${limit.max} bytes in UTF-8 (this is ${size})` : `at most ${limit.max} characters (this is ${size})`;
  return [new InputError(field, rule, value)];
}

/** The offending value as text, whatever it is: a forged payload can carry a bigint, a cycle or an object without a prototype. */
function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // bigint, cycles, a throwing toJSON: fall through
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
